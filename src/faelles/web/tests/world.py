"""A small world of two institutions served by one operator, with one person per role that
the web and API tests need. Built through the tenancy factories (no audit events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from faelles.tenancy.models import (
    Delegation,
    Endpoint,
    Institution,
    Membership,
    Operator,
    OrgUnit,
    Role,
    ServiceAgreement,
    StaffRole,
    User,
)
from faelles.tenancy.tests.factories import (
    TEST_PASSWORD,
    DelegationFactory,
    EndpointFactory,
    InstitutionFactory,
    MembershipFactory,
    OperatorFactory,
    OperatorStaffFactory,
    OrgUnitFactory,
    ServiceAgreementFactory,
    UserFactory,
    member,
)

PASSWORD = TEST_PASSWORD


@dataclass
class World:
    operator: Operator
    a: Institution
    b: Institution
    agreement_a: ServiceAgreement
    agreement_b: ServiceAgreement
    unit_a: OrgUnit
    unit_b: OrgUnit
    endpoint_a: Endpoint
    endpoint_b: Endpoint
    op_admin: User
    case_worker: User
    admin_a: User
    admin_b: User
    requester_a: User
    multi: User
    nobody: User
    membership_b: Membership
    delegation_b: Delegation


def build_world() -> World:
    operator = OperatorFactory(name="Statens Fællesdrift")
    a = InstitutionFactory(name="Alfa-styrelsen", short_name="ALFA")
    b = InstitutionFactory(name="Beta-styrelsen", short_name="BETA")
    op_admin = UserFactory(username="opadmin", display_name="Olga Operatør")
    OperatorStaffFactory(operator=operator, user=op_admin, role=StaffRole.OPERATOR_ADMIN)
    case_worker = UserFactory(username="casew")
    OperatorStaffFactory(operator=operator, user=case_worker, role=StaffRole.CASE_WORKER)
    agreement_a = ServiceAgreementFactory(institution=a, operator=operator, staff=[case_worker])
    agreement_b = ServiceAgreementFactory(institution=b, operator=operator)
    admin_a = member(a, Role.LOCAL_ADMIN, username="admina", display_name="Anna Admin")
    admin_b = member(b, Role.LOCAL_ADMIN, username="adminb")
    requester_a = member(a, Role.REQUESTER, username="reqa", display_name="Rasmus Rekvirent")
    multi = member(a, Role.BOOKKEEPER, username="multi", display_name="Mette Multi")
    MembershipFactory(institution=b, user=multi, role=Role.BOOKKEEPER)
    substitute_b = member(b, Role.APPROVER, username="subb")
    principal_b = member(b, Role.APPROVER, username="princb")
    membership_b = Membership.objects.get(user=substitute_b, institution=b)
    delegation_b = DelegationFactory(
        institution=b,
        principal=principal_b,
        substitute=substitute_b,
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
    )
    return World(
        operator=operator,
        a=a,
        b=b,
        agreement_a=agreement_a,
        agreement_b=agreement_b,
        unit_a=OrgUnitFactory(institution=a, code="A100", name="Alfa økonomi"),
        unit_b=OrgUnitFactory(institution=b, code="B100", name="Beta økonomi"),
        endpoint_a=EndpointFactory(institution=a),
        endpoint_b=EndpointFactory(institution=b),
        op_admin=op_admin,
        case_worker=case_worker,
        admin_a=admin_a,
        admin_b=admin_b,
        requester_a=requester_a,
        multi=multi,
        nobody=UserFactory(username="nobody"),
        membership_b=membership_b,
        delegation_b=delegation_b,
    )
