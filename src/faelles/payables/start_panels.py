"""The clerk's work on the start page: one section per role, each read with one query.

Registered from ``PayablesConfig.ready()`` in the start-page registry of the web shell
(:mod:`faelles.web.navigation`). Every section reads through the access gate or the inbox
selector and the life cycle's table (:mod:`faelles.payables.workflow`): the invoices waiting
for the user or their roles per step (count, the five oldest, overdue first), the user's own
uploads with what became of each, the bookkeeper's open periods and invoices waiting for
posting, the payer's invoices ready for the next payment run and the runs a second payer must
release, and the bank-account changes waiting for confirmation.

One query per section: counts and totals come from window functions over the same rows as
the five shown (``Window(Count(...))``), so no section costs a round trip per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faelles.core.access import restrict
from faelles.core.money import round_money
from faelles.ledger.models import Period, PeriodState
from faelles.payables import selectors
from faelles.payables.models import (
    Invoice,
    InvoiceState,
    PaymentRun,
    ReceivedDocument,
    VendorBankChange,
)
from faelles.payables.workflow import OPEN_STATES
from faelles.tenancy.models import Role, User

#: How many items a section lists (the rest is in its count and behind its link).
SHOWN = 5

#: Each step of the life cycle as the start page names it: what the person must do there.
STEP_LABELS: dict[str, str | Promise] = {
    InvoiceState.RECEIVED: _("To code"),
    InvoiceState.CODED: _("To attest"),
    InvoiceState.ATTESTED: _("To approve"),
    InvoiceState.APPROVED: _("To post"),
    InvoiceState.POSTED: _("To pay"),
    InvoiceState.SCHEDULED: _("Sent to payment"),
}
_STEP_ORDER = {state: no for no, state in enumerate(InvoiceState.values)}

#: The acting roles in invoice handling (those who have work on the start page).
WORK_ROLES = frozenset(
    {Role.INVOICE_RECEIVER, Role.REQUESTER, Role.APPROVER, Role.BOOKKEEPER, Role.PAYER}
)


def _overdue(today: date) -> Case:
    return Case(
        When(due_date__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()
    )


def _oldest_first(today: date) -> list[Any]:
    """Overdue first, then by due date (none last), then by arrival."""
    return [
        _overdue(today).desc(),
        F("due_date").asc(nulls_last=True),
        F("received_at").asc(),
        F("pk").asc(),
    ]


def _ranked(qs: QuerySet[Invoice], today: date, partition: Iterable[str] = ()) -> QuerySet[Invoice]:
    """The first :data:`SHOWN` rows (per partition) with their partition's count, overdue
    count and total, in one query."""
    by = [F(name) for name in partition] or None
    return (
        qs.annotate(
            is_overdue=_overdue(today),
            rank=Window(RowNumber(), partition_by=by, order_by=_oldest_first(today)),
            group_count=Window(Count("pk"), partition_by=by),
            group_overdue=Window(Sum(_overdue(today)), partition_by=by),
            group_total=Window(Sum("payable_amount"), partition_by=by),
        )
        .filter(rank__lte=SHOWN)
        .order_by(*(by or []), "rank")
    )


def _annotation(row: Any, name: str) -> Any:
    """A value the query annotated on ``row`` (window counts and totals)."""
    return getattr(row, name)


def waiting_steps(user: User, institution: Any, *, today: date) -> list[dict[str, Any]]:
    """The invoices waiting for ``user`` (or a role they hold) per step: count, overdue count
    and the five oldest, overdue first; steps in the life cycle's order. One query."""
    qs = selectors.inbox(user, institution).filter(state__in=OPEN_STATES, duplicate_of__isnull=True)
    steps: dict[str, dict[str, Any]] = {}
    for invoice in _ranked(qs, today, partition=["state"]):
        step = steps.setdefault(
            invoice.state,
            {
                "state": invoice.state,
                "label": STEP_LABELS.get(invoice.state, invoice.get_state_display()),
                "count": _annotation(invoice, "group_count"),
                "overdue": _annotation(invoice, "group_overdue") or 0,
                "invoices": [],
            },
        )
        step["invoices"].append(invoice)
    return sorted(steps.values(), key=lambda s: _STEP_ORDER.get(s["state"], 99))


def my_uploads(user: User, institution: Any, *, limit: int = 10) -> list[ReceivedDocument]:
    """The documents ``user`` delivered (to the current institution, or to none: unroutable
    or unreadable), newest first, with the invoice each became. The uploader's own deliveries
    are theirs to follow even when no institution could be read from them. One query."""
    return list(
        ReceivedDocument.objects.filter(received_by=user)
        .filter(Q(institution=institution) | Q(institution__isnull=True))
        .select_related("invoice")
        .defer("content")
        .order_by("-received_at", "-pk")[:limit]
    )


