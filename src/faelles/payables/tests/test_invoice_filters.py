"""One ``InvoiceFilterSet`` for the inbox page and the invoice API: the same query string
selects the same invoices in both, on top of the access gate, and another institution's
invoices never appear in either."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from faelles.payables import services
from faelles.payables.models import Invoice, InvoiceState
from faelles.payables.tests.factories import make_world

pytestmark = pytest.mark.django_db

D = Decimal


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
def other():
    w = make_world(gln="5790000000005")
    services.routing_rule_create(
        actor=w.receiver,
        institution=w.institution,
        requester=w.requester,
        buyer_reference="0150abc",
    )
    return w


def _receive(document: bytes) -> Invoice:
    invoice = services.document_receive(content=document, channel="api").invoice
    assert invoice is not None
    return invoice


@pytest.fixture
def invoices(world, other, dkk_document):
    """Three of the institution's invoices and three of another institution's with the
    same numbers, due dates, amounts and states."""
    made = {}
    for receiver, key in (("5798009811578", "own"), ("5790000000005", "foreign")):
        one = _receive(dkk_document(receiver=receiver, number="FLT-1"))
        two = _receive(dkk_document(receiver=receiver, number="FLT-2", buyer_reference="x"))
        three = _receive(dkk_document(receiver=receiver, number="FLT-3", issue="2026-03-16"))
        Invoice.objects.filter(pk=one.pk).update(due_date=date(2020, 1, 1), payable_amount=D(100))
        Invoice.objects.filter(pk=two.pk).update(
            due_date=date(2030, 6, 1), payable_amount=D(5000), state=InvoiceState.POSTED
        )
        Invoice.objects.filter(pk=three.pk).update(due_date=None)
        made[key] = {"FLT-1": one, "FLT-2": two, "FLT-3": three}
    return made


def _page(user, params):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(reverse("payables:inbox"), params)
    assert response.status_code == 200
    return sorted(i.number for i in response.context["invoices"]), {
        i.pk for i in response.context["invoices"]
    }


def _api(user, params):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    response = client.get("/api/v1/payables/invoices", params)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["next"] is None
    return sorted(i["number"] for i in body["results"]), {i["id"] for i in body["results"]}


CASES = [
    ("controller", {"scope": "all"}, ["FLT-1", "FLT-2", "FLT-3"]),
    ("controller", {"scope": "all", "state": "posted"}, ["FLT-2"]),
    ("controller", {"scope": "all", "q": "flt-2"}, ["FLT-2"]),
    ("controller", {"scope": "all", "q": "SupplierOfficial"}, ["FLT-1", "FLT-2", "FLT-3"]),
    ("controller", {"scope": "all", "due_before": "2025-01-01"}, ["FLT-1"]),
    ("controller", {"scope": "all", "due_after": "2025-01-01"}, ["FLT-2"]),
    ("controller", {"scope": "all", "overdue": "true"}, ["FLT-1"]),
    ("controller", {"scope": "all", "overdue": "false"}, ["FLT-2", "FLT-3"]),
    ("controller", {"scope": "all", "amount_min": "1000"}, ["FLT-2", "FLT-3"]),
    ("controller", {"scope": "all", "amount_max": "1000"}, ["FLT-1"]),
    ("controller", {"scope": "all", "amount_min": "200", "amount_max": "2000"}, ["FLT-3"]),
    ("controller", {"scope": "mine"}, []),
    ("requester", {"scope": "mine"}, ["FLT-1", "FLT-3"]),
    ("requester", {"scope": "mine", "q": "FLT-3"}, ["FLT-3"]),
    ("receiver", {"scope": "mine"}, ["FLT-2"]),
    ("receiver", {"scope": "role"}, ["FLT-2"]),
]


@pytest.mark.parametrize(("role", "params", "expected"), CASES)
def test_the_same_query_gives_the_same_invoices_in_the_page_and_the_api(
    world, invoices, role, params, expected
):
    user = getattr(world, role)
    page_numbers, page_ids = _page(user, params)
    api_numbers, api_ids = _api(user, params)
    assert page_numbers == api_numbers == expected
    assert page_ids == api_ids
    assert page_ids == {invoices["own"][n].pk for n in expected}


def test_the_vendor_filter_is_the_same_and_a_foreign_vendor_gives_nothing(world, invoices):
    own_vendor = invoices["own"]["FLT-1"].vendor_id
    foreign_vendor = invoices["foreign"]["FLT-1"].vendor_id
    assert own_vendor != foreign_vendor
    params = {"scope": "all", "vendor": str(own_vendor)}
    assert _page(world.controller, params) == _api(world.controller, params)
    assert _page(world.controller, params)[0] == ["FLT-1", "FLT-2", "FLT-3"]
    params = {"scope": "all", "vendor": str(foreign_vendor)}
    assert _page(world.controller, params) == ([], set())
    assert _api(world.controller, params) == ([], set())


@pytest.mark.parametrize(("role", "params", "expected"), CASES)
def test_another_institutions_invoices_never_appear(world, other, invoices, role, params, expected):
    foreign = {i.pk for i in invoices["foreign"].values()}
    user = getattr(world, role)
    assert not _page(user, params)[1] & foreign
    assert not _api(user, params)[1] & foreign
    # ... and the other institution's own people do see theirs with the same query.
    _numbers, theirs = _api(getattr(other, role), params)
    assert theirs <= foreign
    assert len(theirs) == len(expected)


def test_a_bad_filter_value_is_a_400_in_the_api_and_ignored_by_the_page(world, invoices):
    params = {"scope": "all", "state": "nonsense"}
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(world.controller)
    response = client.get("/api/v1/payables/invoices", params)
    assert response.status_code == 400
    assert "state" in response.json()
    assert _page(world.controller, params)[0] == ["FLT-1", "FLT-2", "FLT-3"]


def test_the_page_without_a_scope_shows_where_the_user_must_act(world, invoices):
    assert _page(world.requester, {})[0] == ["FLT-1", "FLT-3"]
    assert _page(world.requester, {"scope": "bogus"})[0] == ["FLT-1", "FLT-3"]


def test_the_export_has_the_tables_columns_and_the_pages_filters(world, invoices):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.controller)
    response = client.get(
        reverse("payables:inbox"), {"scope": "all", "q": "FLT-2", "format": "csv"}
    )
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2
    assert lines[0].split(";")[:3] == ["Vendor", "CVR number", "Number"]
    assert lines[1].split(";")[2] == "FLT-2"
