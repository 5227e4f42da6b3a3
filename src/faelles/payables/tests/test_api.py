"""The invoice API: list, detail, coding and the flow's steps; refusals answer 400 with codes
by field and change nothing; another institution's invoice answers 404 like a missing one."""

import pytest
from rest_framework.test import APIClient

from faelles.payables import services
from faelles.payables.models import Invoice
from faelles.payables.tests.factories import make_world

pytestmark = pytest.mark.django_db

CODING = {
    "allocations": [
        {"line": 1, "account": "2210", "amount": "2000.00", "org_unit": "100", "vat_code": "I25"},
        {"line": 1, "account": "2220", "amount": "800.00", "org_unit": "200", "vat_code": "I25"},
        {"line": 2, "account": "2210", "amount": "-1500.00", "org_unit": "100", "vat_code": "I25"},
        {"line": 3, "account": "2210", "amount": "25.00", "org_unit": "100", "vat_code": "I25"},
    ]
}


@pytest.fixture
def world():
    w = make_world()
    services.routing_rule_create(
        actor=w.receiver,
        institution=w.institution,
        requester=w.requester,
        buyer_reference="0150abc",
    )
    return w


@pytest.fixture
def invoice(world, dkk_document):
    return services.document_receive(content=dkk_document(), channel="api").invoice


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def url(pk, tail=""):
    return f"/api/v1/payables/invoices/{pk}{tail}"


def test_the_flow_through_the_api(world, invoice):
    coded = api(world.requester).put(url(invoice.pk, "/coding"), CODING, format="json")
    assert coded.status_code == 200, coded.json()
    assert [a["account"] for a in coded.json()["allocations"]] == ["2210", "2220", "2210", "2210"]
    assert api(world.requester).post(url(invoice.pk, "/attest")).json()["state"] == "attested"
    approved = api(world.approver).post(url(invoice.pk, "/approve")).json()
    assert (approved["state"], approved["journal_entry"] is not None) == ("posted", True)
    listed = api(world.controller).get("/api/v1/payables/invoices", {"state": "posted"}).json()
    assert [i["id"] for i in listed["results"]] == [invoice.pk]


def test_a_refusal_is_400_with_codes_and_changes_nothing(world, invoice):
    api(world.requester).put(url(invoice.pk, "/coding"), CODING, format="json")
    api(world.requester).post(url(invoice.pk, "/attest"))
    response = api(world.requester).post(url(invoice.pk, "/approve"))
    assert response.status_code == 400
    assert response.json() == {
        "actor": [
            {"code": "not_approver", "message": "You are not an approver in this institution."}
        ]
    }
    assert Invoice.objects.get(pk=invoice.pk).state == "attested"
    bad = api(world.requester).post(url(invoice.pk, "/reject"), {}, format="json")
    assert bad.status_code == 400


def test_coding_errors_are_400(world, invoice):
    response = api(world.requester).put(
        url(invoice.pk, "/coding"), {"allocations": CODING["allocations"][:1]}, format="json"
    )
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["allocations"]]
    assert "Line 2 is not coded." in messages


def test_another_institution_sees_404_and_nothing_changes(world, invoice):
    other = make_world(gln="5790000000005")
    before = Invoice.objects.values().get(pk=invoice.pk)
    client = api(other.bookkeeper)
    assert client.get(url(invoice.pk)).status_code == 404
    assert client.get(url(999999)).status_code == 404
    for tail in ("/attest", "/approve", "/post", "/schedule", "/paid", "/confirm-payment"):
        assert client.post(url(invoice.pk, tail)).status_code == 404, tail
    assert (
        client.post(url(invoice.pk, "/reject"), {"reason": "x"}, format="json").status_code == 404
    )
    assert client.put(url(invoice.pk, "/coding"), CODING, format="json").status_code == 404
    assert client.get("/api/v1/payables/invoices").json()["results"] == []
    assert Invoice.objects.values().get(pk=invoice.pk) == before


def test_anonymous_callers_are_refused(invoice):
    assert APIClient().get(url(invoice.pk)).status_code in (401, 403)
