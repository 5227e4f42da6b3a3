from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from faelles.tenancy import selectors
from faelles.tenancy.models import Role, StaffRole
from faelles.tenancy.tests.factories import (
    DelegationFactory,
    InstitutionFactory,
    MembershipFactory,
    OperatorStaffFactory,
    ServiceAgreementFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db

JULY = date(2026, 7, 15)


def test_roles_for_lists_active_memberships_only():
    inst = InstitutionFactory()
    user = member(inst, Role.BOOKKEEPER, Role.CONTROLLER)
    MembershipFactory(institution=inst, user=user, role=Role.PAYER, is_active=False)
    member_elsewhere = InstitutionFactory()
    MembershipFactory(institution=member_elsewhere, user=user, role=Role.APPROVER)

    assert selectors.roles_for(user, inst) == {"bookkeeper", "controller"}
    assert selectors.roles_for(user, member_elsewhere) == {"approver"}
    assert selectors.roles_for(user, InstitutionFactory()) == set()


def test_substitute_gets_principal_roles_only_between_the_dates():
    inst = InstitutionFactory()
    principal = member(inst, Role.APPROVER, Role.LOCAL_ADMIN)
    substitute = member(inst, Role.REQUESTER)
    DelegationFactory(
        institution=inst,
        principal=principal,
        substitute=substitute,
        valid_from=date(2026, 7, 1),
        valid_to=date(2026, 7, 31),
    )

    assert selectors.roles_for(substitute, inst, on=JULY) == {"requester", "approver"}
    assert selectors.own_roles_for(substitute, inst, on=JULY) == {"requester"}
    assert selectors.delegated_roles_for(substitute, inst, on=JULY) == {"approver": [principal]}
    assert selectors.roles_for(substitute, inst, on=date(2026, 6, 30)) == {"requester"}
    assert selectors.roles_for(substitute, inst, on=date(2026, 8, 1)) == {"requester"}
    # administration rights are never delegated
    assert "local_admin" not in selectors.roles_for(substitute, inst, on=JULY)


def test_acting_for_names_the_principal_for_delegated_roles():
    inst = InstitutionFactory()
    principal = member(inst, Role.APPROVER)
    substitute = member(inst, Role.REQUESTER)
    DelegationFactory(
        institution=inst,
        principal=principal,
        substitute=substitute,
        valid_from=date(2026, 7, 1),
        valid_to=date(2026, 7, 31),
    )
    assert selectors.acting_for(substitute, inst, Role.REQUESTER, on=JULY) is None
    assert selectors.acting_for(substitute, inst, Role.APPROVER, on=JULY) == principal
    with pytest.raises(LookupError):
        selectors.acting_for(substitute, inst, Role.PAYER, on=JULY)


def test_revoked_delegation_gives_nothing():
    inst = InstitutionFactory()
    principal, substitute = member(inst, Role.APPROVER), member(inst)
    DelegationFactory(
        institution=inst,
        principal=principal,
        substitute=substitute,
        valid_from=date(2026, 7, 1),
        valid_to=date(2026, 7, 31),
        revoked_at=timezone.now(),
    )
    assert selectors.active_delegations_for(substitute, inst, on=JULY).count() == 0
    assert selectors.roles_for(substitute, inst, on=JULY) == {"bookkeeper"}


def test_approval_limit_is_the_highest_of_own_and_delegated():
    inst = InstitutionFactory()
    boss = UserFactory()
    MembershipFactory(
        institution=inst, user=boss, role=Role.APPROVER, approval_limit=Decimal("500000")
    )
    deputy = UserFactory()
    MembershipFactory(
        institution=inst, user=deputy, role=Role.APPROVER, approval_limit=Decimal("25000")
    )
    DelegationFactory(
        institution=inst,
        principal=boss,
        substitute=deputy,
        valid_from=date(2026, 7, 1),
        valid_to=date(2026, 7, 31),
    )
    assert selectors.approval_limit_for(deputy, inst, on=JULY) == selectors.ApprovalLimit(
        Decimal("500000.00"), boss
    )
    assert selectors.approval_limit_for(deputy, inst, on=date(2026, 8, 1)) == (
        selectors.ApprovalLimit(Decimal("25000.00"), None)
    )
    assert selectors.approval_limit_for(member(inst), inst) is None


def test_approver_for_reads_limit_delegations_and_system_admin_in_one_query(
    django_assert_num_queries,
):
    inst = InstitutionFactory()
    boss = UserFactory()
    MembershipFactory(
        institution=inst, user=boss, role=Role.APPROVER, approval_limit=Decimal("500000")
    )
    idle_boss = UserFactory(is_active=False)
    MembershipFactory(
        institution=inst, user=idle_boss, role=Role.APPROVER, approval_limit=Decimal("900000")
    )
    small_boss = UserFactory()
    MembershipFactory(
        institution=inst, user=small_boss, role=Role.APPROVER, approval_limit=Decimal("1000")
    )
    deputy = UserFactory()
    MembershipFactory(
        institution=inst, user=deputy, role=Role.APPROVER, approval_limit=Decimal("25000")
    )
    for principal, revoked in [(boss, None), (idle_boss, None), (small_boss, None)]:
        DelegationFactory(
            institution=inst,
            principal=principal,
            substitute=deputy,
            valid_from=date(2026, 7, 1),
            valid_to=date(2026, 7, 31),
            revoked_at=revoked,
        )
    requester = member(inst, Role.REQUESTER)
    DelegationFactory(
        institution=inst,
        principal=boss,
        substitute=requester,
        valid_from=date(2026, 7, 1),
        valid_to=date(2026, 7, 31),
        revoked_at=timezone.now(),
    )
    admin = member(inst, Role.APPROVER)
    OperatorStaffFactory(user=admin, role=StaffRole.SYSTEM_ADMIN)

    cases = [
        (deputy, JULY, (selectors.ApprovalLimit(Decimal("500000.00"), boss), False)),
        (deputy, date(2026, 8, 1), (selectors.ApprovalLimit(Decimal("25000.00"), None), False)),
        (requester, JULY, (None, False)),
        (boss, JULY, (selectors.ApprovalLimit(Decimal("500000.00"), None), False)),
    ]
    for user, on, expected in cases:
        assert selectors.approver_for(user, inst, on=on) == expected
        assert selectors.approver_for(user, inst, on=on)[0] == selectors.approval_limit_for(
            user, inst, on=on
        )
    # Read as the field reads it (the amount appears in messages: "1000.00", not "1000").
    assert [str(selectors.approver_for(u, inst, on=JULY)[0].amount) for u in (boss, deputy)] == [
        "500000.00",
        "500000.00",
    ]
    assert str(selectors.approver_for(deputy, inst, on=date(2026, 8, 1))[0].amount) == "25000.00"
    limit, system_admin = selectors.approver_for(admin, inst)
    assert limit == selectors.approval_limit_for(admin, inst)
    assert limit is not None
    assert system_admin is True
    # Own limit, delegations and role: one query (the principal is read only when a
    # delegation's limit applies).
    with django_assert_num_queries(1):
        selectors.approver_for(boss, inst, on=JULY)
    with django_assert_num_queries(2):
        selectors.approver_for(deputy, inst, on=JULY)


def test_institutions_for_user_member_and_staff():
    a, b, c = (InstitutionFactory(name=n) for n in ("A", "B", "C"))
    user = member(a)
    assert list(selectors.institutions_for_user(user)) == [a]

    worker = OperatorStaffFactory(role=StaffRole.CASE_WORKER)
    ServiceAgreementFactory(institution=b, operator=worker.operator, staff=[worker.user])
    ServiceAgreementFactory(institution=c, operator=worker.operator)
    assert list(selectors.institutions_for_user(worker.user)) == [b]
    assert selectors.roles_for(worker.user, b) == {"case_worker"}
    assert selectors.roles_for(worker.user, c) == set()

    admin = OperatorStaffFactory(role=StaffRole.OPERATOR_ADMIN, operator=worker.operator)
    assert list(selectors.institutions_for_user(admin.user)) == [b, c]


def test_expired_agreement_and_inactive_institution_are_not_listed():
    worker = OperatorStaffFactory(role=StaffRole.OPERATOR_ADMIN)
    old = InstitutionFactory()
    ServiceAgreementFactory(
        institution=old,
        operator=worker.operator,
        valid_from=date(2020, 1, 1),
        valid_to=date(2021, 1, 1),
    )
    closed = InstitutionFactory(is_active=False)
    ServiceAgreementFactory(institution=closed, operator=worker.operator)
    assert list(selectors.institutions_for_user(worker.user)) == []


def test_user_without_memberships_has_no_access():
    user = UserFactory()
    assert selectors.user_has_any_access(user) is False
    assert list(selectors.institutions_for_user(user)) == []


def test_endpoint_route_finds_the_active_endpoint():
    from faelles.tenancy.tests.factories import EndpointFactory

    ep = EndpointFactory(identifier="5790000000005")
    assert selectors.endpoint_route("0088", "5790000000005") == ep
    ep.is_active = False
    ep.save()
    assert selectors.endpoint_route("0088", "5790000000005") is None
