"""Safe reading: every refusal of :func:`faelles.einvoice.xml.parse` has a clear message."""

from __future__ import annotations

import pytest

from faelles.einvoice.validate import validate_bytes
from faelles.einvoice.xml import INVOICE_NS, ReadError, location, parse

MINIMAL = f'<Invoice xmlns="{INVOICE_NS}"><ID xmlns="x">1</ID></Invoice>'.encode()


def test_minimal_invoice_root_is_read() -> None:
    root = parse(MINIMAL)

    assert root.tag == f"{{{INVOICE_NS}}}Invoice"


def test_billion_laughs_is_refused_without_expanding() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        b'<Invoice xmlns="' + INVOICE_NS.encode() + b'">&d;&d;&d;&d;</Invoice>'
    )

    with pytest.raises(ReadError, match="DOCTYPE is not allowed"):
        parse(data)


def test_external_entity_is_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<Invoice xmlns="' + INVOICE_NS.encode() + b'">&xxe;</Invoice>'
    )

    with pytest.raises(ReadError, match="DOCTYPE is not allowed"):
        parse(data)


def test_external_dtd_is_refused_and_not_fetched() -> None:
    data = (
        b'<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/evil.dtd">'
        b'<Invoice xmlns="' + INVOICE_NS.encode() + b'"/>'
    )

    with pytest.raises(ReadError, match="DOCTYPE is not allowed"):
        parse(data)


def test_undeclared_entity_is_not_well_formed() -> None:
    data = b'<Invoice xmlns="' + INVOICE_NS.encode() + b'">&xxe;</Invoice>'

    with pytest.raises(ReadError, match="not well-formed XML: Entity 'xxe' not defined"):
        parse(data)


def test_utf16_doctype_is_refused_too() -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE Invoice [<!ENTITY a "b">]>'
        f'<Invoice xmlns="{INVOICE_NS}">&a;</Invoice>'
    )

    with pytest.raises(ReadError, match="DOCTYPE is not allowed"):
        parse(text.encode("utf-16"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "document is empty"),
        (b"   \n", "document is empty"),
        (b"%PDF-1.4 not xml", "not well-formed XML"),
        (b"<Invoice><unclosed></Invoice>", "not well-formed XML"),
    ],
)
def test_non_xml_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        parse(data)


def test_wrong_root_is_refused_naming_it() -> None:
    data = b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'

    with pytest.raises(ReadError, match=r"root element '\{urn:oasis.*Order-2\}Order' is not"):
        parse(data)


def test_invoice_without_namespace_is_refused() -> None:
    with pytest.raises(ReadError, match="root element 'Invoice' is not a UBL Invoice"):
        parse(b"<Invoice/>")


def test_oversize_document_is_refused_before_parsing() -> None:
    data = MINIMAL + b" " * 100

    with pytest.raises(
        ReadError, match=rf"document is {len(data)} bytes, more than the limit of 64"
    ):
        parse(data, max_bytes=64)


def test_size_cap_is_configurable_through_validate_bytes() -> None:
    with pytest.raises(ReadError, match="more than the limit of 10"):
        validate_bytes(MINIMAL, max_bytes=10)


def test_location_indexes_only_repeated_siblings() -> None:
    data = (
        f'<Invoice xmlns="{INVOICE_NS}" '
        'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        "<cbc:ID>1</cbc:ID><cac:InvoiceLine><cbc:ID>1</cbc:ID></cac:InvoiceLine>"
        "<cac:InvoiceLine><cbc:ID>2</cbc:ID></cac:InvoiceLine></Invoice>"
    ).encode()
    root = parse(data)

    second_line_id = root[2][0]

    assert location(second_line_id) == "/Invoice/cac:InvoiceLine[2]/cbc:ID"
    assert location(root[0]) == "/Invoice/cbc:ID"
    assert location(root[1]) == "/Invoice/cac:InvoiceLine[1]"
    assert location(root) == "/Invoice"


def test_parser_is_reused_within_a_thread_and_not_shared_across_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from faelles.einvoice import xml

    here = xml._parser()
    with ThreadPoolExecutor(max_workers=1) as pool:
        there = pool.submit(xml._parser).result()

    assert xml._parser() is here
    assert there is not here


def test_refused_document_leaves_the_parser_usable() -> None:
    with pytest.raises(ReadError):
        parse(b"<Invoice><broken>")

    assert parse(MINIMAL).tag == f"{{{INVOICE_NS}}}Invoice"
