"""Received documents for the intake tests, made from the published examples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[4]
EXAMPLES = Path(os.environ.get("FAELLES_SHARED", PROJECT_DIR.parent / "shared")) / (
    "data/einvoice/examples"
)


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
