"""Request-wide guards of the web layer.

- ``RequestBodyLimitMiddleware`` refuses a request whose declared body is larger than
  ``MAX_REQUEST_BODY_BYTES`` with 413 before any view (or parser) reads or stores a byte of it.
- ``SecurityHeadersMiddleware`` puts ``Content-Security-Policy`` and ``Permissions-Policy`` on
  every response (``CONTENT_SECURITY_POLICY``, ``PERMISSIONS_POLICY``).
- ``RequestLogMiddleware`` logs one structured line per request and counts it in the metrics
  (:mod:`faelles.core.metrics`, :mod:`faelles.core.logs`).
"""

from __future__ import annotations

import base64
import re
import secrets
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

import structlog
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from faelles.core import metrics

Handler = Callable[[HttpRequest], HttpResponse]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def declared_length(request: HttpRequest) -> int | None:
    """The body length the client declared; None when absent (chunked) or unreadable."""
    raw = request.META.get("CONTENT_LENGTH") or ""
    try:
        length = int(raw)
    except ValueError:
        return None
    return length if length >= 0 else None


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    """The 413 answer: JSON for the API, a plain page for everything else."""
    message = _("The request is too large: at most %(limit)s MB can be sent in one request.") % {
        "limit": _megabytes(limit)
    }
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": message, "code": "request_too_large", "limit_bytes": limit}, status=413
        )
    else:
        page = render_to_string("web/request_too_large.html", {"message": message})
        response = HttpResponse(page, status=413)
    # The unread body must not be taken as the next request on a kept-alive connection.
    response["Connection"] = "close"
    return response


class RequestBodyLimitMiddleware:
    """413 for a body declared larger than ``MAX_REQUEST_BODY_BYTES``, before it is read.

    A body without a declared length (chunked) is bounded where it is read: Django reads no
    more than the declared length, and the API's XML parser stops at the intake cap.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit: int = settings.MAX_REQUEST_BODY_BYTES
        length = declared_length(request)
        if length is not None and length > limit:
            return too_large_response(request, limit)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (a view may set its
    own, stricter header first)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        csp: str = settings.CONTENT_SECURITY_POLICY
        permissions: str = settings.PERMISSIONS_POLICY
        if csp and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = csp
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response


# --- request log and request metrics ----------------------------------------------------------

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
request_logger = structlog.get_logger("faelles.request")


def request_id_for(request: HttpRequest) -> str:
    """The caller's ``X-Request-ID`` when it is well formed (8-128 letters, digits and
    ``._:-``; a proxy's or the caller's id, so one request can be followed through every
    system), else a new random id."""
    given = str(request.META.get("HTTP_X_REQUEST_ID", "")).strip()
    if _REQUEST_ID.fullmatch(given):
        return given
    return new_request_id()


def new_request_id() -> str:
    """120 random bits in lower-case base32 (24 characters of a-z and 2-7). Not hex: one
    random hex id in twenty holds ten digits the CPR scrubber rightly takes for a CPR number
    and masks, which broke the id in the logs; a run of ten digits 2-7 practically never
    occurs."""
    return base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()


def route_of(request: HttpRequest) -> str:
    """The route's name for logs and metric labels: never the path (which can hold ids and a
    query string); ``static`` for static files and ``unmatched`` when no route matched."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return str(match.view_name or match.route or "unnamed")
    static: str = settings.STATIC_URL or "/static/"
    if request.path_info.startswith(static):
        return "static"
    return "unmatched"


class _QueryTimer:
    """``connection.execute_wrapper`` that adds up the time and number of queries."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


class RequestLogMiddleware:
    """One structured log line and the request metrics for every request.

    The line (logger ``faelles.request``) holds the request id (echoed in the response's
    ``X-Request-ID``), the user's id (never the username or e-mail), the institution the user
    works in (its id), method, route name, status, duration and the database's share of it.
    The request id, user id and institution id are bound to every other line logged while the
    request is answered. Static files are counted but not logged.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        timer = _QueryTimer()
        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            with ExitStack() as stack:
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(timer))
                response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            self._record(request, response, time.perf_counter() - start, timer)
            return response
        finally:
            view_tokens = getattr(request, "_log_tokens", None)
            if view_tokens:
                structlog.contextvars.reset_contextvars(**view_tokens)
            structlog.contextvars.reset_contextvars(**tokens)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        """By now the session's user and institution are known: bind them for the view's
        log lines (an API token's user is known only after the view; see :meth:`_record`)."""
        values = _who(request)
        if values:
            request._log_tokens = structlog.contextvars.bind_contextvars(**values)  # type: ignore[attr-defined]

    def _record(
        self, request: HttpRequest, response: HttpResponse, seconds: float, timer: _QueryTimer
    ) -> None:
        method = request.method if request.method in _METHODS else "other"
        route = route_of(request)
        status = response.status_code
        metrics.HTTP_REQUESTS.labels(method, route, str(status)).inc()
        metrics.HTTP_REQUEST_SECONDS.labels(method, route).observe(seconds)
        metrics.HTTP_DB_SECONDS.labels(route).observe(timer.seconds)
        if timer.queries:
            metrics.HTTP_DB_QUERIES.labels(route).inc(timer.queries)
        if route == "static":
            return
        log = request_logger.error if status >= 500 else request_logger.info
        log(
            "request",
            method=method,
            route=route,
            status=status,
            duration_ms=round(seconds * 1000, 1),
            db_ms=round(timer.seconds * 1000, 1),
            db_queries=timer.queries,
            **_who(request),
        )


def _who(request: HttpRequest) -> dict[str, int]:
    """The user's and the current institution's ids, as far as they are known."""
    values: dict[str, int] = {}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        values["user_id"] = user.pk
    institution = getattr(request, "institution", None)
    if institution is not None:
        values["institution_id"] = institution.pk
    return values
