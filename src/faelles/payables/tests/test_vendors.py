"""Vendor payment details with history, and the payment block: new details on an invoice
block its payment until someone other than its approver confirms them, and whoever confirms
cannot approve it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from faelles.core.models import AuditEvent
from faelles.payables import services
from faelles.payables.coding import AllocationSpec
from faelles.payables.models import Invoice, VendorPaymentDetails
from faelles.payables.tests.factories import make_world, member
from faelles.payables.vendors import payment_key
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db

D = Decimal
CODING = [
    AllocationSpec(1, "2210", D("2800.00"), "100", vat_code="I25"),
    AllocationSpec(2, "2210", D("-1500.00"), "100", vat_code="I25"),
    AllocationSpec(3, "2210", D("25.00"), "100", vat_code="I25"),
]


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


def receive(dkk_document, number, account="IBAN32423940"):
    content = dkk_document(number=number).replace(b"IBAN32423940", account.encode())
    return services.document_receive(content=content, channel="api").invoice


def codes(exc):
    return sorted({e.code for errors in exc.value.error_dict.values() for e in errors})


def test_payment_key_is_canonical():
    assert (
        payment_key(
            [
                {"kind": "iban", "iban": "dk50 0040 0440 1162 43"},
                {"kind": "fik", "card_type": "71", "creditor": "12345678"},
            ]
        )
        == "fik:71:12345678 iban:DK5000400440116243"
    )
    assert payment_key([]) == ""


def test_the_first_invoice_sets_the_master_and_the_same_details_pass(world, dkk_document):
    first = receive(dkk_document, "P1")
    second = receive(dkk_document, "P2")
    assert (first.payment_blocked, second.payment_blocked) == (False, False)
    master = VendorPaymentDetails.objects.get()
    assert (master.key, master.source_invoice, master.confirmed_by) == (
        "account:IBAN32423940",
        first,
        None,
    )


def test_new_details_block_payment_until_confirmed_by_someone_else(world, dkk_document):
    receive(dkk_document, "P1")
    changed = receive(dkk_document, "P2", account="DK5000400440116243")
    assert changed.payment_blocked
    services.invoice_code(actor=world.receiver, invoice=changed, allocations=CODING)
    services.invoice_attest(actor=world.requester, invoice=changed)
    services.invoice_approve(actor=world.approver, invoice=changed)
    changed.refresh_from_db()
    assert changed.state == "posted"

    with pytest.raises(ValidationError) as exc:
        services.invoice_schedule(actor=world.payer, invoice=changed)
    assert codes(exc) == ["payment_blocked"]
    member(world.institution, Role.BOOKKEEPER, user=world.approver)
    with pytest.raises(ValidationError) as exc:
        services.invoice_confirm_payment_details(actor=world.approver, invoice=changed)
    assert codes(exc) == ["approver"]
    assert Invoice.objects.get(pk=changed.pk).payment_blocked

    services.invoice_confirm_payment_details(actor=world.bookkeeper, invoice=changed)

    changed.refresh_from_db()
    assert (changed.payment_blocked, changed.payment_changed_by) == (False, world.bookkeeper)
    history = list(VendorPaymentDetails.objects.order_by("pk").values_list("key", "confirmed_by"))
    assert history == [
        ("account:IBAN32423940", None),
        ("iban:DK5000400440116243", world.bookkeeper.pk),
    ]
    event = AuditEvent.objects.get(action="payables.vendor.payment_details_confirmed")
    assert event.details["old"] == "account:IBAN32423940"
    services.invoice_schedule(actor=world.payer, invoice=changed)
    assert Invoice.objects.get(pk=changed.pk).state == "scheduled"


def test_whoever_confirmed_new_details_cannot_approve(world, dkk_document):
    receive(dkk_document, "P1")
    changed = receive(dkk_document, "P2", account="DK5000400440116243")
    member(world.institution, Role.BOOKKEEPER, user=world.approver)
    services.invoice_confirm_payment_details(actor=world.approver, invoice=changed)
    services.invoice_code(actor=world.receiver, invoice=changed, allocations=CODING)
    services.invoice_attest(actor=world.requester, invoice=changed)
    with pytest.raises(ValidationError) as exc:
        services.invoice_approve(actor=world.approver, invoice=changed)
    assert codes(exc) == ["payment_changed"]
    assert Invoice.objects.get(pk=changed.pk).state == "attested"


def test_confirming_needs_a_role_and_a_blocked_invoice(world, dkk_document):
    first = receive(dkk_document, "P1")
    with pytest.raises(ValidationError) as exc:
        services.invoice_confirm_payment_details(actor=world.bookkeeper, invoice=first)
    assert codes(exc) == ["not_blocked"]
    changed = receive(dkk_document, "P2", account="DK5000400440116243")
    other = make_world(gln="5790000000005")
    for who in (world.payer, world.requester, other.bookkeeper):
        with pytest.raises(ValidationError) as exc:
            services.invoice_confirm_payment_details(actor=who, invoice=changed)
        assert codes(exc) == ["not_permitted"]
    assert VendorPaymentDetails.objects.count() == 1
