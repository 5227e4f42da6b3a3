"""The UBL 2.1 XML Schema, checked before the rules: exact ``UBL-XSD`` findings."""

from __future__ import annotations

import dataclasses
import filecmp
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from faelles.einvoice import schema
from faelles.einvoice.findings import Finding
from faelles.einvoice.model import Document
from faelles.einvoice.profiles import profile_for
from faelles.einvoice.tests import builders
from faelles.einvoice.tests.conftest import SHARED_DIR
from faelles.einvoice.validate import read_and_validate, validate_bytes
from faelles.einvoice.writer import to_ubl
from faelles.einvoice.writer_oioubl import to_oioubl

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def _oioubl(lines: int = 3) -> str:
    return to_oioubl(builders.invoice(lines), pretty=True).decode("utf-8")


def _peppol(lines: int = 3) -> str:
    return to_ubl(builders.invoice(lines), pretty=True).decode("utf-8")


def _without(text: str, element: str) -> str:
    start = text.index(f"<{element}")
    end = text.index(f"</{element}>", start) + len(f"</{element}>")
    return text[:start] + text[end:]


def _xsd(location: str, message: str) -> Finding:
    return Finding("UBL-XSD", "fatal", location, message)


def test_generated_oioubl_and_peppol_invoices_are_schema_valid() -> None:
    assert validate_bytes(_oioubl().encode()).findings == ()
    assert validate_bytes(_peppol().encode()).findings == ()


def test_oioubl_invoice_without_issue_date_is_refused_by_the_schema() -> None:
    data = _without(_oioubl(), "cbc:IssueDate").encode()

    result = validate_bytes(data)

    assert result.profile.syntax == "oioubl"
    assert result.valid is False
    assert result.findings == (
        _xsd(
            "/Invoice/cbc:InvoiceTypeCode",
            "Element 'cbc:InvoiceTypeCode': This element is not expected. "
            "Expected is ( cbc:IssueDate ).",
        ),
    )


def test_oioubl_seller_party_name_without_name_is_refused_by_the_schema() -> None:
    text = _oioubl()
    start = text.index("<cac:AccountingSupplierParty>")
    name = text.index("<cbc:Name>Kontorleverandøren</cbc:Name>", start)
    data = text[:name] + text[name:].replace("<cbc:Name>Kontorleverandøren</cbc:Name>", "", 1)
    result = validate_bytes(data.encode())

    assert result.findings == (
        _xsd(
            "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyName",
            "Element 'cac:PartyName': Missing child element(s). Expected is ( cbc:Name ).",
        ),
    )


def test_elements_out_of_order_are_refused_by_the_schema() -> None:
    text = _peppol()
    data = text.replace(
        "<cbc:ID>INV-1001</cbc:ID>\n  <cbc:IssueDate>2026-11-02</cbc:IssueDate>",
        "<cbc:IssueDate>2026-11-02</cbc:IssueDate>\n  <cbc:ID>INV-1001</cbc:ID>",
    )
    assert data != text

    result = validate_bytes(data.encode())

    assert result.findings == (
        _xsd(
            "/Invoice/cbc:IssueDate",
            "Element 'cbc:IssueDate': This element is not expected. "
            "Expected is one of ( cbc:ProfileExecutionID, cbc:ID ).",
        ),
    )


def test_unknown_element_in_the_second_line_is_located_in_that_line() -> None:
    text = _peppol()
    first = text.index("<cac:InvoiceLine>")
    second = text.index("<cac:InvoiceLine>", first + 1)
    note = text.index("<cbc:ID>", second)
    data = text[:note] + "<cbc:Colour>red</cbc:Colour>" + text[note:]

    result = validate_bytes(data.encode())

    assert result.findings == (
        _xsd(
            "/Invoice/cac:InvoiceLine[2]/cbc:Colour",
            "Element 'cbc:Colour': This element is not expected. Expected is ( cbc:ID ).",
        ),
    )


def test_value_that_is_not_a_decimal_is_a_schema_finding_not_a_read_error() -> None:
    text = _peppol()
    data = text.replace(
        '<cbc:PayableAmount currencyID="DKK">', '<cbc:PayableAmount currencyID="DKK">1.2.3', 1
    )
    assert data != text

    document, result = read_and_validate(data.encode())

    assert result.findings == (
        _xsd(
            "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount",
            "Element 'cbc:PayableAmount': '1.2.3165.63' is not a valid value of the local "
            "atomic type.",
        ),
    )
    assert result.valid is False
    # Nothing is guessed for a document that cannot be read: its model is empty.
    assert document == Document(profile=result.profile)


