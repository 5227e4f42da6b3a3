"""Reads of invoice handling: who may see what, inboxes, history and the operator's queues.

Every invoice, document, rule and payment run a user sees passes the access gate
(``faelles.core.access``) with the roles of the payables area (``faelles.tenancy.roles``): the
same 404 for missing, foreign, and an institution where the user holds no payables role.
Lists are narrowed to the institution the user works in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from faelles.core.access import (
    access_object,
    general_roles_of,
    institutions_with_role,
    restrict,
    user_can,
)
from faelles.core.models import AuditEvent
from faelles.payables.models import (
    CodingRule,
    DocumentStatus,
    Invoice,
    PaymentRun,
    ReceivedDocument,
    RoutingRule,
)
from faelles.payables.workflow import ACTIVE_STATES, OPEN_STATES
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, Role, User
from faelles.tenancy.roles import Area, view_roles

VIEW_ROLES = view_roles(Area.PAYABLES)
OPERATOR_ROLES = view_roles(Area.OPERATOR_QUEUES)
INTAKE_ROLES = view_roles(Area.INTAKE)


def may_view(user: User, institution: Institution | None) -> bool:
    if institution is None or not user.is_authenticated:
        return False
    return user_can(user, institution, VIEW_ROLES)


def is_operator_staff(user: User) -> bool:
    return bool(general_roles_of(user) & OPERATOR_ROLES)


def viewable_institutions(user: User) -> QuerySet[Institution]:
    """The institutions whose invoice handling ``user`` sees."""
    return institutions_with_role(user, VIEW_ROLES)


def served_institutions(user: User) -> QuerySet[Institution]:
    """The institutions the user serves as operator staff (the operator's queues, assigning
    unroutable documents)."""
    return institutions_with_role(user, OPERATOR_ROLES)


def access_payables_object(
    queryset_or_model: type[Model] | QuerySet[Any],
    user: User,
    pk: Any,
    *,
    institution: Institution | None = None,
) -> Any:
    """Any row of the payables area through the gate: 404 for missing and foreign alike."""
    return access_object(
        queryset_or_model, user=user, pk=pk, institution=institution, roles=VIEW_ROLES
    )


def invoices_all() -> QuerySet[Invoice]:
    return Invoice.objects.select_related("vendor", "institution", "requester", "assigned_to")


def visible_invoices(user: User) -> QuerySet[Invoice]:
    """Every invoice ``user`` sees (of all their institutions)."""
    return restrict(invoices_all(), user=user, roles=VIEW_ROLES)


def access_invoice(user: User, pk: Any) -> Invoice:
    """The invoice if the user sees its institution's invoices; ``Http404`` for missing and
    foreign."""
    invoice: Invoice = access_payables_object(invoices_all(), user, pk)
    return invoice


def access_invoices(user: User, pks: list[Any]) -> dict[str, Invoice]:
    """The invoices among ``pks`` (as given, e.g. form values) that the user may see, with one
    query; a missing, foreign or malformed id is simply not in the result, as
    :func:`access_invoice` answers 404 for all three."""
    ids = {str(pk): int(pk) for pk in pks if str(pk).isdigit()}
    found = {
        invoice.pk: invoice for invoice in visible_invoices(user).filter(pk__in=set(ids.values()))
    }
    return {given: found[pk] for given, pk in ids.items() if pk in found}


def visible_documents(user: User) -> QuerySet[ReceivedDocument]:
    """Received documents ``user`` sees: those of institutions whose invoices they see, and —
    for operator staff who work the queues — those of no institution (unroutable, or
    rejected before a receiver could be read)."""
    return restrict(
        ReceivedDocument.objects.select_related("institution", "invoice"),
        user=user,
        roles=VIEW_ROLES,
        unowned_roles=OPERATOR_ROLES,
    )


def access_document(user: User, pk: Any) -> ReceivedDocument:
    """One received document through the gate (see :func:`visible_documents`)."""
    document: ReceivedDocument = access_object(
        ReceivedDocument.objects.select_related("institution"),
        user=user,
        pk=pk,
        roles=VIEW_ROLES,
        unowned_roles=OPERATOR_ROLES,
    )
    return document


def access_payment_run(user: User, pk: Any) -> PaymentRun:
    run: PaymentRun = access_payables_object(
        PaymentRun.objects.select_related("institution", "journal_entry"), user, pk
    )
    return run


def may_deliver(user: User, institution: Institution) -> bool:
    """Whether ``user`` may deliver a document addressed to ``institution`` (upload page or
    intake API): an invoice receiver there (also as a substitute), or operator staff serving
    it."""
    return user_can(user, institution, INTAKE_ROLES)


def may_deliver_unaddressed(user: User) -> bool:
    """Whether ``user`` may deliver a document no endpoint routes (or whose receiver cannot be
    read): only the operator's staff, whose queue it lands in."""
    return bool(general_roles_of(user) & INTAKE_ROLES)


