"""Request-wide guards of the web layer.

- ``RequestBodyLimitMiddleware`` refuses a request whose declared body is larger than
  ``MAX_REQUEST_BODY_BYTES`` with 413 before any view (or parser) reads or stores a byte of it.
- ``SecurityHeadersMiddleware`` puts ``Content-Security-Policy`` and ``Permissions-Policy`` on
  every response (``CONTENT_SECURITY_POLICY``, ``PERMISSIONS_POLICY``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

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
