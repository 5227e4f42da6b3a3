"""Background work of the controls: a run over every institution an operator serves is long,
so pages queue it (``services.control_run_queue``, on commit) and a worker runs it."""

from __future__ import annotations

from typing import Any

from faelles.celery import app


@app.task(name="faelles.control.tasks.control_run")  # type: ignore[untyped-decorator]
def control_run_task(
    *,
    actor_id: int | None,
    operator_id: int | None,
    controls: list[str],
    institutions: list[int] | None = None,
) -> dict[str, Any]:
    """Run the controls and answer the run's summary. A repeated delivery runs them again,
    which refreshes the same hits (fingerprints) and creates none twice."""
    from faelles.control.services import control_run
    from faelles.tenancy.models import Operator, User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    operator = Operator.objects.filter(pk=operator_id).first() if operator_id else None
    run = control_run(actor=actor, operator=operator, controls=controls, institutions=institutions)
    return dict(run.summary)
