"""Measuring the key figures of one month for every institution at once.

Each source is read with **one query for all institutions** (``values_list`` over the month's
rows, grouped here), never one query per institution or per invoice; the refresh stores the
result in ``KeyFigure`` (``services.key_figures_refresh``). Months are calendar months in the
platform's time zone. The formulas (also in ``docs/design/insight.md``):

- ``invoices``: invoices and credit notes received in the month (duplicates not counted);
- ``hours_to_approval``: median hours from receipt to the (final) approval, of the invoices
  approved in the month;
- ``days_to_payment``: median days from receipt to payment, of the invoices paid in the month;
- ``on_time_share``: of the invoices paid in the month, the share paid by the due date and
  within 30 days of receipt (the rule of the payables key figures);
- ``touchless_share``: of the invoices approved in the month, the share coded automatically
  whose approval was the only human step (no attestation, no first approval);
- ``cost_per_invoice``: registered hours on invoice handling in the month × the hourly rate /
  invoices approved in the month (source ``registered_hours``); without registered hours,
  the human touches of those invoices (coding by hand, attestation, first approval, approval)
  × minutes per touch / 60 × the hourly rate / invoices approved (source ``touches``);
- ``invoices_per_fte``: invoices received / FTE, FTE = Σ weekly hours / 37 of the payroll
  employments running on the month's last day (empty without payroll employments);
- ``case_days``: median days from opening to closing of the cases closed in the month;
- ``sla_met_share``: of the tickets resolved in the month under a service level (the service
  desk's clock state ``met``, ``missed`` or ``breached``), the share ``met``;
- ``retro_share``: of the payslips in pay runs whose period starts in the month, the share
  that carry retro corrections of earlier periods (errors corrected by retro runs).
"""

from __future__ import annotations

import calendar
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from faelles.insight import config
from faelles.insight.models import Figure

TWO = Decimal("0.01")
PAYMENT_DAYS = 30
SLA_MET = "met"
SLA_COUNTED = ("met", "missed", "breached")


@dataclass(frozen=True, slots=True)
class Measured:
    institution_id: int
    figure: str
    value: Decimal | None
    basis: int
    source: str = ""


def month_start(value: date) -> date:
    return value.replace(day=1)


