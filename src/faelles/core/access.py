"""The access gate: the one way from a user and an id to a tenant-owned object.

``access_object`` answers ``Http404`` both when the object does not exist and when it belongs to
an institution the user may not work in, so an id never reveals whether someone else's object
exists. Role checks go through ``user_can`` / ``require_role``.

``restrict`` and ``access_object`` also take ``roles``: then only the institutions where the
user holds one of those roles count (a person who works in an institution but holds no role
of the area sees its rows exactly as a stranger does: not at all, 404). Rows that belong to
no institution yet (an unroutable document) are seen only by holders of ``unowned_roles``
among the user's general roles (roles not tied to one institution, e.g. operator staff).

``core`` imports no domain app: the tenancy app registers how to find a user's institutions
and roles (``configure``) when Django starts; which roles see which area is declared in
``faelles.tenancy.roles``.
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
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from faelles.core.models import INSTITUTION_MODEL

_M = TypeVar("_M", bound=models.Model)

InstitutionsFor = Callable[[Any], "models.QuerySet[Any]"]
RolesFor = Callable[[Any, Any], set[str]]
RolesByInstitution = Callable[[Any], dict[Any, set[str]]]
GeneralRoles = Callable[[Any], set[str]]

_resolvers: dict[str, Any] = {}


def configure(
    *,
    institutions_for_user: InstitutionsFor,
    roles_for: RolesFor,
    roles_by_institution: RolesByInstitution | None = None,
    general_roles: GeneralRoles | None = None,
) -> None:
    """Register the tenancy app's selectors (called from its ``AppConfig.ready``).

    ``roles_by_institution(user)`` answers ``{institution pk: roles}`` in one go (used when a
    read is narrowed by ``roles``); ``general_roles(user)`` the roles not tied to an
    institution (used for rows of no institution).
    """
    _resolvers["institutions_for_user"] = institutions_for_user
    _resolvers["roles_for"] = roles_for
    if roles_by_institution is not None:
        _resolvers["roles_by_institution"] = roles_by_institution
    if general_roles is not None:
        _resolvers["general_roles"] = general_roles


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


def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _wanted(roles: str | Iterable[str]) -> set[str]:
    return {roles} if isinstance(roles, str) else set(roles)


def institutions_with_role(user: Any, roles: str | Iterable[str]) -> models.QuerySet[Any]:
    """The institutions ``user`` may work in *and* holds one of ``roles`` in (own, staff
    where served, or as a substitute)."""
    allowed = allowed_institutions(user)
    if not _active(user):
        return allowed
    wanted = _wanted(roles)
    by_institution: dict[Any, set[str]] = _resolver("roles_by_institution")(user)
    ids = [pk for pk, held in by_institution.items() if held & wanted]
    return allowed.filter(pk__in=ids)


def general_roles_of(user: Any) -> set[str]:
    """The user's roles that are not tied to one institution (operator staff roles)."""
    if not _active(user):
        return set()
    roles: set[str] = _resolver("general_roles")(user)
    return roles


def _queryset(queryset_or_model: type[_M] | models.QuerySet[_M]) -> models.QuerySet[_M]:
    if isinstance(queryset_or_model, models.QuerySet):
        return queryset_or_model
    return queryset_or_model._default_manager.all()


def restrict(
    queryset_or_model: type[_M] | models.QuerySet[_M],
    *,
    user: Any,
    institution: Any = None,
    roles: str | Iterable[str] | None = None,
    unowned_roles: str | Iterable[str] | None = None,
) -> models.QuerySet[_M]:
    """Narrow a queryset to the rows ``user`` may see (and to ``institution`` when given).

    With ``roles``, only institutions where the user holds one of them count. With
    ``unowned_roles``, rows whose institution is empty are kept too when the user holds one
    of those general roles (never for the institution model itself).
    """
    qs = _queryset(queryset_or_model)
    allowed = allowed_institutions(user) if roles is None else institutions_with_role(user, roles)
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
    owned = Q(institution__in=allowed.values("pk"))
    if (
        unowned_roles is not None
        and institution is None
        and general_roles_of(user) & _wanted(unowned_roles)
    ):
        owned |= Q(institution__isnull=True)
    return qs.filter(owned)


def access_object(
    queryset_or_model: type[_M] | models.QuerySet[_M],
    *,
    user: Any,
    pk: Any,
    institution: Any = None,
    roles: str | Iterable[str] | None = None,
    unowned_roles: str | Iterable[str] | None = None,
) -> _M:
    """The object with ``pk`` if ``user`` may see it; ``Http404`` for missing and foreign alike.

    ``institution`` narrows further to the institution the user is working in; ``roles`` and
    ``unowned_roles`` as for :func:`restrict`.
    """
    qs = restrict(
        queryset_or_model,
        user=user,
        institution=institution,
        roles=roles,
        unowned_roles=unowned_roles,
    )
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
    return bool(_wanted(role) & roles_of(user, institution))


def require_role(user: Any, institution: Any, *roles: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` holds one of ``roles`` in ``institution``."""
    if not user_can(user, institution, roles):
        raise PermissionDenied(_("You do not have the role needed for this action."))
