"""Celery tasks of the payroll: a pay run's employees are calculated in chunks.

Eager in the embedded default (the chunks run one after another in the caller); with a broker
(``CELERY_BROKER_URL``) the chunks go to the workers as one group and the caller waits for
them, so a run's totals are summed only when every chunk has stored its rows. No result
backend is needed: the caller counts the rows the chunks store (every employee of a chunk
gives a payslip or a refusal). Each task takes ids and is idempotent (a chunk removes its own
earlier rows first), and a chunk that fails is retried a bounded number of times.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from celery import group
from django.conf import settings

from faelles.celery import app

CHUNK_TIMEOUT = 3600


@app.task(  # type: ignore[untyped-decorator]
    name="faelles.payroll.tasks.calculate_chunk", max_retries=2, default_retry_delay=5
)
def calculate_chunk_task(run_id: int, employee_ids: list[int]) -> int:
    from faelles.payroll.services import calculate_chunk

    try:
        return calculate_chunk(run_id, employee_ids)
    except Exception as exc:  # a database hiccup: the chunk is idempotent, try again
        raise calculate_chunk_task.retry(exc=exc) from exc


def calculate_chunks(run_id: int, chunks: Sequence[Sequence[int]]) -> int:
    """Calculate every chunk; the number of payslips stored."""
    if not chunks:
        return 0
    if settings.CELERY_TASK_ALWAYS_EAGER:
        from faelles.payroll.services import calculate_chunk

        return sum(calculate_chunk(run_id, list(ids)) for ids in chunks)
    from faelles.payroll.models import Payslip, RunProblem

    expected = sum(len(ids) for ids in chunks)
    group(calculate_chunk_task.s(run_id, list(ids)) for ids in chunks).apply_async()
    deadline = time.monotonic() + CHUNK_TIMEOUT
    while True:
        slips = Payslip.objects.filter(run_id=run_id).count()
        if slips + RunProblem.objects.filter(run_id=run_id).count() >= expected:
            return slips
        if time.monotonic() > deadline:
            raise RuntimeError(f"pay run {run_id}: the workers did not finish in time")
        time.sleep(0.2)
