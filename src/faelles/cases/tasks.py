"""Scheduled work of case handling (``CELERY_BEAT_SCHEDULE``): timers and deadline warnings.

Both are idempotent: a timer fires once (the case's state moves past it in the same
transaction) and a deadline is warned once (``warned_at``), so a doubled beat is harmless.
"""

from __future__ import annotations

from faelles.cases import services
from faelles.celery import app


@app.task(name="faelles.cases.tasks.timers_fire")  # type: ignore[untyped-decorator]
def timers_fire() -> dict[str, int]:
    """Fire every due timer (deadlines passed, periods elapsed) and warn before deadlines."""
    warned = services.deadlines_warn()
    fired = services.timers_fire_due()
    return {"fired": fired, "warned": warned}
