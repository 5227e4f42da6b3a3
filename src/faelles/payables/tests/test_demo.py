"""The demo fills an institution with invoices at every state, in both syntaxes, once."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest

from faelles.core.audit import verify_chains
from faelles.payables import demo
from faelles.payables.models import DocumentStatus, Invoice, ReceivedDocument, VendorBankChange
from faelles.payables.tests.factories import make_world

pytestmark = pytest.mark.django_db


def test_the_demo_creates_invoices_at_every_state_once(monkeypatch):
    monkeypatch.setattr(demo, "PER_INSTITUTION", 40)
    world = make_world()

    out = StringIO()
    demo.load_demo(stdout=out, today=date(2026, 6, 30))
    first = ReceivedDocument.objects.count()
    demo.load_demo(stdout=StringIO(), today=date(2026, 6, 30))

    assert first == 40 + 3 + 1 + 3 + 3  # invoices, duplicates, bank change, invalid, unroutable
    assert ReceivedDocument.objects.count() == first
    states = Counter(
        Invoice.objects.for_institution(world.institution).values_list("state", flat=True)
    )
    assert set(states) >= {
        "received",
        "coded",
        "attested",
        "posted",
        "scheduled",
        "paid",
        "rejected",
    }
    docs = Counter(ReceivedDocument.objects.values_list("status", flat=True))
    assert (docs[DocumentStatus.REJECTED], docs[DocumentStatus.UNROUTABLE]) == (3, 3)
    invoices = Invoice.objects.for_institution(world.institution)
    assert invoices.filter(duplicate_of__isnull=False).count() == 2
    assert invoices.filter(suspected_duplicate_of__isnull=False).count() == 1
    assert invoices.filter(payment_blocked=True).count() == 1
    blocked = invoices.get(payment_blocked=True)
    change = VendorBankChange.objects.get(institution=world.institution)
    assert (change.state, change.source_invoice, change.requested_by) == (
        "requested",
        blocked,
        None,
    )
    assert change.key == "iban:DK3730000000000001"
    assert invoices.filter(coded_automatically=True).exists()
    assert verify_chains(world.institution) == []
    # About a quarter is OIOUBL (invoices 19-37 and the second copy of invoice 7, one
    # invalid and one unroutable document), and both syntaxes reach every state.
    syntaxes = Counter(ReceivedDocument.objects.values_list("syntax", flat=True))
    assert syntaxes == {"peppol": 50 - 22, "oioubl": 22}
    by_syntax = {
        syntax: set(invoices.filter(document__syntax=syntax).values_list("state", flat=True))
        for syntax in ("peppol", "oioubl")
    }
    every = {"received", "coded", "attested", "posted", "scheduled", "paid", "rejected"}
    assert by_syntax["peppol"] >= every and by_syntax["oioubl"] >= every
    assert invoices.filter(document__syntax="oioubl", kind="CreditNote").count() == 1
    assert invoices.filter(document__syntax="oioubl", coded_automatically=True).exists()
    oioubl_duplicate = invoices.get(duplicate_of__isnull=False, document__syntax="oioubl")
    assert oioubl_duplicate.duplicate_of.document.syntax == "peppol"
    assert "payables: 50 demo documents" in out.getvalue()
