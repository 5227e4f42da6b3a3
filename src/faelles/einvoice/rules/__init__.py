"""Rule sets with the official rule ids, flags and messages.

Each rule set module exposes ``RULE_SET``, an object with a ``name`` and a
``check(root) -> list[Finding]`` method that runs every assert of that set on a parsed
document. The names follow ``../shared/data/einvoice/rules/index.csv``: ``cen-ubl``
(EN 16931 UBL), ``peppol-ubl`` (Peppol BIS Billing 3 with the national rules) and ``oioubl``
(OIOUBL 2.1 Invoice, CreditNote, common and code-list rules).
"""

from __future__ import annotations

from typing import Protocol

from lxml import etree

from faelles.einvoice.findings import Finding


class RuleSet(Protocol):
    name: str

    def check(self, root: etree._Element) -> list[Finding]: ...


def load(name: str) -> RuleSet:
    """The rule set called ``name``; imported on first use."""
    if name == "cen-ubl":
        from faelles.einvoice.rules.cen import RULE_SET as cen

        return cen
    if name == "peppol-ubl":
        from faelles.einvoice.rules.peppol import RULE_SET as peppol

        return peppol
    if name == "oioubl":
        from faelles.einvoice.rules.oioubl import RULE_SET as oioubl

        return oioubl
    raise KeyError(f"unknown rule set {name!r}")
