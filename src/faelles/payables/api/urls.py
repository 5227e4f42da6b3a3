"""The invoice-handling API, mounted at /api/v1/payables/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from faelles.payables.api import views

app_name = "payables-api"

router = SimpleRouter(trailing_slash=False)
router.register("invoices", views.InvoiceViewSet, basename="invoice")

urlpatterns = [
    *router.urls,
    path("documents", views.DocumentIntakeView.as_view(), name="document-intake"),
    path("documents/<int:pk>", views.DocumentDetailView.as_view(), name="document-detail"),
]
