"""Every write of insight: refreshing the key figures, the task inventory and its hours, and
business cases with their plan and realised gains. Each is atomic and writes its audit event
in the same transaction (refreshes on the operator chain, the rest on the institution's)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from faelles.core.audit import record_event
from faelles.insight import measure
from faelles.insight.models import KeyFigure
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
