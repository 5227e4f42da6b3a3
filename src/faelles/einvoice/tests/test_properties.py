"""Property tests: generated invoices survive writing and reading, their arithmetic holds,
and corrupted documents never crash the reader or the rules."""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from faelles.einvoice.model import (
    Address,
    Attachment,
    Classification,
    Document,
    DocumentReference,
    FinancialAccount,
    Identifier,
    Line,
    Party,
    PaymentMeans,
    Period,
)
from faelles.einvoice.reader import read
from faelles.einvoice.tests import builders
from faelles.einvoice.validate import validate_bytes
from faelles.einvoice.writer import to_ubl
from faelles.einvoice.xml import ReadError

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALPHABET = "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789 -.,/&<>'\""
text = st.text(ALPHABET, min_size=1, max_size=25).map(str.strip).filter(bool)
cents = st.integers(min_value=1, max_value=1_000_000).map(lambda n: Decimal(n) / 100)
quantities = st.one_of(
    st.integers(min_value=1, max_value=500).map(Decimal),
    st.integers(min_value=1, max_value=50_000).map(lambda n: Decimal(n) / 100),
)
categories = st.sampled_from([("S", Decimal("25")), ("Z", Decimal("0")), ("E", Decimal("0"))])
days = st.integers(min_value=0, max_value=3000).map(lambda n: date(2020, 1, 1) + timedelta(n))


@st.composite
def lines(draw: st.DrawFn, number: int) -> Line:
    category, rate = draw(categories)
    base = builders.line(number, draw(quantities), draw(cents), category=category, rate=rate)
    start = draw(st.none() | days)
    return dataclasses.replace(
        base,
        note=draw(st.none() | text),
        accounting_cost=draw(st.none() | text),
        period=None if start is None else Period(start, start + timedelta(days=30)),
        item=dataclasses.replace(
            base.item,
            name=draw(text),
            description=draw(st.none() | text),
            buyer_id=draw(st.none() | text),
            standard_id=draw(st.none() | st.just(Identifier("5712345780121", "0160"))),
            classifications=draw(
                st.sampled_from([(), (Classification("44121704", "TST", "19.05.01"),)])
            ),
            origin_country=draw(st.none() | st.sampled_from(["DK", "SE", "DE"])),
            attributes=tuple(draw(st.lists(st.tuples(text, text), max_size=2))),
        ),
    )


@st.composite
def invoices(draw: st.DrawFn) -> Document:
    count = draw(st.integers(min_value=1, max_value=6))
    doc_lines = tuple(draw(lines(n)) for n in range(1, count + 1))
    line_total = sum((ln.net_amount or Decimal(0) for ln in doc_lines), Decimal(0))
    allowances = []
    if draw(st.booleans()) and line_total > 1:
        share = draw(st.integers(min_value=1, max_value=10))
        amount = builders.money(line_total * share / 100)
        if amount > 0:
            allowances.append(builders.allowance(amount))
    if draw(st.booleans()):
        allowances.append(builders.allowance(draw(cents), charge=True))
    issue = draw(days)
    means = draw(
        st.sampled_from(
            [
                PaymentMeans(
                    "31", None, "INV", FinancialAccount("DK5000400440116243", None, "DABADKKK")
                ),
                PaymentMeans("93", None, "71#123456789012345", FinancialAccount("12345678")),
                PaymentMeans("50", None, "04#1234567890123456", FinancialAccount("1234567")),
                PaymentMeans("42", None, "INV", FinancialAccount("1234567890", None, "1234")),
            ]
        )
    )
    base = builders.invoice(1)
    doc = dataclasses.replace(
        base,
        number=draw(text),
        issue_date=issue,
        due_date=issue + timedelta(days=draw(st.integers(min_value=0, max_value=60))),
        buyer_reference=draw(text),
        order_reference=draw(st.none() | text),
        contract_reference=draw(st.none() | text),
        project_reference=draw(st.none() | text),
        accounting_cost=draw(st.none() | text),
        notes=tuple(draw(st.lists(text, max_size=1))),  # PEPPOL-EN16931-R002
        payment_terms=draw(st.none() | text),
        payment_means=(means,),
        buyer=dataclasses.replace(
            base.buyer,
            name=draw(text),
            address=Address(street=draw(text), city=draw(text), postal_zone="3000", country="DK"),
        ),
        payee=draw(
            st.none()
            | st.just(Party(trading_name="Factoring A/S", legal_id=Identifier("12345674", "0184")))
        ),
        attachments=draw(
            st.sampled_from(
                [
                    (),
                    (
                        Attachment(
                            "Bilag 1",
                            "Timeseddel",
                            mime_code="application/pdf",
                            filename="t.pdf",
                            content_base64="JVBERi0xLjQK",
                        ),
                    ),
                ]
            )
        ),
        allowances_charges=tuple(allowances),
        lines=doc_lines,
    )
    if draw(st.booleans()):
        doc = dataclasses.replace(
            doc,
            profile=dataclasses.replace(doc.profile, document="CreditNote"),
            type_code="381",
            preceding_invoices=(DocumentReference(draw(text), issue - timedelta(days=1)),),
        )
    doc = builders.complete(doc)
    total = doc.totals.tax_inclusive or Decimal(0)
    if draw(st.booleans()) and total > 0:  # part paid in advance, never more than the total
        prepaid = builders.money(total * draw(st.integers(min_value=1, max_value=100)) / 100)
        doc = builders.complete(
            dataclasses.replace(doc, totals=dataclasses.replace(doc.totals, prepaid=prepaid))
        )
    if draw(st.booleans()):  # VAT also stated in euro (BT-6, BT-111)
        tax = doc.totals.tax or Decimal(0)
        doc = dataclasses.replace(
            doc,
            tax_currency="EUR",
            totals=dataclasses.replace(doc.totals, tax_in_tax_currency=builders.money(tax / 7)),
        )
    return doc


