"""Template context every page needs: the current institution, the switcher and the menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from faelles.tenancy.selectors import institutions_for_user
from faelles.web.navigation import menu_for
from faelles.web.permissions import request_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    context: dict[str, Any] = {"current_institution": getattr(request, "institution", None)}
    if user is None or not user.is_authenticated:
        return context
    institutions = list(institutions_for_user(user))
    context.update(
        {
            "switchable_institutions": institutions if len(institutions) > 1 else [],
            "nav_menu": menu_for(request),
            "current_roles": request_roles(request),
        }
    )
    return context