def test_schema_invalid_but_readable_document_keeps_what_it_says_and_invents_nothing() -> None:
    data = _without(_oioubl(), "cbc:IssueDate").encode()

    document, result = read_and_validate(data)

    assert result.valid is False
    assert document.number == "INV-1001"
    assert document.issue_date is None
    assert document.seller.name == "Kontorleverandøren ApS"


def test_the_rules_do_not_run_on_a_document_the_schema_refuses() -> None:
    doc = builders.invoice(2)
    wrong_total = dataclasses.replace(
        doc, totals=dataclasses.replace(doc.totals, payable=Decimal("1"))
    )
    text = to_ubl(wrong_total, pretty=True).decode("utf-8")
    assert "BR-CO-16" in {f.rule for f in validate_bytes(text.encode()).findings}

    result = validate_bytes(_without(text, "cbc:IssueDate").encode())

    assert {f.rule for f in result.findings} == {"UBL-XSD"}


def test_schema_false_runs_the_rules_alone() -> None:
    data = _without(_peppol(), "cbc:IssueDate").encode()

    rules_only = validate_bytes(data, schema=False)

    assert "UBL-XSD" not in {f.rule for f in rules_only.findings}
    assert "BR-02" not in {f.rule for f in rules_only.findings}  # BR-03 is the issue date
    assert "BR-03" in {f.rule for f in rules_only.findings}


def test_other_prefixes_give_the_same_locations() -> None:
    text = _without(_oioubl(), "cbc:IssueDate")
    renamed = text.replace("cbc:", "b:").replace(f'xmlns:cbc="{CBC}"', f'xmlns:b="{CBC}"')
    assert renamed != text

    result = validate_bytes(renamed.encode())

    assert [(f.rule, f.location) for f in result.findings] == [
        ("UBL-XSD", "/Invoice/cbc:InvoiceTypeCode")
    ]


def test_default_namespace_steps_are_followed() -> None:
    # cbc as the default namespace of the first line: libxml2 writes its steps as "*[n]".
    text = _peppol()
    start = text.index("<cac:InvoiceLine>")
    end = text.index("</cac:InvoiceLine>", start) + len("</cac:InvoiceLine>")
    line = text[start:end]
    bad = line.replace("<cbc:ID>", "<cbc:Oops/><cbc:ID>", 1)
    bad = bad.replace("<cac:InvoiceLine>", f'<cac:InvoiceLine xmlns="{CBC}">', 1)
    bad = bad.replace("<cbc:", "<").replace("</cbc:", "</")
    data = text[:start] + bad + text[end:]

    result = validate_bytes(data.encode())

    assert [(f.rule, f.location) for f in result.findings] == [
        ("UBL-XSD", "/Invoice/cac:InvoiceLine[1]/cbc:Oops")
    ]


def test_credit_note_is_checked_against_the_credit_note_schema() -> None:
    doc = builders.invoice(1)
    credit = dataclasses.replace(
        doc,
        type_code="381",
        profile=profile_for(
            "CreditNote", "OIOUBL-2.1", "urn:www.nesubl.eu:profiles:profile5:ver2.0"
        ),
    )
    data = to_oioubl(credit, pretty=True)
    result = validate_bytes(data)
    assert (result.profile.document, result.findings) == ("CreditNote", ())

    findings = validate_bytes(_without(data.decode("utf-8"), "cbc:IssueDate").encode()).findings

    assert [(f.rule, f.location) for f in findings] == [
        ("UBL-XSD", "/CreditNote/cbc:DocumentCurrencyCode")
    ]


def test_schema_is_compiled_once_per_document_kind() -> None:
    assert schema.schema_for("Invoice") is schema.schema_for("Invoice")
    assert schema.schema_for("Invoice") is not schema.schema_for("CreditNote")


def test_concurrent_validations_each_get_their_own_findings() -> None:
    good = _peppol().encode()
    bad = _without(_peppol(), "cbc:IssueDate").encode()
    results: list[tuple[bool, tuple[str, ...]]] = []
    errors: list[BaseException] = []

    def work(data: bytes) -> None:
        try:
            for _ in range(50):
                result = validate_bytes(data)
                results.append((data is bad, tuple(f.rule for f in result.findings)))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(d,)) for d in (good, bad, good, bad)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(results) == 200
    assert {rules for is_bad, rules in results if is_bad} == {("UBL-XSD",)}
    assert {rules for is_bad, rules in results if not is_bad} == {()}


def test_vendored_schemas_are_the_shared_ones_unchanged() -> None:
    shared = SHARED_DIR / "data" / "schemas" / "ubl21"
    if not shared.is_dir():
        pytest.skip(f"shared UBL 2.1 schemas not found at {shared}")
    vendored = schema.SCHEMA_DIR
    names = sorted(p.relative_to(shared) for p in shared.rglob("*.xsd"))
    assert names == sorted(p.relative_to(vendored) for p in vendored.rglob("*.xsd"))
    match, mismatch, errors = filecmp.cmpfiles(shared, vendored, [str(n) for n in names], False)
    assert (mismatch, errors) == ([], [])
    assert len(match) == len(names) == 25