@SETTINGS
@given(invoices())
def test_generated_document_reads_back_equal(doc: Document) -> None:
    assert read(to_ubl(doc)) == doc


@SETTINGS
@given(invoices())
def test_generated_invoice_arithmetic_holds_br_co_10_to_17(doc: Document) -> None:
    back = read(to_ubl(doc))
    t = back.totals
    zero = Decimal(0)
    lines_sum = sum((ln.net_amount or zero for ln in back.lines), zero)
    allowances = sum((a.amount for a in back.allowances_charges if not a.charge), zero)
    charges = sum((a.amount for a in back.allowances_charges if a.charge), zero)

    assert t.line_extension == lines_sum  # BR-CO-10
    assert (t.allowance_total or zero) == allowances  # BR-CO-11
    assert (t.charge_total or zero) == charges  # BR-CO-12
    assert t.tax_exclusive == lines_sum - allowances + charges  # BR-CO-13
    assert t.tax == sum((b.tax_amount for b in back.vat_breakdown), zero)  # BR-CO-14
    assert t.tax_inclusive is not None and t.tax_exclusive is not None and t.tax is not None
    assert t.tax_inclusive == t.tax_exclusive + t.tax  # BR-CO-15
    assert t.payable == t.tax_inclusive - (t.prepaid or zero) + (t.rounding or zero)  # BR-CO-16
    for b in back.vat_breakdown:  # BR-CO-17
        assert b.tax_amount == builders.money(b.taxable_amount * (b.rate or zero) / 100)


@SETTINGS
@given(invoices())
def test_generated_invoice_is_valid_under_en16931_and_peppol(doc: Document) -> None:
    result = validate_bytes(to_ubl(doc))

    assert result.profile.rule_sets == ("cen-ubl", "peppol-ubl")
    assert [f.rule for f in result.findings if f.rule.startswith("BR-CO-")] == []
    assert [f"{f.rule}: {f.message}" for f in result.findings if f.is_fatal] == []


VALID = to_ubl(builders.invoice(3))


def _check_never_crashes(data: bytes) -> None:
    try:
        result = validate_bytes(data)
    except ReadError:
        return
    assert all(f.flag in ("fatal", "warning") for f in result.findings)
    with contextlib.suppress(ReadError):
        read(data)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.binary(max_size=3)), max_size=4))
def test_corrupted_bytes_give_findings_or_a_read_error(edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(VALID)
    for position, replacement in edits:
        data[position : position + len(replacement) or position + 1] = replacement
    _check_never_crashes(bytes(data))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_corrupted_elements_give_findings_or_a_read_error(data: st.DataObject) -> None:
    root = etree.fromstring(VALID)
    elements = list(root.iter())[1:]
    for _ in range(data.draw(st.integers(1, 3))):
        el = data.draw(st.sampled_from(elements))
        action = data.draw(st.sampled_from(["drop", "duplicate", "text", "empty"]))
        parent = el.getparent()
        if parent is None:
            continue
        if action == "drop":
            parent.remove(el)
            elements = [e for e in elements if e is not el and el not in e.iterancestors()]
        elif action == "duplicate":
            parent.insert(parent.index(el), etree.fromstring(etree.tostring(el)))
        elif action == "text":
            el.text = data.draw(
                st.sampled_from(
                    ["", "-1", "abc", "1e5", "NaN", "99999999999999.999", "2026-13-45", "  ", "ZZ"]
                )
            )
        else:
            for child in list(el):
                el.remove(child)
            el.text = None
        if not elements:
            break
    _check_never_crashes(etree.tostring(root))
