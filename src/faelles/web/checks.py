"""Deployment checks that stop a broken production start instead of serving HTTP 500s.

In production the static files are served from the manifest that ``collectstatic`` writes
(whitenoise's ``staticfiles.json`` under ``STATIC_ROOT``); without it every page fails. The
check runs as a Django system check (``faelles check``, ``migrate``) and, through
``ensure_deployable``, when the WSGI application is loaded (gunicorn).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

MANIFEST = "staticfiles.json"


def static_manifest_problem() -> str | None:
    """Why production cannot serve its static files, or None."""
    if not getattr(settings, "PRODUCTION", False):
        return None
    manifest = Path(settings.STATIC_ROOT) / MANIFEST
    if manifest.is_file():
        return None
    return (
        f"FAELLES_ENV=production needs the collected static files, but {manifest} is missing: "
        "run `faelles collectstatic --noinput` (with the same STATIC_ROOT) before starting."
    )


@register()
def check_static_manifest(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problem = static_manifest_problem()
    return [Error(problem, id="faelles.E001")] if problem else []


def ensure_deployable() -> None:
    """Refuse to start a production web server that would answer every page with 500."""
    problem = static_manifest_problem()
    if problem:
        raise ImproperlyConfigured(problem)
