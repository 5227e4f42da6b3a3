"""The ledger's institution list reads every role at once: a fixed number of queries however
many institutions a user works in, and the same answer as asking institution by institution."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from faelles.core.access import user_can
from faelles.ledger import access
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, Role, StaffRole, User
from faelles.tenancy.tests.factories import (
    DelegationFactory,
    InstitutionFactory,
    MembershipFactory,
    OperatorFactory,
    OperatorStaffFactory,
    ServiceAgreementFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


def _world(staff_role: str = StaffRole.CASE_WORKER) -> tuple[User, list[Institution]]:
    """A user with memberships, a staff role serving some institutions, and delegations in
    and out of force; every institution of the world in the list."""
    today = timezone.localdate()
    operator = OperatorFactory()
    user = UserFactory()
    insts = [InstitutionFactory() for _ in range(10)]
    a, b, c, d, e, f, g, h, i, j = insts
    # own memberships (an inactive one does not count)
    MembershipFactory(institution=a, user=user, role=Role.BOOKKEEPER)
    MembershipFactory(institution=a, user=user, role=Role.CONTROLLER)
    MembershipFactory(institution=b, user=user, role=Role.REQUESTER)
    MembershipFactory(institution=b, user=user, role=Role.PAYER, is_active=False)
    # operator staff: serves c and d now, e no longer; i has an agreement without the user
    OperatorStaffFactory(operator=operator, user=user, role=staff_role)
    ServiceAgreementFactory(institution=c, operator=operator, staff=[user])
    ServiceAgreementFactory(institution=d, operator=operator, staff=[user])
    ServiceAgreementFactory(
        institution=e, operator=operator, staff=[user], valid_to=today - timedelta(days=1)
    )
    ServiceAgreementFactory(institution=i, operator=operator)
    # a delegation in force in f (local admin is never delegated), also in b
    principal = member(f, Role.APPROVER, Role.LOCAL_ADMIN)
    DelegationFactory(
        institution=f,
        principal=principal,
        substitute=user,
        valid_from=today - timedelta(days=3),
        valid_to=today + timedelta(days=3),
    )
    b_principal = member(b, Role.BOOKKEEPER)
    DelegationFactory(
        institution=b,
        principal=b_principal,
        substitute=user,
        valid_from=today,
        valid_to=today,
    )
    # the principal's roles in another institution do not come with the delegation
    MembershipFactory(institution=j, user=principal, role=Role.BOOKKEEPER)
    # revoked, not yet begun, and ended delegations do not count
    DelegationFactory(
        institution=g,
        principal=member(g, Role.BOOKKEEPER),
        substitute=user,
        valid_from=today - timedelta(days=3),
        valid_to=today + timedelta(days=3),
        revoked_at=timezone.now(),
    )
    DelegationFactory(
        institution=h,
        principal=member(h, Role.BOOKKEEPER),
        substitute=user,
        valid_from=today + timedelta(days=1),
        valid_to=today + timedelta(days=9),
    )
    DelegationFactory(
        institution=h,
        principal=member(h, Role.PAYER),
        substitute=user,
        valid_from=today - timedelta(days=9),
        valid_to=today - timedelta(days=1),
    )
    # an inactive principal passes nothing on
    DelegationFactory(
        institution=j,
        principal=member(j, Role.CONTROLLER, is_active=False),
        substitute=user,
        valid_from=today - timedelta(days=1),
        valid_to=today + timedelta(days=1),
    )
    return user, insts


def _one_by_one(user: User, insts: list[Institution]) -> dict[int, set[str]]:
    answers = {i.pk: selectors.roles_for(user, i) for i in insts}
    return {pk: roles for pk, roles in answers.items() if roles}


def test_roles_by_institution_equals_roles_for_each_institution():
    user, insts = _world()
    a, b, c, d, _e, f, *_rest = insts

    expected = {
        a.pk: {Role.BOOKKEEPER, Role.CONTROLLER},
        b.pk: {Role.REQUESTER, Role.BOOKKEEPER},
        c.pk: {StaffRole.CASE_WORKER},
        d.pk: {StaffRole.CASE_WORKER},
        f.pk: {Role.APPROVER},
    }
    assert _one_by_one(user, insts) == expected
    assert selectors.roles_by_institution(user) == expected
    assert selectors.roles_by_institution(user, [a, f, insts[-1]]) == {
        a.pk: expected[a.pk],
        f.pk: expected[f.pk],
    }


def test_roles_by_institution_for_an_operator_admin_covers_every_served_institution():
    user, insts = _world(StaffRole.OPERATOR_ADMIN)
    a, b, c, d, _e, f, _g, _h, i, _j = insts

    result = selectors.roles_by_institution(user)

    assert result == _one_by_one(user, insts)
    assert result[i.pk] == {StaffRole.OPERATOR_ADMIN}
    assert set(result) == {a.pk, b.pk, c.pk, d.pk, f.pk, i.pk}


def test_roles_by_institution_on_another_day_follows_the_delegations_dates():
    user, insts = _world()
    f, h = insts[5], insts[7]
    later = timezone.localdate() + timedelta(days=5)

    result = selectors.roles_by_institution(user, on=later)

    assert result == {i.pk: r for i in insts if (r := selectors.roles_for(user, i, on=later))}
    assert f.pk not in result
    assert result[h.pk] == {Role.BOOKKEEPER}


def test_roles_by_institution_is_empty_for_inactive_and_anonymous_users():
    from django.contrib.auth.models import AnonymousUser

    user, _insts = _world()
    assert selectors.roles_by_institution(AnonymousUser()) == {}  # type: ignore[arg-type]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert selectors.roles_by_institution(user) == {}


def test_roles_by_institution_takes_two_queries(django_assert_num_queries):
    user, insts = _world()
    with django_assert_num_queries(2):
        selectors.roles_by_institution(user)
    with django_assert_num_queries(2):
        selectors.roles_by_institution(user, insts)


def test_roles_by_institution_without_staff_roles_takes_two_queries(django_assert_num_queries):
    inst = InstitutionFactory()
    user = member(inst, Role.BOOKKEEPER)
    with django_assert_num_queries(2):
        assert selectors.roles_by_institution(user) == {inst.pk: {Role.BOOKKEEPER}}


def test_ledger_institutions_equals_asking_institution_by_institution():
    user, insts = _world()
    a, b, c, d, *_rest = insts

    old = [i for i in selectors.institutions_for_user(user) if user_can(user, i, access.VIEW_ROLES)]

    assert access.ledger_institutions(user) == old
    # bookkeeper in a and (delegated) in b, case worker in c and d; a requester or approver
    # alone may not read the ledger
    assert {i.pk for i in old} == {a.pk, b.pk, c.pk, d.pk}


def test_ledger_institutions_takes_a_fixed_number_of_queries(django_assert_num_queries):
    user, _insts = _world()
    operator = OperatorFactory()
    # more institutions, more roles: the count stays the same
    with django_assert_num_queries(5):
        first = access.ledger_institutions(user)
    for _ in range(5):
        inst = InstitutionFactory()
        MembershipFactory(institution=inst, user=user, role=Role.BOOKKEEPER)
        ServiceAgreementFactory(institution=InstitutionFactory(), operator=operator, staff=[user])
    with django_assert_num_queries(5):
        second = access.ledger_institutions(user)
    assert len(second) == len(first) + 10


def test_ledger_institutions_is_empty_without_roles(django_assert_num_queries):
    user = UserFactory()
    assert access.ledger_institutions(user) == []