def ready_for_payment(institution: Any, *, today: date) -> list[Invoice]:
    """Posted or sent-to-payment, unblocked invoices not yet in a run (what the next run's
    proposal takes), the five due first, each with the count and total of all. One query."""
    qs = selectors.invoices(institution).filter(
        state__in=(InvoiceState.POSTED, InvoiceState.SCHEDULED),
        payment_blocked=False,
        duplicate_of__isnull=True,
        payment_run__isnull=True,
    )
    return list(_ranked(qs, today))


def runs_to_release(user: User, institution: Any) -> list[PaymentRun]:
    """Draft payment runs a second payer must release: those ``user`` did not create (nor
    act for the creator on). One query."""
    runs = (
        PaymentRun.objects.for_institution(institution)
        .filter(state=PaymentRun.State.DRAFT)
        .exclude(created_by=user)
        .select_related("created_by")
        .order_by("execution_date", "pk")
    )
    return [run for run in runs if user.pk not in (run.creator_ids or [])]


def open_periods(user: User, institution: Any) -> list[Period]:
    """The institution's open fiscal periods, earliest first. One query."""
    return list(
        restrict(Period.objects.all(), user=user, institution=institution)
        .filter(state=PeriodState.OPEN)
        .select_related("fiscal_year")
        .order_by("start")
    )


def pending_bank_changes(user: User, institution: Any) -> list[VendorBankChange]:
    """Bank-account changes waiting for a second person's confirmation, oldest first, with
    the count of all. One query."""
    return list(
        restrict(
            VendorBankChange.objects.all(),
            user=user,
            institution=institution,
            roles=selectors.VIEW_ROLES,
        )
        .filter(state=VendorBankChange.State.REQUESTED)
        .select_related("vendor")
        .annotate(total_count=Window(Count("pk")))
        .order_by("requested_at", "pk")[:SHOWN]
    )


# --- the panels' contexts -------------------------------------------------------------------


def _who(request: HttpRequest) -> tuple[User, Any]:
    user: User = request.user  # type: ignore[assignment]
    return user, getattr(request, "institution", None)


def work_context(request: HttpRequest) -> dict[str, Any] | None:
    user, institution = _who(request)
    if institution is None:
        return None
    today = timezone.localdate()
    return {"steps": waiting_steps(user, institution, today=today), "today": today}


def uploads_context(request: HttpRequest) -> dict[str, Any] | None:
    user, institution = _who(request)
    if institution is None:
        return None
    documents = my_uploads(user, institution)
    for document in documents:
        document.reasons = _reasons(document)  # type: ignore[attr-defined]
    return {"documents": documents}


def _reasons(document: ReceivedDocument, shown: int = 3) -> list[dict[str, Any]]:
    """The fatal findings of a rejected document, each rule once with how often it occurs."""
    by_rule: dict[str, dict[str, Any]] = {}
    for finding in document.fatal_findings:
        rule = str(finding.get("rule", ""))
        entry = by_rule.setdefault(
            rule, {"rule": rule, "message": str(finding.get("message", "")), "count": 0}
        )
        entry["count"] += 1
    return list(by_rule.values())[:shown]


def bookkeeping_context(request: HttpRequest) -> dict[str, Any] | None:
    user, institution = _who(request)
    if institution is None:
        return None
    return {"periods": open_periods(user, institution)}


def payment_context(request: HttpRequest) -> dict[str, Any] | None:
    user, institution = _who(request)
    if institution is None:
        return None
    today = timezone.localdate()
    ready = ready_for_payment(institution, today=today)
    total = (
        round_money(Decimal(str(_annotation(ready[0], "group_total"))))
        if ready
        else Decimal("0.00")
    )
    return {
        "ready": ready,
        "ready_count": _annotation(ready[0], "group_count") if ready else 0,
        "ready_overdue": (_annotation(ready[0], "group_overdue") or 0) if ready else 0,
        "ready_total": total,
        "runs": runs_to_release(user, institution),
    }


def bank_changes_context(request: HttpRequest) -> dict[str, Any] | None:
    user, institution = _who(request)
    if institution is None:
        return None
    changes = pending_bank_changes(user, institution)
    return {"changes": changes, "count": _annotation(changes[0], "total_count") if changes else 0}


def register() -> None:
    """Add the sections to the start page (from ``AppConfig.ready()``)."""
    from faelles.web.navigation import StartPanel, register_start_panel

    for panel in (
        StartPanel("payables.work", "payables/start/_work.html", WORK_ROLES, 10, work_context),
        StartPanel(
            "payables.uploads",
            "payables/start/_uploads.html",
            frozenset({Role.INVOICE_RECEIVER}),
            20,
            uploads_context,
        ),
        StartPanel(
            "payables.bookkeeping",
            "payables/start/_bookkeeping.html",
            frozenset({Role.BOOKKEEPER}),
            30,
            bookkeeping_context,
        ),
        StartPanel(
            "payables.payment",
            "payables/start/_payment.html",
            frozenset({Role.PAYER}),
            40,
            payment_context,
        ),
        StartPanel(
            "payables.bank_changes",
            "payables/start/_bank_changes.html",
            frozenset({Role.LOCAL_ADMIN}),
            50,
            bank_changes_context,
        ),
    ):
        register_start_panel(panel)
