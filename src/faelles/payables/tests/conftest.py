"""Received documents for the intake tests, made from the published examples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import translation

PROJECT_DIR = Path(__file__).resolve().parents[4]
EXAMPLES = Path(os.environ.get("FAELLES_SHARED", PROJECT_DIR.parent / "shared")) / (
    "data/einvoice/examples"
)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids), whatever translations are compiled."""
    with translation.override("en"):
        yield


def _example(relative: str) -> bytes:
    path = EXAMPLES / relative
    if not path.is_file():
        pytest.skip(f"published e-invoice examples not found at {EXAMPLES}")
    return path.read_bytes()


@pytest.fixture
def peppol_invoice():
    """The Peppol BIS 3 base example, addressed to GLN ``receiver`` and numbered ``number``."""
    original = _example("peppol/base-example.xml").decode()

    def make(
        receiver: str = "5798009811578", number: str = "Snippet1", issue: str = "2017-11-13"
    ) -> bytes:
        text = original.replace(
            '<cbc:EndpointID schemeID="0002">FR23342</cbc:EndpointID>',
            f'<cbc:EndpointID schemeID="0088">{receiver}</cbc:EndpointID>',
        )
        text = text.replace("<cbc:ID>Snippet1</cbc:ID>", f"<cbc:ID>{number}</cbc:ID>", 1)
        text = text.replace(
            "<cbc:IssueDate>2017-11-13</cbc:IssueDate>",
            f"<cbc:IssueDate>{issue}</cbc:IssueDate>",
            1,
        )
        return text.encode()

    return make


@pytest.fixture
def oioubl_invoice():
    return _example("oioubl/OIOUBL_Invoice_v2p2.xml")


@pytest.fixture
def dkk_document():
    """The Peppol BIS 3 base example (or credit note) in DKK, issued in 2026: net 1,325.00
    (two lines and a 25.00 charge), VAT 331.25, payable 1,656.25."""
    invoice = _example("peppol/base-example.xml").decode()
    credit = _example("peppol/base-creditnote-correction.xml").decode()

    def make(
        receiver: str = "5798009811578",
        number: str = "Snippet1",
        issue: str = "2026-03-15",
        buyer_reference: str = "0150abc",
        order_reference: str = "",
        credit_note: bool = False,
    ) -> bytes:
        text = credit if credit_note else invoice
        text = text.replace(
            '<cbc:EndpointID schemeID="0002">FR23342</cbc:EndpointID>',
            f'<cbc:EndpointID schemeID="0088">{receiver}</cbc:EndpointID>',
        )
        text = text.replace("<cbc:ID>Snippet1</cbc:ID>", f"<cbc:ID>{number}</cbc:ID>", 1)
        text = text.replace("2017-11-13", issue).replace("EUR", "DKK")
        reference = f"<cbc:BuyerReference>{buyer_reference}</cbc:BuyerReference>"
        if order_reference:
            reference += (
                f"<cac:OrderReference><cbc:ID>{order_reference}</cbc:ID></cac:OrderReference>"
            )
        text = text.replace("<cbc:BuyerReference>0150abc</cbc:BuyerReference>", reference, 1)
        return text.encode()

    return make
