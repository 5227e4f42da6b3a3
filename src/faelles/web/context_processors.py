"""Template context every page needs: the current institution, the switcher and the menu.

The switcher, the menu and the roles are lazy: computed when a template first uses them (a
full page), not for an htmx fragment that never shows them. The facts they rest on (the
user's institutions and roles) are read once per request (``tenancy.selectors.request_facts``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from faelles.tenancy.selectors import institutions_for_user
from faelles.web.navigation import menu_for
from faelles.web.permissions import request_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    context: dict[str, Any] = {"current_institution": getattr(request, "institution", None)}
    if user is None or not user.is_authenticated:
        return context

    def switchable() -> list[Any]:
        institutions = list(institutions_for_user(user))
        return institutions if len(institutions) > 1 else []

    context.update(
        {
            "switchable_institutions": SimpleLazyObject(switchable),
            "nav_menu": SimpleLazyObject(lambda: menu_for(request)),
            "current_roles": SimpleLazyObject(lambda: request_roles(request)),
        }
    )
    return context
