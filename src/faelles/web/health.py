"""Probes and metrics for the operator: ``/healthz``, ``/readyz`` and ``/metrics``.

- ``/healthz`` answers 200 ``ok`` while the process runs; it touches nothing else.
- ``/readyz`` answers 200 when the database answers, the broker answers (when one is
  configured; the embedded default runs tasks in the web process) and no migration is
  unapplied; else 503. Its JSON names each check and what is not ready (an error's class,
  never its text, which could hold an address or a password).

Both are answered by :class:`HealthCheckMiddleware`, first in the chain: before the host check,
the SSL redirect, sessions and login, so that a load balancer may ask over plain http with any
``Host`` header. They show no data and take no input.

- ``/metrics`` is Prometheus's text format (:func:`faelles.core.metrics.exposition`). It is
  answered only to a client inside ``METRICS_ALLOWED_NETWORKS`` or one that shows
  ``Authorization: Bearer <METRICS_TOKEN>``; others get 403. The default networks are any
  address in development and loopback only in production.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Iterable
from typing import Any

import structlog
from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_safe
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from faelles.core import metrics
from faelles.web.throttle import client_address

logger = structlog.get_logger("faelles.web.health")

HEALTH_PATHS = {"/healthz", "/healthz/"}
READY_PATHS = {"/readyz", "/readyz/"}
BROKER_TIMEOUT_SECONDS = 2.0
# kombu's Redis transport keeps a queue's priorities 3, 6 and 9 under these keys beside it.
_REDIS_PRIORITY_SEPARATOR = "\x06\x16"
_REDIS_PRIORITIES = (3, 6, 9)


# --- readiness -------------------------------------------------------------------------------

_migrations_applied = False  # once all are applied, they stay applied for this code


def _check_database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def pending_migrations() -> list[str]:
    """The migrations of this code that the database has not applied, as ``app.name``."""
    connection = connections["default"]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _check_migrations() -> str:
    global _migrations_applied
    if _migrations_applied:
        return "ok"
    pending = pending_migrations()
    if pending:
        shown = ", ".join(pending[:5]) + (
            f" and {len(pending) - 5} more" if len(pending) > 5 else ""
        )
        raise NotReady(f"unapplied: {shown}")
    _migrations_applied = True
    return "ok"


def broker_url() -> str | None:
    """The broker's URL, or ``None`` when tasks run in the web process (eager)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    url: str = settings.CELERY_BROKER_URL
    return url or None


def _is_redis(url: str) -> bool:
    return url.split(":", 1)[0] in ("redis", "rediss")


def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(
        url,
        socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
        socket_timeout=BROKER_TIMEOUT_SECONDS,
    )


def _check_broker() -> str:
    url = broker_url()
    if url is None:
        return "not used (tasks run in the web process)"
    if _is_redis(url):
        client = _redis(url)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    from kombu.connection import Connection

    with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:  # type: ignore[no-untyped-call]
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    return "ok"


class NotReady(Exception):
    """A check that ran and found its part not ready; the message says why."""


CHECKS: dict[str, Callable[[], str]] = {
    "database": _check_database,
    "migrations": _check_migrations,
    "broker": _check_broker,
}


def readiness() -> tuple[list[str], dict[str, str]]:
    """The checks that are not ready, and every check's answer. Migrations are checked only
    when the database answers."""
    results: dict[str, str] = {}
    failed: list[str] = []
    for name, check in CHECKS.items():
        if name == "migrations" and "database" in failed:
            results[name] = "not checked (no database)"
            failed.append(name)
            continue
        try:
            results[name] = check()
        except NotReady as exc:
            results[name] = str(exc)
            failed.append(name)
        except Exception as exc:
            results[name] = f"error: {type(exc).__name__}"
            failed.append(name)
            logger.warning("readiness check failed", check=name, error=type(exc).__name__)
    return failed, results


def readyz() -> HttpResponse:
    failed, results = readiness()
    body: dict[str, Any] = {"status": "not ready" if failed else "ready", "checks": results}
    if failed:
        body["not_ready"] = failed
    response = HttpResponse(
        json.dumps(body),
        status=503 if failed else 200,
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )
    # A probe asks every few seconds: a 503 is in the body and the warning above, not an
    # error report (and a mail to the administrators) per probe.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class HealthCheckMiddleware:
    """Answers ``/healthz`` and ``/readyz`` before any other middleware (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path in HEALTH_PATHS or path in READY_PATHS:
            if request.method not in ("GET", "HEAD"):
                return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
            if path in HEALTH_PATHS:
                return HttpResponse(
                    "ok", content_type="text/plain", headers={"Cache-Control": "no-store"}
                )
            return readyz()
        return self.get_response(request)


# --- metrics ---------------------------------------------------------------------------------


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    names: list[str] = settings.METRICS_ALLOWED_NETWORKS
    return [ipaddress.ip_network(n, strict=False) for n in names]


def metrics_allowed(request: HttpRequest) -> bool:
    """A bearer token equal to ``METRICS_TOKEN`` (when set), or a client address inside
    ``METRICS_ALLOWED_NETWORKS``."""
    token: str = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if (
        token
        and header.startswith("Bearer ")
        and constant_time_compare(header.removeprefix("Bearer ").strip(), token)
    ):
        return True
    address = client_address(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks())


@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus's scrape endpoint (``/metrics``)."""
    if not metrics_allowed(request):
        logger.warning("metrics refused", client_allowed=False)
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type, headers={"Cache-Control": "no-store"})


class QueueLengthCollector:
    """``faelles_celery_queue_length{queue}``: messages waiting in each of the broker's task
    queues, read at scrape time; absent when tasks run in the web process (eager)."""

    def collect(self) -> Iterable[Metric]:
        url = broker_url()
        if url is None:
            return []
        gauge = GaugeMetricFamily(
            "faelles_celery_queue_length",
            "Tasks waiting in the broker's queue.",
            labels=["queue"],
        )
        for queue, length in sorted(queue_lengths(url).items()):
            gauge.add_metric([queue], length)
        return [gauge]


def queue_names() -> list[str]:
    from faelles.celery import app

    names = {app.conf.task_default_queue or "celery"}
    for queue in app.conf.task_queues or ():
        names.add(queue.name)
    return sorted(names)


def queue_lengths(url: str) -> dict[str, int]:
    """Each task queue's length: Redis ``LLEN`` (with kombu's priority lists), or the AMQP
    queue's message count."""
    names = queue_names()
    if _is_redis(url):
        client = _redis(url)
        try:
            pipe = client.pipeline(transaction=False)
            for name in names:
                pipe.llen(name)
                for priority in _REDIS_PRIORITIES:
                    pipe.llen(f"{name}{_REDIS_PRIORITY_SEPARATOR}{priority}")
            counts = pipe.execute()
        finally:
            client.close()
        step = 1 + len(_REDIS_PRIORITIES)
        return {name: sum(counts[i * step : (i + 1) * step]) for i, name in enumerate(names)}
    from kombu.connection import Connection

    lengths: dict[str, int] = {}
    with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:  # type: ignore[no-untyped-call]
        for name in names:
            channel = conn.channel()
            try:
                lengths[name] = channel.queue_declare(queue=name, passive=True).message_count
            except Exception:
                lengths[name] = 0  # not declared yet: nothing waits in it
            finally:
                channel.close()
    return lengths


metrics.register_scrape_collector("celery_queues", QueueLengthCollector())