def next_month(value: date) -> date:
    return (value.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month as aware datetimes [start, end) in the platform's time zone."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(month_start(month), time()), tz)
    end = timezone.make_aware(datetime.combine(next_month(month), time()), tz)
    return start, end


def month_last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def q2(value: Decimal) -> Decimal:
    return value.quantize(TWO)


def share(part: int, whole: int) -> Decimal | None:
    return q2(Decimal(100) * part / whole) if whole else None


def median(values: list[Decimal]) -> Decimal | None:
    return q2(Decimal(statistics.median(values))) if values else None


def hours_between(start: datetime, end: datetime) -> Decimal:
    return Decimal(int((end - start).total_seconds())) / 3600


def on_time(received: datetime, due: date | None, paid: datetime) -> bool:
    """Paid by the due date and within 30 days of receipt (public buyers' payment term)."""
    limit = timezone.localtime(received).date() + timedelta(days=PAYMENT_DAYS)
    if due is not None and due < limit:
        limit = due
    return timezone.localtime(paid).date() <= limit


def registered_invoice_hours(month: date, institutions: Iterable[int]) -> dict[int, Decimal]:
    """Hours registered on invoice-handling tasks in the month, per institution (the task
    inventory; none registered: an empty dict)."""
    from django.db.models import Sum

    from faelles.insight.models import TaskHours

    rows = (
        TaskHours.objects.filter(
            institution_id__in=list(institutions),
            month=month_start(month),
            task__measures=Figure.COST_PER_INVOICE,
        )
        .order_by()
        .values("institution_id")
        .annotate(hours=Sum("hours"))
    )
    return {
        r["institution_id"]: Decimal(str(r["hours"])).quantize(Decimal("0.1"))
        for r in rows
        if r["hours"]
    }


def measure_month(month: date, institutions: list[int]) -> list[Measured]:
    """Every key figure of ``month`` for each of ``institutions``."""
    from faelles.cases.models import Case
    from faelles.payables.models import Invoice
    from faelles.payroll.models import Employment, Payslip
    from faelles.servicedesk.models import Ticket

    start, end = month_bounds(month)
    scope = list(institutions)
    out: list[Measured] = []
    invoices = Invoice.objects.filter(institution_id__in=scope, duplicate_of__isnull=True)

    # invoices received
    received: dict[int, int] = defaultdict(int)
    for inst in invoices.filter(received_at__gte=start, received_at__lt=end).values_list(
        "institution_id", flat=True
    ):
        received[inst] += 1

    # approved: time, touches, touchless, cost
    approved: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in invoices.filter(approved_at__gte=start, approved_at__lt=end).values_list(
        "institution_id",
        "received_at",
        "approved_at",
        "coded_automatically",
        "attested_by_id",
        "first_approved_by_id",
    ):
        approved[row[0]].append(row)
    hours = registered_invoice_hours(month, scope)
    rate, per_touch = config.hourly_rate(), config.minutes_per_touch()

    # paid: days and on time
    paid: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for prow in invoices.filter(paid_at__gte=start, paid_at__lt=end).values_list(
        "institution_id", "received_at", "due_date", "paid_at"
    ):
        paid[prow[0]].append(prow)

    # FTE on the month's last day
    last = month_last_day(month)
    fte: dict[int, Decimal] = defaultdict(Decimal)
    for inst, weekly in Employment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=last), institution_id__in=scope, start__lte=last
    ).values_list("institution_id", "weekly_hours"):
        fte[inst] += weekly / config.FULL_TIME_WEEKLY_HOURS

    cases: dict[int, list[Decimal]] = defaultdict(list)
    for inst, opened, closed in Case.objects.filter(
        institution_id__in=scope, closed_at__gte=start, closed_at__lt=end
    ).values_list("institution_id", "opened_at", "closed_at"):
        if closed is not None:
            cases[inst].append(hours_between(opened, closed) / 24)

    # the service desk's own verdict on each resolved ticket (its sla clocks, kept on the
    # ticket when the clock stops): met, missed, or breached while it ran
    tickets: dict[int, list[bool]] = defaultdict(list)
    for inst, state in Ticket.objects.filter(
        institution_id__in=scope,
        resolved_at__gte=start,
        resolved_at__lt=end,
        sla_state__in=SLA_COUNTED,
    ).values_list("institution_id", "sla_state"):
        tickets[inst].append(state == SLA_MET)

    slips: dict[int, list[bool]] = defaultdict(list)
    for inst, retro_from in Payslip.objects.filter(
        institution_id__in=scope,
        run__period_start__gte=month_start(month),
        run__period_start__lt=next_month(month),
    ).values_list("institution_id", "retro_from"):
        slips[inst].append(retro_from is not None)

    for inst in scope:
        n_received = received.get(inst, 0)
        out.append(Measured(inst, Figure.INVOICES, Decimal(n_received), n_received))
        rows = approved.get(inst, [])
        out.append(
            Measured(
                inst,
                Figure.HOURS_TO_APPROVAL,
                median([hours_between(r[1], r[2]) for r in rows]),
                len(rows),
            )
        )
        touchless = sum(1 for r in rows if r[3] and r[4] is None and r[5] is None)
        out.append(Measured(inst, Figure.TOUCHLESS_SHARE, share(touchless, len(rows)), len(rows)))
        if not rows:
            cost, source = None, ""
        elif inst in hours:
            cost, source = q2(hours[inst] * rate / len(rows)), "registered_hours"
        else:
            touches = sum(
                (0 if r[3] else 1) + (r[4] is not None) + (r[5] is not None) + 1 for r in rows
            )
            cost = q2(Decimal(touches) * per_touch / 60 * rate / len(rows))
            source = "touches"
        out.append(Measured(inst, Figure.COST_PER_INVOICE, cost, len(rows), source))
        prows = paid.get(inst, [])
        out.append(
            Measured(
                inst,
                Figure.DAYS_TO_PAYMENT,
                median([hours_between(r[1], r[3]) / 24 for r in prows]),
                len(prows),
            )
        )
        out.append(
            Measured(
                inst,
                Figure.ON_TIME_SHARE,
                share(sum(1 for r in prows if on_time(r[1], r[2], r[3])), len(prows)),
                len(prows),
            )
        )
        staff = fte.get(inst)
        out.append(
            Measured(
                inst,
                Figure.INVOICES_PER_FTE,
                q2(Decimal(n_received) / staff) if staff else None,
                n_received if staff else 0,
                "payroll" if staff else "",
            )
        )
        out.append(Measured(inst, Figure.CASE_DAYS, median(cases.get(inst, [])), len(cases[inst])))
        t = tickets.get(inst, [])
        out.append(Measured(inst, Figure.SLA_MET_SHARE, share(sum(t), len(t)), len(t)))
        s = slips.get(inst, [])
        out.append(Measured(inst, Figure.RETRO_SHARE, share(sum(s), len(s)), len(s)))
    return out


def parse_month(text: str) -> date | None:
    """``YYYY-MM`` as the month's first day; ``None`` for anything else."""
    year, sep, month = (text or "").partition("-")
    if not (sep and year.isdigit() and month.isdigit() and len(year) == 4):
        return None
    try:
        return date(int(year), int(month), 1)
    except ValueError:
        return None
