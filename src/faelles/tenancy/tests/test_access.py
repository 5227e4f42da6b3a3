"""Isolation at the access gate: a member of A gets the same 404 for B's objects as for
missing ones, and the management rights are exactly those documented."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from faelles.core.access import access_object, require_role, restrict, user_can
from faelles.core.models import AuditEvent
from faelles.tenancy import access, services
from faelles.tenancy.models import OrgUnit, Role, StaffRole
from faelles.tenancy.tests.factories import (
    DelegationFactory,
    EndpointFactory,
    InstitutionFactory,
    MembershipFactory,
    OperatorStaffFactory,
    OrgUnitFactory,
    ServiceAgreementFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    a, b = InstitutionFactory(name="A"), InstitutionFactory(name="B")
    return a, b, member(a, Role.BOOKKEEPER)


ACCESSORS = {
    "org_unit": (access.access_org_unit, lambda inst: OrgUnitFactory(institution=inst)),
    "endpoint": (access.access_endpoint, lambda inst: EndpointFactory(institution=inst)),
    "membership": (access.access_membership, lambda inst: MembershipFactory(institution=inst)),
    "delegation": (
        access.access_delegation,
        lambda inst: DelegationFactory(institution=inst),
    ),
    "service_agreement": (
        access.access_service_agreement,
        lambda inst: ServiceAgreementFactory(institution=inst),
    ),
}


@pytest.mark.parametrize("entity", sorted(ACCESSORS))
def test_foreign_and_missing_objects_get_the_same_404(two, entity):
    a, b, user = two
    accessor, make = ACCESSORS[entity]
    own, foreign = make(a), make(b)

    assert accessor(user, own.pk) == own
    with pytest.raises(Http404) as foreign_err:
        accessor(user, foreign.pk)
    with pytest.raises(Http404) as missing_err:
        accessor(user, 987654321)
    assert str(foreign_err.value) == str(missing_err.value)
    # narrowed to the institution the user is working in
    with pytest.raises(Http404):
        accessor(user, own.pk, institution=b)


def test_institution_access(two):
    a, b, user = two
    assert access.access_institution(user, a.pk) == a
    with pytest.raises(Http404):
        access.access_institution(user, b.pk)


def test_malformed_id_is_missing(two):
    _, _, user = two
    with pytest.raises(Http404):
        access_object(OrgUnit, user=user, pk="not-a-number")


def test_anonymous_and_inactive_users_see_nothing(two):
    from django.contrib.auth.models import AnonymousUser

    a, _, user = two
    unit = OrgUnitFactory(institution=a)
    with pytest.raises(Http404):
        access_object(OrgUnit, user=AnonymousUser(), pk=unit.pk)
    user.is_active = False
    user.save()
    with pytest.raises(Http404):
        access_object(OrgUnit, user=user, pk=unit.pk)


def test_restrict_lists_only_own_rows(two):
    a, b, user = two
    own = OrgUnitFactory(institution=a)
    OrgUnitFactory(institution=b)
    assert list(restrict(OrgUnit, user=user)) == [own]


def test_role_checks(two):
    a, b, user = two
    assert user_can(user, a, Role.BOOKKEEPER)
    assert user_can(user, a, [Role.PAYER, Role.BOOKKEEPER])
    assert not user_can(user, a, Role.PAYER)
    assert not user_can(user, b, Role.BOOKKEEPER)
    with pytest.raises(PermissionDenied):
        require_role(user, b, Role.BOOKKEEPER)
    require_role(user, a, Role.BOOKKEEPER)


def test_management_rights_matrix():
    a, b = InstitutionFactory(), InstitutionFactory()
    local_admin = member(a, Role.LOCAL_ADMIN)
    plain = member(a, Role.BOOKKEEPER, Role.APPROVER)
    admin = OperatorStaffFactory(role=StaffRole.OPERATOR_ADMIN)
    ServiceAgreementFactory(institution=a, operator=admin.operator)
    worker = OperatorStaffFactory(role=StaffRole.CASE_WORKER, operator=admin.operator)

    assert access.can_manage_setup(local_admin, a) is True
    assert access.can_manage_setup(local_admin, b) is False
    assert access.can_manage_setup(plain, a) is False
    assert access.can_manage_setup(worker.user, a) is False
    assert access.can_manage_setup(admin.user, a) is True
    # b has no agreement yet: the operator admin may onboard it
    assert access.can_manage_setup(admin.user, b) is True
    # ... but not an institution served by a different operator
    other = InstitutionFactory()
    ServiceAgreementFactory(institution=other)
    assert access.can_manage_setup(admin.user, other) is False

    assert access.can_manage_institutions(admin.user) is True
    assert access.can_manage_institutions(local_admin) is False
    assert access.can_manage_service_agreements(local_admin, a) is False
    assert access.can_manage_service_agreements(admin.user, a) is True
    assert access.can_manage_operator_staff(local_admin) is False

    assert access.can_manage_user(local_admin, plain) is True
    assert access.can_manage_user(local_admin, admin.user) is False
    assert access.can_manage_user(local_admin, member(b)) is False
    assert access.can_manage_user(local_admin, UserFactory()) is False
    assert access.can_manage_user(plain, local_admin) is False


def test_refused_service_call_changes_nothing():
    a, b = InstitutionFactory(), InstitutionFactory()
    local_admin = member(a, Role.LOCAL_ADMIN)
    unit_b = OrgUnitFactory(institution=b, name="Uændret")
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        services.org_unit_create(actor=local_admin, institution=b, code="999", name="X")
    with pytest.raises(PermissionDenied):
        services.org_unit_update(actor=local_admin, org_unit=unit_b, name="Ændret")
    with pytest.raises(PermissionDenied):
        services.institution_create(actor=local_admin, name="Ny", short_name="NY", kind="agency")

    unit_b.refresh_from_db()
    assert unit_b.name == "Uændret"
    assert OrgUnit.objects.filter(institution=b).count() == 1
    # Nothing changed; each refused attempt is an audit event of its own.
    assert AuditEvent.objects.count() == events + 3
    assert list(
        AuditEvent.objects.order_by("pk").values_list("action", "actor_id", "details__code")
    ) == [
        ("org_unit.create.refused", local_admin.pk, "not_allowed"),
        ("org_unit.update.refused", local_admin.pk, "not_allowed"),
        ("institution.create.refused", local_admin.pk, "not_allowed"),
    ]


def test_local_admin_manages_own_institution():
    a = InstitutionFactory()
    local_admin = member(a, Role.LOCAL_ADMIN)
    colleague = member(a, Role.REQUESTER)
    unit = services.org_unit_create(actor=local_admin, institution=a, code="10", name="Kontor")
    services.membership_grant(actor=local_admin, institution=a, user=colleague, role=Role.PAYER)
    substitute = member(a)
    services.delegation_create(
        actor=local_admin,
        institution=a,
        principal=colleague,
        substitute=substitute,
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 1, 10),
    )
    assert unit.institution == a
    assert AuditEvent.objects.filter(institution=a, actor=local_admin).count() == 3
