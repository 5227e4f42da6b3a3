"""Not yet implemented."""

from __future__ import annotations

from lxml import etree

from faelles.einvoice.findings import Finding


def check(root: etree._Element) -> list[Finding]:
    return []
