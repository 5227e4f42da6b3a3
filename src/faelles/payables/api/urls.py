"""The invoice-handling API, mounted at /api/v1/payables/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from faelles.payables.api import payments, views

app_name = "payables-api"

router = SimpleRouter(trailing_slash=False)
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("payment-runs", payments.PaymentRunViewSet, basename="payment-run")
router.register("bank-changes", payments.BankChangeViewSet, basename="bank-change")

urlpatterns = [
    *router.urls,
    path("documents", views.DocumentIntakeView.as_view(), name="document-intake"),
    path("documents/<int:pk>", views.DocumentDetailView.as_view(), name="document-detail"),
]
