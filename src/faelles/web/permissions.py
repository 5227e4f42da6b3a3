"""Roles as the web layer needs them, cached per request (a thin layer over the tenancy
selectors, which say who holds which role where)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from faelles.tenancy import selectors
from faelles.tenancy.models import User
from faelles.tenancy.roles import (
    CASE_WORKER,
    LOCAL_ADMIN,
    OPERATOR_ADMIN,
    SYSTEM_ADMIN,
    Area,
    view_roles,
)

__all__ = ["CASE_WORKER", "LOCAL_ADMIN", "OPERATOR_ADMIN", "SYSTEM_ADMIN"]

#: May read the management pages of the current institution (declared in tenancy.roles).
VIEW_ROLES = view_roles(Area.ADMINISTRATION)


def staff_roles(user: User) -> set[str]:
    """The user's active roles on the operator's staff (wherever they apply)."""
    return selectors.staff_roles_for(user)


def request_roles(request: HttpRequest) -> set[str]:
    """Every role of the request's user in the current institution, computed once."""
    cached: Any = getattr(request, "_faelles_roles", None)
    if cached is None:
        user: Any = request.user
        institution = getattr(request, "institution", None)
        cached = (
            selectors.roles_for(user, institution)
            if institution is not None and user.is_authenticated
            else set()
        )
        if user.is_authenticated and selectors.is_operator_admin(user):
            # Operator administrators also work on institutions not yet under an agreement.
            cached = set(cached) | {OPERATOR_ADMIN}
        request._faelles_roles = cached  # type: ignore[attr-defined]
    return set(cached)


def may_log_in(user: User) -> bool:
    """A person may use the application with an active staff role or an institution to work in."""
    return selectors.user_has_any_access(user)
