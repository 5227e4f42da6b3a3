"""Routing inside the institution and coding: rules at intake, suggestions, the coding
service with split lines and its checks against the ledger."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from faelles.core.models import AuditEvent
from faelles.payables import services
from faelles.payables.coding import AllocationSpec, coding_suggestion
from faelles.payables.models import Invoice, InvoiceAllocation, InvoiceState, RoutingRule
from faelles.payables.tests.factories import make_world, member
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def world():
    return make_world()


def receive(content):
    intake = services.document_receive(content=content, channel="api")
    assert intake.status == "accepted", intake.document.findings
    return intake.invoice


def full_coding(account="2210", org_unit="100"):
    return [
        AllocationSpec(1, account, D("2800.00"), org_unit, vat_code="I25"),
        AllocationSpec(2, account, D("-1500.00"), org_unit, vat_code="I25"),
        AllocationSpec(3, account, D("25.00"), org_unit, vat_code="I25"),
    ]


# --- routing ----------------------------------------------------------------------------------


def test_without_a_rule_the_invoice_goes_to_the_invoice_receivers(world, dkk_document):
    invoice = receive(dkk_document())
    assert (invoice.requester, invoice.next_role, invoice.assigned_to) == (
        None,
        "invoice_receiver",
        None,
    )


def test_the_first_matching_rule_by_priority_names_the_requester(world, dkk_document):
    other = member(world.institution, Role.REQUESTER)
    inst = world.institution
    services.routing_rule_create(
        actor=world.receiver, institution=inst, requester=other, priority=50, order_reference="X"
    )
    rule = services.routing_rule_create(
        actor=world.receiver,
        institution=inst,
        requester=world.requester,
        priority=10,
        buyer_reference="0150ABC",
    )
    services.routing_rule_create(
        actor=world.receiver,
        institution=inst,
        requester=other,
        priority=20,
        buyer_reference="0150abc",
    )

    invoice = receive(dkk_document())

    assert (invoice.requester, invoice.routing_rule, invoice.next_role, invoice.assigned_to) == (
        world.requester,
        rule,
        "requester",
        world.requester,
    )
    accepted = AuditEvent.objects.get(action="payables.document.accepted")
    assert accepted.details["requester"] == world.requester.pk


@pytest.mark.parametrize(
    ("criterion", "matches"),
    [
        ({"order_reference": "PO-77"}, True),
        ({"order_reference": "PO-78"}, False),
        ({"endpoint": "5798009811578"}, True),
        ({"endpoint": "5790000000005"}, False),
        ({"buyer_reference": "0150abc", "order_reference": "PO-78"}, False),
    ],
)
def test_rules_match_order_reference_and_endpoint_all_criteria_at_once(
    world, dkk_document, criterion, matches
):
    services.routing_rule_create(
        actor=world.receiver, institution=world.institution, requester=world.requester, **criterion
    )
    invoice = receive(dkk_document(order_reference="PO-77"))
    assert (invoice.requester == world.requester) is matches


def test_a_vendor_rule_routes_the_vendors_next_invoice(world, dkk_document):
    first = receive(dkk_document(number="A1"))
    services.routing_rule_create(
        actor=world.receiver,
        institution=world.institution,
        requester=world.requester,
        vendor=first.vendor,
    )
    second = receive(dkk_document(number="A2"))
    assert (first.requester, second.requester) == (None, world.requester)


def test_only_invoice_receivers_and_local_admins_add_routing_rules(world):
    with pytest.raises(ValidationError) as exc:
        services.routing_rule_create(
            actor=world.approver,
            institution=world.institution,
            requester=world.requester,
            buyer_reference="x",
        )
    assert exc.value.error_dict["actor"][0].code == "not_permitted"
    assert not RoutingRule.objects.exists()


def test_a_rule_needs_a_criterion_and_a_member_as_requester(world):
    outsider = make_world(gln="5790000000005").requester
    with pytest.raises(ValidationError) as exc:
        services.routing_rule_create(
            actor=world.receiver, institution=world.institution, requester=outsider
        )
    assert set(exc.value.message_dict) == {"buyer_reference", "requester"}


# --- coding rules and suggestions ------------------------------------------------------------


def test_a_matching_coding_rule_codes_every_line_at_intake(world, dkk_document):
    services.coding_rule_create(
        actor=world.bookkeeper,
        institution=world.institution,
        classification="09348023",
        account="2230",
        org_unit="200",
    )
    services.coding_rule_create(
        actor=world.bookkeeper,
        institution=world.institution,
        text_contains="charges",
        account="2290",
        org_unit="100",
    )

    invoice = receive(dkk_document())

    assert (invoice.state, invoice.coded_automatically, invoice.coded_by) == (
        InvoiceState.CODED,
        True,
        None,
    )
    rows = list(
        InvoiceAllocation.objects.filter(invoice=invoice).values_list(
            "line__line_no", "account", "org_unit", "vat_code", "amount"
        )
    )
    assert rows == [
        (1, "2230", "200", "I25", D("2800.00")),
        (2, "2230", "200", "I25", D("-1500.00")),
        (3, "2290", "100", "I25", D("25.00")),
    ]


def test_when_a_line_matches_no_rule_nothing_is_coded(world, dkk_document):
    services.coding_rule_create(
        actor=world.bookkeeper,
        institution=world.institution,
        classification="09348023",
        account="2230",
        org_unit="200",
    )
    invoice = receive(dkk_document())
    assert (invoice.state, invoice.coded_automatically) == (InvoiceState.RECEIVED, False)
    assert InvoiceAllocation.objects.count() == 0


def test_a_coding_rule_must_name_existing_accounts_and_dimensions(world):
    with pytest.raises(ValidationError) as exc:
        services.coding_rule_create(
            actor=world.bookkeeper,
            institution=world.institution,
            text_contains="x",
            account="2210",
            org_unit="999",
            vat_code="Q9",
        )
    assert exc.value.message_dict == {
        "org_unit": ["Cost centre 999 does not exist or is inactive."],
        "vat_code": ["VAT code Q9 does not exist."],
    }
    with pytest.raises(ValidationError) as exc:
        services.coding_rule_create(
            actor=world.requester, institution=world.institution, text_contains="x", account="2210"
        )
    assert exc.value.error_dict["actor"][0].code == "not_permitted"


def test_the_suggestion_comes_from_the_vendors_approved_invoices(world, dkk_document):
    first = receive(dkk_document(number="S1"))
    assert coding_suggestion(first) == []
    services.invoice_code(
        actor=world.receiver, invoice=first, allocations=full_coding("2230", "200")
    )
    # Arranged directly (a coded invoice is never approved by ``save``: the life cycle refuses).
    Invoice.objects.filter(pk=first.pk).update(state=InvoiceState.APPROVED)

    second = receive(dkk_document(number="S2"))

    assert [(s.line_no, s.account, s.org_unit, s.amount) for s in coding_suggestion(second)] == [
        (1, "2230", "200", D("2800.00")),
        (2, "2230", "200", D("-1500.00")),
        (3, "2230", "200", D("25.00")),
    ]


# --- coding by a person -----------------------------------------------------------------------


def test_coding_splits_a_line_across_accounts_and_cost_centres(world, dkk_document):
    invoice = receive(dkk_document())
    coding = [
        AllocationSpec(1, "2210", D("2000.00"), "100", vat_code="I25"),
        AllocationSpec(1, "2220", D("800.00"), "200", vat_code="I25"),
        AllocationSpec(2, "2210", D("-1500.00"), "100", vat_code="I25"),
        AllocationSpec(3, "2210", D("25.00"), "100", vat_code="I25"),
    ]

    invoice = services.invoice_code(actor=world.receiver, invoice=invoice, allocations=coding)

    assert (invoice.state, invoice.coded_by, invoice.coder_ids, invoice.coded_automatically) == (
        InvoiceState.CODED,
        world.receiver,
        [world.receiver.pk],
        False,
    )
    assert InvoiceAllocation.objects.filter(invoice=invoice).count() == 4
    event = AuditEvent.objects.get(action="payables.invoice.coded")
    assert event.details["allocations"][1] == {
        "line": 1,
        "account": "2220",
        "org_unit": "200",
        "purpose": "",
        "vat_code": "I25",
        "amount": "800.00",
    }


def test_coding_errors_name_the_line_and_nothing_changes(world, dkk_document):
    invoice = receive(dkk_document())
    coding = [
        AllocationSpec(1, "2210", D("2000.00"), "100"),
        AllocationSpec(2, "22", D("-1500.00"), "100"),
        AllocationSpec(3, "9999", D("25.00"), "100"),
        AllocationSpec(1, "2220", D("700.00"), ""),
    ]
    with pytest.raises(ValidationError) as exc:
        services.invoice_code(actor=world.receiver, invoice=invoice, allocations=coding)
    assert exc.value.message_dict["allocations"] == [
        "Line 2: Account 22 cannot be posted to (a sum or inactive account).",
        "Line 3: Account 9999 does not exist in the chart of accounts.",
        "Line 1: Account 2220 requires a cost centre.",
        "Line 1: the coded amounts add up to 2,700.00, but the line's net amount is 2,800.00.",
    ]
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.RECEIVED
    assert InvoiceAllocation.objects.count() == 0
    assert not AuditEvent.objects.filter(action="payables.invoice.coded").exists()


def test_every_line_must_be_coded(world, dkk_document):
    invoice = receive(dkk_document())
    with pytest.raises(ValidationError) as exc:
        services.invoice_code(actor=world.receiver, invoice=invoice, allocations=full_coding()[:2])
    assert exc.value.message_dict["allocations"] == ["Line 3 is not coded."]


def test_recoding_replaces_the_coding_and_remembers_every_coder(world, dkk_document):
    invoice = receive(dkk_document())
    services.invoice_code(actor=world.receiver, invoice=invoice, allocations=full_coding())
    services.invoice_code(actor=world.bookkeeper, invoice=invoice, allocations=full_coding("2220"))
    invoice.refresh_from_db()
    assert set(InvoiceAllocation.objects.values_list("account", flat=True)) == {"2220"}
    assert invoice.coder_ids == sorted([world.receiver.pk, world.bookkeeper.pk])


@pytest.mark.parametrize("who", ["approver", "payer", "controller"])
def test_only_receivers_requesters_and_bookkeepers_code(world, dkk_document, who):
    invoice = receive(dkk_document())
    with pytest.raises(ValidationError) as exc:
        services.invoice_code(actor=getattr(world, who), invoice=invoice, allocations=full_coding())
    assert exc.value.error_dict["actor"][0].code == "not_permitted"
    assert InvoiceAllocation.objects.count() == 0


# --- forwarding -------------------------------------------------------------------------------


def test_an_invoice_receiver_forwards_to_another_requester_with_a_note(world, dkk_document):
    other = member(world.institution, Role.REQUESTER)
    invoice = receive(dkk_document())

    services.invoice_forward(
        actor=world.receiver, invoice=invoice, requester=other, note="Jeres indkøb"
    )

    invoice.refresh_from_db()
    assert (invoice.requester, invoice.assigned_to, invoice.next_role) == (
        other,
        other,
        "requester",
    )
    event = AuditEvent.objects.get(action="payables.invoice.forwarded")
    assert event.details == {"from": None, "to": other.pk, "note": "Jeres indkøb"}


def test_forwarding_needs_the_role_a_requester_and_an_open_invoice(world, dkk_document):
    invoice = receive(dkk_document())
    for actor, to, code in (
        (world.approver, world.requester, "not_permitted"),
        (world.requester, world.requester, "not_permitted"),  # not waiting for them
        (world.receiver, world.approver, "not_requester"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.invoice_forward(actor=actor, invoice=invoice, requester=to)
        assert [e.code for errs in exc.value.error_dict.values() for e in errs] == [code]
    assert not AuditEvent.objects.filter(action="payables.invoice.forwarded").exists()
