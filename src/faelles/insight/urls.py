from django.urls import path

from faelles.insight import views

app_name = "insight"

urlpatterns = [
    path("", views.InstitutionView.as_view(), name="institution"),
    path("operator/", views.OperatorView.as_view(), name="operator"),
]
