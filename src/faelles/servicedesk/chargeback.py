"""Chargeback (issue 14, item 4): each month a statement per institution of what it used,
posted once as an internal invoice through the ledger; and the customer-forum report.

What a month's statement charges:

- **subscriptions** in force in the month: the catalogue price × quantity for a price per
  month or per user per month, × quantity / 12 for a price per m² per year;
- **tickets** whose catalogue service is priced per ticket, resolved by the month's end and
  not charged before;
- **order lines** (work ordered on tickets, priced by the contract's price list or by the
  operator) created by the month's end and not charged before — a line ordered late is
  charged the month it is seen, never twice (one statement line per order line, unique);
- **corrections** of lines of posted statements, added to a later month's statement.

A draft is prepared (again and again) until it is posted. Posting numbers it (``IA-<year>-n``,
gap-free), posts one journal entry in the institution's ledger — debit the cost account of
each domain on the cost centre given, credit the settlement account with the operator — and
freezes it. A posted statement never changes.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import Denied, Refused, record_event, refusals_recorded
from faelles.core.money import round_money
from faelles.core.numbering import next_number
from faelles.ledger.services import EntrySpec, LineSpec, entry_record
from faelles.servicedesk import selectors as sel
from faelles.servicedesk.chargeback_models import Statement, StatementLine, Subscription
from faelles.servicedesk.models import (
    CatalogueService,
    Domain,
    Kind,
    OrderLine,
    Ticket,
)
from faelles.servicedesk.quality_models import CleaningInspection, SurveyResponse
from faelles.servicedesk.scorecard import Figures, figures_for
from faelles.tenancy.models import Institution, User

SERIES = "servicedesk.statement"
SOURCE_TYPE = "servicedesk.statement"

#: The accounts of the common chart an internal invoice posts to: the cost account per
#: domain, and the settlement account with the operator (mellemregning).
COST_ACCOUNTS = {Domain.IT.value: "2220", Domain.FACILITIES.value: "2270"}
SETTLEMENT_ACCOUNT = "5820"
DEFAULT_COST_CENTRE = "300"

Price = CatalogueService.PriceUnit


def month_start(value: date) -> date:
    return value.replace(day=1)


def month_end(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def _end_instant(period: date) -> datetime:
    return datetime.combine(
        month_end(period) + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )


def _deny(institution: Institution, action: str, message: str, obj: Any = None) -> Denied:
    return Denied(
        Refused(message, code="not_allowed", action=action, institution=institution, obj=obj)
    )


# --- subscriptions -----------------------------------------------------------------------------


@refusals_recorded
@transaction.atomic
def subscription_set(
    *,
    actor: User,
    service: CatalogueService,
    quantity: Any,
    valid_from: date,
    valid_to: date | None = None,
) -> Subscription:
    """Subscribe the institution to a fixed catalogue service (monthly, per user, per m²)."""
    institution = service.institution
    if not sel.is_agent(actor, institution):
        raise _deny(institution, "servicedesk.subscription.set", _("Only the service desk."))
    if service.price_unit not in (Price.MONTH, Price.USER_MONTH, Price.M2_YEAR):
        raise ValidationError(
            {"service": [_("Only a service priced per month, user or m² is subscribed to.")]}
        )
    sub = Subscription(
        institution=institution,
        service=service,
        quantity=Decimal(str(quantity)),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    sub.full_clean()
    sub.save()
    record_event(
        institution=institution,
        actor=actor,
        action="servicedesk.subscription.set",
        obj=sub,
        details={"service": service.code, "quantity": sub.quantity, "from": valid_from},
    )
    return sub


# --- statements --------------------------------------------------------------------------------


def _subscription_amount(sub: Subscription) -> tuple[Decimal, Decimal]:
    price = sub.service.price
    if sub.service.price_unit == Price.M2_YEAR:
        return price, round_money(sub.quantity * price / 12)
    return price, round_money(sub.quantity * price)


def _lines_for(statement: Statement) -> list[StatementLine]:
    institution_id, period = statement.institution_id, statement.period
    end = _end_instant(period)
    lines: list[StatementLine] = []

    def line(**kw: Any) -> None:
        lines.append(StatementLine(institution_id=institution_id, statement=statement, **kw))

    subs = (
        Subscription.objects.filter(
            institution_id=institution_id, valid_from__lte=month_end(period)
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period))
        .select_related("service")
        .order_by("service__code", "pk")
    )
    for sub in subs:
        price, amount = _subscription_amount(sub)
        line(
            kind=StatementLine.Kind.SUBSCRIPTION,
            domain=sub.service.domain,
            service=sub.service,
            subscription=sub,
            description=f"{sub.service.code} {sub.service.name} ({sub.service.get_price_unit_display()})",
            quantity=sub.quantity,
            unit_price=price,
            amount=amount,
        )
    charged = StatementLine.objects.filter(ticket__isnull=False, kind=StatementLine.Kind.TICKET)
    tickets = (
        Ticket.objects.filter(
            institution_id=institution_id,
            resolved_at__lt=end,
            service__price_unit=Price.TICKET,
        )
        .exclude(pk__in=charged.values("ticket_id"))
        .select_related("service")
        .order_by("pk")
    )
    for ticket in tickets:
        assert ticket.service is not None
        line(
            kind=StatementLine.Kind.TICKET,
            domain=ticket.domain,
            service=ticket.service,
            ticket=ticket,
            description=f"{ticket.reference} {ticket.service.name}",
            quantity=Decimal(1),
            unit_price=ticket.service.price,
            amount=round_money(ticket.service.price),
        )
    orders = (
        OrderLine.objects.filter(institution_id=institution_id, created_at__lt=end)
        .filter(charged__isnull=True)
        .select_related("ticket")
        .order_by("pk")
    )
    for order in orders:
        line(
            kind=StatementLine.Kind.ORDER_LINE,
            domain=order.ticket.domain,
            ticket=order.ticket,
            order_line=order,
            description=f"{order.ticket.reference} {order.description}"[:300],
            quantity=order.quantity,
            unit_price=order.unit_price,
            amount=order.amount,
        )
    return lines


def _require_agent(actor: User, institution: Institution, action: str, obj: Any = None) -> None:
    if not sel.is_agent(actor, institution):
        raise _deny(institution, action, _("Only the service desk prepares and posts."), obj)


def _lock(institution: Institution) -> None:
    """Serialise the institution's statement writes (two preparations of the same month, or a
    correction opening next month's draft, would otherwise race on ``get_or_create``)."""
    Institution.objects.select_for_update().filter(pk=institution.pk).values_list("pk").first()


