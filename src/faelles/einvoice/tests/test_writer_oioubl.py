"""The OIOUBL 2.1 writer: generated invoices and credit notes pass the OIOUBL rules without a
fatal finding and read back to the same model for every term OIOUBL carries; the published
OIOUBL examples read, written and read again are unchanged."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from lxml import etree

from faelles.einvoice import read, validate_bytes
from faelles.einvoice.model import Contact, Document, FinancialAccount, Party, PaymentMeans
from faelles.einvoice.profiles import profile_for
from faelles.einvoice.tests import builders
from faelles.einvoice.tests.conftest import require_shared
from faelles.einvoice.writer_oioubl import OIOUBL_CUSTOMIZATION, OIOUBL_PROFILE, to_oioubl
from faelles.einvoice.xml import CAC, CBC


def _with_means(means: PaymentMeans) -> Document:
    return dataclasses.replace(builders.invoice(2), payment_means=(means,))


def _credit_note() -> Document:
    doc = builders.invoice(3, number="CN-1")
    return dataclasses.replace(
        doc,
        profile=profile_for("CreditNote", doc.profile.customization_id, doc.profile.profile_id),
        type_code="381",
        due_date=None,
    )


DOCUMENTS = {
    "invoice-iban": lambda: builders.invoice(3),
    "invoice-one-line": lambda: builders.invoice(1, number="1"),
    "invoice-fik": lambda: builders.invoice(2, fik=True),
    "invoice-giro": lambda: _with_means(
        PaymentMeans(code="50", payment_id="04#1234567890", account=FinancialAccount("1234567"))
    ),
    "invoice-dk-bank": lambda: _with_means(
        PaymentMeans(
            code="42", payment_id="INV-1001", account=FinancialAccount("1234567890", None, "1234")
        )
    ),
    "invoice-allowance-and-charge": lambda: builders.complete(
        dataclasses.replace(
            builders.invoice(2),
            allowances_charges=(
                builders.allowance(Decimal("10.00")),
                builders.allowance(Decimal("25.00"), charge=True),
            ),
        )
    ),
    "invoice-without-buyer-reference": lambda: dataclasses.replace(
        builders.invoice(2), buyer_reference=None
    ),
    "credit-note": _credit_note,
}


def _party(party: Party, *, reference: bool) -> Party:
    """A party as OIOUBL carries it: always named in PartyName; the buyer always has a
    contact (its ID is the buyer reference)."""
    contact = party.contact
    if reference and contact is None:
        contact = Contact()
    return dataclasses.replace(
        party, trading_name=party.trading_name or party.name, contact=contact
    )


def expected(doc: Document) -> Document:
    """``doc`` as it reads back from OIOUBL: the OIOUBL profile, the parties as above, and a
    credit note without payment means, terms and due date (UBL 2.0 CreditNote has none)."""
    credit_note = doc.kind == "CreditNote"
    out = dataclasses.replace(
        doc,
        profile=profile_for(doc.kind, OIOUBL_CUSTOMIZATION, OIOUBL_PROFILE),
        seller=_party(doc.seller, reference=False),
        buyer=_party(doc.buyer, reference=True),
        buyer_reference=doc.buyer_reference or "n/a",
    )
    if credit_note:
        out = dataclasses.replace(
            out, payment_means=(), payment_terms=None, due_date=None, type_code="381"
        )
    return out


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_written_documents_have_no_fatal_oioubl_finding_and_read_back_equal(name):
    doc = DOCUMENTS[name]()
    data = to_oioubl(doc)

    result = validate_bytes(data)

    assert result.profile.syntax == "oioubl"
    assert result.profile.document == doc.kind
    assert [f for f in result.findings if f.is_fatal] == []
    assert read(data) == expected(doc)


def test_the_oioubl_conventions_are_written():
    doc = builders.invoice(2, fik=True)
    root = etree.fromstring(to_oioubl(doc))
    ns = {"cac": CAC, "cbc": CBC}

    def text(path: str) -> list[str]:
        return [el.text for el in root.findall(path, ns)]

    assert text("cbc:CustomizationID") == ["OIOUBL-2.1"]
    assert text("cbc:ProfileID") == [OIOUBL_PROFILE]
    # TaxExclusiveAmount is the VAT amount in OIOUBL.
    assert text("cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == [str(doc.totals.tax)]
    assert text("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID") == ["DK12345674"]
    assert root.find("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", ns).get(
        "schemeID"
    ) == ("DK:CVR")
    assert text("cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ID") == ["4711"]
    assert text("cac:PaymentMeans/cbc:PaymentChannelCode") == ["DK:FIK"]
    assert text("cac:PaymentMeans/cbc:PaymentID") == ["71"]
    assert text("cac:PaymentMeans/cac:CreditAccount/cbc:AccountID") == ["12345678"]
    assert text("cac:InvoiceLine/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == [
        "StandardRated",
        "StandardRated",
    ]


def test_the_same_document_is_always_the_same_bytes():
    first, again = to_oioubl(builders.invoice(2)), to_oioubl(builders.invoice(2))
    other = to_oioubl(builders.invoice(2, number="INV-1002"))
    uuid = f"{{{CBC}}}UUID"
    assert first == again
    assert etree.fromstring(first).find(uuid).text != etree.fromstring(other).find(uuid).text


def test_a_peppol_document_converted_to_oioubl_keeps_its_business_terms():
    peppol = builders.invoice(4)
    back = read(to_oioubl(peppol))
    assert (back.number, back.due_date, back.buyer_reference, back.totals) == (
        peppol.number,
        peppol.due_date,
        peppol.buyer_reference,
        peppol.totals,
    )
    assert back.payment_means == peppol.payment_means
    assert back.lines == peppol.lines


def test_the_published_oioubl_examples_are_written_back_unchanged():
    folder = require_shared() / "examples" / "oioubl"
    paths = sorted(folder.glob("*.xml"))
    if not paths:
        pytest.skip(f"no OIOUBL examples in {folder}")
    for path in paths:
        doc = read(path.read_bytes())
        data = to_oioubl(doc)
        assert [f for f in validate_bytes(data).findings if f.is_fatal] == [], path.name
        assert read(data) == doc, path.name
