from django.urls import path

from faelles.economics import views

app_name = "economics"

urlpatterns = [
    path("", views.ChargeListView.as_view(), name="charges"),
    path("prices/", views.PriceListView.as_view(), name="prices"),
    path("charges/<int:pk>/", views.ChargeDetailView.as_view(), name="charge-detail"),
    path("charges/<int:pk>/xml/", views.ChargeXmlView.as_view(), name="charge-xml"),
]
