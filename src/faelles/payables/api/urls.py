"""The invoice-handling API, mounted at /api/v1/payables/."""

from django.urls import path

from faelles.payables.api import views

app_name = "payables-api"

urlpatterns = [
    path("documents", views.DocumentIntakeView.as_view(), name="document-intake"),
    path("documents/<int:pk>", views.DocumentDetailView.as_view(), name="document-detail"),
]
