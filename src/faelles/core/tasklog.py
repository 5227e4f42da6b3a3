"""One structured log line and the task metrics for every Celery task, through Celery's signals.

The line (logger ``faelles.task``) holds the task's name and id, its outcome (success,
failure, retry), its duration and the context it was queued in: the request id, user id and
institution id of the request that queued it. That context travels in the task message's
``faelles_context`` header (set when the task is published); a task run in the web process
(eager, the embedded default) simply sees the request's context. Task arguments are never
logged (they may hold anything).

:func:`connect` is called once by ``faelles.celery``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import structlog
from celery import signals

from faelles.core import metrics

CONTEXT_HEADER = "faelles_context"
CONTEXT_KEYS = ("request_id", "user_id", "institution_id")
_OUTCOMES = {"SUCCESS": "success", "FAILURE": "failure", "RETRY": "retry"}

task_logger = structlog.get_logger("faelles.task")
# Per running task id: when it started and the log context it bound.
_running: dict[str, tuple[float, Mapping[str, Any]]] = {}


def publish_context(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """``before_task_publish``: put the current request's ids in the message's headers."""
    if headers is None:
        return
    bound = structlog.contextvars.get_contextvars()
    context = {key: bound[key] for key in CONTEXT_KEYS if bound.get(key) is not None}
    if context:
        headers.setdefault(CONTEXT_HEADER, context)


def task_started(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    """``task_prerun``: note the time and bind the task's ids (and the ids of the request that
    queued it) to every line the task logs."""
    if task_id is None or task is None:
        return
    values: dict[str, Any] = {"task": task.name, "task_id": task_id}
    # A worker puts the message's own headers on the request; an eager ``apply(headers=...)``
    # keeps them under ``headers``.
    sent = getattr(task.request, CONTEXT_HEADER, None) or (
        getattr(task.request, "headers", None) or {}
    ).get(CONTEXT_HEADER)
    if isinstance(sent, Mapping):
        values.update({k: sent[k] for k in CONTEXT_KEYS if sent.get(k) is not None})
    tokens = structlog.contextvars.bind_contextvars(**values)
    _running[task_id] = (time.perf_counter(), tokens)


def task_finished(
    task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any
) -> None:
    """``task_postrun``: count the task, log its line and unbind its context."""
    if task_id is None or task is None or task_id not in _running:
        return
    started, tokens = _running.pop(task_id)
    seconds = time.perf_counter() - started
    # No state: the task raised and the error was passed on to the caller (eager) at once.
    state = state or "FAILURE"
    outcome = _OUTCOMES.get(state, state.lower())
    try:
        metrics.TASKS.labels(task.name, outcome).inc()
        metrics.TASK_SECONDS.labels(task.name).observe(seconds)
        log = task_logger.error if outcome == "failure" else task_logger.info
        log(
            "task",
            outcome=outcome,
            duration_ms=round(seconds * 1000, 1),
            retries=getattr(task.request, "retries", 0) or 0,
        )
    finally:
        structlog.contextvars.reset_contextvars(**tokens)


def connect() -> None:
    """Connect the hooks to Celery's signals (again is harmless: same receivers)."""
    signals.before_task_publish.connect(publish_context, weak=False)
    signals.task_prerun.connect(task_started, weak=False)
    signals.task_postrun.connect(task_finished, weak=False)
