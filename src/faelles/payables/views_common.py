"""Helpers shared by the invoice-handling pages: the signed-in user, htmx detection, errors as
messages, the page base classes and the operator-staff check.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.views import View

from faelles.payables import selectors
from faelles.tenancy import selectors as tenancy
from faelles.tenancy.models import Institution, User

MAX_LIST = 200


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class _Page(LoginRequiredMixin, View):
    request: HttpRequest


def _require_staff(request: HttpRequest) -> User:
    user = _user(request)
    if not selectors.is_operator_staff(user):
        raise PermissionDenied
    return user


class _RulePage:
    request: HttpRequest
    rule_roles: frozenset[str] = frozenset()

    def rule_institution(self) -> Institution:
        institution: Institution | None = getattr(self.request, "institution", None)
        user = _user(self.request)
        if institution is None or not selectors.may_view(user, institution):
            raise PermissionDenied
        return institution

    def may_manage(self, institution: Institution) -> bool:
        return bool(tenancy.roles_for(_user(self.request), institution) & self.rule_roles)