def _total(statement: Statement) -> Decimal:
    total = statement.lines.aggregate(t=Sum("amount"))["t"]
    return round_money(total or 0)


@refusals_recorded
@transaction.atomic
def statement_prepare(*, actor: User, institution: Institution, period: date) -> Statement:
    """Prepare (or prepare again) the draft statement of ``institution`` for the month of
    ``period``. Corrections already on the draft stay; everything else is read afresh."""
    _require_agent(actor, institution, "servicedesk.statement.prepare")
    period = month_start(period)
    if period > month_start(timezone.localdate()):
        raise ValidationError({"period": [_("The month has not begun.")]}, code="future")
    _lock(institution)
    statement, _created = Statement.objects.select_for_update().get_or_create(
        institution=institution, period=period, defaults={"prepared_at": timezone.now()}
    )
    if statement.state == Statement.State.POSTED:
        raise ValidationError(
            _("The statement is posted; correct it on a later month's statement."),
            code="posted",
        )
    # A ticket or order line already on another month's draft moves to this one only when
    # that draft is prepared again without it: drafts of earlier months keep what they have.
    statement.lines.exclude(kind=StatementLine.Kind.CORRECTION).delete()
    StatementLine.objects.bulk_create(_lines_for(statement))
    statement.total = _total(statement)
    statement.prepared_at = timezone.now()
    statement.save(update_fields=["total", "prepared_at"])
    record_event(
        institution=institution,
        actor=actor,
        action="servicedesk.statement.prepared",
        obj=statement,
        details={
            "period": f"{period:%Y-%m}",
            "lines": statement.lines.count(),
            "total": statement.total,
        },
    )
    return statement


