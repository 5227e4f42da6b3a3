"""The tenancy API: authentication, isolation between institutions and writes via services."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from faelles.tenancy.models import Endpoint, OrgUnit
from faelles.tenancy.tests.factories import valid_gln
from faelles.tenancy.tests.test_views import _snapshot
from faelles.web.tests.world import build_world

pytestmark = pytest.mark.django_db

API = "/api/v1/tenancy"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def api():
    return APIClient()


def _ids(response):
    return sorted(row["id"] for row in response.json()["results"])


def test_anonymous_is_refused(api, world):
    assert api.get(f"{API}/org-units/").status_code in (401, 403)


def test_token_authentication(api, world):
    token = Token.objects.create(user=world.admin_a)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(f"{API}/org-units/")
    assert response.status_code == 200
    assert _ids(response) == [world.unit_a.pk]


def test_lists_are_scoped_to_own_institutions(api, world):
    api.force_authenticate(world.admin_a)
    assert _ids(api.get(f"{API}/institutions/")) == [world.a.pk]
    assert _ids(api.get(f"{API}/endpoints/")) == [world.endpoint_a.pk]
    assert _ids(api.get(f"{API}/service-agreements/")) == [world.agreement_a.pk]
    assert world.membership_b.pk not in _ids(api.get(f"{API}/memberships/"))
    assert _ids(api.get(f"{API}/delegations/")) == []
    assert world.admin_b.pk not in _ids(api.get(f"{API}/users/"))
    # Asking for the other institution by filter gives nothing, not its rows.
    assert _ids(api.get(f"{API}/org-units/", {"institution": world.b.pk})) == []


def test_member_of_two_institutions_sees_both(api, world):
    api.force_authenticate(world.multi)
    assert _ids(api.get(f"{API}/org-units/")) == sorted([world.unit_a.pk, world.unit_b.pk])


@pytest.mark.parametrize("who", ["admin_a", "requester_a"])
def test_foreign_objects_answer_404_like_missing_and_nothing_changes(api, world, who):
    api.force_authenticate(getattr(world, who))
    before = _snapshot()
    for path in (
        f"institutions/{world.b.pk}/",
        f"org-units/{world.unit_b.pk}/",
        f"endpoints/{world.endpoint_b.pk}/",
        f"memberships/{world.membership_b.pk}/",
        f"delegations/{world.delegation_b.pk}/",
        f"service-agreements/{world.agreement_b.pk}/",
        f"users/{world.admin_b.pk}/",
    ):
        foreign = api.get(f"{API}/{path}")
        missing = api.get(f"{API}/{path.split('/')[0]}/999999/")
        assert foreign.status_code == missing.status_code == 404, path
        assert foreign.json() == missing.json()
    assert api.patch(f"{API}/org-units/{world.unit_b.pk}/", {"name": "X"}).status_code == 404
    assert (
        api.patch(f"{API}/endpoints/{world.endpoint_b.pk}/", {"description": "X"}).status_code
        == 404
    )
    assert api.post(f"{API}/memberships/{world.membership_b.pk}/revoke/").status_code == 404
    assert api.post(f"{API}/delegations/{world.delegation_b.pk}/revoke/").status_code == 404
    assert _snapshot() == before


def test_creating_in_a_foreign_institution_reads_like_a_missing_one(api, world):
    api.force_authenticate(world.admin_a)
    before = _snapshot()
    foreign = api.post(f"{API}/org-units/", {"institution": world.b.pk, "code": "X1", "name": "X"})
    missing = api.post(f"{API}/org-units/", {"institution": 999999, "code": "X1", "name": "X"})
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["institution"][0].replace(str(world.b.pk), "N") == missing.json()[
        "institution"
    ][0].replace("999999", "N")
    assert _snapshot() == before


def test_local_admin_creates_and_changes_an_org_unit(api, world):
    api.force_authenticate(world.admin_a)
    response = api.post(
        f"{API}/org-units/", {"institution": world.a.pk, "code": "A200", "name": "Løn"}
    )
    assert response.status_code == 201, response.json()
    unit = OrgUnit.objects.get(code="A200")
    assert unit.institution == world.a
    response = api.patch(f"{API}/org-units/{unit.pk}/", {"name": "Løn og personale"})
    assert response.status_code == 200
    unit.refresh_from_db()
    assert unit.name == "Løn og personale"


def test_requester_may_not_create(api, world):
    api.force_authenticate(world.requester_a)
    before = _snapshot()
    response = api.post(
        f"{API}/org-units/", {"institution": world.a.pk, "code": "A300", "name": "X"}
    )
    assert response.status_code == 403
    assert _snapshot() == before


def test_service_validation_errors_are_400_with_the_field(api, world):
    api.force_authenticate(world.admin_a)
    gln = valid_gln(900)
    bad = gln[:-1] + str((int(gln[-1]) + 1) % 10)
    response = api.post(
        f"{API}/endpoints/", {"institution": world.a.pk, "scheme": "0088", "identifier": bad}
    )
    assert response.status_code == 400
    assert "identifier" in response.json()
    taken = api.post(
        f"{API}/endpoints/",
        {"institution": world.a.pk, "scheme": "0088", "identifier": world.endpoint_b.identifier},
    )
    assert taken.status_code == 400
    assert Endpoint.objects.filter(institution=world.a).count() == 1


def test_membership_revoke(api, world):
    api.force_authenticate(world.admin_a)
    membership = world.requester_a.memberships.get()
    response = api.post(f"{API}/memberships/{membership.pk}/revoke/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_service_agreement_carries_its_responsibility_matrix(api, world):
    from faelles.tenancy.tests.factories import ResponsibilityFactory

    ResponsibilityFactory(agreement=world.agreement_a, task="Betaling", owner="operator")
    api.force_authenticate(world.admin_a)
    data = api.get(f"{API}/service-agreements/{world.agreement_a.pk}/").json()
    assert [(r["task"], r["owner"]) for r in data["responsibilities"]] == [("Betaling", "operator")]


def test_schema_and_docs_are_served(client, world):
    client.force_login(world.admin_a)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/tenancy/org-units/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # Swagger UI comes from our own static files (works without internet access).
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content.decode()


def test_out_of_range_numbers_are_refused_not_crashing(api, world):
    api.force_authenticate(world.op_admin)
    huge = "78405616608005962334208"
    assert api.get(f"{API}/memberships/", {"institution": huge}).status_code == 400
    assert api.get(f"{API}/memberships/", {"user": "-1"}).status_code == 400
    response = api.get(f"{API}/org-units/", {"offset": huge, "limit": "100000"})
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert api.get(f"{API}/org-units/{huge}/").status_code == 404


def test_requester_reads_setup_but_not_administration(api, world):
    api.force_authenticate(world.requester_a)
    assert _ids(api.get(f"{API}/org-units/")) == [world.unit_a.pk]
    assert _ids(api.get(f"{API}/endpoints/")) == [world.endpoint_a.pk]
    assert _ids(api.get(f"{API}/memberships/")) == []
    assert _ids(api.get(f"{API}/users/")) == []


def test_me_lists_own_institutions_and_roles(api, world):
    api.force_authenticate(world.multi)
    data = api.get(f"{API}/users/me/").json()
    assert data["user"]["username"] == "multi"
    assert data["staff_roles"] == []
    assert [(i["short_name"], i["roles"]) for i in data["institutions"]] == [
        ("ALFA", ["bookkeeper"]),
        ("BETA", ["bookkeeper"]),
    ]
