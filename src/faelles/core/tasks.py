"""Scheduled work of core: the daily retention job (``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from typing import Any

from faelles.celery import app
from faelles.core.retention import retention_run


@app.task(name="faelles.core.tasks.retention_run")
def retention_run_task() -> list[dict[str, Any]]:
    """Apply every retention rule once; a rerun removes nothing new (idempotent), so a
    retried or doubled beat delivery is harmless."""
    return retention_run(actor=None, trigger="schedule")
