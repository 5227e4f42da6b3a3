"""Bad input gets a clear message naming the field, and nothing is saved (no row, no audit)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

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
    User,
)
from faelles.tenancy.tests.factories import (
    DelegationFactory,
    EndpointFactory,
    InstitutionFactory,
    OperatorFactory,
    OrgUnitFactory,
    ServiceAgreementFactory,
    UserFactory,
    member,
    valid_gln,
)

pytestmark = pytest.mark.django_db


def _counts():
    return {
        m.__name__: m.objects.count()
        for m in (
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
    }


def _refused(call, field):
    before = _counts()
    with pytest.raises(ValidationError) as info:
        call()
    assert field in info.value.message_dict, info.value.message_dict
    assert _counts() == before
    return " ".join(info.value.message_dict[field])


def test_institution_with_wrong_cvr_check_digit_is_refused():
    message = _refused(
        lambda: services.institution_create(
            actor=None, name="Styrelsen", short_name="STY", kind="agency", cvr="13585627"
        ),
        "cvr",
    )
    assert message == "13585627 is not a valid CVR number: the check digit (modulus 11) is wrong."


def test_institution_cvr_is_normalised():
    inst = services.institution_create(
        actor=None, name="Styrelsen", short_name="STY", kind="agency", cvr="DK 13 58 56 28"
    )
    assert Institution.objects.get(pk=inst.pk).cvr == "13585628"


def test_institution_cannot_become_its_own_grandparent():
    top = InstitutionFactory(kind="ministry")
    child = InstitutionFactory(parent=top)
    message = _refused(
        lambda: services.institution_update(actor=None, institution=top, parent=child), "parent"
    )
    assert "itself or one of its children" in message
    top.refresh_from_db()
    assert top.parent_id is None


def test_operator_with_wrong_cvr_is_refused():
    with pytest.raises(ValidationError) as info:
        services.operator_create(actor=None, name="Drift", cvr="12345678")
    assert "cvr" in info.value.message_dict


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("5790000000004", "5790000000004 is not a valid EAN/GLN number: the check digit is wrong."),
        ("579000000000", "579000000000 is not a valid EAN/GLN number: it must be 13 digits."),
        ("57900000000AB", "57900000000AB is not a valid EAN/GLN number: it must be 13 digits."),
    ],
)
def test_endpoint_with_bad_gln_is_refused(identifier, expected):
    inst = InstitutionFactory()
    message = _refused(
        lambda: services.endpoint_create(
            actor=None, institution=inst, scheme="0088", identifier=identifier
        ),
        "identifier",
    )
    assert message == expected


def test_endpoint_with_bad_cvr_is_refused():
    inst = InstitutionFactory()
    message = _refused(
        lambda: services.endpoint_create(
            actor=None, institution=inst, scheme="0184", identifier="13585627"
        ),
        "identifier",
    )
    assert "check digit (modulus 11)" in message


def test_endpoint_already_routed_to_another_institution_names_it():
    owner = InstitutionFactory(name="Digitaliseringsstyrelsen")
    EndpointFactory(institution=owner, identifier="5790000000005")
    other = InstitutionFactory()
    message = _refused(
        lambda: services.endpoint_create(
            actor=None, institution=other, scheme="0088", identifier="5790000000005"
        ),
        "identifier",
    )
    assert message == (
        "0088:5790000000005 is already routed to another institution: Digitaliseringsstyrelsen."
    )
    assert Endpoint.objects.get(identifier="5790000000005").institution == owner


def test_endpoint_org_unit_must_be_in_the_same_institution():
    inst = InstitutionFactory()
    foreign_unit = OrgUnitFactory()
    _refused(
        lambda: services.endpoint_create(
            actor=None,
            institution=inst,
            scheme="0088",
            identifier=valid_gln(900),
            org_unit=foreign_unit,
        ),
        "org_unit",
    )


def test_org_unit_parent_must_be_in_the_same_institution():
    inst = InstitutionFactory()
    foreign_parent = OrgUnitFactory()
    message = _refused(
        lambda: services.org_unit_create(
            actor=None, institution=inst, code="200", name="Kontor", parent=foreign_parent
        ),
        "parent",
    )
    assert message == "The parent unit must belong to the same institution."


def test_org_unit_hierarchy_has_no_cycles():
    inst = InstitutionFactory()
    a = OrgUnitFactory(institution=inst)
    b = OrgUnitFactory(institution=inst, parent=a)
    c = OrgUnitFactory(institution=inst, parent=b)
    _refused(lambda: services.org_unit_update(actor=None, org_unit=a, parent=c), "parent")
    a.refresh_from_db()
    assert a.parent_id is None


def test_org_unit_code_unique_per_institution():
    inst = InstitutionFactory()
    OrgUnitFactory(institution=inst, code="100")
    with pytest.raises(ValidationError):
        services.org_unit_create(actor=None, institution=inst, code="100", name="Dublet")
    # the same code in another institution is fine
    services.org_unit_create(actor=None, institution=InstitutionFactory(), code="100", name="OK")


def test_org_unit_with_active_children_cannot_be_deactivated():
    inst = InstitutionFactory()
    parent = OrgUnitFactory(institution=inst)
    OrgUnitFactory(institution=inst, parent=parent, code="1100")
    message = _refused(
        lambda: services.org_unit_deactivate(actor=None, org_unit=parent), "is_active"
    )
    assert "1100" in message
    parent.refresh_from_db()
    assert parent.is_active is True


def test_approval_limit_only_for_approvers():
    inst = InstitutionFactory()
    user = UserFactory()
    message = _refused(
        lambda: services.membership_grant(
            actor=None,
            institution=inst,
            user=user,
            role=Role.BOOKKEEPER,
            approval_limit=Decimal("1000"),
        ),
        "approval_limit",
    )
    assert message == "Only an approver has an approval limit; leave it empty for this role."


def test_approver_needs_an_approval_limit():
    inst, user = InstitutionFactory(), UserFactory()
    _refused(
        lambda: services.membership_grant(
            actor=None, institution=inst, user=user, role=Role.APPROVER
        ),
        "approval_limit",
    )


def test_delegation_to_self_is_refused():
    inst = InstitutionFactory()
    user = member(inst, Role.APPROVER)
    message = _refused(
        lambda: services.delegation_create(
            actor=None,
            institution=inst,
            principal=user,
            substitute=user,
            valid_from=date(2026, 1, 1),
            valid_to=date(2026, 1, 31),
        ),
        "substitute",
    )
    assert message == "A person cannot be their own substitute."


def test_delegation_end_before_start_is_refused():
    inst = InstitutionFactory()
    principal, substitute = member(inst, Role.APPROVER), member(inst)
    _refused(
        lambda: services.delegation_create(
            actor=None,
            institution=inst,
            principal=principal,
            substitute=substitute,
            valid_from=date(2026, 2, 1),
            valid_to=date(2026, 1, 31),
        ),
        "valid_to",
    )


def test_overlapping_delegations_for_the_same_principal_are_refused():
    inst = InstitutionFactory()
    principal = member(inst, Role.APPROVER, username="hanne", first_name="", last_name="")
    first = member(inst, username="ole", first_name="", last_name="")
    second = member(inst, username="pia", first_name="", last_name="")
    DelegationFactory(
        institution=inst,
        principal=principal,
        substitute=first,
        valid_from=date(2026, 7, 1),
        valid_to=date(2026, 7, 31),
    )
    message = _refused(
        lambda: services.delegation_create(
            actor=None,
            institution=inst,
            principal=principal,
            substitute=second,
            valid_from=date(2026, 7, 31),
            valid_to=date(2026, 8, 15),
        ),
        "valid_from",
    )
    assert message == (
        "hanne already has a substitute (ole) from 2026-07-01 to 2026-07-31; "
        "delegations for the same person must not overlap."
    )


def test_adjacent_and_revoked_delegations_do_not_overlap():
    inst = InstitutionFactory()
    principal = member(inst, Role.APPROVER)
    first, second = member(inst), member(inst)
    old = services.delegation_create(
        actor=None,
        institution=inst,
        principal=principal,
        substitute=first,
        valid_from=date(2026, 7, 1),
        valid_to=date(2026, 7, 31),
    )
    services.delegation_create(
        actor=None,
        institution=inst,
        principal=principal,
        substitute=second,
        valid_from=date(2026, 8, 1),
        valid_to=date(2026, 8, 15),
    )
    services.delegation_revoke(actor=None, delegation=old)
    services.delegation_create(
        actor=None,
        institution=inst,
        principal=principal,
        substitute=second,
        valid_from=date(2026, 7, 10),
        valid_to=date(2026, 7, 20),
    )
    assert Delegation.objects.filter(principal=principal, revoked_at__isnull=True).count() == 2


def test_delegation_needs_members_of_the_institution():
    inst = InstitutionFactory()
    principal = member(inst, Role.APPROVER)
    outsider = member(InstitutionFactory())
    message = _refused(
        lambda: services.delegation_create(
            actor=None,
            institution=inst,
            principal=principal,
            substitute=outsider,
            valid_from=date(2026, 1, 1),
            valid_to=date(2026, 1, 2),
        ),
        "substitute",
    )
    assert message.endswith("has no active membership in this institution.")


def test_service_agreement_with_unknown_service_is_refused():
    inst, op = InstitutionFactory(), OperatorFactory()
    message = _refused(
        lambda: services.service_agreement_create(
            actor=None,
            institution=inst,
            operator=op,
            services=["payables", "astrology"],
            valid_from=date(2026, 1, 1),
        ),
        "services",
    )
    assert message == "Unknown services: astrology."


def test_service_agreements_of_one_operator_must_not_overlap():
    agreement = ServiceAgreementFactory(valid_from=date(2025, 1, 1), valid_to=None)
    _refused(
        lambda: services.service_agreement_create(
            actor=None,
            institution=agreement.institution,
            operator=agreement.operator,
            services=["ledger"],
            valid_from=date(2026, 1, 1),
        ),
        "valid_from",
    )


def test_service_agreement_staff_must_be_operator_staff():
    inst, op = InstitutionFactory(), OperatorFactory()
    outsider = UserFactory(username="ekstern", first_name="", last_name="")
    message = _refused(
        lambda: services.service_agreement_create(
            actor=None,
            institution=inst,
            operator=op,
            services=["payables"],
            valid_from=date(2026, 1, 1),
            staff=[outsider],
        ),
        "staff",
    )
    assert message == "Not on the operator's staff: ekstern."


def test_responsibility_for_a_service_outside_the_agreement_is_refused():
    agreement = ServiceAgreementFactory(services=["payables"])
    _refused(
        lambda: services.responsibility_set(
            actor=None, agreement=agreement, service="payroll", task="Lønkørsel", owner="operator"
        ),
        "service",
    )


def test_weak_password_is_refused():
    message = _refused(
        lambda: services.user_create(actor=None, username="anna", password="1234"), "password"
    )
    assert "too short" in message