def may_use_intake(user: User, institution: Institution | None = None) -> bool:
    """Whether the upload page and the intake API are open to ``user`` at all (each document
    is then checked against its receiver)."""
    if general_roles_of(user) & INTAKE_ROLES:
        return True
    if institution is not None:
        return may_deliver(user, institution)
    return institutions_with_role(user, INTAKE_ROLES).exists()


def invoices(institution: Institution) -> QuerySet[Invoice]:
    return invoices_all().filter(institution=institution)


def inbox_q(user: User, institution: Institution) -> Q:
    """The condition of :func:`inbox` for one institution (a filter to combine with the
    gated queryset: the inbox page and the invoice API's ``scope=mine``)."""
    roles = selectors.roles_for(user, institution)
    people = [user.pk] + [
        d.principal_id for d in selectors.active_delegations_for(user, institution)
    ]
    mine = Q(assigned_to_id__in=people) | Q(assigned_to__isnull=True, next_role__in=roles)
    mine = mine & ~Q(next_role="")
    if Role.INVOICE_RECEIVER in roles:
        # Overdue invoices escalate to the invoice receivers.
        mine |= Q(escalated_at__isnull=False, state__in=ACTIVE_STATES)
    return Q(institution_id=institution.pk) & mine


def inbox(user: User, institution: Institution) -> QuerySet[Invoice]:
    """The invoices where ``user`` must act next: assigned to them (or to someone they
    substitute for today), or waiting for a role they hold."""
    return invoices(institution).filter(inbox_q(user, institution))


def history(invoice: Invoice) -> QuerySet[AuditEvent]:
    """The audit events of the invoice and of the document it was read from, oldest first."""
    return (
        AuditEvent.objects.filter(
            Q(object_type="payables.invoice", object_id=str(invoice.pk))
            | Q(object_type="payables.receiveddocument", object_id=str(invoice.document_id))
        )
        .select_related("actor", "on_behalf_of")
        .order_by("created_at", "pk")
    )


def unroutable_documents(user: User) -> QuerySet[ReceivedDocument]:
    """The operator's queue of documents no endpoint routed (operator staff only)."""
    return (
        restrict(
            ReceivedDocument.objects.filter(status=DocumentStatus.UNROUTABLE),
            user=user,
            roles=OPERATOR_ROLES,
            unowned_roles=OPERATOR_ROLES,
        )
        .filter(institution__isnull=True)
        .order_by("received_at", "pk")
    )


def access_unroutable(user: User, pk: Any) -> ReceivedDocument:
    document: ReceivedDocument = access_object(
        unroutable_documents(user), user=user, pk=pk, unowned_roles=OPERATOR_ROLES
    )
    return document


