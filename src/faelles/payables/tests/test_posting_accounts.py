"""Invoices and payments post to their institution's posting accounts (the ledger's
configuration), not to numbers fixed in code; a later change leaves posted entries alone."""

from datetime import date
from decimal import Decimal

import pytest

from faelles.ledger import services as ledger
from faelles.ledger.models import JournalEntry
from faelles.payables import services
from faelles.payables.coding import AllocationSpec
from faelles.payables.models import Invoice
from faelles.payables.tests.factories import make_world

pytestmark = pytest.mark.django_db

D = Decimal
CODING = [
    AllocationSpec(1, "2210", D("2800.00"), "100", vat_code="I25"),
    AllocationSpec(2, "2210", D("-1500.00"), "100", vat_code="I25"),
    AllocationSpec(3, "2210", D("25.00"), "100", vat_code="I25"),
]

#: Payment details a payment run can pay (the published example's IBAN is not valid).
PAYABLE = [{"kind": "iban", "iban": "DK5000400440116243"}]


def _lines(entry):
    return list(entry.lines.order_by("line_no").values_list("account__number", "debit", "credit"))


def _posted(world, content):
    invoice = services.document_receive(content=content, channel="api").invoice
    services.invoice_code(actor=world.receiver, invoice=invoice, allocations=CODING)
    services.invoice_attest(actor=world.receiver, invoice=invoice)
    services.invoice_approve(actor=world.approver, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.state == "posted"
    return invoice


def _own_accounts(world):
    for parent, number in (("9110", "91109"), ("5620", "56209"), ("5810", "58109")):
        ledger.account_create_local(
            actor=world.bookkeeper,
            institution=world.institution,
            parent_number=parent,
            number=number,
            name=f"Egen {number}",
        )
    ledger.posting_accounts_set(
        actor=world.bookkeeper,
        institution=world.institution,
        payables_account="91109",
        input_vat_account="56209",
        bank_account="58109",
    )


def test_each_institution_posts_invoices_and_payments_to_its_own_accounts(dkk_document):
    first = make_world("5798009811578")
    second = make_world("5798009811585")
    _own_accounts(second)

    mine = _posted(first, dkk_document(receiver="5798009811578", number="A1"))
    theirs = _posted(second, dkk_document(receiver="5798009811585", number="B1"))

    assert _lines(mine.journal_entry) == [
        ("2210", D("1325.00"), D("0.00")),
        ("5620", D("331.25"), D("0.00")),
        ("9110", D("0.00"), D("1656.25")),
    ]
    assert _lines(theirs.journal_entry) == [
        ("2210", D("1325.00"), D("0.00")),
        ("56209", D("331.25"), D("0.00")),
        ("91109", D("0.00"), D("1656.25")),
    ]
    Invoice.objects.filter(pk=theirs.pk).update(payment_means=PAYABLE)  # a run could pay it
    services.invoice_schedule(actor=second.payer, invoice=theirs)
    services.invoice_mark_paid(actor=second.payer, invoice=theirs, paid_on=date(2026, 4, 10))
    payment = JournalEntry.objects.get(source_type="payables.payment", source_id=str(theirs.pk))
    assert _lines(payment) == [
        ("91109", D("1656.25"), D("0.00")),
        ("58109", D("0.00"), D("1656.25")),
    ]


def test_a_change_of_the_accounts_leaves_posted_invoices_as_they_were(dkk_document):
    world = make_world()
    before = _posted(world, dkk_document(number="C1"))
    lines = _lines(before.journal_entry)

    _own_accounts(world)
    after = _posted(world, dkk_document(number="C2"))

    assert _lines(JournalEntry.objects.get(pk=before.journal_entry_id)) == lines
    assert [n for n, _d, _c in lines] == ["2210", "5620", "9110"]
    assert [n for n, _d, _c in _lines(after.journal_entry)] == ["2210", "56209", "91109"]
