"""An invoice naming one of our orders is matched line by line against the goods receipt and
the order's prices; matched, it takes the order's coding and goes straight to approval."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from faelles.core.models import AuditEvent
from faelles.einvoice.reader import read
from faelles.einvoice.writer import to_ubl
from faelles.payables import demo
from faelles.payables import services as payables_services
from faelles.payables.models import InvoiceState
from faelles.purchasing import services
from faelles.purchasing.models import MatchTolerance
from faelles.purchasing.tests import builders as b
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db


def _cvr(seed: int) -> str:
    while True:
        value = f"{43000000 + seed}"
        if sum(int(d) * w for d, w in zip(value, (2, 7, 6, 5, 4, 3, 2, 1), strict=True)) % 11 == 0:
            return value
        seed += 1


SUPPLIER = _cvr(4711)


def _order(inst, gln):
    agreement = b.agreement(inst, supplier_endpoint=SUPPLIER)
    assert b.receive(b.catalogue_xml(gln, supplier=SUPPLIER)).status == "accepted"
    items = list(agreement.catalogues.get().items.order_by("line_id"))
    requester = b.member(inst)
    basket = services.basket_add(actor=requester, institution=inst, item=items[0], quantity=10)
    services.basket_add(actor=requester, institution=inst, item=items[1], quantity=2)
    services.requisition_submit(
        actor=requester,
        requisition=basket,
        title="Kontorartikler",
        account="2210",
        org_unit="100",
        purpose="P1",
        delivery=services.Delivery("Sekretariatet", "Vej 1", "2100", "København Ø"),
    )
    approver = b.member(inst, Role.APPROVER, "10000")
    order = services.requisition_approve(actor=approver, requisition=basket)
    return order, requester, approver


def _invoice(order, gln, lines, number="F-1"):
    content = demo._document(
        number=number,
        issue=date(2026, 11, 20),
        buyer_gln=gln,
        buyer_name="Styrelsen",
        vendor=("Kontorartikler A/S", SUPPLIER, "", []),
        lines=[(text, "44121704", Decimal(q), Decimal(p)) for text, q, p in lines],
        buyer_reference="R",
        iban="DK5000400440116243",
    )
    content = to_ubl(dataclasses.replace(read(content), order_reference=order.number))
    intake = payables_services.document_receive(content=content, channel="api")
    assert intake.status == "accepted", intake.document.findings
    return intake.invoice, intake.document


def test_a_received_order_invoiced_as_ordered_is_coded_attested_and_waits_for_approval():
    inst, gln = b.buyer()
    order, requester, approver = _order(inst, gln)
    services.order_receive(actor=requester, order=order, quantities={"1": 10, "2": 2})
    invoice, _doc = _invoice(
        order, gln, [("Kuglepen, blå", "10", "12.50"), ("Kopipapir A4, 500 ark", "2", "39.00")]
    )
    assert (invoice.state, invoice.next_role) == (InvoiceState.ATTESTED, Role.APPROVER)
    assert invoice.attested_by_id == requester.pk
    assert list(
        invoice.allocations.order_by("line__line_no").values_list(
            "account", "org_unit", "purpose", "amount"
        )
    ) == [
        ("2210", "100", "P1", Decimal("125.00")),
        ("2210", "100", "P1", Decimal("78.00")),
    ]
    event = AuditEvent.objects.get(action="payables.invoice.order_match")
    assert event.details["matched"] is True
    assert event.details["order"] == order.number
    # The requester attested it through the receipt: another approver approves.
    payables_services.invoice_approve(actor=approver, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.POSTED


def test_an_invoice_for_more_than_was_received_is_an_exception_for_the_receivers():
    inst, gln = b.buyer()
    order, requester, _approver = _order(inst, gln)
    services.order_receive(actor=requester, order=order, quantities={"1": 8})
    invoice, doc = _invoice(
        order, gln, [("Kuglepen, blå", "10", "12.50"), ("Kopipapir A4, 500 ark", "2", "40.00")]
    )
    assert (invoice.state, invoice.next_role) == (InvoiceState.RECEIVED, Role.INVOICE_RECEIVER)
    warnings = [
        (f["location"], f["message"]) for f in doc.findings if f["rule"] == "FAELLES-ORDER-MATCH"
    ]
    assert warnings == [
        ("/line[1]", "Line 1 (Kuglepen, blå): ordered 10, received 8, invoiced 10."),
        ("/line[2]", "Line 2 (Kopipapir A4, 500 ark): ordered 2, received 0, invoiced 2."),
        ("/line[2]", "Line 2 (Kopipapir A4, 500 ark): unit price 40 against 39 on the order."),
    ]
    assert invoice.allocations.count() == 0


def test_the_institutions_tolerances_let_small_differences_match():
    inst, gln = b.buyer()
    MatchTolerance.objects.create(institution=inst, price_percent=Decimal("5"))
    order, requester, _approver = _order(inst, gln)
    services.order_receive(actor=requester, order=order, quantities={"1": 10, "2": 2})
    invoice, _doc = _invoice(
        order, gln, [("Kuglepen, blå", "10", "12.50"), ("Kopipapir A4, 500 ark", "2", "40.00")]
    )
    assert invoice.state == InvoiceState.ATTESTED


def test_an_invoice_naming_no_order_of_ours_is_handled_as_before():
    _inst, gln = b.buyer()
    other, other_gln = b.buyer()
    order, _requester, _approver = _order(other, other_gln)
    invoice, doc = _invoice(order, gln, [("Kuglepen, blå", "1", "12.50")])
    assert invoice.state == InvoiceState.RECEIVED
    assert not AuditEvent.objects.filter(action="payables.invoice.order_match").exists()
    assert all(f["rule"] != "FAELLES-ORDER-MATCH" for f in doc.findings)


def test_a_second_invoice_for_the_same_received_goods_does_not_match():
    inst, gln = b.buyer()
    order, requester, _approver = _order(inst, gln)
    services.order_receive(actor=requester, order=order, quantities={"1": 10})
    first, _doc = _invoice(order, gln, [("Kuglepen, blå", "6", "12.50")], number="F-1")
    assert first.state == InvoiceState.ATTESTED
    assert order.lines.get(line_id="1").invoiced == Decimal("6")
    second, doc = _invoice(order, gln, [("Kuglepen, blå", "6", "12.50")], number="F-2")
    assert second.state == InvoiceState.RECEIVED
    assert [f["message"] for f in doc.findings if f["rule"] == "FAELLES-ORDER-MATCH"] == [
        "Line 1 (Kuglepen, blå): ordered 10, received 10, invoiced 12, of which 6 on earlier "
        "invoices."
    ]
    assert order.lines.get(line_id="1").invoiced == Decimal("6")


# Approved where the order's approval covers it (the institution's setting).


def _received(inst, gln, *, covers, approver_limit=None):
    MatchTolerance.objects.create(institution=inst, approve_when_order_covers=covers)
    order, requester, approver = _order(inst, gln)
    if approver_limit is not None:
        approver.memberships.filter(institution=inst).update(approval_limit=Decimal(approver_limit))
    services.order_receive(actor=requester, order=order, quantities={"1": 10, "2": 2})
    return order, requester, approver


AS_ORDERED = [("Kuglepen, blå", "10", "12.50"), ("Kopipapir A4, 500 ark", "2", "39.00")]


def test_setting_off_a_matched_invoice_waits_for_the_approvers(
    django_capture_on_commit_callbacks,
):
    inst, gln = b.buyer()
    order, _requester, _approver = _received(inst, gln, covers=False)
    with django_capture_on_commit_callbacks(execute=True):
        invoice, _doc = _invoice(order, gln, AS_ORDERED)
    invoice.refresh_from_db()
    assert (invoice.state, invoice.next_role) == (InvoiceState.ATTESTED, Role.APPROVER)
    assert invoice.approved_by_id is None
    assert not AuditEvent.objects.filter(action__startswith="payables.invoice.approve").exists()


def test_setting_on_the_orders_approval_covers_a_matched_invoice(
    django_capture_on_commit_callbacks,
):
    inst, gln = b.buyer()
    order, requester, approver = _received(inst, gln, covers=True)
    with django_capture_on_commit_callbacks(execute=True):
        invoice, _doc = _invoice(order, gln, AS_ORDERED)
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.POSTED
    assert (invoice.attested_by_id, invoice.approved_by_id) == (requester.pk, approver.pk)
    event = AuditEvent.objects.get(action="payables.invoice.approved")
    assert event.actor_id == approver.pk
    assert event.details["covered_by_order"] == order.number
    assert event.details["state"] == InvoiceState.APPROVED
    assert AuditEvent.objects.filter(action="payables.invoice.posted").count() == 1
    assert not AuditEvent.objects.filter(action="payables.invoice.approve.refused").exists()


def test_an_invoice_above_the_orders_amount_waits_for_the_approvers(
    django_capture_on_commit_callbacks,
):
    inst, gln = b.buyer()
    MatchTolerance.objects.create(
        institution=inst, quantity_percent=Decimal("10"), approve_when_order_covers=True
    )
    order, requester, _approver = _order(inst, gln)
    services.order_receive(actor=requester, order=order, quantities={"1": 10, "2": 2})
    # 11 pens match (the quantity tolerance), but 137.50 + 78 is above the order's 203.
    with django_capture_on_commit_callbacks(execute=True):
        invoice, _doc = _invoice(
            order, gln, [("Kuglepen, blå", "11", "12.50"), ("Kopipapir A4, 500 ark", "2", "39.00")]
        )
    invoice.refresh_from_db()
    assert (order.net_amount, invoice.net_amount) == (Decimal("203.00"), Decimal("215.50"))
    assert AuditEvent.objects.get(action="payables.invoice.order_match").details["matched"]
    assert (invoice.state, invoice.next_role) == (InvoiceState.ATTESTED, Role.APPROVER)
    assert invoice.approved_by_id is None
    assert not AuditEvent.objects.filter(action__startswith="payables.invoice.approve").exists()


def test_an_approver_whose_limit_is_too_low_leaves_it_waiting_with_the_refusal_recorded(
    django_capture_on_commit_callbacks,
):
    inst, gln = b.buyer()
    order, _requester, approver = _received(inst, gln, covers=True, approver_limit="100")
    with django_capture_on_commit_callbacks(execute=True):
        invoice, _doc = _invoice(order, gln, AS_ORDERED)
    invoice.refresh_from_db()
    assert (invoice.state, invoice.next_role) == (InvoiceState.ATTESTED, Role.APPROVER)
    assert (invoice.approved_by_id, invoice.first_approved_by_id) == (None, None)
    refused = AuditEvent.objects.get(action="payables.invoice.approve.refused")
    assert refused.actor_id == approver.pk
    assert refused.details == {
        "code": "limit",
        "codes": ["limit"],
        "reason": "The amount 253.75 DKK exceeds your approval limit of 100.00.",
        "covered_by_order": order.number,
    }
    assert not AuditEvent.objects.filter(action="payables.invoice.approved").exists()
