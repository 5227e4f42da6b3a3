"""Batch intake: many documents stored and processed together give exactly what receiving them
one by one gives — duplicates, suspected duplicates, vendors, routing, coding and audit."""

from datetime import date
from decimal import Decimal

import pytest

from faelles.core.audit import verify_chains
from faelles.core.models import AuditEvent
from faelles.payables import demo, services
from faelles.payables.models import (
    DocumentStatus,
    Invoice,
    InvoiceState,
    ReceivedDocument,
    Vendor,
    VendorPaymentDetails,
)
from faelles.payables.reading import read_facts, worker_reader
from faelles.payables.tests.factories import make_world

pytestmark = pytest.mark.django_db

GLN = "5798009811578"
PAPER = demo.VENDORS[0]  # Kontorleverandøren ApS, items with UNSPSC 14111507 and 44121704
IT = demo.VENDORS[1]


def doc(
    number: str,
    *,
    vendor=PAPER,
    issue: date = date(2026, 3, 15),
    qty: str = "2",
    gln: str = GLN,
    note: str = "",
    iban: str | None = None,
    currency: str = "DKK",
    price: str = "",
) -> bytes:
    text, unspsc, list_price = vendor[3][0]
    return demo._document(
        number=number,
        issue=issue,
        buyer_gln=gln,
        buyer_name="Styrelsen",
        vendor=vendor,
        lines=[(text, unspsc, Decimal(qty), Decimal(price or list_price))],
        buyer_reference="REF-1",
        note=note,
        iban=iban,
        currency=currency,
    )


@pytest.fixture
def world():
    w = make_world(GLN)
    services.routing_rule_create(
        actor=w.receiver, institution=w.institution, requester=w.requester, buyer_reference="REF-1"
    )
    services.coding_rule_create(
        actor=w.bookkeeper,
        institution=w.institution,
        classification=PAPER[3][0][1],
        account="2210",
        org_unit="100",
    )
    return w


def receive_all(sources, **kwargs):
    return list(services.documents_receive(sources=sources, channel="import", **kwargs))


def test_a_batch_gives_one_result_per_source_in_order(world):
    sources = [
        (doc("A-1"), "a1.xml"),
        (doc("A-1"), "again.xml"),  # the same bytes: the same document
        (doc("A-2", gln="5790000000005"), "elsewhere.xml"),  # nobody has this endpoint
        (b"<not-xml", "broken.xml"),
        (doc("A-3", currency="XXQ"), "invalid.xml"),  # BR-CL-04: unknown currency
    ]

    results = receive_all(sources, batch_size=10)

    assert [r.status for r in results] == [
        "accepted",
        "duplicate",
        "unroutable",
        "rejected",
        "rejected",
    ]
    assert results[1].document.pk == results[0].document.pk
    assert results[1].invoice.pk == results[0].invoice.pk
    assert ReceivedDocument.objects.count() == 4
    assert [d.filename for d in ReceivedDocument.objects.order_by("pk")] == [
        "a1.xml",
        "elsewhere.xml",
        "broken.xml",
        "invalid.xml",
    ]
    assert results[3].document.findings[0]["rule"] == "READ"
    assert "BR-CL-04" in {f["rule"] for f in results[4].document.fatal_findings}
    assert results[4].document.institution == world.institution
    assert Invoice.objects.count() == 1
    assert verify_chains(world.institution) == []
    assert verify_chains(None) == []


def test_duplicates_inside_one_batch_are_found_like_across_batches(world):
    sources = [
        (doc("INV-0012"), "1.xml"),
        (doc("INV-0012", note="sent again"), "2.xml"),  # other bytes, same number and date
        (doc("INV-12", note="typed anew"), "3.xml"),  # same amount, number differs in zeros
        (doc("INV12", issue=date(2026, 3, 19), note="later"), "4.xml"),  # suspected of 3
        (doc("INV-0012", issue=date(2026, 4, 20), note="far"), "5.xml"),  # outside the window
    ]

    results = receive_all(sources)

    first, second, third, fourth, fifth = (r.invoice for r in results)
    assert [r.status for r in results] == ["accepted"] * 5
    assert (second.duplicate_of_id, second.state) == (first.pk, InvoiceState.REJECTED)
    assert third.duplicate_of_id is None
    assert third.suspected_duplicate_of_id == first.pk
    assert fourth.suspected_duplicate_of_id == third.pk  # the newest similar one
    assert (fifth.duplicate_of_id, fifth.suspected_duplicate_of_id) == (None, None)
    # A duplicate is neither routed nor coded.
    assert (second.requester_id, second.coded_automatically) == (None, False)


