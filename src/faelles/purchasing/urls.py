from django.urls import path

from faelles.purchasing import views

app_name = "purchasing"

urlpatterns = [
    path("", views.ShopView.as_view(), name="shop"),
    path("requisitions/", views.RequisitionListView.as_view(), name="requisitions"),
    path("requisitions/<int:pk>/", views.RequisitionDetailView.as_view(), name="requisition"),
    path("orders/", views.OrderListView.as_view(), name="orders"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order"),
    path("agreements/", views.AgreementListView.as_view(), name="agreements"),
    path("documents/", views.DocumentListView.as_view(), name="documents"),
    path("tolerances/", views.ToleranceView.as_view(), name="tolerances"),
    path("agreements/new/", views.AgreementNewView.as_view(), name="agreement-new"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement"),
]
