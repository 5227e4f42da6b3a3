"""Background work of operator economics: charging a month for every institution served is
queued by the pages (``services.charges_queue``, on commit) and run by a worker (eagerly in the
embedded default). A repeated delivery charges nothing twice (one charge per institution and
month)."""

from __future__ import annotations

from datetime import date
from typing import Any

from faelles.celery import app


@app.task(name="faelles.economics.tasks.charge_month")  # type: ignore[untyped-decorator]
def charge_month_task(
    *, month: str, operator_id: int | None = None, actor_id: int | None = None
) -> dict[str, Any]:
    """Charge the month ``YYYY-MM`` and answer the counts of the outcomes."""
    from faelles.economics.services import charges_run
    from faelles.tenancy.models import Operator, User

    year, mon = (int(x) for x in month.split("-"))
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    operator = Operator.objects.filter(pk=operator_id).first() if operator_id else None
    outcomes = charges_run(actor=actor, period=date(year, mon, 1), operator=operator)
    counts: dict[str, Any] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return {"month": month, **counts}
