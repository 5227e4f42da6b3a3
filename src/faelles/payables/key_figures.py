"""Reads for the key-figures page's charts: the ageing of an institution's open invoices and
the money paid out per payment run. Amounts are DKK (an invoice in another currency by its
recorded exchange rate); credit notes count against what is owed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faelles.core.money import LEDGER_CURRENCY, round_money
from faelles.payables.models import Invoice, InvoiceState, PaymentRun
from faelles.tenancy.models import Institution

# Open: approved (the institution has accepted the debt) and not paid yet.
AGEING_STATES = (InvoiceState.APPROVED, InvoiceState.POSTED, InvoiceState.SCHEDULED)
# An invoice without a due date falls due 30 days after its date (public buyers' payment term).
PAYMENT_DAYS = 30
# (key, label, first day past due, last day past due or None)
BUCKETS: tuple[tuple[str, str | Promise, int | None, int | None], ...] = (
    ("not-due", _("Not yet due"), None, -1),
    ("0-30", _("0–30 days"), 0, 30),
    ("31-60", _("31–60 days"), 31, 60),
    ("61-90", _("61–90 days"), 61, 90),
    ("90+", _("Over 90 days"), 91, None),
)
RUN_STATES = (PaymentRun.State.RELEASED, PaymentRun.State.PAID)


@dataclass
class AgeingBucket:
    key: str
    label: str
    count: int = 0
    amount: Decimal = Decimal("0.00")


@dataclass
class Ageing:
    """Open invoices by days past due on ``on``; ``without_rate`` counts the invoices in
    another currency without an exchange rate (counted, but not in the amounts)."""

    on: date
    buckets: list[AgeingBucket]
    without_rate: int = 0

    @property
    def count(self) -> int:
        return sum(b.count for b in self.buckets)

    @property
    def amount(self) -> Decimal:
        return sum((b.amount for b in self.buckets), Decimal("0.00"))


def _bucket_key(days_past_due: int) -> str:
    for key, _label, first, last in BUCKETS:
        if (first is None or days_past_due >= first) and (last is None or days_past_due <= last):
            return key
    raise AssertionError(days_past_due)  # pragma: no cover - the buckets cover every day


def open_invoice_ageing(institution: Institution, *, on: date | None = None) -> Ageing:
    """The institution's approved, unpaid invoices (net of credit notes) in buckets of days
    past the due date: not yet due, 0–30, 31–60, 61–90, over 90. One query."""
    today = on or timezone.localdate()
    buckets = {key: AgeingBucket(key, str(label)) for key, label, _f, _l in BUCKETS}
    ageing = Ageing(today, list(buckets.values()))
    rows = (
        Invoice.objects.for_institution(institution)
        .filter(state__in=AGEING_STATES, duplicate_of__isnull=True)
        .values_list(
            "kind", "currency", "payable_amount", "exchange_rate", "due_date", "issue_date"
        )
    )
    for kind, currency, amount, rate, due, issued in rows:
        due = due or issued + timedelta(days=PAYMENT_DAYS)
        bucket = buckets[_bucket_key((today - due).days)]
        bucket.count += 1
        if currency != LEDGER_CURRENCY:
            if rate is None:
                ageing.without_rate += 1
                continue
            amount = round_money(amount * rate, LEDGER_CURRENCY)
        bucket.amount += -amount if kind == Invoice.Kind.CREDIT_NOTE else amount
    return ageing


@dataclass(frozen=True, slots=True)
class RunTotal:
    pk: int
    execution_date: date
    state: str
    state_label: str
    total: Decimal
    invoices: int


def payment_run_totals(institution: Institution, *, last: int = 12) -> list[RunTotal]:
    """The money out of the institution's last ``last`` released or paid payment runs, oldest
    first (the run's total: invoices net of credit notes, DKK)."""
    runs = list(
        PaymentRun.objects.for_institution(institution)
        .filter(state__in=RUN_STATES)
        .annotate(n=Count("invoices"))
        .order_by("-execution_date", "-pk")[:last]
    )
    return [
        RunTotal(r.pk, r.execution_date, r.state, r.get_state_display(), r.total, r.n)
        for r in reversed(runs)
    ]
