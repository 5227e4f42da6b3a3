"""Compliance figures (issue 13, item 4) on a planted dataset: spend on and off the
agreements per month, maverick spend by supplier, open orders without invoices, invoices
without orders, demand per agreement item across institutions; exact figures, the page's
charts, the CSV exports, and nothing of another institution."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from faelles.einvoice.reader import read
from faelles.einvoice.writer import to_ubl
from faelles.payables import demo as payables_demo
from faelles.payables import services as payables_services
from faelles.purchasing import compliance, compliance_views, services
from faelles.purchasing.models import PurchaseOrder
from faelles.purchasing.tests import builders as b
from faelles.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db

LAST = date(2026, 12, 31)
OCT, NOV, DEC = date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)


def _cvr(seed: int) -> str:
    while True:
        value = f"{43000000 + seed}"
        if sum(int(d) * w for d, w in zip(value, (2, 7, 6, 5, 4, 3, 2, 1), strict=True)) % 11 == 0:
            return value
        seed += 1


SUPPLIER = _cvr(5120)
OTHER_VENDOR = "41000018"  # Kontorleverandøren ApS, not on any agreement


def _invoice(gln, vendor, number, issue, lines, order_reference="", credit_note=False):
    content = payables_demo._document(
        number=number,
        issue=issue,
        buyer_gln=gln,
        buyer_name="Styrelsen",
        vendor=vendor,
        lines=[(text, "44121704", Decimal(q), Decimal(p)) for text, q, p in lines],
        buyer_reference="R",
        credit_note=credit_note,
        iban="DK5000400440116243",
    )
    if order_reference:
        content = to_ubl(dataclasses.replace(read(content), order_reference=order_reference))
    intake = payables_services.document_receive(content=content, channel="api")
    assert intake.status == "accepted", intake.document.findings
    return intake.invoice


def _order(inst, requester, approver, items, lines):
    basket = None
    for item_no, qty in lines:
        basket = services.basket_add(
            actor=requester, institution=inst, item=items[item_no], quantity=qty
        )
    services.requisition_submit(
        actor=requester,
        requisition=basket,
        title="Kontorartikler",
        account="2210",
        org_unit="100",
        purpose="P1",
        delivery=services.Delivery("Sekretariatet", "Vej 1", "2100", "København Ø"),
    )
    return services.requisition_approve(actor=approver, requisition=basket)


def _institution(inst, gln, approver=None):
    agreement = b.agreement(inst, supplier_endpoint=SUPPLIER)
    assert b.receive(b.catalogue_xml(gln, supplier=SUPPLIER)).status == "accepted"
    items = list(agreement.catalogues.get().items.order_by("line_id"))
    requester = b.member(inst)
    if approver is None:
        approver = b.member(inst, Role.APPROVER, "10000")
    else:
        Membership.objects.create(
            user=approver, institution=inst, role=Role.APPROVER, approval_limit=Decimal(10000)
        )
    return inst, gln, items, requester, approver


@pytest.fixture
def world():
    """Institution A: a received order invoiced as ordered in November (on agreement,
    125.00 + 78.00); a sent order not invoiced; in October an invoice from the agreement's
    supplier without an order: paper on the catalogue (195.00) and a coffee machine that is
    not (2,495.00); in November an invoice (40.00) and a credit note (10.00) from a vendor
    without agreement for an item that is on the catalogue. Institution B (the same
    approver): its own agreement and an order of 3 pens, and an invoice off agreement."""
    # Both institutions first: the ledger's and the tenancy factories' user names collide
    # when a ledger institution is made after factory users.
    (a, a_gln), (b_inst, b_gln) = b.buyer(), b.buyer()
    inst, gln, items, requester, approver = _institution(a, a_gln)
    supplier = ("Kontorartikler A/S", SUPPLIER, "", [])
    other_vendor = ("Kontorleverandøren ApS", OTHER_VENDOR, "", [])
    invoiced = _order(inst, requester, approver, items, [(0, 10), (1, 2)])
    services.order_receive(actor=requester, order=invoiced, quantities={"1": 10, "2": 2})
    matched = _invoice(
        gln,
        supplier,
        "F-1",
        date(2026, 11, 20),
        [("Kuglepen, blå", "10", "12.50"), ("Kopipapir A4, 500 ark", "2", "39.00")],
        order_reference=invoiced.number,
    )
    assert matched.state == "attested"
    open_order = _order(inst, requester, approver, items, [(2, 1)])
    _invoice(
        gln,
        supplier,
        "F-2",
        date(2026, 10, 5),
        [("Kopipapir A4, 500 ark", "5", "39.00"), ("Kaffemaskine", "1", "2495.00")],
    )
    _invoice(gln, other_vendor, "K-1", date(2026, 11, 3), [("Kuglepen, blå", "4", "10.00")])
    _invoice(
        gln,
        other_vendor,
        "K-2",
        date(2026, 11, 4),
        [("Kuglepen, blå", "1", "10.00")],
        credit_note=True,
    )
    other, other_gln, other_items, other_requester, _ = _institution(b_inst, b_gln, approver)
    other_order = _order(other, other_requester, approver, other_items, [(0, 3)])
    _invoice(other_gln, other_vendor, "K-9", date(2026, 11, 3), [("Sofa", "1", "9999.00")])
    PurchaseOrder.objects.update(issue_date=date(2026, 12, 1))
    return {
        "inst": inst,
        "other": other,
        "approver": approver,
        "requester": requester,
        "open_order": open_order,
        "other_order": other_order,
        "only_a": b.member(inst, Role.CONTROLLER),
    }


def _nonzero(rows):
    return {r.month: r for r in rows if getattr(r, "total", None) or getattr(r, "count", 0)}


def test_share_of_spend_on_agreements_per_month(world):
    rows = compliance.agreement_share(world["only_a"], world["inst"], LAST)
    assert [r.month for r in rows] == [date(2026, m, 1) for m in range(1, 13)]
    got = {r.month: (r.on_agreement, r.off_agreement, r.share) for r in rows if r.total}
    assert got == {
        OCT: (Decimal("195.00"), Decimal("2495.00"), Decimal("7.2")),
        NOV: (Decimal("203.00"), Decimal("30.00"), Decimal("87.1")),
    }


def test_maverick_spend_by_supplier(world):
    rows = compliance.maverick_spend(world["only_a"], world["inst"], LAST)
    assert [(r.name, r.cvr, r.amount, r.lines) for r in rows] == [
        ("Kontorartikler A/S", SUPPLIER, Decimal("2495.00"), 1),
        ("Kontorleverandøren ApS", OTHER_VENDOR, Decimal("30.00"), 2),
    ]


def test_open_orders_without_invoices_and_invoices_without_orders(world):
    user, inst = world["only_a"], world["inst"]
    open_orders = _nonzero(compliance.open_orders_without_invoice(user, inst, LAST))
    assert {m: (r.count, r.amount) for m, r in open_orders.items()} == {
        DEC: (1, world["open_order"].net_amount)
    }
    assert world["open_order"].net_amount == Decimal("89.95")
    no_order = _nonzero(compliance.invoices_without_order(user, inst, LAST))
    assert {m: (r.count, r.amount) for m, r in no_order.items()} == {
        OCT: (1, Decimal("2690.00")),
        NOV: (1, Decimal("40.00")),
    }


def test_demand_per_agreement_item_across_the_institutions_overseen(world):
    rows = compliance.joint_demand(world["approver"])
    assert [
        (r.reference, r.item_number, r.quantity, r.amount, r.institutions, r.orders) for r in rows
    ] == [
        ("SKI-50.10", "KP-100", Decimal(13), Decimal("162.50"), 2, 2),
        ("SKI-50.10", "HM-10", Decimal(1), Decimal("89.95"), 1, 1),
        ("SKI-50.10", "PA-500", Decimal(2), Decimal("78.00"), 1, 1),
    ]
    # A controller of A alone sees A's demand only.
    only_a = compliance.joint_demand(world["only_a"])
    assert [(r.item_number, r.quantity, r.institutions) for r in only_a] == [
        ("KP-100", Decimal(10), 1),
        ("HM-10", Decimal(1), 1),
        ("PA-500", Decimal(2), 1),
    ]


def test_nothing_for_who_may_not_see_it(world):
    requester, inst, other = world["requester"], world["inst"], world["other"]
    assert not compliance.may_view(requester, inst)
    assert not any(r.total for r in compliance.agreement_share(requester, inst, LAST))
    assert compliance.maverick_spend(requester, inst, LAST) == []
    assert compliance.joint_demand(requester) == []
    # A's controller asking for B's figures gets none of them.
    assert not any(r.total for r in compliance.agreement_share(world["only_a"], other, LAST))
    assert compliance.maverick_spend(world["only_a"], other, LAST) == []
    assert not any(r.count for r in compliance.invoices_without_order(world["only_a"], other, LAST))


def _client(user, institution) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["faelles_institution_id"] = institution.pk
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    return client


def test_the_start_page_shows_the_charts_and_exports_danish_csv(world, monkeypatch):
    monkeypatch.setattr(compliance_views, "_today", lambda: LAST)
    client = _client(world["only_a"], world["inst"])
    page = client.get(reverse("purchasing:shop")).content.decode()
    for chart in (
        "agreement-share-chart",
        "maverick-chart",
        "open-orders-chart",
        "no-order-chart",
        "demand-chart",
    ):
        assert f'id="{chart}"' in page
    svg = page[page.index('id="agreement-share-chart"') : page.index("</svg>")]
    assert "," not in "".join(
        part.split('"')[1] for part in svg.split(" ") if part.startswith(("x=", "y=", "height="))
    )
    csv = client.get(reverse("purchasing:shop"), {"table": "share", "format": "csv"})
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").split("\r\n")
    assert lines[10:12] == [
        "2026-10;195,00;2495,00;2690,00;7,2",
        "2026-11;203,00;30,00;233,00;87,1",
    ]
    maverick = client.get(reverse("purchasing:shop"), {"table": "maverick", "format": "csv"})
    assert maverick.content.decode("utf-8-sig").split("\r\n")[1:3] == [
        f"Kontorartikler A/S;{SUPPLIER};1;2495,00",
        f"Kontorleverandøren ApS;{OTHER_VENDOR};2;30,00",
    ]
    demand = client.get(reverse("purchasing:shop"), {"table": "demand", "format": "csv"})
    assert demand.content.decode("utf-8-sig").split("\r\n")[1] == (
        "SKI-50.10;Kontorartikler A/S;KP-100;Kuglepen, blå;EA;10;125,00;1;1"
    )


def test_a_requester_sees_no_charts_and_may_not_export(world):
    client = _client(world["requester"], world["inst"])
    page = client.get(reverse("purchasing:shop")).content.decode()
    assert 'id="compliance"' not in page
    response = client.get(reverse("purchasing:shop"), {"table": "share", "format": "csv"})
    assert response.status_code == 403
