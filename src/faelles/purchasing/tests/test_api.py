"""The purchasing API: documents in (only for an institution where the caller receives
documents), their status, and the orders, never another institution's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from faelles.purchasing import services
from faelles.purchasing.models import InboundDocument, OrderState
from faelles.purchasing.tests import builders as b
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _post(client, content: bytes):
    return client.generic(
        "POST", "/api/v1/purchasing/documents", content, content_type="application/xml"
    )


@pytest.fixture
def world():
    inst, gln = b.buyer()
    other, other_gln = b.buyer()
    _agreement, items = b.active_agreement(inst, gln)
    requester = b.member(inst)
    basket = services.basket_add(actor=requester, institution=inst, item=items[0], quantity=5)
    services.requisition_submit(
        actor=requester,
        requisition=basket,
        title="",
        account="2210",
        org_unit="100",
        delivery=services.Delivery("a", "b", "2100", "c"),
    )
    order = services.requisition_approve(
        actor=b.member(inst, Role.APPROVER, "1000"), requisition=basket
    )
    return {
        "inst": inst,
        "gln": gln,
        "other": other,
        "other_gln": other_gln,
        "order": order,
        "requester": requester,
        "receiver": b.member(inst, Role.INVOICE_RECEIVER),
        "stranger": b.member(other, Role.INVOICE_RECEIVER),
    }


def test_a_receiver_delivers_an_order_response_and_reads_its_status(world):
    order, gln = world["order"], world["gln"]
    client = _api(world["receiver"])
    response = _post(client, b.order_response_xml(order, gln))
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["document"], body["order"]) == (
        "applied",
        "OrderResponse",
        order.pk,
    )
    again = _post(client, b.order_response_xml(order, gln))
    assert again.status_code == 200
    detail = client.get(f"/api/v1/purchasing/documents/{body['id']}")
    assert detail.json()["institution"] == world["inst"].short_name
    order.refresh_from_db()
    assert order.state == OrderState.ACCEPTED


def test_a_document_for_another_institution_is_refused_and_not_stored(world):
    response = _post(_api(world["stranger"]), b.order_response_xml(world["order"], world["gln"]))
    assert response.status_code == 403
    assert InboundDocument.objects.filter(document="OrderResponse").count() == 0
    requester = _post(_api(world["requester"]), b.order_response_xml(world["order"], world["gln"]))
    assert requester.status_code == 403


def test_orders_are_listed_only_to_those_who_see_them(world):
    order = world["order"]
    own = _api(world["requester"]).get("/api/v1/purchasing/orders").json()
    rows = own["results"] if isinstance(own, dict) else own
    assert [(r["number"], r["net_amount"], len(r["lines"])) for r in rows] == [
        (order.number, "62.50", 1)
    ]
    assert rows[0]["lines"][0]["quantity"] == "5.0000"
    stranger = _api(world["stranger"])
    listed = stranger.get("/api/v1/purchasing/orders").json()
    assert (listed["results"] if isinstance(listed, dict) else listed) == []
    assert stranger.get(f"/api/v1/purchasing/orders/{order.pk}").status_code == 404
    document = InboundDocument.objects.filter(institution=world["inst"]).first()
    assert stranger.get(f"/api/v1/purchasing/documents/{document.pk}").status_code == 404
    assert Decimal(order.net_amount) == Decimal("62.50")
