"""Template context every page needs: the current institution and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"current_institution": getattr(request, "institution", None)}
