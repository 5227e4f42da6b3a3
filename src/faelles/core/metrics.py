"""Prometheus metrics of the platform: one place that names them, for every layer to count in.

The metrics live in ``prometheus_client``'s default registry, so any module may count without
knowing how they are exposed. ``/metrics`` (:mod:`faelles.web.health`) exposes them with
:func:`exposition`:

- one process (``make run``, tests): the default registry as it is;
- several processes (gunicorn workers, Celery's prefork children): when the environment names
  ``PROMETHEUS_MULTIPROC_DIR`` before the first import of ``prometheus_client``, every process
  writes its samples to files there and :func:`exposition` adds them up. The directory must be
  emptied when the service starts (``scripts/prod.sh`` does).

Some values are read when scraped, not counted: the invoices waiting per state (from the
database) and the length of the broker's queues. Their collectors are registered with
:func:`register_scrape_collector` by the app that knows the data (core imports no domain), and
a collector that fails is logged and left out, so one broken source does not hide the others.

Business counters count what was committed: a service calls :func:`after_commit`, which
counts when the surrounding transaction commits and never when it rolls back.

No label ever holds personal data or a free-text value: labels are route names, methods,
status codes, task names, states and fixed reason codes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from typing import Protocol

from django.db import transaction
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.metrics_core import Metric

__all__ = [
    "CONTENT_TYPE_LATEST",
    "DOCUMENTS_PROCESSED",
    "DOCUMENTS_RECEIVED",
    "DOCUMENTS_REJECTED",
    "HTTP_DB_QUERIES",
    "HTTP_DB_SECONDS",
    "HTTP_REQUESTS",
    "HTTP_REQUEST_SECONDS",
    "PAYMENT_RUNS",
    "TASKS",
    "TASK_SECONDS",
    "after_commit",
    "exposition",
    "multiprocess_dir",
    "register_scrape_collector",
]

logger = logging.getLogger(__name__)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)

# --- requests ----------------------------------------------------------------------------------
HTTP_REQUESTS = Counter(
    "faelles_http_requests",
    "HTTP requests answered, by method, route name and status code.",
    ["method", "route", "status"],
)
HTTP_REQUEST_SECONDS = Histogram(
    "faelles_http_request_duration_seconds",
    "Time from the request entering the application to the response leaving it.",
    ["method", "route"],
    buckets=_LATENCY_BUCKETS,
)
HTTP_DB_SECONDS = Histogram(
    "faelles_http_request_db_seconds",
    "Time one request spent in database queries.",
    ["route"],
    buckets=_LATENCY_BUCKETS,
)
HTTP_DB_QUERIES = Counter(
    "faelles_http_db_queries",
    "Database queries made while answering requests, by route name.",
    ["route"],
)

# --- background tasks --------------------------------------------------------------------------
TASKS = Counter(
    "faelles_celery_tasks",
    "Celery tasks run, by task name and outcome (success, failure, retry).",
    ["task", "outcome"],
)
TASK_SECONDS = Histogram(
    "faelles_celery_task_duration_seconds",
    "Run time of Celery tasks, by task name.",
    ["task"],
    buckets=_TASK_BUCKETS,
)

# --- business counters -------------------------------------------------------------------------
DOCUMENTS_RECEIVED = Counter(
    "faelles_documents_received",
    "Documents stored as received (new bytes only; a repeat of stored bytes is not counted), "
    "by channel.",
    ["channel"],
)
DOCUMENTS_PROCESSED = Counter(
    "faelles_documents_processed",
    "Received documents processed, by outcome (accepted, rejected, unroutable).",
    ["status"],
)
DOCUMENTS_REJECTED = Counter(
    "faelles_documents_rejected",
    "Received documents rejected, by reason (unreadable: not XML or too large; invalid: "
    "fatal validation findings; refused: the invoice's own checks refused it).",
    ["reason"],
)
PAYMENT_RUNS = Counter(
    "faelles_payment_runs",
    "Payment runs by event (created, released, paid).",
    ["event"],
)


def multiprocess_dir() -> str | None:
    """The directory of multiprocess mode, or ``None`` in one process."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def after_commit(count: Callable[[], None]) -> None:
    """Count when the current transaction commits (at once outside a transaction); a rollback
    forgets it, so work that never happened is never counted."""
    transaction.on_commit(count)


class Collector(Protocol):
    def collect(self) -> Iterable[Metric]: ...


_scrape_collectors: dict[str, Collector] = {}


def register_scrape_collector(name: str, collector: Collector) -> None:
    """A collector read at every scrape (the last one registered under ``name`` wins)."""
    _scrape_collectors[name] = collector


class _Guarded:
    """One scrape-time collector whose failure is logged and leaves its metrics out."""

    def __init__(self, name: str, collector: Collector) -> None:
        self.name, self.collector = name, collector

    def collect(self) -> Iterable[Metric]:
        try:
            return list(self.collector.collect())
        except Exception:
            logger.warning("metrics collector %s failed", self.name, exc_info=True)
            return []


class _Forward:
    """The default registry's metrics, forwarded into the registry of one scrape."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def exposition() -> tuple[bytes, str]:
    """The text format of every metric: counted ones (added up over all processes in
    multiprocess mode) and the scrape-time ones; with its content type."""
    registry = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Forward())
    for name, collector in sorted(_scrape_collectors.items()):
        registry.register(_Guarded(name, collector))
    return generate_latest(registry), CONTENT_TYPE_LATEST
