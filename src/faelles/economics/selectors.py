"""Reads of operator economics: the month's measured volumes (set-based: one grouped query per
service for every institution at once), the prices in force, and the charges a user may see.

What is counted, per institution and month (local time):

- **invoices**: invoices and credit notes received into payables in the month, not marked as
  duplicates, and not the operator's own charge invoices;
- **payslips**: payslips of pay runs approved (or paid) whose payment date is in the month;
- **tickets**: service-desk tickets resolved in the month, except those the service desk's own
  chargeback charges per ticket by the institution's catalogue (a service priced per ticket):
  a ticket is never charged twice;
- **cases**: cases opened in the month.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from faelles.cases.models import Case
from faelles.core.access import access_object, institutions_with_role, restrict
from faelles.economics.models import Charge, Measure, OperatorBilling, ServicePrice
from faelles.payables.models import Invoice
from faelles.payroll.models import PayRun, Payslip
from faelles.servicedesk.models import CatalogueService, Ticket
from faelles.tenancy.models import OperatorStaff, Service, ServiceAgreement, StaffRole
from faelles.tenancy.roles import Area, view_roles

#: Who sees an institution's charges: those who see its ledger (bookkeepers, controllers,
#: local administrators, payers) and the operator's staff serving it.
CHARGE_ROLES = view_roles(Area.LEDGER)

#: Which agreement service each measure belongs to: a service is charged to an institution
#: only when its agreement for the month includes it.
MEASURE_SERVICES: dict[str, frozenset[str]] = {
    Measure.INVOICES: frozenset({Service.PAYABLES}),
    Measure.PAYSLIPS: frozenset({Service.PAYROLL}),
    Measure.TICKETS: frozenset({Service.IT, Service.FACILITIES}),
    Measure.CASES: frozenset({Service.CASES}),
}

COUNTED_RUN_STATES = (
    PayRun.State.APPROVED,
    PayRun.State.SECOND_APPROVED,
    PayRun.State.PAID,
)


def month_start(value: date) -> date:
    return value.replace(day=1)


def month_end(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def _instants(period: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(period, time.min, tzinfo=tz)
    end = datetime.combine(month_end(period) + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def _grouped(qs: QuerySet[Any], measure: str, out: dict[tuple[int, str], int]) -> None:
    for inst, n in qs.order_by().values_list("institution_id").annotate(n=Count("pk")):
        out[(inst, measure)] = n


def volumes(period: date, institution_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    """``{(institution id, measure): count}`` for the month of ``period`` (missing: 0)."""
    ids = list(institution_ids)
    period = month_start(period)
    start, end = _instants(period)
    out: dict[tuple[int, str], int] = {}
    own = Charge.objects.filter(document__isnull=False).values("document_id")
    _grouped(
        Invoice.objects.filter(
            institution_id__in=ids,
            received_at__gte=start,
            received_at__lt=end,
            duplicate_of__isnull=True,
        ).exclude(document_id__in=own),
        Measure.INVOICES,
        out,
    )
    _grouped(
        Payslip.objects.filter(
            institution_id__in=ids,
            run__payment_date__gte=period,
            run__payment_date__lte=month_end(period),
            run__state__in=COUNTED_RUN_STATES,
        ),
        Measure.PAYSLIPS,
        out,
    )
    _grouped(
        Ticket.objects.filter(
            institution_id__in=ids, resolved_at__gte=start, resolved_at__lt=end
        ).exclude(service__price_unit=CatalogueService.PriceUnit.TICKET),
        Measure.TICKETS,
        out,
    )
    _grouped(
        Case.objects.filter(institution_id__in=ids, opened_at__gte=start, opened_at__lt=end),
        Measure.CASES,
        out,
    )
    return out


def prices_in_force(operator: Any, period: date) -> dict[str, ServicePrice]:
    """The version of each service's price that is valid on the first day of the month."""
    period = month_start(period)
    rows = ServicePrice.objects.filter(operator=operator, valid_from__lte=period).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=period)
    )
    return {p.measure: p for p in rows.order_by("measure", "valid_from")}


def served_in_month(operator: Any, period: date) -> dict[int, set[str]]:
    """``{institution id: agreement services}`` of the active institutions ``operator``
    serves under an agreement in force at some time in the month (services united)."""
    period = month_start(period)
    agreements = ServiceAgreement.objects.filter(
        operator=operator, valid_from__lte=month_end(period), institution__is_active=True
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period))
    out: dict[int, set[str]] = {}
    for inst, services in agreements.values_list("institution_id", "services"):
        out.setdefault(inst, set()).update(services or [])
    return out


def billing_of(operator: Any) -> OperatorBilling | None:
    return OperatorBilling.objects.filter(operator=operator).select_related("books").first()


def operators_of(user: Any, *, admin: bool = False) -> list[Any]:
    """The operators ``user`` works for (as an administrator when ``admin``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    qs = OperatorStaff.objects.filter(user=user, is_active=True)
    if admin:
        qs = qs.filter(role=StaffRole.OPERATOR_ADMIN)
    else:
        qs = qs.filter(role__in=[StaffRole.OPERATOR_ADMIN, StaffRole.CASE_WORKER])
    return [s.operator for s in qs.select_related("operator").order_by("operator_id")]


def is_operator_admin(user: Any, operator: Any) -> bool:
    return any(o.pk == operator.pk for o in operators_of(user, admin=True))


def charges_for(user: Any, *, period: date | None = None) -> QuerySet[Charge]:
    """The charges ``user`` may see: an institution's own (ledger roles) and those of every
    institution the operator's staff serve."""
    qs = restrict(Charge, user=user, roles=CHARGE_ROLES).select_related("institution")
    if period is not None:
        qs = qs.filter(period=month_start(period))
    return qs.order_by("-period", "institution__name", "pk")


def access_charge(user: Any, pk: Any) -> Charge:
    """The charge with ``pk`` if ``user`` may see its institution's charges; 404 else."""
    return access_object(
        Charge.objects.select_related("institution", "operator", "entry", "invoice"),
        user=user,
        pk=pk,
        roles=CHARGE_ROLES,
    )


def may_see_invoice(user: Any, charge: Charge) -> bool:
    """Whether the link to the received invoice in payables leads anywhere for ``user``."""
    return (
        charge.invoice_id is not None
        and institutions_with_role(user, view_roles(Area.PAYABLES))
        .filter(pk=charge.institution_id)
        .exists()
    )
