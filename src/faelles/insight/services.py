"""Every write of insight: refreshing the key figures, the task inventory and its hours, and
business cases with their plan and realised gains. Each is atomic and writes its audit event
in the same transaction (refreshes on the operator chain, the rest on the institution's)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.access import user_can
from faelles.core.audit import Refused, record_event, refusals_recorded
from faelles.insight import business_case, measure
from faelles.insight.models import (
    BenefitPlanLine,
    BenefitRealisation,
    BusinessCase,
    BusinessCaseItem,
    Figure,
    KeyFigure,
    Task,
    TaskHours,
)
from faelles.tenancy.models import Institution, User


def institutions_in_scope() -> list[int]:
    """Every active institution: the distribution beside a figure is over all of them."""
    return sorted(Institution.objects.filter(is_active=True).values_list("pk", flat=True))


@transaction.atomic
def key_figures_refresh(
    *, actor: User | None, month: date, institutions: list[int] | None = None
) -> dict[str, Any]:
    """Measure ``month`` for every institution (or ``institutions``) and replace that month's
    ``KeyFigure`` rows. Idempotent: a second refresh of the same data writes the same rows."""
    month = measure.month_start(month)
    scope = institutions if institutions is not None else institutions_in_scope()
    measured = measure.measure_month(month, scope)
    now = timezone.now()
    KeyFigure.objects.filter(month=month, institution_id__in=scope).delete()
    KeyFigure.objects.bulk_create(
        [
            KeyFigure(
                institution_id=m.institution_id,
                month=month,
                figure=m.figure,
                value=m.value,
                basis=m.basis,
                source=m.source,
                computed_at=now,
            )
            for m in measured
        ],
        batch_size=2000,
    )
    summary = {
        "month": month.strftime("%Y-%m"),
        "institutions": len(scope),
        "rows": len(measured),
        "with_value": sum(1 for m in measured if m.value is not None),
    }
    record_event(
        institution=None,
        actor=actor,
        action="insight.key_figures.refreshed",
        object_type="insight.keyfigure",
        object_id=summary["month"],
        details=summary,
    )
    return summary


def key_figures_refresh_queue(*, actor: User | None, month: date) -> None:
    """Queue a refresh of ``month`` (Celery, after the caller's transaction commits; eager in
    the embedded default)."""
    from faelles.insight import tasks

    actor_id = actor.pk if actor is not None else None
    value = measure.month_start(month).isoformat()
    transaction.on_commit(
        lambda: tasks.key_figures_refresh_task.delay(actor_id=actor_id, month=value)
    )


# --- the task inventory ----------------------------------------------------------------------

TASK_FIELDS = (
    "name",
    "form_code",
    "volume_per_year",
    "hours_per_year",
    "systems",
    "standardisability",
    "bindings",
    "responsibility",
    "measures",
    "note",
)


def _require_writer(actor: User, institution: Institution, action: str, obj: Any = None) -> None:
    from faelles.insight.selectors import WRITE_ROLES

    if not user_can(actor, institution, WRITE_ROLES):
        raise Refused(
            _(
                "Only the institution's local administrators and the operator's staff serving it "
                "may change this."
            ),
            code="not_permitted",
            action=action,
            institution=institution,
            obj=obj,
        )


@refusals_recorded
@transaction.atomic
def task_save(
    *, actor: User, institution: Institution, data: dict[str, Any], task: Task | None = None
) -> Task:
    """Create a task of the institution's inventory, or change ``task``. The agreement task it
    is linked to must be the institution's own."""
    action = "insight.task.created" if task is None else "insight.task.updated"
    _require_writer(actor, institution, action.rsplit(".", 1)[0] + ".save", task)
    if task is not None and task.institution_id != institution.pk:
        raise ValueError("the task belongs to another institution")
    row = task if task is not None else Task(institution=institution)
    before = {f: str(getattr(row, f"{f}_id" if f == "responsibility" else f)) for f in TASK_FIELDS}
    for field in TASK_FIELDS:
        if field in data:
            setattr(row, field, data[field])
    responsibility = row.responsibility
    if responsibility is not None and responsibility.institution_id != institution.pk:
        raise ValidationError({"responsibility": _("The agreement task is another institution's.")})
    row.full_clean()
    row.save()
    after = {f: str(getattr(row, f"{f}_id" if f == "responsibility" else f)) for f in TASK_FIELDS}
    record_event(
        institution=institution,
        actor=actor,
        action=action,
        obj=row,
        details={
            "task": row.name,
            "form_code": row.form_code,
            "changed": sorted(f for f in TASK_FIELDS if before[f] != after[f]),
        },
    )
    return row