def test_vendored_schema_files_exist_for_each_document_kind() -> None:
    for path in schema.SCHEMA_FILES.values():
        assert Path(path).is_file()
    assert (schema.SCHEMA_DIR.parent / "README.md").read_text().count("OASIS") >= 3


# --- large attachments: set aside during the schema check only when libxml2 accepts them ----


def test_base64_check_never_accepts_what_libxml2_refuses() -> None:
    import itertools

    from lxml import etree

    xsd = etree.XMLSchema(
        etree.fromstring(
            b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
            b'<xs:element name="b" type="xs:base64Binary"/></xs:schema>'
        )
    )

    def libxml2(text: str) -> bool:
        element = etree.Element("b")
        element.text = text
        return xsd.validate(etree.ElementTree(element))

    texts = ["".join(c) for n in range(6) for c in itertools.product("AQw+/= \n", repeat=n)]
    texts += ["QUJD", "QUI=", "QUJ=", "QQ==", "QR==", "Q===", "QU*I=", "QUJDé", "QU\tJ\rD"]
    accepted = 0
    for text in texts:
        ours, theirs = schema.base64_accepted(text), libxml2(text)
        assert not ours or theirs, text
        if "*" not in text and "é" not in text:
            assert ours == theirs, text  # alphabet, padding and white space: the same rule
        accepted += ours
    assert 1000 < accepted < len(texts) - 1000


def _with_attachment(body: str, **attributes: str) -> bytes:
    text = _peppol()
    attrs = "".join(f' {name}="{value}"' for name, value in attributes.items())
    reference = (
        "<cac:AdditionalDocumentReference><cbc:ID>att-1</cbc:ID><cac:Attachment>"
        f"<cbc:EmbeddedDocumentBinaryObject{attrs}>{body}</cbc:EmbeddedDocumentBinaryObject>"
        "</cac:Attachment></cac:AdditionalDocumentReference>"
    )
    at = text.index("<cac:AccountingSupplierParty")
    return (text[:at] + reference + text[at:]).encode()


_LARGE = "\n".join(["QUJD" * 19] * 400)  # 30 KiB of base64 in 76-character lines
_PDF = {"mimeCode": "application/pdf", "filename": "a.pdf"}


@pytest.mark.parametrize(
    ("data", "set_aside"),
    [
        (_with_attachment(_LARGE, **_PDF), True),
        (_with_attachment(_LARGE + "QQ==", **_PDF), True),
        (_with_attachment(_LARGE, filename="a.pdf"), True),  # the stand-in lacks mimeCode too
        (_with_attachment(_LARGE + "QR==", **_PDF), False),  # padding bits set: refused
        (_with_attachment(_LARGE + "QUJ", **_PDF), False),  # not a multiple of four
        (_with_attachment(_LARGE + "*", **_PDF), False),  # a stray character: libxml2 judges
        (_with_attachment("QUJD" * 19, **_PDF), False),  # small: libxml2 checks it
        (_without(_with_attachment(_LARGE, **_PDF).decode(), "cbc:IssueDate").encode(), True),
        (
            _with_attachment(_LARGE, **_PDF)
            .replace(
                b"<cbc:EmbeddedDocumentBinaryObject",
                f'<b:EmbeddedDocumentBinaryObject xmlns:b="{CBC}"'.encode(),
            )
            .replace(b"</cbc:EmbeddedDocumentBinaryObject", b"</b:EmbeddedDocumentBinaryObject"),
            False,  # another prefix: the stand-in would be named cbc: in the messages
        ),
    ],
)
def test_large_attachment_set_aside_gives_the_findings_of_the_document_as_it_is(
    data: bytes, set_aside: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lxml import etree

    from faelles.einvoice.xml import parse

    root = parse(data)
    before = etree.tostring(root)
    pairs = schema._set_aside_attachments(root)
    assert bool(pairs) is set_aside
    for element, stand_in in pairs:
        stand_in.getparent().replace(stand_in, element)  # type: ignore[union-attr]
    assert etree.tostring(root) == before

    findings = schema.check(root, "Invoice")
    assert etree.tostring(root) == before  # the document is as it was
    monkeypatch.setattr(schema, "LARGE_ATTACHMENT", 10**12)  # libxml2 checks every attachment
    assert findings == schema.check(root, "Invoice")
    assert validate_bytes(data).findings == tuple(findings) or findings == []
