"""The supplier scorecard (issue 14, item 3): per framework contract and period, how the
supplier did — service targets met, INSTA 800 inspections approved, satisfaction — and the
penalties the contract's rules give for it.

Figures are computed from the records (the tickets' SLA outcome, the completed inspections,
the survey answers and ratings); *issuing* a scorecard stores them as they were
(:class:`Scorecard`), once. The same figures per institution feed the customer-forum report
(``chargeback.forum_report``).

Service targets met: a ticket counts when it was resolved in the period and had a service
level; it is met when both clocks met their targets (``sla_state`` met), missed otherwise. The
state is the cache that ``clocks.cache_fields`` rewrites from the ticket's history after every
event (the service desk's tests hold it equal to the computed clocks).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.access import institutions_with_role
from faelles.core.audit import Denied, Refused, record_event, refusals_recorded
from faelles.core.money import round_money
from faelles.servicedesk import selectors as sel
from faelles.servicedesk.models import FrameworkContract, SlaState, Ticket
from faelles.servicedesk.quality_models import (
    CleaningInspection,
    PenaltyRule,
    Scorecard,
    SurveyResponse,
)
from faelles.tenancy.models import Institution, User

PCT = Decimal("0.1")
SCORE = Decimal("0.01")


def _pct(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100) * part / whole).quantize(PCT, rounding=ROUND_HALF_EVEN)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


@dataclass
class Figures:
    """A period's figures (of a contract, or of an institution's tickets)."""

    tickets_resolved: int = 0
    sla_met: int = 0
    sla_missed: int = 0
    sla_met_pct: Decimal | None = None
    inspections: int = 0
    inspections_approved: int = 0
    inspections_pct: Decimal | None = None
    rooms_inspected: int = 0
    rooms_not_approved: int = 0
    satisfaction_answers: int = 0
    satisfaction: Decimal | None = None
    penalties: list[dict[str, Any]] = field(default_factory=list)
    penalty_total: Decimal = Decimal("0.00")

    def as_json(self) -> dict[str, Any]:
        return {
            k: (str(v) if isinstance(v, Decimal) else v)
            for k, v in asdict(self).items()
            if k != "penalties"
        } | {"penalties": self.penalties}


def figures_for(
    *,
    tickets: QuerySet[Ticket],
    inspections: QuerySet[CleaningInspection],
    surveys: QuerySet[SurveyResponse],
    start: date,
    end: date,
) -> Figures:
    """The figures of the tickets, inspections and surveys given, in ``start`` … ``end``."""
    lo, hi = _bounds(start, end)
    out = Figures()
    resolved = tickets.filter(resolved_at__gte=lo, resolved_at__lt=hi).exclude(
        sla_state=SlaState.NONE
    )
    counts = resolved.aggregate(
        met=Count("pk", filter=Q(sla_state=SlaState.MET)),
        total=Count("pk"),
    )
    out.tickets_resolved = counts["total"]
    out.sla_met = counts["met"]
    out.sla_missed = counts["total"] - counts["met"]
    out.sla_met_pct = _pct(out.sla_met, out.tickets_resolved)
    done = inspections.filter(
        state=CleaningInspection.State.COMPLETED, inspected_on__gte=start, inspected_on__lte=end
    )
    agg = done.aggregate(
        n=Count("pk"),
        ok=Count("pk", filter=Q(approved=True)),
    )
    out.inspections, out.inspections_approved = agg["n"], agg["ok"]
    out.inspections_pct = _pct(agg["ok"], agg["n"])
    rooms = done.aggregate(
        n_rooms=Count("rooms"), n_failed=Count("rooms", filter=Q(rooms__approved=False))
    )
    out.rooms_inspected, out.rooms_not_approved = rooms["n_rooms"], rooms["n_failed"]
    # Satisfaction: the survey answers of the period, and the ratings of tickets closed in
    # the period that have no survey answer (a rating is the one-question survey).
    answered = surveys.filter(answered_at__gte=lo, answered_at__lt=hi).aggregate(
        n=Count("pk"), total=Avg("score")
    )
    rated = (
        tickets.filter(closed_at__gte=lo, closed_at__lt=hi, rating__isnull=False)
        .filter(survey__isnull=True)
        .aggregate(n=Count("pk"), total=Avg("rating"))
    )
    n = answered["n"] + rated["n"]
    out.satisfaction_answers = n
    if n:
        total = (
            Decimal(str(answered["total"] or 0)) * answered["n"]
            + Decimal(str(rated["total"] or 0)) * rated["n"]
        )
        out.satisfaction = (total / n).quantize(SCORE, rounding=ROUND_HALF_EVEN)
    return out


def penalties(rules: list[PenaltyRule], figures: Figures) -> tuple[list[dict[str, Any]], Decimal]:
    """The penalties the rules give: a rule applies when its metric was measured and is below
    its threshold; ``per_point`` counts whole points below (satisfaction in tenths)."""
    values = {
        PenaltyRule.Metric.SLA_MET: figures.sla_met_pct,
        PenaltyRule.Metric.INSPECTIONS: figures.inspections_pct,
        PenaltyRule.Metric.SATISFACTION: figures.satisfaction,
    }
    out: list[dict[str, Any]] = []
    total = Decimal("0.00")
    for rule in rules:
        value = values.get(PenaltyRule.Metric(rule.metric))
        if value is None or value >= rule.threshold:
            continue
        shortfall = rule.threshold - value
        if rule.basis == PenaltyRule.Basis.PER_POINT:
            unit = Decimal("0.1") if rule.metric == PenaltyRule.Metric.SATISFACTION else 1
            points = int(shortfall / unit)
            if shortfall / unit > points:
                points += 1  # a point begun counts
            amount = round_money(rule.amount * points)
        else:
            amount = round_money(rule.amount)
        if rule.cap is not None:
            amount = min(amount, round_money(rule.cap))
        total += amount
        out.append(
            {
                "rule": rule.pk,
                "metric": rule.metric,
                "threshold": str(rule.threshold),
                "value": str(value),
                "amount": str(amount),
            }
        )
    return out, round_money(total)


def contract_institutions(user: User, contract: FrameworkContract) -> QuerySet[Institution]:
    """The institutions of the contract that ``user`` serves at the service desk."""
    served = institutions_with_role(user, sel.AGENT_ROLES)
    return contract.institutions.filter(pk__in=served.values("pk"))


def visible_contracts(user: User) -> QuerySet[FrameworkContract]:
    """Contracts covering at least one institution ``user`` serves at the service desk."""
    served = institutions_with_role(user, sel.AGENT_ROLES)
    return FrameworkContract.objects.filter(institutions__in=served.values("pk")).distinct()


def access_contract(user: User, pk: Any) -> FrameworkContract:
    """A contract for the scorecard pages: 404 when it covers none of the user's."""
    from django.http import Http404

    contract = visible_contracts(user).filter(pk=pk).first()
    if contract is None:
        raise Http404
    return contract


