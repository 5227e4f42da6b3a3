"""The bank-account change pages and the API of bank changes and payment runs: the old and the
new account side by side, confirm and refuse by a second person, refusals with codes, another
institution's change or run answering 404 and changing nothing."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from faelles.core.models import AuditEvent
from faelles.payables import services
from faelles.payables.models import PaymentRun, VendorBankChange, VendorPaymentDetails
from faelles.payables.tests.factories import make_world, member
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db

NEW_IBAN = "DK5000400440116243"


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def change(world, dkk_document):
    services.document_receive(content=dkk_document(number="P1"), channel="api")
    content = dkk_document(number="P2").replace(b"IBAN32423940", NEW_IBAN.encode())
    services.document_receive(content=content, channel="api")
    return VendorBankChange.objects.get()


def page(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_the_pending_list_and_the_change_page_show_old_and_new_side_by_side(world, change):
    client = page(world.bookkeeper)
    listed = client.get(reverse("payables:bank-changes"))
    assert listed.status_code == 200
    html = listed.content.decode()
    assert f'<td class="new">IBAN {NEW_IBAN}</td>' in html
    assert reverse("payables:bank-change-detail", args=[change.pk]) in html

    detail = client.get(reverse("payables:bank-change-detail", args=[change.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200
    assert f'<td class="new">IBAN {NEW_IBAN}</td>' in html
    assert "<td>account:IBAN32423940</td>" in html
    assert "Confirm the new account" in html


def test_confirming_on_the_page_and_the_approver_told_why_not(world, change, dkk_document):
    from faelles.payables.models import Invoice

    Invoice.objects.filter(pk=change.source_invoice_id).update(approved_by=world.approver)
    member(world.institution, Role.BOOKKEEPER, user=world.approver)
    barred = page(world.approver)
    html = barred.get(reverse("payables:bank-change-detail", args=[change.pk])).content.decode()
    assert 'id="barred"' in html and "Confirm the new account" not in html
    response = barred.post(
        reverse("payables:bank-change-action", args=[change.pk, "confirm"]), follow=True
    )
    assert "You approved an invoice paid to this account" in response.content.decode()
    assert VendorBankChange.objects.get().state == "requested"

    response = page(world.bookkeeper).post(
        reverse("payables:bank-change-action", args=[change.pk, "confirm"])
    )

    assert response.status_code == 302
    assert VendorBankChange.objects.get().state == "confirmed"


def test_another_institutions_change_answers_404_and_changes_nothing(world, change):
    other = make_world(gln="5790000000005")
    client = page(other.bookkeeper)
    assert client.get(reverse("payables:bank-change-detail", args=[change.pk])).status_code == 404
    for action in ("confirm", "refuse"):
        url = reverse("payables:bank-change-action", args=[change.pk, action])
        assert client.post(url, {"reason": "x"}).status_code == 404
    assert api(other.bookkeeper).get(f"/api/v1/payables/bank-changes/{change.pk}").status_code == (
        404
    )
    assert (
        api(other.bookkeeper).post(f"/api/v1/payables/bank-changes/{change.pk}/confirm").status_code
        == 404
    )
    assert api(other.bookkeeper).get("/api/v1/payables/bank-changes").json()["results"] == []
    assert VendorBankChange.objects.get().state == "requested"
    assert VendorPaymentDetails.objects.count() == 1


def test_the_bank_change_api(world, change):
    listed = api(world.controller).get("/api/v1/payables/bank-changes", {"state": "requested"})
    assert [c["id"] for c in listed.json()["results"]] == [change.pk]
    body = api(world.controller).get(f"/api/v1/payables/bank-changes/{change.pk}").json()
    assert (body["old"]["key"], body["new"]["key"]) == ("account:IBAN32423940", f"iban:{NEW_IBAN}")

    requested = api(world.receiver).post(
        "/api/v1/payables/bank-changes",
        {"vendor": change.vendor_id, "iban": "DK3730000000000001", "reason": "letter"},
        format="json",
    )
    assert requested.status_code == 201
    own = requested.json()["id"]
    refused = api(world.receiver).post(f"/api/v1/payables/bank-changes/{own}/confirm")
    assert refused.status_code == 400
    assert refused.json() == {
        "actor": [
            {
                "code": "requester",
                "message": "You requested this bank-account change; a second person must "
                "confirm it.",
            }
        ]
    }
    assert AuditEvent.objects.filter(action="payables.bank_change.confirm.refused").count() == 1
    no_reason = api(world.bookkeeper).post(f"/api/v1/payables/bank-changes/{own}/refuse", {})
    assert no_reason.status_code == 400
    refusal = api(world.bookkeeper).post(
        f"/api/v1/payables/bank-changes/{own}/refuse", {"reason": "unknown to the vendor"}
    )
    assert (refusal.status_code, refusal.json()["state"]) == (200, "refused")
    confirmed = api(world.bookkeeper).post(f"/api/v1/payables/bank-changes/{change.pk}/confirm")
    assert (confirmed.status_code, confirmed.json()["state"]) == (200, "confirmed")


def test_the_payment_run_api_needs_a_second_payer_to_release(world):
    from faelles.payables.tests.test_payments import posted

    posted(world, "A1")
    payer2 = member(world.institution, Role.PAYER)
    data = {
        "institution": world.institution.pk,
        "execution_date": "2026-04-30",
        "debtor_iban": "DK5000400440116243",
    }
    created = api(world.payer).post("/api/v1/payables/payment-runs", data, format="json")
    assert created.status_code == 201
    run = created.json()["id"]
    again = api(payer2).post("/api/v1/payables/payment-runs", data, format="json")
    assert again.status_code == 409
    assert again.json()["execution_date"][0]["code"] == "draft_run_exists"
    bad = api(world.payer).post(
        "/api/v1/payables/payment-runs", {**data, "execution_date": "2026-02-31"}, format="json"
    )
    assert bad.status_code == 400

    own = api(world.payer).post(f"/api/v1/payables/payment-runs/{run}/release")
    assert (own.status_code, own.json()["actor"][0]["code"]) == (400, "creator")
    assert PaymentRun.objects.get().state == "draft"
    other = make_world(gln="5790000000005")
    assert api(other.payer).post(f"/api/v1/payables/payment-runs/{run}/release").status_code == (
        404
    )
    foreign = api(other.payer).post("/api/v1/payables/payment-runs", data, format="json")
    assert foreign.status_code == 400
    released = api(payer2).post(f"/api/v1/payables/payment-runs/{run}/release")
    assert (released.status_code, released.json()["state"]) == (200, "released")
    assert PaymentRun.objects.get().total == Decimal("106.25")
