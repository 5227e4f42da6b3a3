"""Celery tasks of the payroll: a pay run's employees are calculated in chunks.

Eager in the embedded default (the chunks run one after another in the caller); with a broker
(``CELERY_BROKER_URL``) the chunks go to the workers as one group and the caller waits for
them, so a run's totals are summed only when every chunk has stored its payslips. Each task
takes ids and is idempotent (a chunk removes its own earlier rows first).
"""

from __future__ import annotations

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

    return calculate_chunk(run_id, employee_ids)


def calculate_chunks(run_id: int, chunks: Sequence[Sequence[int]]) -> int:
    """Calculate every chunk; the number of payslips stored."""
    if not chunks:
        return 0
    if settings.CELERY_TASK_ALWAYS_EAGER:
        from faelles.payroll.services import calculate_chunk

        return sum(calculate_chunk(run_id, list(ids)) for ids in chunks)
    result = group(calculate_chunk_task.s(run_id, list(ids)) for ids in chunks).apply_async()
    return sum(result.get(timeout=CHUNK_TIMEOUT, disable_sync_subtasks=False))