def serves_all(user: User, contract: FrameworkContract) -> bool:
    covered = set(contract.institutions.values_list("pk", flat=True))
    return bool(covered) and covered <= set(
        contract_institutions(user, contract).values_list("pk", flat=True)
    )


def contract_figures(
    contract: FrameworkContract, institutions: QuerySet[Institution], start: date, end: date
) -> Figures:
    """The contract's scorecard over ``institutions`` (those the viewer serves)."""
    ids = list(institutions.values_list("pk", flat=True))
    figures = figures_for(
        tickets=Ticket.objects.filter(contract=contract, institution_id__in=ids),
        inspections=CleaningInspection.objects.filter(contract=contract, institution_id__in=ids),
        surveys=SurveyResponse.objects.filter(
            kind=SurveyResponse.Kind.TICKET,
            ticket__contract=contract,
            institution_id__in=ids,
        ),
        start=start,
        end=end,
    )
    figures.penalties, figures.penalty_total = penalties(
        list(contract.penalty_rules.all()), figures
    )
    return figures


@refusals_recorded
@transaction.atomic
def scorecard_issue(
    *, actor: User, contract: FrameworkContract, start: date, end: date
) -> Scorecard:
    """Issue the contract's scorecard for a period: the figures over every institution the
    contract covers, stored as they are now, with the penalties. Only someone serving every
    covered institution issues it; once per period."""
    if not serves_all(actor, contract):
        raise Denied(
            Refused(
                _("Only someone serving every institution of the contract issues its scorecard."),
                code="not_allowed",
                action="servicedesk.scorecard.issue",
                institution=None,
                obj=contract,
            )
        )
    if end < start:
        raise ValidationError({"end": [_("The period ends before it starts.")]})
    if end >= timezone.localdate():
        raise ValidationError({"end": [_("Issue a scorecard when its period has ended.")]})
    figures = contract_figures(contract, contract.institutions.all(), start, end)
    card = Scorecard(
        contract=contract,
        period_start=start,
        period_end=end,
        figures=figures.as_json(),
        penalty_total=figures.penalty_total,
        issued_by=actor,
        issued_at=timezone.now(),
    )
    card.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError:
        raise ValidationError(
            _("The scorecard of this period is issued already."), code="issued"
        ) from None
    record_event(
        institution=None,
        actor=actor,
        action="servicedesk.scorecard.issued",
        obj=card,
        details={
            "contract": contract.reference,
            "from": start,
            "to": end,
            "penalty_total": figures.penalty_total,
        },
    )
    return card
