from django.urls import path

from faelles.control import views

app_name = "control"

urlpatterns = [
    path("", views.WorkListView.as_view(), name="work-list"),
    path("operator/", views.OperatorWorkListView.as_view(), name="operator"),
    path("precision/", views.PrecisionView.as_view(), name="precision"),
    path("hits/<int:pk>/", views.HitDetailView.as_view(), name="hit-detail"),
]
