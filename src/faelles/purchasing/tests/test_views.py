"""The pages: shop, basket and requisition with approval, orders with receipt, agreements;
each as the institution's people and as a stranger (another institution's rows are never
listed, their ids are 404)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from faelles.core.models import AuditEvent
from faelles.purchasing import services
from faelles.purchasing.models import (
    FrameworkAgreement,
    MatchTolerance,
    OrderState,
    PurchaseOrder,
    Requisition,
    RequisitionState,
)
from faelles.purchasing.tests import builders as b
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db


def _client(user, institution) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["faelles_institution_id"] = institution.pk
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages asserted as the msgids
    return client


@pytest.fixture
def world():
    inst, gln = b.buyer()
    other, other_gln = b.buyer()
    agreement, items = b.active_agreement(inst, gln)
    foreign_agreement, foreign_items = b.active_agreement(
        other, other_gln, reference="SKI-99", name="Fremmed aftale"
    )
    return {
        "inst": inst,
        "gln": gln,
        "other": other,
        "agreement": agreement,
        "items": items,
        "foreign_agreement": foreign_agreement,
        "foreign_items": foreign_items,
        "requester": b.member(inst),
        "approver": b.member(inst, Role.APPROVER, "10000"),
        "stranger": b.member(other, Role.APPROVER, "10000"),
    }


def test_shop_lists_only_items_of_agreements_covering_the_institution_with_the_agreement(world):
    client = _client(world["requester"], world["inst"])
    response = client.get(reverse("purchasing:shop"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-item="') == 3
    assert "Kontorartikler A/S · SKI-50.10" in html
    assert "SKI-99" not in html
    assert f'data-item="{world["foreign_items"][0].pk}"' not in html
    search = client.get(reverse("purchasing:shop"), {"q": "papir"})
    assert search.content.decode().count('data-item="') == 1


def test_adding_another_institutions_item_is_404_and_changes_nothing(world):
    client = _client(world["requester"], world["inst"])
    response = client.post(
        reverse("purchasing:shop"), {"item": world["foreign_items"][0].pk, "quantity": "1"}
    )
    assert response.status_code == 404
    assert Requisition.objects.count() == 0


def test_a_requester_buys_and_an_approver_approves_through_the_pages(world):
    inst = world["inst"]
    requester = _client(world["requester"], inst)
    requester.post(reverse("purchasing:shop"), {"item": world["items"][1].pk, "quantity": "4"})
    basket = Requisition.objects.get()
    url = reverse("purchasing:requisition", args=[basket.pk])
    page = requester.get(url)
    assert "Send for approval" in page.content.decode()
    bad = requester.post(url, {"action": "submit", "account": "", "delivery_name": "x"})
    assert bad.status_code == 400
    assert "Choose the account the purchase is booked to." in bad.content.decode()
    ok = requester.post(
        url,
        {
            "action": "submit",
            "title": "Papir",
            "account": "2210",
            "org_unit": "100",
            "purpose": "",
            "delivery_name": "Sekretariatet",
            "delivery_street": "Vej 1",
            "delivery_postcode": "2100",
            "delivery_city": "København Ø",
        },
    )
    assert ok.status_code == 302
    basket.refresh_from_db()
    assert (basket.state, basket.net_amount) == (RequisitionState.SUBMITTED, Decimal("156.00"))
    # The requester may not approve their own purchase: no approve button for them.
    assert 'id="approve-form"' not in requester.get(url).content.decode()
    approver = _client(world["approver"], inst)
    listing = approver.get(reverse("purchasing:requisitions")).content.decode()
    assert f'data-requisition="{basket.pk}"' in listing
    assert approver.post(url, {"action": "approve"}).status_code == 302
    order = PurchaseOrder.objects.get()
    assert order.state == OrderState.SENT
    orders = requester.get(reverse("purchasing:orders")).content.decode()
    assert order.number in orders
    receipt = requester.post(
        reverse("purchasing:order", args=[order.pk]), {"line-1": "4", "note": "OK"}
    )
    assert receipt.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.RECEIVED


def test_an_approver_without_enough_limit_sees_why(world):
    inst = world["inst"]
    small = b.member(inst, Role.APPROVER, "10")
    basket = services.basket_add(
        actor=world["requester"], institution=inst, item=world["items"][2], quantity=Decimal(1)
    )
    services.requisition_submit(
        actor=world["requester"],
        requisition=basket,
        title="",
        account="2210",
        org_unit="100",
        delivery=services.Delivery("a", "b", "2100", "c"),
    )
    page = _client(small, inst).get(reverse("purchasing:requisition", args=[basket.pk]))
    assert "The amount 89.95 DKK exceeds your approval limit of 10.00." in page.content.decode()
    refused = _client(small, inst).post(
        reverse("purchasing:requisition", args=[basket.pk]), {"action": "approve"}
    )
    assert refused.status_code == 400
    assert PurchaseOrder.objects.count() == 0


def test_someone_elses_basket_is_404_even_in_the_same_institution(world):
    inst = world["inst"]
    basket = services.basket_add(
        actor=world["requester"], institution=inst, item=world["items"][0], quantity=Decimal(1)
    )
    colleague = _client(b.member(inst), inst)
    assert colleague.get(reverse("purchasing:requisition", args=[basket.pk])).status_code == 404


def test_strangers_see_none_of_the_institutions_rows_and_get_404_for_its_ids(world):
    inst = world["inst"]
    basket = services.basket_add(
        actor=world["requester"], institution=inst, item=world["items"][0], quantity=Decimal(1)
    )
    services.requisition_submit(
        actor=world["requester"],
        requisition=basket,
        title="",
        account="2210",
        org_unit="200",
        delivery=services.Delivery("a", "b", "2100", "c"),
    )
    order = services.requisition_approve(actor=world["approver"], requisition=basket)
    stranger = _client(world["stranger"], world["other"])
    for url in (
        reverse("purchasing:requisition", args=[basket.pk]),
        reverse("purchasing:order", args=[order.pk]),
        reverse("purchasing:agreement", args=[world["agreement"].pk]),
    ):
        assert stranger.get(url).status_code == 404
        if "agreements" not in url:  # the agreement page is read-only
            assert stranger.post(url, {"action": "approve", "line-1": "1"}).status_code == 404
    assert order.number not in stranger.get(reverse("purchasing:orders")).content.decode()
    listing = stranger.get(reverse("purchasing:requisitions")).content.decode()
    assert f'data-requisition="{basket.pk}"' not in listing
    agreements = stranger.get(reverse("purchasing:agreements")).content.decode()
    assert f'data-agreement="{world["agreement"].pk}"' not in agreements
    assert f'data-agreement="{world["foreign_agreement"].pk}"' in agreements
    order.refresh_from_db()
    basket.refresh_from_db()
    assert (order.state, basket.state) == (OrderState.SENT, RequisitionState.ORDERED)


def test_an_agreement_covering_two_institutions_is_shown_to_both(world):
    inst, other = world["inst"], world["other"]
    shared = b.agreement(inst, reference="SKI-SHARED", covered=[inst, other])
    page = _client(world["stranger"], other).get(reverse("purchasing:agreement", args=[shared.pk]))
    assert page.status_code == 200
    assert "SKI-SHARED" in page.content.decode()


def test_the_pages_need_a_login():
    response = Client().get(reverse("purchasing:shop"))
    assert response.status_code == 302


def test_received_documents_with_their_reasons_are_listed_to_the_receivers_only(world):
    inst = world["inst"]
    b.receive(b.catalogue_xml(world["gln"], id="CAT-BAD", contract="UKENDT"))
    page = _client(b.member(inst, Role.INVOICE_RECEIVER), inst).get(reverse("purchasing:documents"))
    html = page.content.decode()
    assert html.count('data-document="') == 2
    assert "The catalogue names no agreement of ours with this supplier (contract UKENDT)." in html
    stranger = _client(world["stranger"], world["other"]).get(reverse("purchasing:documents"))
    assert "CAT-BAD" not in stranger.content.decode()
    requester = _client(world["requester"], inst).get(reverse("purchasing:documents"))
    assert 'data-document="' not in requester.content.decode()


def test_a_local_administrator_registers_an_agreement_and_others_may_not(world):
    inst = world["inst"]
    url = reverse("purchasing:agreement-new")
    assert _client(world["requester"], inst).get(url).status_code == 403
    admin = _client(b.admin(inst), inst)
    assert admin.get(url).status_code == 200
    form = {
        "reference": "SKI-02.19",
        "name": "Computere",
        "supplier_name": "IT A/S",
        "supplier_scheme": "0184",
        "supplier_endpoint": "12345674",
        "valid_from": "2026-01-01",
        "valid_to": "2025-12-31",
        "price_basis": "discount",
        "discount_percent": "12.5",
        "covered": [inst.pk],
    }
    refused = admin.post(url, form)
    assert refused.status_code == 400
    form["valid_to"] = "2027-12-31"
    other = admin.post(url, {**form, "covered": [world["other"].pk]})
    assert other.status_code == 400  # not an institution this administrator manages
    done = admin.post(url, form)
    assert done.status_code == 302
    agreement = FrameworkAgreement.objects.get(reference="SKI-02.19")
    assert (agreement.price_basis, agreement.discount_percent) == ("discount", Decimal("12.50"))
    assert list(agreement.coverage.values_list("institution", flat=True)) == [inst.pk]


def test_an_administrator_sets_the_matching_tolerances(world):
    inst = world["inst"]
    url = reverse("purchasing:tolerances")
    assert _client(world["approver"], inst).post(url, {"price_percent": "5"}).status_code == 403
    admin = _client(b.admin(inst), inst)
    assert admin.post(url, {"price_percent": "101", "quantity_percent": "0"}).status_code == 400
    assert admin.post(url, {"price_percent": "2.5", "quantity_percent": "10"}).status_code == 302
    tolerance = MatchTolerance.objects.get(institution=inst)
    assert (tolerance.price_percent, tolerance.quantity_percent) == (
        Decimal("2.50"),
        Decimal("10.00"),
    )
    assert not MatchTolerance.objects.filter(institution=world["other"]).exists()
    assert 'value="2.50"' in admin.get(url).content.decode()
    assert tolerance.approve_when_order_covers is False
    assert (
        admin.post(
            url,
            {"price_percent": "2.5", "quantity_percent": "10", "approve_when_order_covers": "on"},
        ).status_code
        == 302
    )
    tolerance.refresh_from_db()
    assert tolerance.approve_when_order_covers is True
    event = AuditEvent.objects.filter(action="purchasing.tolerance.set").latest("pk")
    assert (
        event.details["approve_when_order_covers"],
        event.details["old_approve_when_order_covers"],
    ) == (True, False)
    assert not MatchTolerance.objects.filter(institution=world["other"]).exists()
