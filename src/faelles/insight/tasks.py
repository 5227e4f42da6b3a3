"""Background work of insight: refreshing a month's key figures (queued on commit by
``services.key_figures_refresh_queue``; eager when no broker is configured)."""

from __future__ import annotations

from datetime import date
from typing import Any

from faelles.celery import app


@app.task(name="faelles.insight.tasks.key_figures_refresh")  # type: ignore[untyped-decorator]
def key_figures_refresh_task(*, actor_id: int | None, month: str) -> dict[str, Any]:
    """Refresh the key figures of ``month`` (ISO date of its first day). Idempotent: a
    repeated delivery replaces the month's rows with the same values."""
    from faelles.insight.services import key_figures_refresh
    from faelles.tenancy.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return key_figures_refresh(actor=actor, month=date.fromisoformat(month))