@refusals_recorded
@transaction.atomic
def task_hours_register(*, actor: User, task: Task, month: date, hours: Decimal) -> TaskHours:
    """Register (or correct) the hours spent on ``task`` in ``month``."""
    _require_writer(actor, task.institution, "insight.task_hours.register", task)
    month = measure.month_start(month)
    row = TaskHours.objects.filter(task=task, month=month).select_for_update().first()
    before = row.hours if row is not None else None
    if row is None:
        row = TaskHours(institution=task.institution, task=task, month=month, hours=hours)
    row.hours = hours
    row.registered_by = actor
    row.full_clean()
    row.save()
    record_event(
        institution=task.institution,
        actor=actor,
        action="insight.task_hours.registered",
        obj=task,
        details={
            "task": task.name,
            "month": month.strftime("%Y-%m"),
            "hours": hours,
            "before": before,
        },
    )
    return row


# --- business cases --------------------------------------------------------------------------

CASE_FIELDS = (
    "title",
    "task",
    "current_scenario",
    "future_scenario",
    "start_month",
    "horizon_years",
    "risk_reserve_pct",
    "baseline_figure",
    "baseline_value",
    "target_value",
)


def measured_baseline(
    institution: Institution, figure: str, before: date
) -> tuple[Decimal | None, str]:
    """The institution's ``figure`` over the 12 months before ``before``: the mean of the
    monthly values weighted by what each was measured on, and a text saying so."""
    start = business_case.add_months(measure.month_start(before), -12)
    rows = list(
        KeyFigure.objects.for_institution(institution)
        .filter(figure=figure, month__gte=start, month__lt=measure.month_start(before), basis__gt=0)
        .exclude(value__isnull=True)
        .values_list("month", "value", "basis")
    )
    if not rows:
        return None, ""
    weight = sum(r[2] for r in rows)
    total = sum((Decimal(r[1] or 0) * r[2] for r in rows), Decimal(0))
    value = (total / weight).quantize(Decimal("0.01"))
    first, last = min(r[0] for r in rows), max(r[0] for r in rows)
    source = _("measured %(first)s–%(last)s: %(months)s months, %(items)s items") % {
        "first": first.strftime("%Y-%m"),
        "last": last.strftime("%Y-%m"),
        "months": len(rows),
        "items": weight,
    }
    return value, source


def _plan_store(case: BusinessCase) -> None:
    items = list(case.items.all())
    BenefitPlanLine.objects.filter(case=case).delete()
    BenefitPlanLine.objects.bulk_create(
        [
            BenefitPlanLine(institution=case.institution, case=case, month=m, planned=v)
            for m, v in business_case.plan(case, items).items()
        ]
    )


@refusals_recorded
@transaction.atomic
def business_case_create(
    *, actor: User, institution: Institution, data: dict[str, Any]
) -> BusinessCase:
    """A new business case. With a baseline key figure and no baseline value, the value is
    measured from the institution's key figures of the 12 months before the plan starts."""
    _require_writer(actor, institution, "insight.business_case.create")
    case = BusinessCase(institution=institution, created_by=actor)
    for field in CASE_FIELDS:
        if field in data:
            setattr(case, field, data[field])
    if case.start_month:
        case.start_month = measure.month_start(case.start_month)
    if case.task is not None and case.task.institution_id != institution.pk:
        raise ValidationError({"task": _("The task is another institution's.")})
    if case.baseline_figure and case.baseline_value is None and case.start_month:
        case.baseline_value, case.baseline_source = measured_baseline(
            institution, case.baseline_figure, case.start_month
        )
    elif case.baseline_value is not None:
        case.baseline_source = _("entered")
    case.full_clean()
    case.save()
    record_event(
        institution=institution,
        actor=actor,
        action="insight.business_case.created",
        obj=case,
        details={
            "title": case.title,
            "baseline_figure": case.baseline_figure,
            "baseline_value": case.baseline_value,
            "baseline_source": case.baseline_source,
        },
    )
    return case