def test_a_batch_equals_the_same_documents_received_one_by_one(world):
    contents = [doc(f"E-{n}", vendor=(PAPER, IT)[n % 2], qty=str(1 + n)) for n in range(6)]
    contents.append(doc("E-0", note="again"))

    one_by_one = [services.document_receive(content=c, channel="import") for c in contents]
    singles = _snapshot()
    VendorPaymentDetails.objects.all().delete()
    Invoice.objects.update(suspected_duplicate_of=None)
    Invoice.objects.filter(duplicate_of__isnull=False).delete()
    Invoice.objects.all().delete()
    Vendor.objects.all().delete()
    ReceivedDocument.objects.all().delete()

    batched = receive_all([(c, "") for c in contents], batch_size=4)

    assert [r.status for r in batched] == [r.status for r in one_by_one]
    assert _snapshot() == singles


def _snapshot():
    invoices = Invoice.objects.order_by("number", "duplicate_of")
    return [
        (
            i.number,
            i.vendor.name,
            i.state,
            i.duplicate_of.number if i.duplicate_of else None,
            i.requester_id,
            i.routing_rule_id,
            i.coded_automatically,
            i.payment_blocked,
            i.next_role,
            i.assigned_to_id,
            str(i.payable_amount),
            [(a.account, a.org_unit, a.vat_code, str(a.amount)) for a in i.allocations.all()],
            [(line.line_no, line.description, str(line.net_amount)) for line in i.lines.all()],
        )
        for i in invoices
    ]


def test_a_new_vendor_is_created_once_per_batch_with_one_audit_event(world):
    results = receive_all([(doc(f"V-{n}", vendor=IT), "") for n in range(3)])

    vendors = {r.invoice.vendor_id for r in results}
    assert len(vendors) == 1
    vendor = Vendor.objects.get(pk=vendors.pop())
    assert (vendor.name, vendor.cvr, vendor.is_verified) == ("Nordisk IT A/S", IT[1], False)
    assert (
        AuditEvent.objects.filter(
            action="payables.vendor.created", object_id=str(vendor.pk)
        ).count()
        == 1
    )


def test_changed_bank_details_inside_a_batch_block_the_later_invoice(world):
    results = receive_all(
        [(doc("P-1"), ""), (doc("P-2", iban="DK7430004000123456"), ""), (doc("P-3"), "")]
    )

    assert [r.invoice.payment_blocked for r in results] == [False, True, False]
    assert VendorPaymentDetails.objects.filter(vendor=results[0].invoice.vendor).count() == 1


def test_routing_and_coding_rules_apply_in_a_batch(world):
    results = receive_all([(doc("R-1"), ""), (doc("R-2", vendor=IT), "")])

    paper, it = (r.invoice for r in results)
    assert (paper.state, paper.coded_automatically, paper.requester) == (
        InvoiceState.CODED,
        True,
        world.requester,
    )
    assert [(a.account, a.org_unit, a.vat_code) for a in paper.allocations.all()] == [
        ("2210", "100", "I25")
    ]
    # No coding rule for the IT vendor's item: received, waiting for the requester.
    assert (it.state, it.coded_automatically, it.assigned_to) == (
        InvoiceState.RECEIVED,
        False,
        world.requester,
    )


def test_an_amount_too_large_to_store_rejects_that_document_only(world):
    # 15 integer digits: more than a stored quantity has (18 digits, 4 decimals).
    huge = doc("H-1", qty="999999999999999", price="0.01")

    results = receive_all([(huge, ""), (doc("H-2"), "")])

    assert [r.status for r in results] == ["rejected", "accepted"]
    rejected = ReceivedDocument.objects.get(pk=results[0].document.pk)
    assert rejected.status == DocumentStatus.REJECTED
    assert {f["rule"] for f in rejected.fatal_findings} == {"FAELLES-INTAKE"}
    assert Invoice.objects.filter(document=rejected).count() == 0


def test_worker_processes_read_exactly_what_this_process_reads():
    contents = [doc(f"W-{n}", qty=str(n + 1)) for n in range(5)] + [b"<broken"]
    with worker_reader(1) as reader:
        facts = reader(contents)()

    assert facts == [read_facts(c) for c in contents]
    assert facts[-1].read_error
    assert [f.number for f in facts[:5]] == [f"W-{n}" for n in range(5)]


def test_an_import_with_workers_accepts_every_document(world, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    for n in range(5):
        (tmp_path / f"{n}.xml").write_bytes(doc(f"I-{n}"))
    out = StringIO()

    call_command(
        "payables", "import", "--json", "--batch", "2", "--workers", "1", str(tmp_path), stdout=out
    )

    lines = out.getvalue().splitlines()
    assert (
        lines[-1] == '{"summary": {"accepted": 5, "rejected": 0, "duplicate": 0, "unroutable": 0}}'
    )
    assert Invoice.objects.for_institution(world.institution).count() == 5
