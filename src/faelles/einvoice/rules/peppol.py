"""Rule set peppol-ubl: not yet implemented."""

from __future__ import annotations

from lxml import etree

from faelles.einvoice.findings import Finding


class _RuleSet:
    name = "peppol-ubl"

    def check(self, root: etree._Element) -> list[Finding]:
        return []


RULE_SET = _RuleSet()
