"""The invoice-handling API, mounted at /api/v1/payables/."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from faelles.payables.api import payments, views

app_name = "payables-api"

router = SimpleRouter(trailing_slash=False)
# Both /invoices and /invoices/ (and /invoices/5 and /invoices/5/) answer.
router.trailing_slash = "/?"
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("payment-runs", payments.PaymentRunViewSet, basename="payment-run")
router.register("bank-changes", payments.BankChangeViewSet, basename="bank-change")

urlpatterns = [
    *router.urls,
    re_path(r"^documents/?$", views.DocumentIntakeView.as_view(), name="document-intake"),
    re_path(
        r"^documents/(?P<pk>[0-9]+)/?$", views.DocumentDetailView.as_view(), name="document-detail"
    ),
]
