"""Chargeback (issue 14, item 4): what each institution used in a month, priced, and posted
once as an internal invoice through the ledger.

- :class:`Subscription`: a fixed catalogue service an institution subscribes to, with its
  quantity (users for a per-user price, m² for a per-m²-per-year price, 1 for a monthly fee).
- :class:`Statement`: one per institution and month; a draft is prepared (and may be
  prepared again) from the subscriptions, the tickets priced per ticket by the catalogue and
  the order lines priced by the contracts' price lists; *posting* numbers it, posts it to the
  institution's ledger and freezes it. A posted statement never changes: a correction is a
  line (:class:`StatementLine`, kind ``correction``) of a later month's statement.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from faelles.core.models import TenantQuerySet
from faelles.servicedesk.models import CatalogueService, OrderLine, Ticket
from faelles.tenancy.models import Institution


class Subscription(models.Model):
    """A fixed service charged every month it is in force: catalogue price × quantity (per
    month), × quantity / 12 for a price per m² per year."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        CatalogueService, on_delete=models.PROTECT, related_name="subscriptions"
    )
    quantity = models.DecimalField(_("quantity (users, m²)"), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["institution", "service", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sd_subscription_quantity"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="sd_subscription_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} × {self.quantity}"


class Statement(models.Model):
    """An institution's chargeback statement for one month (``period`` = its first day)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("month"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    number = models.CharField(_("number"), max_length=30, blank=True)
    total = models.DecimalField(_("total (DKK)"), max_digits=16, decimal_places=2, default=0)
    prepared_at = models.DateTimeField(_("prepared"))
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("chargeback statement")
        verbose_name_plural = _("chargeback statements")
        ordering = ["-period", "institution"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "period"], name="sd_statement_once"),
            models.CheckConstraint(
                condition=Q(state="draft", entry__isnull=True, posted_at__isnull=True)
                | Q(state="posted", posted_at__isnull=False) & ~Q(number=""),
                name="sd_statement_posted_fields",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.period:%Y-%m}"


class StatementLine(models.Model):
    """One priced line of a statement. An order line is charged once (unique); a ticket's
    per-ticket price once; a correction refers to the line it corrects (of a posted
    statement) and may be negative."""

    class Kind(models.TextChoices):
        SUBSCRIPTION = "subscription", _("Subscription")
        TICKET = "ticket", _("Ticket")
        ORDER_LINE = "order_line", _("Work ordered")
        CORRECTION = "correction", _("Correction")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    domain = models.CharField(_("domain"), max_length=20)
    service = models.ForeignKey(
        CatalogueService, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order_line = models.OneToOneField(
        OrderLine, null=True, blank=True, on_delete=models.PROTECT, related_name="charged"
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(_("unit price (DKK)"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount (DKK)"), max_digits=16, decimal_places=2)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(kind="ticket"),
                name="sd_statement_ticket_once",
            ),
            models.CheckConstraint(
                condition=Q(kind="correction") | Q(amount__gte=0),
                name="sd_statement_line_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.amount}"
