"""Which tenancy rows a person may see in the management pages and the API.

- *working institutions*: where the person works (``institutions_for_user``) plus, for
  operator administrators, the institutions they manage (including ones being onboarded);
- *visible institutions*: whose administration (users, roles, delegations, agreements) the
  person may read: where they hold a role of the administration area
  (``faelles.tenancy.roles``: local administrators their own, operator staff those they
  serve), through the access gate, and for operator administrators also the institutions
  being onboarded (under no agreement yet).
"""

from __future__ import annotations

from django.db.models import QuerySet

from faelles.core.access import institutions_with_role
from faelles.tenancy import selectors
from faelles.tenancy.models import (
    Institution,
    Membership,
    OperatorStaff,
    OrgUnit,
    StaffRole,
    User,
)
from faelles.tenancy.roles import Area, view_roles

OPERATOR_ADMIN = StaffRole.OPERATOR_ADMIN.value
CASE_WORKER = StaffRole.CASE_WORKER.value
ADMINISTRATION_ROLES = view_roles(Area.ADMINISTRATION)


def working_institutions(user: User) -> QuerySet[Institution]:
    ids = selectors.institutions_for_user(user).values("pk")
    managed = selectors.institutions_managed_by(user).values("pk")
    return Institution.objects.filter(pk__in=ids) | Institution.objects.filter(pk__in=managed)


def visible_institutions(user: User) -> QuerySet[Institution]:
    seen = institutions_with_role(user, ADMINISTRATION_ROLES).values("pk")
    managed = selectors.institutions_managed_by(user).values("pk")
    return Institution.objects.filter(pk__in=seen) | Institution.objects.filter(pk__in=managed)


def visible_users(user: User) -> QuerySet[User]:
    """People with a membership in an institution whose administration ``user`` may read;
    operator administrators also see their own operator's staff and people who work nowhere
    yet (no membership, no staff role) — never another operator's customers."""
    ids = Membership.objects.filter(institution__in=visible_institutions(user)).values("user")
    visible = User.objects.filter(pk__in=ids)
    if selectors.is_operator_admin(user):
        operator = selectors.operator_for_staff(user)
        colleagues = OperatorStaff.objects.filter(operator=operator).values("user")
        anywhere = Membership.objects.values("user")
        staff = OperatorStaff.objects.values("user")
        visible = (
            visible
            | User.objects.filter(pk__in=colleagues)
            | User.objects.exclude(pk__in=anywhere).exclude(pk__in=staff)
        )
    return visible


def working_org_units(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(institution__in=working_institutions(user))


def operator_staff_users(user: User) -> QuerySet[User]:
    if not selectors.staff_roles_for(user):
        return User.objects.none()
    ids = OperatorStaff.objects.filter(is_active=True).values("user")
    return User.objects.filter(pk__in=ids)
