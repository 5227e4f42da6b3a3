"""Scheduled work of the service desk (``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from django.utils import timezone

from faelles.celery import app
from faelles.servicedesk.escalation import tickets_escalate as _escalate


@app.task(name="faelles.servicedesk.tasks.tickets_escalate")  # type: ignore[untyped-decorator]
def tickets_escalate() -> dict[str, int]:
    """Warn before and escalate after SLA breaches; idempotent (a ticket is warned once and
    escalated once), so a doubled beat delivery is harmless."""
    return _escalate(now=timezone.now())