def rejected_documents(user: User) -> QuerySet[ReceivedDocument]:
    """Rejected documents of the institutions the staff member serves, and those that were
    rejected before any institution could be read from them."""
    return (
        restrict(
            ReceivedDocument.objects.filter(status=DocumentStatus.REJECTED),
            user=user,
            roles=OPERATOR_ROLES,
            unowned_roles=OPERATOR_ROLES,
        )
        .select_related("institution")
        .order_by("-received_at", "-pk")
    )


def overdue_invoices(user: User, *, on: date | None = None) -> QuerySet[Invoice]:
    """Unpaid invoices past their due date in the institutions the staff member serves."""
    today = on or timezone.localdate()
    return (
        restrict(invoices_all(), user=user, roles=OPERATOR_ROLES)
        .filter(state__in=OPEN_STATES, due_date__lt=today)
        .order_by("due_date", "pk")
    )


def routing_rules(institution: Institution) -> QuerySet[RoutingRule]:
    return (
        RoutingRule.objects.for_institution(institution)
        .select_related("vendor", "requester")
        .order_by("priority", "pk")
    )


def coding_rules(institution: Institution) -> QuerySet[CodingRule]:
    return (
        CodingRule.objects.for_institution(institution)
        .select_related("vendor")
        .order_by("priority", "pk")
    )


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: str
    received: int
    coded_automatically: int
    paid: int
    paid_on_time: int


@dataclass(frozen=True, slots=True)
class Kpis:
    """Key figures of an institution's invoice handling."""

    in_process: int
    median_hours_to_approval: Decimal | None
    paid: int
    paid_on_time_share: Decimal | None
    coded_automatically_share: Decimal | None
    months: list[MonthFigures]


PAYMENT_DAYS = 30  # public buyers pay within 30 days


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def _on_time(received: datetime, due: date | None, paid: datetime) -> bool:
    limit = received.date() + timedelta(days=PAYMENT_DAYS)
    if due is not None and due < limit:
        limit = due
    return paid.date() <= limit


def kpis(institution: Institution, *, months: int = 12) -> Kpis:
    """Documents in process, median time from receipt to approval, the share paid on time
    (by the due date and within 30 days) and the share coded automatically, with the same
    per month for the last ``months`` months."""
    qs = Invoice.objects.for_institution(institution).filter(duplicate_of__isnull=True)
    rows = list(
        qs.values_list(
            "state", "received_at", "approved_at", "paid_at", "due_date", "coded_automatically"
        )
    )
    in_process = sum(1 for r in rows if r[0] in OPEN_STATES)
    hours = sorted(Decimal((r[2] - r[1]).total_seconds()) / 3600 for r in rows if r[2] is not None)
    median = None
    if hours:
        mid = len(hours) // 2
        median = hours[mid] if len(hours) % 2 else (hours[mid - 1] + hours[mid]) / 2
        median = median.quantize(Decimal("0.1"))
    paid_rows = [r for r in rows if r[3] is not None]
    on_time = 0
    for r in paid_rows:
        assert r[3] is not None
        on_time += 1 if _on_time(r[1], r[4], r[3]) else 0
    auto = sum(1 for r in rows if r[5])
    today = timezone.localdate()
    keys = []
    y, m = today.year, today.month
    for _i in range(months):
        keys.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    keys.reverse()
    per: dict[str, list[int]] = {k: [0, 0, 0, 0] for k in keys}
    for r in rows:
        key = timezone.localtime(r[1]).strftime("%Y-%m")
        if key in per:
            per[key][0] += 1
            per[key][1] += 1 if r[5] else 0
            if r[3] is not None:
                per[key][2] += 1
                per[key][3] += 1 if _on_time(r[1], r[4], r[3]) else 0
    return Kpis(
        in_process=in_process,
        median_hours_to_approval=median,
        paid=len(paid_rows),
        paid_on_time_share=_share(on_time, len(paid_rows)),
        coded_automatically_share=_share(auto, len(rows)),
        months=[MonthFigures(k, *per[k]) for k in keys],
    )
