from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from faelles.core.audit import chain_for, verify_chains
from faelles.core.models import AuditEvent
from faelles.tenancy import services
from faelles.tenancy.models import Membership, Responsibility, Role, StaffRole
from faelles.tenancy.tests.factories import (
    InstitutionFactory,
    OperatorFactory,
    OperatorStaffFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


def test_every_write_leaves_an_audit_event_in_the_right_chain():
    op = OperatorFactory()
    admin = OperatorStaffFactory(operator=op, role=StaffRole.OPERATOR_ADMIN).user
    ministry = services.institution_create(
        actor=admin, name="Ministeriet", short_name="MIN", kind="ministry", cvr="13585628"
    )
    agency = services.institution_create(
        actor=admin, name="Styrelsen", short_name="STY", kind="agency", parent=ministry
    )
    unit = services.org_unit_create(actor=admin, institution=agency, code="100", name="Økonomi")
    services.endpoint_create(
        actor=admin, institution=agency, scheme="0088", identifier="5790000000005", org_unit=unit
    )
    agreement = services.service_agreement_create(
        actor=admin,
        institution=agency,
        operator=op,
        services=["ledger", "payables"],
        valid_from=date(2026, 1, 1),
        staff=[admin],
    )
    services.responsibility_set(
        actor=admin, agreement=agreement, service="payables", task="Scanning", owner="operator"
    )

    op_actions = list(
        AuditEvent.objects.filter(chain="op").order_by("seq").values_list("action", flat=True)
    )
    assert op_actions == ["institution.create", "institution.create"]
    agency_events = AuditEvent.objects.filter(chain=chain_for(agency)).order_by("seq")
    assert [e.action for e in agency_events] == [
        "org_unit.create",
        "endpoint.create",
        "service_agreement.create",
        "responsibility.set",
    ]
    assert [e.seq for e in agency_events] == [1, 2, 3, 4]
    assert all(e.actor_id == admin.pk for e in agency_events)
    created = agency_events[2]
    assert created.details == {
        "operator": op.pk,
        "services": ["payables", "ledger"],
        "staff": [admin.pk],
        "valid_from": "2026-01-01",
        "valid_to": None,
        "approval_limit_ceiling": None,
    }
    assert verify_chains() == []


def test_update_records_only_what_changed():
    inst = InstitutionFactory()
    unit = services.org_unit_create(actor=None, institution=inst, code="1", name="Gammel")
    services.org_unit_update(actor=None, org_unit=unit, name="Ny", code="1")
    event = AuditEvent.objects.filter(action="org_unit.update").get()
    assert event.details == {"name": ["Gammel", "Ny"]}
    # no change, no event
    services.org_unit_update(actor=None, org_unit=unit, name="Ny")
    assert AuditEvent.objects.filter(action="org_unit.update").count() == 1


def test_membership_grant_is_idempotent_and_revoke_keeps_the_row():
    inst, user = InstitutionFactory(), UserFactory()
    m1 = services.membership_grant(
        actor=None, institution=inst, user=user, role=Role.APPROVER, approval_limit=Decimal("100")
    )
    m2 = services.membership_grant(
        actor=None, institution=inst, user=user, role=Role.APPROVER, approval_limit=Decimal("100")
    )
    assert m1.pk == m2.pk
    assert AuditEvent.objects.filter(action="membership.grant").count() == 1
    services.membership_revoke(actor=None, membership=m1)
    assert Membership.objects.get(pk=m1.pk).is_active is False
    services.membership_grant(
        actor=None, institution=inst, user=user, role=Role.APPROVER, approval_limit=Decimal("200")
    )
    m1.refresh_from_db()
    assert (m1.is_active, m1.approval_limit) == (True, Decimal("200.00"))


def test_user_password_is_set_and_never_audited():
    user = services.user_create(actor=None, username="karen", password="Meget-hemmelig-42")
    assert user.check_password("Meget-hemmelig-42")
    services.user_password_set_from_link(actor=user, new_password="Endnu-mere-hemmelig-43")
    user.refresh_from_db()
    assert user.check_password("Endnu-mere-hemmelig-43")
    blob = repr(list(AuditEvent.objects.values_list("details", flat=True)))
    assert "hemmelig" not in blob
    event = AuditEvent.objects.get(action="user.password_set")
    assert (event.actor_id, event.details) == (user.pk, {"password": ["", "changed"]})


def test_user_without_password_cannot_log_in():
    user = services.user_create(actor=None, username="uden")
    assert user.has_usable_password() is False


def test_delegation_revoke_sets_time_and_is_audited():
    inst = InstitutionFactory()
    principal, substitute = member(inst, Role.APPROVER), member(inst)
    delegation = services.delegation_create(
        actor=None,
        institution=inst,
        principal=principal,
        substitute=substitute,
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 1, 31),
    )
    services.delegation_revoke(actor=None, delegation=delegation)
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert [e.action for e in AuditEvent.objects.filter(chain=chain_for(inst))] == [
        "delegation.create",
        "delegation.revoke",
    ]


def test_responsibility_set_upserts():
    inst, op = InstitutionFactory(), OperatorFactory()
    agreement = services.service_agreement_create(
        actor=None, institution=inst, operator=op, services=["payroll"], valid_from=date(2026, 1, 1)
    )
    for owner in ("operator", "institution", "institution"):
        services.responsibility_set(
            actor=None, agreement=agreement, service="payroll", task="Lønindberetning", owner=owner
        )
    row = Responsibility.objects.get()
    assert row.owner == "institution"
    assert AuditEvent.objects.filter(action="responsibility.set").count() == 2


def test_operator_staff_grant_and_revoke():
    op, user = OperatorFactory(), UserFactory()
    staff = services.operator_staff_grant(
        actor=None, operator=op, user=user, role=StaffRole.CASE_WORKER
    )
    services.operator_staff_revoke(actor=None, staff=staff)
    staff.refresh_from_db()
    assert staff.is_active is False
    assert [e.action for e in AuditEvent.objects.filter(chain="op")] == [
        "operator_staff.grant",
        "operator_staff.revoke",
    ]


def test_user_changes_own_password_only_with_the_old_one():
    user = services.user_create(actor=None, username="selv", password="Gammel-kode-2026")
    with pytest.raises(ValidationError) as info:
        services.user_change_own_password(
            actor=user, old_password="forkert", new_password="Ny-kode-2026-x"
        )
    assert "old_password" in info.value.message_dict
    user.refresh_from_db()
    assert user.check_password("Gammel-kode-2026")
    services.user_change_own_password(
        actor=user, old_password="Gammel-kode-2026", new_password="Ny-kode-2026-x"
    )
    user.refresh_from_db()
    assert user.check_password("Ny-kode-2026-x")
    assert AuditEvent.objects.filter(action="user.password_change", actor=user).count() == 1
