"""Segregation of duties in the tenancy set-up: nobody grants or widens their own roles or
limits; approval limits above the service agreement's ceiling wait for a second approval by
an operator administrator; every refused attempt is an audit event and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from faelles.core.audit import verify_chains
from faelles.core.models import AuditEvent
from faelles.tenancy import selectors, services
from faelles.tenancy.models import (
    ApprovalLimitRequest,
    Delegation,
    Membership,
    OperatorStaff,
    Role,
    StaffRole,
)
from faelles.tenancy.tests.factories import (
    DelegationFactory,
    InstitutionFactory,
    MembershipFactory,
    OperatorFactory,
    OperatorStaffFactory,
    ServiceAgreementFactory,
    member,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/tenancy"
HUGE = "9999999999999.99"
CEILING = Decimal("100000.00")
REQUESTED = ApprovalLimitRequest.State.REQUESTED


class W:
    """Institution A (ceiling 100,000 kr.) with a local administrator and an approver
    (50,000 kr.), two operator administrators and a local administrator of B."""

    def __init__(self) -> None:
        self.operator = OperatorFactory()
        self.a = InstitutionFactory(short_name="A")
        self.b = InstitutionFactory(short_name="B")
        self.agreement_a = ServiceAgreementFactory(
            institution=self.a, operator=self.operator, approval_limit_ceiling=CEILING
        )
        ServiceAgreementFactory(institution=self.b, operator=self.operator)
        self.op1 = OperatorStaffFactory(
            operator=self.operator, role=StaffRole.OPERATOR_ADMIN, user__username="op1"
        ).user
        self.op2 = OperatorStaffFactory(
            operator=self.operator, role=StaffRole.OPERATOR_ADMIN, user__username="op2"
        ).user
        self.admin_a = member(self.a, Role.LOCAL_ADMIN, username="admina")
        self.approver_a = member(self.a, Role.APPROVER, username="approvera")
        self.approver_membership = Membership.objects.get(user=self.approver_a)
        self.requester_a = member(self.a, Role.REQUESTER, username="reqa")
        self.admin_b = member(self.b, Role.LOCAL_ADMIN, username="adminb")


@pytest.fixture
def w():
    return W()


@pytest.fixture
def api():
    return APIClient()


def _refusals():
    return list(
        AuditEvent.objects.filter(action__endswith=".refused")
        .order_by("pk")
        .values_list("action", "actor_id", "details__code")
    )


def _memberships():
    return list(Membership.objects.order_by("pk").values())


def _as(client, user, institution):
    client.force_login(user)
    client.post("/institution/", {"institution": institution.pk})


# --- nobody grants themselves a role or a limit -------------------------------------------------


def test_api_local_admin_cannot_grant_themself_approver_with_any_limit(api, w):
    """The attack from the review: a local administrator grants themself the approver role
    with a limit of 9,999,999,999,999.99 over the API (to approve and post invoices)."""
    api.force_authenticate(w.admin_a)
    before = _memberships()

    response = api.post(
        f"{API}/memberships/",
        {
            "institution": w.a.pk,
            "user": w.admin_a.pk,
            "role": Role.APPROVER,
            "approval_limit": HUGE,
        },
    )

    assert response.status_code == 400
    assert list(response.json()) == ["user"]
    assert "dine egne roller" in response.json()["user"][0]
    assert _memberships() == before
    assert selectors.approval_limit_for(w.admin_a, w.a) is None
    assert not ApprovalLimitRequest.objects.exists()
    assert _refusals() == [("membership.grant.refused", w.admin_a.pk, "self_grant")]
    event = AuditEvent.objects.get(action="membership.grant.refused")
    assert (event.institution_id, event.details["user"]) == (w.a.pk, w.admin_a.pk)
    assert verify_chains() == []


def test_page_local_admin_cannot_grant_themself_approver(client, w):
    _as(client, w.admin_a, w.a)
    before = _memberships()

    response = client.post(
        reverse("tenancy:membership-create"),
        {"user": w.admin_a.pk, "role": Role.APPROVER, "approval_limit": HUGE},
    )

    assert response.status_code == 200
    assert "dine egne roller" in response.context["form"].errors["user"][0]
    assert _memberships() == before
    assert _refusals() == [("membership.grant.refused", w.admin_a.pk, "self_grant")]


def test_local_admin_cannot_raise_their_own_limit(client, w):
    own = MembershipFactory(
        institution=w.a, user=w.admin_a, role=Role.APPROVER, approval_limit=Decimal("1000.00")
    )
    _as(client, w.admin_a, w.a)

    response = client.post(
        reverse("tenancy:membership-edit", args=[own.pk]), {"approval_limit": "90000.00"}
    )

    assert response.status_code == 200
    assert "dine egne roller" in " ".join(response.context["form"].non_field_errors())
    own.refresh_from_db()
    assert own.approval_limit == Decimal("1000.00")
    assert _refusals() == [("membership.update.refused", w.admin_a.pk, "self_grant")]


def test_a_substitute_cannot_widen_the_limit_of_the_person_they_stand_in_for(api, w):
    today = timezone.localdate()
    DelegationFactory(
        institution=w.a,
        principal=w.approver_a,
        substitute=w.admin_a,
        valid_from=today,
        valid_to=today + timedelta(days=30),
    )
    api.force_authenticate(w.admin_a)

    response = api.post(
        f"{API}/memberships/",
        {
            "institution": w.a.pk,
            "user": w.approver_a.pk,
            "role": Role.APPROVER,
            "approval_limit": "90000",
        },
    )

    assert response.status_code == 400
    w.approver_membership.refresh_from_db()
    assert w.approver_membership.approval_limit == Decimal("50000.00")
    assert _refusals() == [("membership.grant.refused", w.admin_a.pk, "self_grant")]


def test_operator_admin_cannot_grant_themself_a_membership(api, w):
    api.force_authenticate(w.op1)

    response = api.post(
        f"{API}/memberships/",
        {"institution": w.a.pk, "user": w.op1.pk, "role": Role.APPROVER, "approval_limit": "10"},
    )

    assert response.status_code == 400
    assert not Membership.objects.filter(user=w.op1).exists()
    assert _refusals() == [("membership.grant.refused", w.op1.pk, "self_grant")]


def test_operator_admin_cannot_give_themself_a_staff_role(client, w):
    client.force_login(w.op1)
    before = list(OperatorStaff.objects.order_by("pk").values())

    response = client.post(
        reverse("tenancy:staff-create"), {"user": w.op1.pk, "role": StaffRole.SYSTEM_ADMIN}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["user"]
    assert list(OperatorStaff.objects.order_by("pk").values()) == before
    assert _refusals() == [("operator_staff.grant.refused", w.op1.pk, "self_grant")]
    # The same through the service (and a second operator administrator may do it).
    with pytest.raises(ValidationError):
        services.operator_staff_grant(
            actor=w.op1, operator=w.operator, user=w.op1, role=StaffRole.SYSTEM_ADMIN
        )
    services.operator_staff_grant(
        actor=w.op2, operator=w.operator, user=w.op1, role=StaffRole.SYSTEM_ADMIN
    )
    assert OperatorStaff.objects.filter(user=w.op1, role=StaffRole.SYSTEM_ADMIN).count() == 1


def test_api_nobody_makes_themself_a_substitute(api, w):
    api.force_authenticate(w.admin_a)
    today = timezone.localdate()

    response = api.post(
        f"{API}/delegations/",
        {
            "institution": w.a.pk,
            "principal": w.approver_a.pk,
            "substitute": w.admin_a.pk,
            "valid_from": today.isoformat(),
            "valid_to": (today + timedelta(days=5)).isoformat(),
        },
    )

    assert response.status_code == 400
    assert list(response.json()) == ["substitute"]
    assert not Delegation.objects.exists()
    assert _refusals() == [("delegation.create.refused", w.admin_a.pk, "self_grant")]


def test_page_nobody_makes_themself_a_substitute(client, w):
    _as(client, w.admin_a, w.a)
    today = timezone.localdate()

    response = client.post(
        reverse("tenancy:delegation-create"),
        {
            "principal": w.approver_a.pk,
            "substitute": w.admin_a.pk,
            "valid_from": today.isoformat(),
            "valid_to": (today + timedelta(days=5)).isoformat(),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["substitute"]
    assert not Delegation.objects.exists()
    assert _refusals() == [("delegation.create.refused", w.admin_a.pk, "self_grant")]


def test_granting_someone_else_still_works(api, w):
    api.force_authenticate(w.admin_a)
    response = api.post(
        f"{API}/memberships/",
        {"institution": w.a.pk, "user": w.requester_a.pk, "role": Role.PAYER},
    )
    assert response.status_code == 201
    assert _refusals() == []


# --- the ceiling --------------------------------------------------------------------------------


def test_api_limit_above_the_ceiling_waits_and_is_not_in_force(api, w):
    """The second half of the attack: raising another approver to any amount."""
    api.force_authenticate(w.admin_a)

    response = api.post(
        f"{API}/memberships/",
        {
            "institution": w.a.pk,
            "user": w.approver_a.pk,
            "role": Role.APPROVER,
            "approval_limit": HUGE,
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["approval_limit"], body["pending_approval_limit"]) == ("50000.00", HUGE)
    w.approver_membership.refresh_from_db()
    assert w.approver_membership.approval_limit == Decimal("50000.00")
    assert selectors.approval_limit_for(w.approver_a, w.a).amount == Decimal("50000.00")
    req = ApprovalLimitRequest.objects.get()
    assert body["pending_request"] == req.pk
    assert (req.state, req.requested_limit, req.ceiling, req.limit_before, req.requested_by) == (
        REQUESTED,
        Decimal(HUGE),
        CEILING,
        Decimal("50000.00"),
        w.admin_a,
    )
    event = AuditEvent.objects.get(action="approval_limit_request.create")
    assert event.details == {
        "membership": w.approver_membership.pk,
        "user": w.approver_a.pk,
        "requested_limit": HUGE,
        "ceiling": "100000.00",
        "limit_in_force": "50000.00",
    }
    assert not AuditEvent.objects.filter(action="membership.grant").exists()


def test_page_limit_above_the_ceiling_waits(client, w):
    _as(client, w.admin_a, w.a)
    url = reverse("tenancy:membership-edit", args=[w.approver_membership.pk])

    response = client.post(url, {"approval_limit": "250000.00"}, follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "250.000,00" in text or "250,000.00" in text
    w.approver_membership.refresh_from_db()
    assert w.approver_membership.approval_limit == Decimal("50000.00")
    assert ApprovalLimitRequest.objects.get().requested_limit == Decimal("250000.00")


def test_a_limit_within_the_ceiling_applies_at_once(api, w):
    api.force_authenticate(w.admin_a)
    response = api.post(
        f"{API}/memberships/",
        {
            "institution": w.a.pk,
            "user": w.approver_a.pk,
            "role": Role.APPROVER,
            "approval_limit": "100000.00",
        },
    )
    assert response.status_code == 201
    assert (response.json()["approval_limit"], response.json()["pending_approval_limit"]) == (
        "100000.00",
        None,
    )
    assert not ApprovalLimitRequest.objects.exists()


def test_a_new_approver_above_the_ceiling_gets_the_ceiling_meanwhile(w):
    membership = services.membership_grant(
        actor=w.admin_a,
        institution=w.a,
        user=w.requester_a,
        role=Role.APPROVER,
        approval_limit=Decimal("300000.00"),
    )
    assert membership.approval_limit == CEILING
    assert membership.pending_limit_request.requested_limit == Decimal("300000.00")
    assert membership.pending_limit_request.limit_before is None


def test_without_agreement_or_ceiling_every_limit_above_zero_waits(w):
    ServiceAgreementFactory(institution=InstitutionFactory(), operator=w.operator)
    c = InstitutionFactory()  # being onboarded: no agreement
    assert services.approval_limit_ceiling(c) == Decimal("0.00")
    assert services.approval_limit_ceiling(w.b) == Decimal("0.00")  # agreement without one
    assert services.approval_limit_ceiling(w.a) == CEILING
    m = services.membership_grant(
        actor=w.admin_b,
        institution=w.b,
        user=member(w.b, Role.REQUESTER),
        role=Role.APPROVER,
        approval_limit=Decimal("1.00"),
    )
    assert (m.approval_limit, m.pending_limit_request.requested_limit) == (
        Decimal("0.00"),
        Decimal("1.00"),
    )


def test_lowering_applies_at_once_and_withdraws_the_open_request(w):
    services.membership_update(
        actor=w.admin_a, membership=w.approver_membership, approval_limit=Decimal("200000")
    )
    services.membership_update(
        actor=w.admin_a, membership=w.approver_membership, approval_limit=Decimal("10000")
    )
    w.approver_membership.refresh_from_db()
    assert w.approver_membership.approval_limit == Decimal("10000.00")
    assert list(ApprovalLimitRequest.objects.values_list("state", flat=True)) == ["withdrawn"]


def test_revoking_the_role_withdraws_the_open_request(w):
    services.membership_update(
        actor=w.admin_a, membership=w.approver_membership, approval_limit=Decimal("200000")
    )
    services.membership_revoke(actor=w.admin_a, membership=w.approver_membership)
    assert list(ApprovalLimitRequest.objects.values_list("state", flat=True)) == ["withdrawn"]


# --- the second approval ------------------------------------------------------------------------


def _request_by(actor, w, limit="200000.00"):
    services.membership_update(
        actor=actor, membership=w.approver_membership, approval_limit=Decimal(limit)
    )
    return ApprovalLimitRequest.objects.get(state=REQUESTED)


def test_api_the_requesting_operator_admin_cannot_approve(api, w):
    req = _request_by(w.op1, w)
    api.force_authenticate(w.op1)

    response = api.post(f"{API}/approval-limit-requests/{req.pk}/approve/", {})

    assert response.status_code == 400
    assert "en anden driftsadministrator" in response.json()["actor"][0]
    req.refresh_from_db()
    w.approver_membership.refresh_from_db()
    assert (req.state, req.decided_by, w.approver_membership.approval_limit) == (
        REQUESTED,
        None,
        Decimal("50000.00"),
    )
    assert _refusals() == [("approval_limit_request.approve.refused", w.op1.pk, "same_person")]


def test_api_a_second_operator_admin_approves_and_the_limit_comes_into_force(api, w):
    req = _request_by(w.op1, w)
    api.force_authenticate(w.op2)

    listed = api.get(f"{API}/approval-limit-requests/", {"state": "requested"})
    assert [r["id"] for r in listed.json()["results"]] == [req.pk]
    response = api.post(
        f"{API}/approval-limit-requests/{req.pk}/approve/", {"reason": "Museumsdirektør"}
    )

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["limit_in_force"]) == (
        "approved",
        "200000.00",
    )
    w.approver_membership.refresh_from_db()
    assert w.approver_membership.approval_limit == Decimal("200000.00")
    assert selectors.approval_limit_for(w.approver_a, w.a).amount == Decimal("200000.00")
    event = AuditEvent.objects.get(action="approval_limit_request.approve")
    assert (event.actor_id, event.details["requested_by"], event.details["reason"]) == (
        w.op2.pk,
        w.op1.pk,
        "Museumsdirektør",
    )
    # Decided once: a second decision is refused with a clear message.
    again = api.post(f"{API}/approval-limit-requests/{req.pk}/refuse/", {})
    assert again.status_code == 400
    assert verify_chains() == []


def test_api_refusal_keeps_the_limit_in_force(api, w):
    req = _request_by(w.admin_a, w)
    api.force_authenticate(w.op1)

    response = api.post(f"{API}/approval-limit-requests/{req.pk}/refuse/", {"reason": "Nej"})

    assert response.status_code == 200
    req.refresh_from_db()
    w.approver_membership.refresh_from_db()
    assert (req.state, req.decided_by, w.approver_membership.approval_limit) == (
        "refused",
        w.op1,
        Decimal("50000.00"),
    )


def test_api_a_local_admin_cannot_decide(api, w):
    req = _request_by(w.op1, w)
    api.force_authenticate(w.admin_a)

    response = api.post(f"{API}/approval-limit-requests/{req.pk}/approve/", {})

    assert response.status_code == 403
    req.refresh_from_db()
    assert req.state == REQUESTED
    assert _refusals() == [("approval_limit_request.approve.refused", w.admin_a.pk, "not_allowed")]


def test_api_another_institutions_admin_does_not_see_the_request(api, w):
    req = _request_by(w.op1, w)
    api.force_authenticate(w.admin_b)
    assert api.get(f"{API}/approval-limit-requests/").json()["results"] == []
    assert api.post(f"{API}/approval-limit-requests/{req.pk}/approve/", {}).status_code == 404


def test_the_membership_user_cannot_approve_their_own_limit(w):
    # op2 also works as an approver in A; op1 asks for a higher limit for op2.
    own = MembershipFactory(
        institution=w.a, user=w.op2, role=Role.APPROVER, approval_limit=Decimal("1000")
    )
    services.membership_update(actor=w.op1, membership=own, approval_limit=Decimal("500000"))
    req = ApprovalLimitRequest.objects.get(membership=own)

    with pytest.raises(ValidationError) as raised:
        services.approval_limit_request_approve(actor=w.op2, limit_request=req)

    assert raised.value.error_dict["user"][0].code == "self_grant"
    own.refresh_from_db()
    assert own.approval_limit == Decimal("1000.00")
    assert _refusals() == [("approval_limit_request.approve.refused", w.op2.pk, "self_grant")]


def test_page_list_and_decisions(client, w):
    req = _request_by(w.op1, w)

    client.force_login(w.op1)
    page = client.get(reverse("tenancy:limit-request-list"))
    assert page.status_code == 200
    assert reverse("tenancy:limit-request-approve", args=[req.pk]) not in page.content.decode()
    refused = client.post(reverse("tenancy:limit-request-approve", args=[req.pk]), follow=True)
    assert "en anden driftsadministrator" in refused.content.decode()
    req.refresh_from_db()
    assert req.state == REQUESTED

    client.force_login(w.op2)
    page = client.get(reverse("tenancy:limit-request-list"))
    assert reverse("tenancy:limit-request-approve", args=[req.pk]) in page.content.decode()
    response = client.post(reverse("tenancy:limit-request-approve", args=[req.pk]))
    assert response.status_code == 302
    w.approver_membership.refresh_from_db()
    assert w.approver_membership.approval_limit == Decimal("200000.00")
    assert _refusals() == [("approval_limit_request.approve.refused", w.op1.pk, "same_person")]


def test_page_a_local_admin_cannot_decide(client, w):
    req = _request_by(w.op1, w)
    _as(client, w.admin_a, w.a)
    assert client.post(reverse("tenancy:limit-request-approve", args=[req.pk])).status_code == 403
    req.refresh_from_db()
    assert req.state == REQUESTED
    assert _refusals() == [("approval_limit_request.approve.refused", w.admin_a.pk, "not_allowed")]


def test_the_ceiling_is_set_in_the_agreement_by_the_operator(api, w):
    api.force_authenticate(w.op1)
    response = api.patch(
        f"{API}/service-agreements/{w.agreement_a.pk}/", {"approval_limit_ceiling": "150000.00"}
    )
    assert response.status_code == 200
    assert response.json()["approval_limit_ceiling"] == "150000.00"
    assert services.approval_limit_ceiling(w.a) == Decimal("150000.00")
    bad = api.patch(
        f"{API}/service-agreements/{w.agreement_a.pk}/", {"approval_limit_ceiling": "-1"}
    )
    assert bad.status_code == 400
    api.force_authenticate(w.admin_a)
    denied = api.patch(
        f"{API}/service-agreements/{w.agreement_a.pk}/", {"approval_limit_ceiling": HUGE}
    )
    assert denied.status_code in (403, 404)
    assert services.approval_limit_ceiling(w.a) == Decimal("150000.00")


def test_the_system_itself_is_not_held_by_the_ceiling(w):
    """The demo loader and management commands (actor=None) run as the operator."""
    m = services.membership_grant(
        actor=None,
        institution=w.a,
        user=w.requester_a,
        role=Role.APPROVER,
        approval_limit=Decimal("900000"),
    )
    assert m.approval_limit == Decimal("900000.00")


def test_managing_a_user_one_may_not_manage_is_refused_and_recorded(client, w):
    multi = member(w.a, Role.BOOKKEEPER, username="multi")
    MembershipFactory(institution=w.b, user=multi, role=Role.BOOKKEEPER)
    _as(client, w.admin_a, w.a)

    response = client.post(
        reverse("tenancy:user-edit", args=[multi.pk]), {"display_name": "Overtaget"}
    )

    assert response.status_code == 403
    multi.refresh_from_db()
    assert multi.display_name != "Overtaget"
    assert _refusals() == [("user.update.refused", w.admin_a.pk, "not_allowed")]
    with pytest.raises(PermissionDenied):
        services.user_update(actor=w.admin_a, user=multi, display_name="Overtaget")
    assert len(_refusals()) == 2
