"""Who may see and manage which tenancy objects.

``access_<entity>(user, pk)`` returns the object or raises ``Http404`` for missing and foreign
alike (through :func:`faelles.core.access.access_object`). ``can_manage_<thing>`` answers
whether a user may change an institution's set-up:

- operator administrators: everything of the institutions their operator serves (and of new
  institutions not yet under any agreement), plus institutions, users, operator staff and
  service agreements;
- local administrators: their own institution's org units, endpoints, memberships and
  delegations (and users who only work there);
- nobody else.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from faelles.core.access import access_object
from faelles.tenancy import scopes, selectors
from faelles.tenancy.models import (
    Delegation,
    Endpoint,
    Institution,
    Membership,
    OrgUnit,
    Role,
    ServiceAgreement,
    User,
)

# --- reading: one gate, same 404 for missing and foreign --------------------------------------


def access_institution(user: User, pk: Any) -> Institution:
    return access_object(Institution, user=user, pk=pk)


def access_org_unit(user: User, pk: Any, *, institution: Institution | None = None) -> OrgUnit:
    return access_object(OrgUnit, user=user, pk=pk, institution=institution)


def access_endpoint(user: User, pk: Any, *, institution: Institution | None = None) -> Endpoint:
    return access_object(Endpoint, user=user, pk=pk, institution=institution)


def access_membership(user: User, pk: Any, *, institution: Institution | None = None) -> Membership:
    return access_object(Membership, user=user, pk=pk, institution=institution)


def access_delegation(user: User, pk: Any, *, institution: Institution | None = None) -> Delegation:
    return access_object(Delegation, user=user, pk=pk, institution=institution)


def access_service_agreement(
    user: User, pk: Any, *, institution: Institution | None = None
) -> ServiceAgreement:
    return access_object(ServiceAgreement, user=user, pk=pk, institution=institution)


# --- managing ----------------------------------------------------------------------------------


def is_local_admin(user: User, institution: Institution) -> bool:
    if not user.is_authenticated or not user.is_active or institution is None:
        return False
    return Membership.objects.filter(
        user=user, institution=institution, role=Role.LOCAL_ADMIN, is_active=True
    ).exists()


def _operator_admin_manages(user: User, institution: Institution) -> bool:
    if not selectors.is_operator_admin(user):
        return False
    return selectors.institutions_managed_by(user).filter(pk=institution.pk).exists()


def can_manage_institutions(user: User) -> bool:
    """Create institutions and change their names, hierarchy and identifiers."""
    return selectors.is_operator_admin(user)


def can_manage_institution(user: User, institution: Institution) -> bool:
    """Change the institution record itself (name, CVR, parent, active)."""
    return _operator_admin_manages(user, institution)


def can_manage_setup(user: User, institution: Institution) -> bool:
    """Org units, endpoints, memberships and delegations of ``institution``."""
    if institution is None:
        return False
    return is_local_admin(user, institution) or _operator_admin_manages(user, institution)


can_manage_org_units = can_manage_setup
can_manage_endpoints = can_manage_setup
can_manage_memberships = can_manage_setup
can_manage_delegations = can_manage_setup


def can_manage_service_agreements(user: User, institution: Institution | None = None) -> bool:
    if institution is None:
        return selectors.is_operator_admin(user)
    return _operator_admin_manages(user, institution)


def can_manage_operator_staff(user: User) -> bool:
    return selectors.is_operator_admin(user)


def can_create_users(user: User) -> bool:
    """Operator administrators and local administrators may create users."""
    if selectors.is_operator_admin(user):
        return True
    return Membership.objects.filter(user=user, role=Role.LOCAL_ADMIN, is_active=True).exists()


def can_manage_user(user: User, target: User) -> bool:
    """Change a user's name, e-mail, password or active flag.

    Operator administrators may change anyone they see (``scopes.visible_users``: the people
    of the institutions their operator serves, their colleagues, and people who work nowhere
    yet); a local administrator only people whose every active membership is in an
    institution they administer (and who are not operator staff).
    """
    if selectors.is_operator_admin(user):
        return scopes.visible_users(user).filter(pk=target.pk).exists()
    if not user.is_authenticated or not user.is_active or target.pk == user.pk:
        return False
    if selectors.staff_roles_for(target) or target.is_superuser:
        return False
    administered = set(
        Membership.objects.filter(user=user, role=Role.LOCAL_ADMIN, is_active=True).values_list(
            "institution_id", flat=True
        )
    )
    if not administered:
        return False
    theirs = set(
        Membership.objects.filter(user=target, is_active=True).values_list(
            "institution_id", flat=True
        )
    )
    # A user with no membership is nobody's to take over (only operator administrators).
    return bool(theirs) and theirs <= administered


def check(allowed: bool) -> None:
    """Raise ``PermissionDenied`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(_("You may not make this change."))