@refusals_recorded
@transaction.atomic
def business_case_item_add(
    *, actor: User, case: BusinessCase, data: dict[str, Any]
) -> BusinessCaseItem:
    """Add a cost or benefit (three-point estimate) and re-derive the monthly plan."""
    _require_writer(actor, case.institution, "insight.business_case.item_add", case)
    case = BusinessCase.objects.select_for_update().get(pk=case.pk)
    if case.status != BusinessCase.Status.DRAFT:
        raise ValidationError(_("An approved business case is not changed; make a new one."))
    item = BusinessCaseItem(institution=case.institution, case=case)
    for field in ("kind", "description", "low", "likely", "high", "from_year", "benefit_owner"):
        if field in data:
            setattr(item, field, data[field])
    item.full_clean()
    item.save()
    _plan_store(case)
    record_event(
        institution=case.institution,
        actor=actor,
        action="insight.business_case.item_added",
        obj=case,
        details={
            "kind": item.kind,
            "description": item.description,
            "low": item.low,
            "likely": item.likely,
            "high": item.high,
            "expected": item.expected,
        },
    )
    return item


@refusals_recorded
@transaction.atomic
def business_case_approve(*, actor: User, case: BusinessCase) -> BusinessCase:
    """Approve the case: its estimates and plan are then fixed, and the follow-up measures
    against them."""
    _require_writer(actor, case.institution, "insight.business_case.approve", case)
    case = BusinessCase.objects.select_for_update().get(pk=case.pk)
    if case.status != BusinessCase.Status.DRAFT:
        raise ValidationError(_("The business case is approved already."))
    if not case.items.exists():
        raise ValidationError(_("A business case needs its costs and benefits first."))
    case.status = BusinessCase.Status.APPROVED
    case.save(update_fields=["status"])
    record_event(
        institution=case.institution,
        actor=actor,
        action="insight.business_case.approved",
        obj=case,
        details={"title": case.title},
    )
    return case


def _realisation_store(
    *, actor: User, case: BusinessCase, month: date, amount: Decimal, source: str, note: str
) -> BenefitRealisation:
    month = measure.month_start(month)
    row = BenefitRealisation.objects.select_for_update().filter(case=case, month=month).first()
    before = row.realised if row is not None else None
    if row is None:
        row = BenefitRealisation(institution=case.institution, case=case, month=month)
    row.realised, row.source, row.note, row.recorded_by = amount, source, note[:300], actor
    row.full_clean()
    row.save()
    record_event(
        institution=case.institution,
        actor=actor,
        action="insight.business_case.realised",
        obj=case,
        details={
            "month": month.strftime("%Y-%m"),
            "realised": amount,
            "source": source,
            "before": before,
        },
    )
    return row


@refusals_recorded
@transaction.atomic
def realisation_record(
    *, actor: User, case: BusinessCase, month: date, amount: Decimal, note: str = ""
) -> BenefitRealisation:
    """Enter the gain realised in ``month`` (replaces what was recorded for it)."""
    _require_writer(actor, case.institution, "insight.business_case.realise", case)
    return _realisation_store(
        actor=actor, case=case, month=month, amount=amount, source="entered", note=note
    )


@refusals_recorded
@transaction.atomic
def realisation_measure(*, actor: User, case: BusinessCase, month: date) -> BenefitRealisation:
    """Measure the gain of ``month`` from the key figures: (baseline cost per invoice − the
    month's) × the invoices it was measured on. Only a case whose baseline is the cost per
    invoice can be measured; the month's figures must have been measured."""
    _require_writer(actor, case.institution, "insight.business_case.realise", case)
    if case.baseline_figure != Figure.COST_PER_INVOICE or case.baseline_value is None:
        raise ValidationError(
            _("Only a gain on the cost per invoice with a baseline can be measured.")
        )
    month = measure.month_start(month)
    k = (
        KeyFigure.objects.for_institution(case.institution)
        .filter(month=month, figure=Figure.COST_PER_INVOICE, value__isnull=False)
        .first()
    )
    if k is None or k.value is None:
        raise ValidationError(_("The month's cost per invoice has not been measured."))
    amount = ((case.baseline_value - k.value) * k.basis).quantize(Decimal("0.01"))
    note = _("(%(base)s − %(value)s) × %(n)s invoices") % {
        "base": case.baseline_value,
        "value": k.value,
        "n": k.basis,
    }
    return _realisation_store(
        actor=actor, case=case, month=month, amount=amount, source="measured", note=note
    )
