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
from faelles.insight import measure
from faelles.insight.models import KeyFigure, Task, TaskHours
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
