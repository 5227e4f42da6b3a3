"""Operator economics (issue 16, item 3): what the operator charges each institution it serves.

- :class:`ServicePrice`: one version of the price of a shared service in the operator's
  service catalogue (invoice handling per invoice, payroll per payslip, service desk per
  ticket, case handling per case), valid from the first day of a month until the next version
  begins. A price is a list of *volume bands*: the month's volume of the service picks the
  band, whose fixed monthly part (by size) is charged with its price per unit × the volume —
  cost recovery the way the state's shared systems are priced (a fixed part by size and a
  variable part per transaction).
- :class:`OperatorBilling`: where the operator keeps its books (the institution whose ledger
  is the operator's own) and what its invoices say about it (account, address, VAT rate).
- :class:`Charge`: one institution's charge for one month, issued once as a Peppol BIS
  Billing 3.0 invoice into the institution's own invoice flow and posted in the operator's
  ledger; :class:`ChargeLine`: one service of it, volume × band price, as it was charged.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet


class Measure(models.TextChoices):
    """The shared services that are charged by volume, each named by what is counted."""

    INVOICES = "invoices", _("Invoice handling (per invoice)")
    PAYSLIPS = "payslips", _("Payroll (per payslip)")
    TICKETS = "tickets", _("Service desk (per ticket)")
    CASES = "cases", _("Case handling (per case)")


#: The unit each measure is counted in, as the invoice line names it.
UNIT_NAMES = {
    Measure.INVOICES: _("invoices"),
    Measure.PAYSLIPS: _("payslips"),
    Measure.TICKETS: _("tickets"),
    Measure.CASES: _("cases"),
}


class ServicePrice(models.Model):
    """One version of a service's price, valid from ``valid_from`` (the first day of a month)
    to ``valid_to`` (the last day of a month; empty: until further notice). ``tiers`` are the
    volume bands, lowest first: ``[{"from": 0, "fixed": "2000.00", "unit": "12.00"}, ...]``.
    A version that a charge has used never changes; a new price is a new version."""

    operator = models.ForeignKey(
        "tenancy.Operator", on_delete=models.PROTECT, related_name="service_prices"
    )
    measure = models.CharField(_("service"), max_length=20, choices=Measure.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    tiers = models.JSONField(_("volume bands"), default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("service price")
        verbose_name_plural = _("service prices")
        ordering = ["operator", "measure", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "measure", "valid_from"], name="econ_price_once_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="econ_price_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.valid_from:%Y-%m}"

    def band_for(self, volume: int) -> dict[str, str]:
        """The band a month's ``volume`` falls in: the last whose lower bound it reaches."""
        chosen = self.tiers[0]
        for tier in self.tiers:
            if volume >= int(tier["from"]):
                chosen = tier
        return dict(chosen)


class OperatorBilling(models.Model):
    """How an operator invoices: the institution whose ledger is the operator's own books
    (revenue and receivables are posted there), the bank account and address its invoices
    give, the VAT rate and the days to pay."""

    operator = models.OneToOneField(
        "tenancy.Operator", on_delete=models.PROTECT, related_name="billing"
    )
    books = models.ForeignKey(
        "tenancy.Institution",
        verbose_name=_("books kept in"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_zone = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("25.00")
    )
    payment_days = models.PositiveIntegerField(_("days to pay"), default=30)

    class Meta:
        verbose_name = _("operator billing")
        verbose_name_plural = _("operator billing")
        constraints = [
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0) & Q(vat_rate__lte=100), name="econ_billing_vat_rate"
            ),
        ]

    def __str__(self) -> str:
        return str(self.operator)


class Charge(models.Model):
    """An institution's charge for one month (``period`` = its first day), issued once: the
    invoice number (gap-free in the operator's books), the Peppol document as issued, the
    document and invoice it became in the institution's intake, and the operator's entry."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    operator = models.ForeignKey("tenancy.Operator", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("month"))
    number = models.CharField(_("invoice number"), max_length=30)
    issue_date = models.DateField(_("issue date"))
    net = models.DecimalField(_("net (DKK)"), max_digits=16, decimal_places=2)
    vat = models.DecimalField(_("VAT (DKK)"), max_digits=16, decimal_places=2)
    total = models.DecimalField(_("total (DKK)"), max_digits=16, decimal_places=2)
    xml = models.BinaryField(_("invoice document"))
    document = models.ForeignKey(
        "payables.ReceivedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    invoice = models.ForeignKey(
        "payables.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery = models.CharField(_("delivery"), max_length=20)
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["-period", "institution"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "operator", "period"], name="econ_charge_once"
            ),
            models.UniqueConstraint(fields=["operator", "number"], name="econ_charge_number"),
            models.CheckConstraint(
                condition=Q(total=models.F("net") + models.F("vat")), name="econ_charge_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.period:%Y-%m}"


class ChargeLine(models.Model):
    """One service of a charge: the month's volume, the band and prices it was charged at
    (copied, so the charge reads the same after the price changes) and the amounts."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="lines")
    measure = models.CharField(_("service"), max_length=20, choices=Measure.choices)
    price = models.ForeignKey(ServicePrice, on_delete=models.PROTECT, related_name="+")
    volume = models.PositiveIntegerField(_("volume"))
    band_from = models.PositiveIntegerField(_("band from"))
    fixed = models.DecimalField(_("fixed part (DKK)"), max_digits=14, decimal_places=2)
    unit_price = models.DecimalField(_("price per unit (DKK)"), max_digits=14, decimal_places=2)
    variable = models.DecimalField(_("variable part (DKK)"), max_digits=16, decimal_places=2)
    amount = models.DecimalField(_("amount (DKK)"), max_digits=16, decimal_places=2)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("charge line")
        verbose_name_plural = _("charge lines")
        ordering = ["charge", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["charge", "measure"], name="econ_line_once"),
            models.CheckConstraint(
                condition=Q(amount=models.F("fixed") + models.F("variable")),
                name="econ_line_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.volume} {self.amount}"
