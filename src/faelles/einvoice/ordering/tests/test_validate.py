"""Detection, the UBL 2.1 schema and the dispatch of ``validate_any`` and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faelles.einvoice.cli import main
from faelles.einvoice.ordering.tests.conftest import ORDERING_DATA, require_ordering
from faelles.einvoice.ordering.transactions import TRANSACTIONS, detect
from faelles.einvoice.ordering.validate import (
    OrderingResult,
    is_ordering_document,
    parse,
    parse_any,
    validate_bytes,
)
from faelles.einvoice.validate import ValidationResult, validate_any
from faelles.einvoice.xml import ReadError

NS = (
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)

# The two examples of Order Response Advanced use cac:OrderChangeDocumentReference, which the
# UBL 2.1 OrderResponse schema does not have (it came with a later UBL version), so the
# schema refuses them as it refuses them in the official validator's UBL 2.1 step.
NOT_UBL_21 = {
    "OrderResponseAdvanced_Example.xml",
    "Advanced Ordering scenarios/advanced_ordering_sc2/OrderResponse_sc2.xml",
}


def _examples() -> list[Path]:
    folder = ORDERING_DATA / "examples"
    return sorted(folder.rglob("*.xml")) if folder.is_dir() else []


def _example_param(path: Path) -> object:
    name = str(path.relative_to(ORDERING_DATA / "examples"))
    marks = []
    if name in NOT_UBL_21:
        marks = [pytest.mark.xfail(reason="not a UBL 2.1 OrderResponse", strict=True)]
    return pytest.param(path, id=name, marks=marks)


@pytest.mark.parametrize("path", [_example_param(p) for p in _examples()] or [None])
def test_published_example_is_valid(path: Path | None) -> None:
    require_ordering()
    if path is None:
        pytest.skip("no published examples found")
    result = validate_bytes(path.read_bytes())
    assert [f"{f.rule} at {f.location}" for f in result.findings if f.is_fatal] == []


def test_every_transaction_has_an_example() -> None:
    require_ordering()
    found = {detect(parse(p.read_bytes())).transaction.code for p in _examples()}
    assert found == {t.code for t in TRANSACTIONS}


@pytest.mark.parametrize(
    ("root", "customization", "code"),
    [
        ("Order", "urn:fdc:peppol.eu:poacc:trns:order:3", "T01"),
        ("OrderResponse", "urn:fdc:peppol.eu:poacc:trns:order_response:3", "T76"),
        ("OrderResponse", "urn:fdc:peppol.eu:poacc:trns:order_agreement:3", "T110"),
        ("OrderResponse", "urn:fdc:peppol.eu:poacc:trns:order_response_advanced:3", "T116"),
        ("OrderChange", "urn:fdc:peppol.eu:poacc:trns:order_change:3", "T114"),
        ("OrderCancellation", "urn:fdc:peppol.eu:poacc:trns:order_cancellation:3", "T115"),
        ("Catalogue", "urn:fdc:peppol.eu:poacc:trns:catalogue:3", "T19"),
        ("Catalogue", "urn:fdc:peppol.eu:poacc:trns:punch_out:3", "T77"),
        ("ApplicationResponse", "urn:fdc:peppol.eu:poacc:trns:catalogue_response:3", "T58"),
        ("ApplicationResponse", "urn:fdc:peppol.eu:poacc:trns:mlr:3", "T71"),
        ("ApplicationResponse", "urn:fdc:peppol.eu:poacc:trns:invoice_response:3", "T111"),
        ("DespatchAdvice", "urn:fdc:peppol.eu:poacc:trns:despatch_advice:3", "T16"),
        # an unknown specification id: the root's first transaction, whose rule reports it
        ("OrderResponse", "urn:example:other", "T76"),
        ("ApplicationResponse", "", "T58"),
    ],
)
def test_transaction_is_told_by_root_and_customization_id(
    root: str, customization: str, code: str
) -> None:
    ns = f"urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
    data = (
        f'<{root} xmlns="{ns}" {NS}><cbc:CustomizationID>{customization}'
        f"</cbc:CustomizationID></{root}>"
    ).encode()
    assert detect(parse(data)).transaction.code == code


def test_schema_errors_come_alone_and_name_the_element() -> None:
    data = (
        f'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2" {NS}>'
        "<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:order:3</cbc:CustomizationID>"
        "<cbc:ID>1</cbc:ID></Order>"
    ).encode()
    result = validate_bytes(data)
    assert not result.valid
    assert {f.rule for f in result.findings} == {"UBL-XSD"}
    assert result.findings[0].location == "/Order"
    assert "IssueDate" in result.findings[0].message
    # Without the schema, the rules run (and the empty order misses its validity date).
    rules_only = validate_bytes(data, schema=False)
    assert [f.rule for f in rules_only.findings] == ["PEPPOL-T01-R002"]


def test_bytes_that_are_no_ubl_document_are_refused() -> None:
    with pytest.raises(ReadError, match="root element"):
        parse_any(b"<Other/>")
    with pytest.raises(ReadError, match="DOCTYPE"):
        parse_any(b'<!DOCTYPE Order [<!ENTITY e "x">]><Order/>')
    with pytest.raises(ReadError, match="not a Peppol post-award"):
        parse(b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')
    assert not is_ordering_document(b"not xml")


def test_validate_any_dispatches_on_the_root() -> None:
    require_ordering()
    order = validate_any((ORDERING_DATA / "examples" / "Order_Example.xml").read_bytes())
    assert isinstance(order, OrderingResult)
    assert (order.profile.syntax, order.profile.document, order.valid) == ("peppol", "Order", True)
    invoice_path = ORDERING_DATA.parent / "einvoice" / "examples" / "peppol" / "Vat-category-S.xml"
    if invoice_path.is_file():
        invoice = validate_any(invoice_path.read_bytes())
        assert isinstance(invoice, ValidationResult)
        assert invoice.profile.document == "Invoice"


def test_cli_validates_post_award_documents_like_invoices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_ordering()
    good = ORDERING_DATA / "examples" / "Catalogue_Example.xml"
    bad = tmp_path / "order.xml"
    text = (ORDERING_DATA / "examples" / "Order_Example.xml").read_text(encoding="utf-8")
    bad.write_text(
        text.replace('<cbc:Quantity unitCode="EA">120', '<cbc:Quantity unitCode="EA">-120', 1),
        encoding="utf-8",
    )

    code = main(["validate", "--json", str(good), str(bad)])

    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert records[0] == {
        "file": str(good),
        "syntax": "peppol",
        "document": "Catalogue",
        "valid": True,
        "findings": [],
    }
    assert records[1]["document"] == "Order"
    assert records[1]["valid"] is False
    rules = {(f["rule"], f["location"]) for f in records[1]["findings"]}
    assert ("PEPPOL-T01-R004", "/Order/cac:OrderLine[1]/cac:LineItem") in rules

    assert main(["validate", str(bad)]) == 1
    human = capsys.readouterr().out
    assert f"{bad}: peppol Order: INVALID" in human
    assert "PEPPOL-T01-R004" in human


def test_cli_shows_the_model_of_a_post_award_document(
    capsys: pytest.CaptureFixture[str],
) -> None:
    require_ordering()
    path = ORDERING_DATA / "examples" / "DespatchAdvice_Example.xml"

    assert main(["show", str(path)]) == 0

    shown = json.loads(capsys.readouterr().out)
    assert (shown["type"], shown["id"], shown["order_id"]) == (
        "DespatchAdvice",
        "565899",
        "AEG012345",
    )
    line = shown["lines"][0]
    assert line["delivered"] == {"value": "10", "unit": "C62"}
    assert (line["order_line_id"], line["outstanding_reason"]) == ("1", "text")
