"""Management pages: isolation between institutions, who may see and change what, and
services' errors shown on the forms with nothing saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from faelles.core.models import AuditEvent
from faelles.tenancy.models import (
    Delegation,
    Endpoint,
    Membership,
    OrgUnit,
    Role,
    ServiceAgreement,
    User,
)
from faelles.tenancy.tests.factories import valid_gln
from faelles.web.tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def _snapshot():
    return (
        list(OrgUnit.objects.order_by("pk").values()),
        list(Endpoint.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(Delegation.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values("pk", "username", "is_active", "email")),
        # Refused attempts add their own events; the snapshot is about changes.
        AuditEvent.objects.exclude(action__endswith=".refused").count(),
    )


# --- isolation: a local administrator of A against B's objects ---------------------------------


def _foreign_urls(w):
    return [
        ("get", reverse("tenancy:institution-detail", args=[w.b.pk])),
        ("get", reverse("tenancy:institution-edit", args=[w.b.pk])),
        ("get", reverse("tenancy:orgunit-detail", args=[w.unit_b.pk])),
        ("get", reverse("tenancy:orgunit-edit", args=[w.unit_b.pk])),
        ("post", reverse("tenancy:orgunit-edit", args=[w.unit_b.pk])),
        ("get", reverse("tenancy:endpoint-detail", args=[w.endpoint_b.pk])),
        ("get", reverse("tenancy:endpoint-edit", args=[w.endpoint_b.pk])),
        ("post", reverse("tenancy:endpoint-edit", args=[w.endpoint_b.pk])),
        ("get", reverse("tenancy:user-detail", args=[w.admin_b.pk])),
        ("get", reverse("tenancy:user-edit", args=[w.admin_b.pk])),
        ("post", reverse("tenancy:user-edit", args=[w.admin_b.pk])),
        ("post", reverse("tenancy:membership-revoke", args=[w.membership_b.pk])),
        ("get", reverse("tenancy:membership-edit", args=[w.membership_b.pk])),
        ("post", reverse("tenancy:membership-edit", args=[w.membership_b.pk])),
        ("get", reverse("tenancy:delegation-detail", args=[w.delegation_b.pk])),
        ("post", reverse("tenancy:delegation-revoke", args=[w.delegation_b.pk])),
        ("get", reverse("tenancy:agreement-detail", args=[w.agreement_b.pk])),
        ("get", reverse("tenancy:agreement-edit", args=[w.agreement_b.pk])),
        ("post", reverse("tenancy:agreement-edit", args=[w.agreement_b.pk])),
        ("post", reverse("tenancy:responsibility-set", args=[w.agreement_b.pk])),
    ]


EDIT_BODY = {
    "code": "HACK",
    "name": "Hacked",
    "scheme": "0088",
    "identifier": "5790000000005",
    "display_name": "Hacked",
    "is_active": "",
    "services": ["payables"],
    "valid_from": "2020-01-01",
    "service": "payables",
    "task": "Hack",
    "owner": "operator",
    "approval_limit": "1.00",
}


@pytest.mark.parametrize("who", ["admin_a", "requester_a", "case_worker"])
def test_foreign_objects_answer_404_and_nothing_changes(client, world, who):
    client.force_login(getattr(world, who))
    before = _snapshot()
    for method, url in _foreign_urls(world):
        response = getattr(client, method)(url, EDIT_BODY) if method == "post" else client.get(url)
        assert response.status_code == 404, (method, url)
    assert _snapshot() == before


def test_missing_ids_answer_the_same_404(client, world):
    client.force_login(world.admin_a)
    for name in (
        "tenancy:institution-detail",
        "tenancy:orgunit-detail",
        "tenancy:endpoint-detail",
        "tenancy:user-detail",
        "tenancy:delegation-detail",
        "tenancy:agreement-detail",
    ):
        assert client.get(reverse(name, args=[987654])).status_code == 404, name


def test_lists_show_only_the_current_institution(client, world):
    client.force_login(world.admin_a)
    html = client.get(reverse("tenancy:orgunit-list")).content.decode()
    assert "A100" in html and "B100" not in html
    html = client.get(reverse("tenancy:endpoint-list")).content.decode()
    assert world.endpoint_a.identifier in html and world.endpoint_b.identifier not in html
    html = client.get(reverse("tenancy:user-list")).content.decode()
    assert "admina" in html and "adminb" not in html
    html = client.get(reverse("tenancy:institution-list")).content.decode()
    assert "Alfa-styrelsen" in html and "Beta-styrelsen" not in html
    html = client.get(reverse("tenancy:delegation-list")).content.decode()
    assert "princb" not in html


def test_api_style_institution_filter_cannot_widen_a_ui_list(client, world):
    client.force_login(world.admin_a)
    html = client.get(reverse("tenancy:orgunit-list"), {"institution": world.b.pk}).content
    assert b"B100" not in html and b"A100" in html


# --- permission matrix --------------------------------------------------------------------------

LISTS = [
    "tenancy:institution-list",
    "tenancy:orgunit-list",
    "tenancy:endpoint-list",
    "tenancy:user-list",
    "tenancy:membership-list",
    "tenancy:delegation-list",
    "tenancy:agreement-list",
]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("op_admin", 200), ("case_worker", 200), ("admin_a", 200), ("requester_a", 403)],
)
def test_who_may_read_the_lists(client, world, who, expected):
    client.force_login(getattr(world, who))
    for name in LISTS:
        assert client.get(reverse(name)).status_code == expected, name


def test_anonymous_is_sent_to_login_from_every_list(client, world):
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/login/"), name


SETUP_FORMS = [
    "tenancy:orgunit-create",
    "tenancy:endpoint-create",
    "tenancy:user-create",
    "tenancy:membership-create",
    "tenancy:delegation-create",
]
OPERATOR_FORMS = ["tenancy:institution-create", "tenancy:agreement-create"]


@pytest.mark.parametrize(
    ("who", "setup", "operator"),
    [
        ("op_admin", 200, 200),
        ("admin_a", 200, 403),
        ("case_worker", 403, 403),
        ("requester_a", 403, 403),
    ],
)
def test_who_may_open_the_create_forms(client, world, who, setup, operator):
    client.force_login(getattr(world, who))
    for name in SETUP_FORMS:
        assert client.get(reverse(name)).status_code == setup, name
    for name in OPERATOR_FORMS:
        assert client.get(reverse(name)).status_code == operator, name


@pytest.mark.parametrize(
    ("who", "expected"),
    [("op_admin", 200), ("admin_a", 200), ("case_worker", 403), ("requester_a", 403)],
)
def test_who_may_edit_own_institution_objects(client, world, who, expected):
    client.force_login(getattr(world, who))
    for name, obj in (
        ("tenancy:orgunit-edit", world.unit_a),
        ("tenancy:endpoint-edit", world.endpoint_a),
    ):
        assert client.get(reverse(name, args=[obj.pk])).status_code == expected, name


def test_requester_cannot_read_own_institution_object_pages(client, world):
    client.force_login(world.requester_a)
    before = _snapshot()
    assert (
        client.get(reverse("tenancy:endpoint-detail", args=[world.endpoint_a.pk])).status_code
        == 403
    )
    response = client.post(reverse("tenancy:orgunit-edit", args=[world.unit_a.pk]), EDIT_BODY)
    assert response.status_code == 403
    assert _snapshot() == before


def test_local_admin_cannot_edit_institution_or_agreement(client, world):
    client.force_login(world.admin_a)
    assert client.get(reverse("tenancy:institution-edit", args=[world.a.pk])).status_code == 403
    assert (
        client.get(reverse("tenancy:agreement-edit", args=[world.agreement_a.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("tenancy:agreement-detail", args=[world.agreement_a.pk])).status_code
        == 200
    )


# --- forms call the services; their errors land on the form ---------------------------------------


def test_local_admin_creates_an_endpoint(client, world):
    client.force_login(world.admin_a)
    gln = valid_gln(777)
    response = client.post(
        reverse("tenancy:endpoint-create"),
        {
            "scheme": "0088",
            "identifier": gln,
            "org_unit": world.unit_a.pk,
            "description": "Faktura",
        },
    )
    endpoint = Endpoint.objects.get(identifier=gln)
    assert response.status_code == 302
    assert response["Location"] == reverse("tenancy:endpoint-detail", args=[endpoint.pk])
    assert endpoint.institution == world.a
    assert (
        AuditEvent.objects.filter(action="endpoint.create", object_id=str(endpoint.pk)).count() == 1
    )


def test_wrong_check_digit_is_shown_on_the_field_and_nothing_saved(client, world):
    client.force_login(world.admin_a)
    bad = valid_gln(778)[:-1] + str((int(valid_gln(778)[-1]) + 1) % 10)
    before = _snapshot()
    response = client.post(
        reverse("tenancy:endpoint-create"), {"scheme": "0088", "identifier": bad}
    )
    assert response.status_code == 200
    assert "identifier" in response.context["form"].errors
    assert 'class="form-group form-error"' in response.content.decode()
    assert _snapshot() == before


def test_endpoint_routed_elsewhere_is_refused(client, world):
    client.force_login(world.admin_a)
    before = _snapshot()
    response = client.post(
        reverse("tenancy:endpoint-create"),
        {"scheme": world.endpoint_b.scheme, "identifier": world.endpoint_b.identifier},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert _snapshot() == before


def test_overlapping_delegation_is_refused(client, world):
    client.force_login(world.op_admin)
    client.post("/institution/", {"institution": world.b.pk})
    d = world.delegation_b
    before = _snapshot()
    response = client.post(
        reverse("tenancy:delegation-create"),
        {
            "principal": d.principal_id,
            "substitute": d.substitute_id,
            "valid_from": "2026-06-01",
            "valid_to": "2026-06-30",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert _snapshot() == before


def test_user_is_created_with_a_first_role(client, world):
    client.force_login(world.admin_a)
    response = client.post(
        reverse("tenancy:user-create"),
        {
            "username": "nyansat",
            "display_name": "Ny Ansat",
            "email": "ny@example.dk",
            "role": Role.PAYER,
        },
    )
    user = User.objects.get(username="nyansat")
    assert response["Location"] == reverse("tenancy:user-detail", args=[user.pk])
    assert list(user.memberships.values_list("institution", "role")) == [(world.a.pk, Role.PAYER)]
    assert not user.has_usable_password()


def test_membership_revoke_by_local_admin(client, world):
    client.force_login(world.admin_a)
    membership = Membership.objects.get(user=world.requester_a, institution=world.a)
    response = client.post(reverse("tenancy:membership-revoke", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False


def test_approval_limit_is_changed_through_the_edit_form(client, world):
    ServiceAgreement.objects.filter(pk=world.agreement_b.pk).update(
        approval_limit_ceiling=Decimal("100000.00")
    )
    client.force_login(world.op_admin)
    client.post("/institution/", {"institution": world.b.pk})
    membership = world.membership_b
    url = reverse("tenancy:membership-edit", args=[membership.pk])
    response = client.post(url, {"approval_limit": "75000.00"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert str(membership.approval_limit) == "75000.00"
    refused = client.post(url, {"approval_limit": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors
    membership.refresh_from_db()
    assert str(membership.approval_limit) == "75000.00"


def test_responsibility_matrix_row_is_set_by_operator_admin(client, world):
    client.force_login(world.op_admin)
    url = reverse("tenancy:responsibility-set", args=[world.agreement_a.pk])
    response = client.post(
        url, {"service": "payables", "task": "Bogføring", "owner": "institution"}
    )
    assert response.status_code == 302
    html = client.get(reverse("tenancy:agreement-detail", args=[world.agreement_a.pk])).content
    assert "Bogføring" in html.decode()


def test_htmx_filter_request_gets_only_the_results_fragment(client, world):
    client.force_login(world.admin_a)
    response = client.get(reverse("tenancy:orgunit-list"), {"q": "A100"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.templates[0].name == "web/_list_results.html"
    assert "<html" not in html and "A100" in html
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("tenancy:orgunit-list"), {"q": "nothing-like-this"})
    assert full.templates[0].name == "web/list.html"
    assert "A100" not in full.content.decode()


def test_operator_admin_creates_an_institution_under_a_parent(client, world):
    from faelles.tenancy.models import Institution
    from faelles.tenancy.tests.factories import valid_cvr

    client.force_login(world.op_admin)
    response = client.post(
        reverse("tenancy:institution-create"),
        {
            "name": "Gamma-instituttet",
            "short_name": "GAMMA",
            "kind": "institution",
            "cvr": valid_cvr(4242),
            "parent": world.a.pk,
            "requires_two_persons": "on",
        },
    )
    gamma = Institution.objects.get(short_name="GAMMA")
    assert response["Location"] == reverse("tenancy:institution-detail", args=[gamma.pk])
    assert gamma.parent == world.a
    assert AuditEvent.objects.filter(action="institution.create", object_id=str(gamma.pk)).exists()


def test_operator_admin_onboards_an_institution_with_a_service_agreement(client, world):
    from faelles.tenancy.models import ServiceAgreement
    from faelles.tenancy.tests.factories import InstitutionFactory

    new = InstitutionFactory(name="Delta-styrelsen")
    client.force_login(world.op_admin)
    detail = client.get(reverse("tenancy:institution-detail", args=[new.pk])).content.decode()
    url = reverse("tenancy:agreement-create") + f"?institution={new.pk}"
    assert url in detail
    body = {
        "operator": world.operator.pk,
        "services": ["payroll", "it"],
        "valid_from": "2030-01-01",
        "staff": [world.case_worker.pk],
        "note": "Løn og it fra 2030",
    }
    response = client.post(url, body)
    agreement = ServiceAgreement.objects.get(institution=new)
    assert response["Location"] == reverse("tenancy:agreement-detail", args=[agreement.pk])
    assert agreement.services == ["payroll", "it"]
    assert list(agreement.staff.all()) == [world.case_worker]
    # A second open-ended agreement overlapping the first is refused on the form.
    again = client.post(url, {**body, "valid_from": "2031-01-01"})
    assert again.status_code == 200
    assert "valid_from" in again.context["form"].errors
    assert ServiceAgreement.objects.filter(institution=new).count() == 1


def test_local_admin_cannot_create_an_agreement_for_another_institution(client, world):
    client.force_login(world.admin_a)
    url = reverse("tenancy:agreement-create")
    assert client.get(url + f"?institution={world.b.pk}").status_code == 404
    assert client.get(url + "?institution=x").status_code == 404
    assert client.get(url + f"?institution={world.a.pk}").status_code == 403


def test_local_admin_creates_and_revokes_a_delegation(client, world):
    client.force_login(world.admin_a)
    response = client.post(
        reverse("tenancy:delegation-create"),
        {
            "principal": world.requester_a.pk,
            "substitute": world.multi.pk,
            "valid_from": "2026-07-01",
            "valid_to": "2026-07-31",
            "reason": "Sommerferie",
        },
    )
    delegation = Delegation.objects.get(institution=world.a)
    assert response["Location"] == reverse("tenancy:delegation-detail", args=[delegation.pk])
    client.post(reverse("tenancy:delegation-revoke", args=[delegation.pk]))
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_cancel_link_never_points_off_site(client, world):
    client.force_login(world.admin_a)
    url = reverse("tenancy:orgunit-create")
    response = client.get(url, HTTP_REFERER="https://evil.example/")
    assert response.context["cancel_url"] == "/"
    response = client.get(url, HTTP_REFERER="http://testserver/administration/org-units/")
    assert response.context["cancel_url"] == "http://testserver/administration/org-units/"


def test_object_page_shows_its_audit_trail(client, world):
    client.force_login(world.admin_a)
    client.post(
        reverse("tenancy:orgunit-edit", args=[world.unit_a.pk]),
        {"code": "A100", "name": "Alfa regnskab", "is_active": "on"},
    )
    response = client.get(reverse("tenancy:orgunit-detail", args=[world.unit_a.pk]))
    events = response.context["audit_events"]
    assert [e.action for e in events] == ["org_unit.update"]
    assert events[0].actor == world.admin_a
    assert "Alfa regnskab" in response.content.decode()


def test_responsibility_for_a_service_outside_the_agreement_is_refused(client, world):
    from faelles.tenancy.models import Responsibility

    client.force_login(world.op_admin)
    url = reverse("tenancy:responsibility-set", args=[world.agreement_a.pk])
    response = client.post(url, {"service": "payroll", "task": "Lønkørsel", "owner": "operator"})
    assert response.status_code == 302
    assert not Responsibility.objects.filter(agreement=world.agreement_a).exists()
    page = client.get(response["Location"])
    assert [m.level_tag for m in page.context["messages"]] == ["error"]


def test_local_admin_may_not_set_responsibilities(client, world):
    from faelles.tenancy.models import Responsibility

    client.force_login(world.admin_a)
    url = reverse("tenancy:responsibility-set", args=[world.agreement_a.pk])
    response = client.post(url, {"service": "payables", "task": "X", "owner": "institution"})
    assert response.status_code == 403
    assert not Responsibility.objects.exists()


def test_operator_admin_grants_and_revokes_a_staff_role(client, world):
    from faelles.tenancy.models import OperatorStaff, StaffRole

    client.force_login(world.op_admin)
    assert client.get(reverse("tenancy:staff-list")).status_code == 200
    response = client.post(
        reverse("tenancy:staff-create"),
        {"user": world.requester_a.pk, "role": StaffRole.CASE_WORKER},
    )
    assert response["Location"] == reverse("tenancy:staff-list")
    staff = OperatorStaff.objects.get(user=world.requester_a)
    assert (staff.operator, staff.role, staff.is_active) == (
        world.operator,
        StaffRole.CASE_WORKER,
        True,
    )
    client.post(reverse("tenancy:staff-revoke", args=[staff.pk]))
    staff.refresh_from_db()
    assert staff.is_active is False


def test_operator_admin_cannot_revoke_own_staff_role(client, world):
    from faelles.tenancy.models import OperatorStaff

    client.force_login(world.op_admin)
    own = OperatorStaff.objects.get(user=world.op_admin)
    response = client.post(reverse("tenancy:staff-revoke", args=[own.pk]), follow=True)
    own.refresh_from_db()
    assert own.is_active is True
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.parametrize(
    ("who", "revoke_status"),
    # Staff of the same operator see that the role exists (403); others do not (404).
    [("admin_a", 404), ("case_worker", 403), ("requester_a", 404)],
)
def test_only_operator_admins_manage_staff(client, world, who, revoke_status):
    from faelles.tenancy.models import OperatorStaff

    client.force_login(getattr(world, who))
    own = OperatorStaff.objects.get(user=world.op_admin)
    assert client.get(reverse("tenancy:staff-list")).status_code == 403
    assert client.get(reverse("tenancy:staff-create")).status_code == 403
    response = client.post(reverse("tenancy:staff-revoke", args=[own.pk]))
    assert response.status_code == revoke_status
    own.refresh_from_db()
    assert own.is_active is True


def test_operator_admin_switches_to_an_institution_from_its_page(client, world):
    from faelles.tenancy.middleware import SESSION_KEY

    client.force_login(world.op_admin)
    page = client.get(reverse("tenancy:institution-detail", args=[world.b.pk]))
    assert page.context["can_work_here"] is True
    client.post(reverse("web:switch-institution"), {"institution": world.b.pk})
    assert client.session[SESSION_KEY] == world.b.pk
    again = client.get(reverse("tenancy:institution-detail", args=[world.b.pk]))
    assert again.context["can_work_here"] is False
