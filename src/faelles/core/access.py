"""The access gate: the one way from a user and an id to a tenant-owned object.

``access_object`` answers ``Http404`` both when the object does not exist and when it belongs to
an institution the user may not work in, so an id never reveals whether someone else's object
exists. Role checks go through ``user_can`` / ``require_role``.

``core`` imports no domain app: the tenancy app registers how to find a user's institutions
and roles (``configure``) when Django starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from faelles.core.models import INSTITUTION_MODEL

_M = TypeVar("_M", bound=models.Model)

InstitutionsFor = Callable[[Any], "models.QuerySet[Any]"]
RolesFor = Callable[[Any, Any], set[str]]

_resolvers: dict[str, Any] = {}


def configure(*, institutions_for_user: InstitutionsFor, roles_for: RolesFor) -> None:
    """Register the tenancy app's selectors (called from its ``AppConfig.ready``)."""
    _resolvers["institutions_for_user"] = institutions_for_user
    _resolvers["roles_for"] = roles_for


def _resolver(name: str) -> Any:
    try:
        return _resolvers[name]
    except KeyError:
        raise ImproperlyConfigured(f"core.access is not configured: {name} missing") from None


def allowed_institutions(user: Any) -> models.QuerySet[Any]:
    """The institutions ``user`` may work in (none for anonymous or inactive users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        none: models.QuerySet[Any] = apps.get_model(INSTITUTION_MODEL)._default_manager.none()
        return none
    institutions: models.QuerySet[Any] = _resolver("institutions_for_user")(user)
    return institutions


def _queryset(queryset_or_model: type[_M] | models.QuerySet[_M]) -> models.QuerySet[_M]:
    if isinstance(queryset_or_model, models.QuerySet):
        return queryset_or_model
    return queryset_or_model._default_manager.all()


def restrict(
    queryset_or_model: type[_M] | models.QuerySet[_M], *, user: Any, institution: Any = None
) -> models.QuerySet[_M]:
    """Narrow a queryset to the rows ``user`` may see (and to ``institution`` when given)."""
    qs = _queryset(queryset_or_model)
    allowed = allowed_institutions(user)
    if institution is not None:
        allowed = allowed.filter(pk=institution.pk)
    model = qs.model
    if model._meta.label == INSTITUTION_MODEL:
        return qs.filter(pk__in=allowed.values("pk"))
    try:
        model._meta.get_field("institution")
    except FieldDoesNotExist:
        raise ImproperlyConfigured(
            f"{model._meta.label} has no institution field; it cannot pass the access gate"
        ) from None
    return qs.filter(institution__in=allowed.values("pk"))


def access_object(
    queryset_or_model: type[_M] | models.QuerySet[_M],
    *,
    user: Any,
    pk: Any,
    institution: Any = None,
) -> _M:
    """The object with ``pk`` if ``user`` may see it; ``Http404`` for missing and foreign alike.

    ``institution`` narrows further to the institution the user is working in.
    """
    qs = restrict(queryset_or_model, user=user, institution=institution)
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
        # A malformed id is "missing" too.
        raise Http404(_("Not found.")) from None


def roles_of(user: Any, institution: Any) -> set[str]:
    """The roles ``user`` holds in ``institution`` (own, staff and as a substitute)."""
    if user is None or institution is None or not user.is_authenticated or not user.is_active:
        return set()
    roles: set[str] = _resolver("roles_for")(user, institution)
    return roles


def user_can(user: Any, institution: Any, role: str | Iterable[str]) -> bool:
    """Whether ``user`` holds ``role`` (or any of several roles) in ``institution``."""
    wanted = {role} if isinstance(role, str) else set(role)
    return bool(wanted & roles_of(user, institution))


def require_role(user: Any, institution: Any, *roles: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` holds one of ``roles`` in ``institution``."""
    if not user_can(user, institution, roles):
        raise PermissionDenied(_("You do not have the role needed for this action."))
