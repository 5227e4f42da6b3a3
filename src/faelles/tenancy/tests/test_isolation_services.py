"""Isolation matrix at the service level: a local administrator of A, a plain member of A and
an operator case worker cannot change B's set-up; each refused call changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from faelles.core.models import AuditEvent
from faelles.tenancy import services
from faelles.tenancy.models import (
    Delegation,
    Endpoint,
    Institution,
    Membership,
    OrgUnit,
    Responsibility,
    Role,
    ServiceAgreement,
    StaffRole,
    User,
)
from faelles.tenancy.tests.factories import (
    DelegationFactory,
    EndpointFactory,
    InstitutionFactory,
    OperatorFactory,
    OperatorStaffFactory,
    OrgUnitFactory,
    ServiceAgreementFactory,
    UserFactory,
    member,
    valid_gln,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, b = InstitutionFactory(name="A"), InstitutionFactory(name="B")
    op = OperatorFactory()
    worker = OperatorStaffFactory(operator=op, role=StaffRole.CASE_WORKER).user
    agreement_b = ServiceAgreementFactory(institution=b, operator=op, staff=[worker])
    b_member = member(b, Role.APPROVER)
    b_other = member(b)
    return {
        "a": a,
        "b": b,
        "op": op,
        "agreement_b": agreement_b,
        "unit_b": OrgUnitFactory(institution=b),
        "endpoint_b": EndpointFactory(institution=b),
        "membership_b": Membership.objects.get(user=b_member),
        "delegation_b": DelegationFactory(institution=b, principal=b_member, substitute=b_other),
        "b_member": b_member,
        "b_other": b_other,
        "actors": {
            "local_admin_a": member(a, Role.LOCAL_ADMIN),
            "member_a": member(a, Role.BOOKKEEPER, Role.APPROVER),
            "case_worker": worker,
        },
    }


CALLS = {
    "institution_update": lambda w, actor: services.institution_update(
        actor=actor, institution=w["b"], name="X"
    ),
    "org_unit_create": lambda w, actor: services.org_unit_create(
        actor=actor, institution=w["b"], code="X1", name="X"
    ),
    "org_unit_update": lambda w, actor: services.org_unit_update(
        actor=actor, org_unit=w["unit_b"], name="X"
    ),
    "org_unit_deactivate": lambda w, actor: services.org_unit_deactivate(
        actor=actor, org_unit=w["unit_b"]
    ),
    "endpoint_create": lambda w, actor: services.endpoint_create(
        actor=actor, institution=w["b"], scheme="0088", identifier=valid_gln(7777)
    ),
    "endpoint_update": lambda w, actor: services.endpoint_update(
        actor=actor, endpoint=w["endpoint_b"], description="X"
    ),
    "endpoint_deactivate": lambda w, actor: services.endpoint_deactivate(
        actor=actor, endpoint=w["endpoint_b"]
    ),
    "membership_grant": lambda w, actor: services.membership_grant(
        actor=actor, institution=w["b"], user=w["b_other"], role=Role.PAYER
    ),
    "membership_update": lambda w, actor: services.membership_update(
        actor=actor, membership=w["membership_b"], approval_limit=Decimal("1")
    ),
    "membership_revoke": lambda w, actor: services.membership_revoke(
        actor=actor, membership=w["membership_b"]
    ),
    "delegation_create": lambda w, actor: services.delegation_create(
        actor=actor,
        institution=w["b"],
        principal=w["b_other"],
        substitute=w["b_member"],
        valid_from=date(2027, 1, 1),
        valid_to=date(2027, 1, 5),
    ),
    "delegation_revoke": lambda w, actor: services.delegation_revoke(
        actor=actor, delegation=w["delegation_b"]
    ),
    "service_agreement_create": lambda w, actor: services.service_agreement_create(
        actor=actor,
        institution=w["a"],
        operator=OperatorFactory(),
        services=["ledger"],
        valid_from=date(2027, 1, 1),
    ),
    "service_agreement_update": lambda w, actor: services.service_agreement_update(
        actor=actor, agreement=w["agreement_b"], note="X"
    ),
    "responsibility_set": lambda w, actor: services.responsibility_set(
        actor=actor, agreement=w["agreement_b"], service="payables", task="X", owner="operator"
    ),
    "user_update": lambda w, actor: services.user_update(
        actor=actor, user=w["b_other"], email="x@example.dk"
    ),
}

REFUSAL_ACTION = {
    "org_unit_create": "org_unit.create",
    "org_unit_update": "org_unit.update",
    "org_unit_deactivate": "org_unit.update",
    "endpoint_deactivate": "endpoint.update",
    "service_agreement_create": "service_agreement.create",
    "service_agreement_update": "service_agreement.update",
}

TABLES = (
    Institution,
    OrgUnit,
    Endpoint,
    Membership,
    Delegation,
    ServiceAgreement,
    Responsibility,
    User,
    AuditEvent,
)


def _snapshot():
    """Every row, except the refusal events a refused call adds."""
    return {
        m.__name__: sorted(
            map(
                repr,
                (
                    m.objects.exclude(action__endswith=".refused")
                    if m is AuditEvent
                    else m.objects.all()
                ).values(),
            )
        )
        for m in TABLES
    }


@pytest.mark.parametrize("actor_name", ["local_admin_a", "member_a", "case_worker"])
@pytest.mark.parametrize("call", sorted(CALLS))
def test_foreign_set_up_cannot_be_changed(world, actor_name, call):
    actor = world["actors"][actor_name]
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        CALLS[call](world, actor)
    assert _snapshot() == before
    refusal = AuditEvent.objects.get(action__endswith=".refused")
    assert refusal.action == REFUSAL_ACTION.get(call, call.replace("_", ".")) + ".refused"
    assert (refusal.actor_id, refusal.details["code"]) == (actor.pk, "not_allowed")


def test_local_admin_of_b_may_do_the_institution_level_calls(world):
    admin_b = member(world["b"], Role.LOCAL_ADMIN)
    allowed = {
        "org_unit_create",
        "org_unit_update",
        "org_unit_deactivate",
        "endpoint_create",
        "endpoint_update",
        "endpoint_deactivate",
        "membership_grant",
        "membership_update",
        "membership_revoke",
        "delegation_revoke",
        "user_update",
    }
    for name in sorted(allowed):
        CALLS[name](world, admin_b)
    for name in sorted(set(CALLS) - allowed - {"delegation_create"}):
        with pytest.raises(PermissionDenied):
            CALLS[name](world, admin_b)


def test_operator_admin_may_do_everything_for_a_served_institution(world):
    admin = OperatorStaffFactory(operator=world["op"], role=StaffRole.OPERATOR_ADMIN).user
    for name in sorted(set(CALLS) - {"service_agreement_create"}):
        CALLS[name](world, admin)
    assert AuditEvent.objects.filter(actor=admin).count() == len(CALLS) - 1


def test_a_user_without_roles_may_change_nothing():
    nobody = UserFactory()
    with pytest.raises(PermissionDenied):
        services.institution_create(actor=nobody, name="N", short_name="N", kind="agency")
    assert not Institution.objects.exists()
    assert list(AuditEvent.objects.values_list("action", "actor_id", "details__code")) == [
        ("institution.create.refused", nobody.pk, "not_allowed")
    ]