@refusals_recorded
@transaction.atomic
def statement_post(
    *, actor: User, statement: Statement, cost_centre: str = DEFAULT_COST_CENTRE
) -> Statement:
    """Post the statement as an internal invoice: number it, post one journal entry in the
    institution's ledger (cost per domain on ``cost_centre``, against the settlement account)
    and freeze it. Once: a posted statement is refused."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    institution = statement.institution
    _require_agent(actor, institution, "servicedesk.statement.post", statement)
    if statement.state == Statement.State.POSTED:
        raise ValidationError(_("The statement is posted already."), code="posted")
    if month_end(statement.period) >= timezone.localdate():
        raise ValidationError(_("Post the statement when the month has ended."), code="open")
    per_domain: dict[str, Decimal] = defaultdict(Decimal)
    for domain, amount in statement.lines.values_list("domain", "amount"):
        per_domain[domain] += amount
    total = round_money(sum(per_domain.values(), Decimal(0)))
    if total != _total(statement) or total != statement.total:
        raise ValidationError(_("Prepare the statement again first."), code="stale")
    year = statement.period.year
    number = next_number(institution=institution, series=SERIES, year=year)
    statement.number = f"IA-{year}-{number:06d}"
    entry = None
    if total != 0:
        lines = []
        for domain in sorted(per_domain):
            amount = round_money(per_domain[domain])
            if amount == 0:
                continue
            lines.append(
                LineSpec(
                    account=COST_ACCOUNTS.get(domain, COST_ACCOUNTS[Domain.IT.value]),
                    debit=max(amount, Decimal(0)),
                    credit=max(-amount, Decimal(0)),
                    org_unit=cost_centre,
                    text=f"{statement.number} {domain}",
                )
            )
        lines.append(
            LineSpec(
                account=SETTLEMENT_ACCOUNT,
                debit=max(-total, Decimal(0)),
                credit=max(total, Decimal(0)),
                text=statement.number,
            )
        )
        entry = entry_record(
            actor=actor,
            institution=institution,
            spec=EntrySpec(
                date=month_end(statement.period),
                description=_("Internal invoice %(number)s, service desk %(month)s")
                % {"number": statement.number, "month": f"{statement.period:%Y-%m}"},
                lines=lines,
                voucher_ref=statement.number,
                source_type=SOURCE_TYPE,
                source_id=str(statement.pk),
            ),
        )
    statement.entry = entry
    statement.state = Statement.State.POSTED
    statement.posted_at = timezone.now()
    statement.posted_by = actor
    statement.full_clean()
    statement.save()
    record_event(
        institution=institution,
        actor=actor,
        action="servicedesk.statement.posted",
        obj=statement,
        details={
            "number": statement.number,
            "total": total,
            "entry": entry.pk if entry is not None else None,
        },
    )
    return statement


@refusals_recorded
@transaction.atomic
def statement_correct(
    *, actor: User, line: StatementLine, amount: Any, reason: str
) -> StatementLine:
    """Correct a line of a posted statement: a correction line (``amount``, negative to
    credit) on the first later month's statement that is not posted (a draft is opened for
    it when needed). The posted statement stays as it is."""
    line = StatementLine.objects.select_related("statement", "institution").get(pk=line.pk)
    institution = line.institution
    _require_agent(actor, institution, "servicedesk.statement.correct", line.statement)
    if line.statement.state != Statement.State.POSTED:
        raise ValidationError(_("Prepare the draft again instead."), code="draft")
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the correction.")]})
    value = round_money(amount)
    if value == 0:
        raise ValidationError({"amount": [_("A correction of 0 changes nothing.")]})
    _lock(institution)
    period = line.statement.period
    while True:
        period = month_start(month_end(period) + timedelta(days=1))
        target, _created = Statement.objects.select_for_update().get_or_create(
            institution=institution, period=period, defaults={"prepared_at": timezone.now()}
        )
        if target.state == Statement.State.DRAFT:
            break
    correction = StatementLine(
        institution=institution,
        statement=target,
        kind=StatementLine.Kind.CORRECTION,
        domain=line.domain,
        service=line.service,
        ticket=line.ticket,
        corrects=line,
        description=(
            _("Correction of %(number)s: %(reason)s")
            % {"number": line.statement.number, "reason": reason.strip()}
        )[:300],
        quantity=Decimal(1),
        unit_price=value,
        amount=value,
    )
    correction.full_clean(validate_constraints=False)
    correction.save()
    target.total = _total(target)
    target.save(update_fields=["total"])
    record_event(
        institution=institution,
        actor=actor,
        action="servicedesk.statement.corrected",
        obj=target,
        details={
            "number": line.statement.number,
            "period": f"{period:%Y-%m}",
            "amount": value,
            "reason": reason.strip(),
        },
    )
    return correction


# --- the customer-forum report -----------------------------------------------------------------


@dataclass
class Month:
    period: date
    opened: dict[str, int] = field(default_factory=dict)
    resolved: int = 0
    sla_met_pct: Decimal | None = None
    satisfaction: Decimal | None = None
    charged: Decimal = Decimal("0.00")


@dataclass
class ForumReport:
    institution: Institution
    year: int
    months: list[Month]
    year_figures: Figures
    charged_total: Decimal
    yearly_survey: Decimal | None
    yearly_answers: int


def forum_report(institution: Institution, year: int) -> ForumReport:
    """The figures for the institution's customer forum: per month the volumes by kind, the
    service targets met, satisfaction and what was charged (posted statements); the year's
    totals with the inspections and the yearly survey."""
    tickets = Ticket.objects.filter(institution=institution)
    inspections = CleaningInspection.objects.filter(institution=institution)
    surveys = SurveyResponse.objects.filter(
        institution=institution, kind=SurveyResponse.Kind.TICKET
    )
    tz = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz)
    opened: dict[tuple[int, str], int] = {}
    for row in (
        tickets.filter(created_at__gte=start, created_at__lt=end)
        .values_list("created_at", "kind")
        .order_by()
    ):
        key = (timezone.localtime(row[0], tz).month, row[1])
        opened[key] = opened.get(key, 0) + 1
    charged = dict(
        Statement.objects.filter(
            institution=institution, state=Statement.State.POSTED, period__year=year
        ).values_list("period__month", "total")
    )
    months = []
    for m in range(1, 13):
        period = date(year, m, 1)
        f = figures_for(
            tickets=tickets,
            inspections=inspections,
            surveys=surveys,
            start=period,
            end=month_end(period),
        )
        months.append(
            Month(
                period=period,
                opened={k: opened.get((m, k), 0) for k in Kind.values},
                resolved=f.tickets_resolved,
                sla_met_pct=f.sla_met_pct,
                satisfaction=f.satisfaction,
                charged=round_money(charged.get(m, 0)),
            )
        )
    year_figures = figures_for(
        tickets=tickets,
        inspections=inspections,
        surveys=surveys,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    yearly = SurveyResponse.objects.filter(
        institution=institution, kind=SurveyResponse.Kind.YEARLY, year=year
    ).aggregate(n=Count("pk"), avg=Sum("score"))
    yearly_avg = None
    if yearly["n"]:
        yearly_avg = round_money(Decimal(yearly["avg"]) / yearly["n"])
    return ForumReport(
        institution=institution,
        year=year,
        months=months,
        year_figures=year_figures,
        charged_total=round_money(sum((mo.charged for mo in months), Decimal(0))),
        yearly_survey=yearly_avg,
        yearly_answers=yearly["n"],
    )
