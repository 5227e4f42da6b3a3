"""The OpenAPI schema and its Swagger UI, behind login in production.

The schema names every route and field, so in production only a logged-in user (session or
API token) gets it: anonymous requests answer 401 (schema) or go to the login page (docs).
The docs page loads its script from a URL of its own, so it needs no inline script under the
Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated


def _permissions() -> Sequence[BasePermission]:
    return [IsAuthenticated()] if settings.PRODUCTION else [AllowAny()]


class SchemaView(SpectacularAPIView):
    """``/api/schema/``: open in development, login (session or token) in production; an
    anonymous request answers 401 with ``WWW-Authenticate: Token``."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]

    def get_permissions(self) -> Sequence[BasePermission]:
        return _permissions()


class DocsView(SpectacularSwaggerSplitView):
    """``/api/docs/``: Swagger UI; in production an anonymous visitor is sent to log in."""

    def get_permissions(self) -> Sequence[BasePermission]:
        return _permissions()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if settings.PRODUCTION and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)
