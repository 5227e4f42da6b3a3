"""The purchase from catalogue to goods receipt, through the services and the documents."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from faelles.core.audit import Refused
from faelles.core.models import AuditEvent
from faelles.einvoice.ordering.reader import read
from faelles.einvoice.ordering.validate import validate_bytes
from faelles.purchasing import services
from faelles.purchasing.models import (
    Catalogue,
    CatalogueItem,
    CatalogueStatus,
    InboundDocument,
    OrderState,
    OutgoingDocument,
    PurchaseOrder,
    RequisitionState,
)
from faelles.purchasing.tests import builders as b
from faelles.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db

DELIVERY = services.Delivery("Styrelsen, indkøb", "Vej 1", "2100", "København Ø")


def _submitted(inst, gln, *, limit="10000"):
    agreement, items = b.active_agreement(inst, gln)
    requester = b.member(inst)
    basket = services.basket_add(
        actor=requester, institution=inst, item=items[0], quantity=Decimal("10")
    )
    services.basket_add(actor=requester, institution=inst, item=items[1], quantity=Decimal("2"))
    requisition = services.requisition_submit(
        actor=requester,
        requisition=basket,
        title="Kontorartikler til sekretariatet",
        account="2210",
        org_unit="100",
        purpose="P1",
        delivery=DELIVERY,
    )
    approver = b.member(inst, Role.APPROVER, limit=limit)
    return agreement, items, requester, approver, requisition


# --- agreements and catalogues --------------------------------------------------------------


def test_agreement_is_registered_by_an_administrator_of_every_covered_institution():
    inst, _gln = b.buyer()
    other, _ = b.buyer()
    actor = b.admin(inst)
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            actor=actor,
            institution=inst,
            reference="X",
            name="X",
            supplier_name="S",
            supplier_endpoint=b.SUPPLIER_CVR,
            valid_from="2026-01-01",
            valid_to="2026-12-31",
            covered=[inst, other],
        )
    agreement = b.agreement(inst, covered=[inst, other])
    assert sorted(c.institution_id for c in agreement.coverage.all()) == sorted([inst.pk, other.pk])
    event = AuditEvent.objects.get(action="purchasing.agreement.create")
    assert event.details["covered"] == sorted([inst.short_name, other.short_name])


def test_catalogue_becomes_the_active_version_and_is_accepted_in_the_outbox(
    outbox, django_capture_on_commit_callbacks
):
    inst, gln = b.buyer()
    agreement = b.agreement(inst)
    with django_capture_on_commit_callbacks(execute=True):
        result = b.receive(b.catalogue_xml(gln))
    assert result.status == "accepted"
    catalogue = Catalogue.objects.get(agreement=agreement)
    assert (catalogue.version, catalogue.status) == (1, CatalogueStatus.ACTIVE)
    assert [(i.sellers_id, i.unit_price) for i in catalogue.items.order_by("line_id")] == [
        ("KP-100", Decimal("12.5000")),
        ("PA-500", Decimal("39.0000")),
        ("HM-10", Decimal("89.9500")),
    ]
    response = OutgoingDocument.objects.get(catalogue=catalogue)
    path = outbox / inst.short_name / f"{response.document_id}.xml"
    assert response.destination == str(path)
    written = path.read_bytes()
    assert validate_bytes(written).valid
    doc = read(written)
    assert (doc.response_code, doc.document_id) == ("AP", "CAT-1")


def test_a_new_catalogue_supersedes_the_old_and_an_update_changes_only_its_lines():
    inst, gln = b.buyer()
    agreement, _ = b.active_agreement(inst, gln)
    assert (
        b.receive(b.catalogue_xml(gln, id="CAT-2", lines=[("1", "KP-100", "Pen", "11.00")])).status
        == "accepted"
    )
    update = b.catalogue_xml(
        gln, id="CAT-3", action="Update", lines=[("9", "NY-1", "Lineal", "5.00")]
    )
    assert b.receive(update).status == "accepted"
    versions = list(Catalogue.objects.filter(agreement=agreement).order_by("version"))
    assert [(c.version, c.status) for c in versions] == [
        (1, "superseded"),
        (2, "superseded"),
        (3, "active"),
    ]
    assert sorted(versions[2].items.values_list("sellers_id", "unit_price")) == [
        ("KP-100", Decimal("11.0000")),
        ("NY-1", Decimal("5.0000")),
    ]


def test_catalogue_for_an_unknown_contract_is_rejected_with_the_reason_and_answered(
    outbox, django_capture_on_commit_callbacks
):
    inst, gln = b.buyer()
    b.agreement(inst)
    with django_capture_on_commit_callbacks(execute=True):
        result = b.receive(b.catalogue_xml(gln, contract="UKENDT"))
    assert result.status == "rejected"
    assert result.document.reason == (
        "The catalogue names no agreement of ours with this supplier (contract UKENDT)."
    )
    assert Catalogue.objects.count() == 0
    response = OutgoingDocument.objects.get(institution=inst)
    doc = read(bytes(response.content))
    assert (doc.response_code, doc.description) == ("RE", result.document.reason)
    assert (outbox / inst.short_name / f"{response.document_id}.xml").is_file()


def test_invalid_catalogue_is_rejected_with_our_validators_reason():
    inst, gln = b.buyer()
    agreement = b.agreement(inst)
    xml = b.catalogue_xml(gln).replace(
        b"<cbc:VersionID>", b"<cbc:Unknown>x</cbc:Unknown><cbc:VersionID>"
    )
    result = b.receive(xml)
    assert result.status == "rejected"
    assert result.document.reason.startswith("[UBL-XSD] ")
    assert result.document.findings[0]["rule"] == "UBL-XSD"
    assert Catalogue.objects.get(agreement=agreement).status == CatalogueStatus.REJECTED
    assert read(bytes(OutgoingDocument.objects.get().content)).response_code == "RE"


def test_same_catalogue_twice_is_a_duplicate_and_an_unknown_receiver_unroutable():
    inst, gln = b.buyer()
    b.agreement(inst)
    assert b.receive(b.catalogue_xml(gln)).status == "accepted"
    assert b.receive(b.catalogue_xml(gln)).status == "duplicate"
    result = b.receive(b.catalogue_xml("5790000000005"))
    assert (result.status, result.document.institution) == ("unroutable", None)
    assert InboundDocument.objects.count() == 2


def test_catalogue_line_without_price_is_rejected_in_the_response():
    inst, gln = b.buyer()
    agreement = b.agreement(inst)
    result = b.receive(
        b.catalogue_xml(gln, lines=[("1", "A", "Pen", "2.00"), ("2", "B", "Blyant", None)])
    )
    assert result.status == "accepted"
    assert list(
        CatalogueItem.objects.filter(catalogue__agreement=agreement).values_list(
            "sellers_id", flat=True
        )
    ) == ["A"]
    response = read(bytes(OutgoingDocument.objects.get().content))
    assert [(x.line_id, x.response_code, x.description) for x in response.lines] == [
        ("2", "RE", "The line has no price.")
    ]


# --- basket, requisition, approval ----------------------------------------------------------


def test_only_items_of_agreements_covering_the_institution_go_in_the_basket():
    inst, _gln = b.buyer()
    other, other_gln = b.buyer()
    _agr, items = b.active_agreement(other, other_gln)
    requester = b.member(inst)
    with pytest.raises(ValidationError) as exc:
        services.basket_add(actor=requester, institution=inst, item=items[0], quantity=Decimal(1))
    assert exc.value.messages == ["The item is not on an agreement of your institution."]


def test_submit_checks_the_coding_as_for_invoices_and_the_delivery_address():
    inst, gln = b.buyer()
    _agr, items = b.active_agreement(inst, gln)
    requester = b.member(inst)
    basket = services.basket_add(actor=requester, institution=inst, item=items[0], quantity=3)
    assert basket.net_amount == Decimal("37.50")
    with pytest.raises(ValidationError) as exc:
        services.requisition_submit(
            actor=requester,
            requisition=basket,
            title="",
            account="9999",
            org_unit="777",
            delivery=services.Delivery("", "", "", ""),
        )
    assert exc.value.message_dict["account"] == [
        "Account 9999 does not exist in the chart of accounts."
    ]
    assert exc.value.message_dict["org_unit"] == ["Cost centre 777 does not exist or is inactive."]
    assert exc.value.message_dict["delivery_street"] == ["The delivery address needs this."]
    basket.refresh_from_db()
    assert basket.state == RequisitionState.DRAFT


def test_approval_refuses_the_requester_a_non_approver_and_an_amount_above_the_limit():
    inst, gln = b.buyer()
    _agr, _items, requester, _approver, requisition = _submitted(inst, gln)
    Membership.objects.create(
        user=requester, institution=inst, role=Role.APPROVER, approval_limit=Decimal("99999")
    )
    with pytest.raises(Refused) as exc:
        services.requisition_approve(actor=requester, requisition=requisition)
    assert exc.value.messages == ["You asked for this purchase; another person must approve it."]
    bookkeeper = b.member(inst, Role.BOOKKEEPER)
    with pytest.raises(Refused) as exc:
        services.requisition_approve(actor=bookkeeper, requisition=requisition)
    assert exc.value.messages == ["You are not an approver in this institution."]
    small = b.member(inst, Role.APPROVER, limit="100")
    with pytest.raises(Refused) as exc:
        services.requisition_approve(actor=small, requisition=requisition)
    assert exc.value.messages == ["The amount 203.00 DKK exceeds your approval limit of 100.00."]
    requisition.refresh_from_db()
    assert requisition.state == RequisitionState.SUBMITTED
    assert PurchaseOrder.objects.count() == 0
    assert AuditEvent.objects.filter(action="purchasing.requisition.approve.refused").count() == 3


def test_approved_requisition_becomes_a_valid_peppol_order_in_the_file_drop(
    outbox, django_capture_on_commit_callbacks
):
    inst, gln = b.buyer()
    agreement, _items, _requester, approver, requisition = _submitted(inst, gln)
    with django_capture_on_commit_callbacks(execute=True):
        order = services.requisition_approve(actor=approver, requisition=requisition)
    requisition.refresh_from_db()
    assert requisition.state == RequisitionState.ORDERED
    assert order.number == f"{inst.short_name}-{order.issue_date.year}-00001"
    assert (order.state, order.net_amount, order.account, order.org_unit, order.purpose) == (
        OrderState.SENT,
        Decimal("203.00"),
        "2210",
        "100",
        "P1",
    )
    path = outbox / inst.short_name / f"{order.number}.xml"
    content = path.read_bytes()
    result = validate_bytes(content)
    assert (result.profile.document, result.valid, result.findings) == ("Order", True, ())
    doc = read(content)
    assert doc.buyer.endpoint.value == gln
    assert (doc.seller.endpoint.scheme, doc.seller.endpoint.value) == ("0184", b.SUPPLIER_CVR)
    assert doc.contract_id == agreement.reference
    assert doc.accounting_cost == "2210/100/P1"
    assert [(x.id, x.quantity.value, x.price.amount) for x in doc.lines] == [
        ("1", Decimal("10"), Decimal("12.5")),
        ("2", Decimal("2"), Decimal("39")),
    ]
    assert OutgoingDocument.objects.get(order=order).sent_at is not None


def test_an_institution_without_a_peppol_address_cannot_order():
    inst, gln = b.buyer()
    _agr, _items, _req, approver, requisition = _submitted(inst, gln)
    inst.endpoints.update(is_active=False)
    with pytest.raises(ValidationError) as exc:
        services.requisition_approve(actor=approver, requisition=requisition)
    assert exc.value.messages == ["The institution has no Peppol address (endpoint) to order from."]


def test_reject_needs_a_reason():
    inst, gln = b.buyer()
    _agr, _items, _req, approver, requisition = _submitted(inst, gln)
    with pytest.raises(ValidationError):
        services.requisition_reject(actor=approver, requisition=requisition, reason=" ")
    services.requisition_reject(actor=approver, requisition=requisition, reason="Brug lageret")
    requisition.refresh_from_db()
    assert (requisition.state, requisition.rejection_reason) == ("rejected", "Brug lageret")


# --- the supplier's documents and the receipt ------------------------------------------------


def _ordered(inst, gln):
    _agr, _items, requester, approver, requisition = _submitted(inst, gln)
    order = services.requisition_approve(actor=approver, requisition=requisition)
    return order, requester


def test_order_response_despatch_and_receipt_move_the_order():
    inst, gln = b.buyer()
    order, requester = _ordered(inst, gln)
    assert b.receive(b.order_response_xml(order, gln, code="AP")).status == "accepted"
    order.refresh_from_db()
    assert (order.state, order.sales_order_id) == (OrderState.ACCEPTED, "SO-77")
    assert b.receive(b.despatch_xml(order, gln, lines=[("1", "10")])).status == "accepted"
    order.refresh_from_db()
    assert order.state == OrderState.DESPATCHED
    assert order.lines.get(line_id="1").despatched == Decimal("10")
    services.order_receive(actor=requester, order=order, quantities={"1": Decimal("10")})
    order.refresh_from_db()
    assert order.state == OrderState.PARTLY_RECEIVED
    with pytest.raises(ValidationError) as exc:
        services.order_receive(actor=requester, order=order, quantities={"2": Decimal("3")})
    assert exc.value.messages == ["Line 2: 3 received, but only 2 are outstanding."]
    services.order_receive(actor=requester, order=order, quantities={"2": Decimal("2")})
    order.refresh_from_db()
    assert order.state == OrderState.RECEIVED
    assert order.receipts.count() == 2


def test_only_the_requester_confirms_receipt():
    inst, gln = b.buyer()
    order, _requester = _ordered(inst, gln)
    with pytest.raises(ValidationError) as exc:
        services.order_receive(
            actor=b.member(inst, Role.APPROVER, "1"), order=order, quantities={"1": 1}
        )
    assert exc.value.messages == ["Only the requester confirms the receipt of goods."]


def test_conditional_acceptance_changes_the_line_and_the_total():
    inst, gln = b.buyer()
    order, _ = _ordered(inst, gln)
    xml = b.order_response_xml(order, gln, code="CA", lines=[("1", "3", "5", None)])
    assert b.receive(xml).status == "accepted"
    order.refresh_from_db()
    line = order.lines.get(line_id="1")
    assert (line.quantity, line.net_amount, line.status_code) == (
        Decimal("5"),
        Decimal("62.50"),
        "3",
    )
    assert order.net_amount == Decimal("140.50")


def test_rejection_then_a_late_despatch_is_refused():
    inst, gln = b.buyer()
    order, _ = _ordered(inst, gln)
    assert b.receive(b.order_response_xml(order, gln, code="RE")).status == "accepted"
    order.refresh_from_db()
    assert order.state == OrderState.REJECTED
    result = b.receive(b.despatch_xml(order, gln))
    assert result.status == "rejected"
    assert result.document.reason == (
        f"Order {order.number} is rejected by the supplier; that cannot happen to it now."
    )


def test_cancellation_cancels_a_sent_order():
    inst, gln = b.buyer()
    order, _ = _ordered(inst, gln)
    assert b.receive(b.cancellation_xml(order, gln)).status == "accepted"
    order.refresh_from_db()
    assert (order.state, order.response_note) == (OrderState.CANCELLED, "Ikke længere nødvendig")


def test_a_response_naming_another_institutions_order_is_rejected():
    inst, gln = b.buyer()
    other, other_gln = b.buyer()
    order, _ = _ordered(inst, gln)
    result = b.receive(b.order_response_xml(order, other_gln))
    assert result.status == "rejected"
    assert result.document.institution == other
    assert result.document.reason == f"The document names no order of ours ({order.number})."
    order.refresh_from_db()
    assert order.state == OrderState.SENT


def test_a_response_from_another_supplier_is_rejected():
    inst, gln = b.buyer()
    order, _ = _ordered(inst, gln)
    result = b.receive(b.order_response_xml(order, gln, supplier="11223344"))
    assert (result.status, result.document.reason) == (
        "rejected",
        "The supplier is not the order's supplier.",
    )


def test_unreadable_document_is_rejected_with_the_validators_findings():
    inst, gln = b.buyer()
    b.agreement(inst)
    xml = b.catalogue_xml(gln).replace(b"<cbc:IssueDate>2026-11-01", b"<cbc:IssueDate>2026-13-01")
    result = b.receive(xml)
    assert result.status == "rejected"
    assert result.document.reason.startswith("[UBL-XSD] ")
    assert Catalogue.objects.count() == 0
    assert OutgoingDocument.objects.count() == 0


def test_an_order_change_changes_adds_and_removes_lines_and_asks_for_an_answer_again():
    inst, gln = b.buyer()
    order, _ = _ordered(inst, gln)
    assert b.receive(b.order_response_xml(order, gln)).status == "accepted"
    change = b.order_change_xml(
        order,
        gln,
        lines=[
            ("1", "3", "20", "12.50", "Kuglepen, blå"),
            ("2", "2", "2", "39.00", "Kopipapir A4, 500 ark"),
            ("3", "1", "1", "89.95", "Hæftemaskine"),
        ],
    )
    assert b.receive(change).status == "accepted"
    order.refresh_from_db()
    assert (order.state, order.change_sequence, order.net_amount) == (
        OrderState.SENT,
        "1",
        Decimal("339.95"),
    )
    assert list(order.lines.order_by("line_id").values_list("line_id", "quantity")) == [
        ("1", Decimal("20")),
        ("2", Decimal("0")),
        ("3", Decimal("1")),
    ]
