"""Peppol BIS Billing 3.0.21 rules (rule set ``peppol-ubl``) with the national rules.

Implemented from the published schematron ``PEPPOL-EN16931-UBL.sch``: every assert keeps its
official id, flag and message. ``core`` holds the Peppol transaction, identifier and code-list
rules, ``national`` the country rules (NO, DK, IT, SE, GR, IS, NL, DE), each gated by the
conditions of the schematron. The patterns run in the order of the published file.
"""

from __future__ import annotations

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.rules.peppol import core, national
from faelles.einvoice.rules.peppol._doc import index
from faelles.einvoice.rules.tree import Tree, children_of, tree_of

PATTERNS = (
    core.check_empty_elements,
    core.check_credit_note,
    core.check_transaction,
    national.check_norway,
    national.check_denmark,
    national.check_italy,
    national.check_sweden,
    national.check_greece_sender,
    national.check_greece_receiver,
    national.check_iceland,
    national.check_netherlands,
    national.check_germany,
    core.check_code_lists,
)


class _PeppolRuleSet:
    name = "peppol-ubl"
    uses_tree = True

    def check(self, root: etree._Element, tree: Tree | None = None) -> list[Finding]:
        tree = tree_of(root, tree)
        with children_of(tree):
            doc = index(root, tree)
            for pattern in PATTERNS:
                start = len(doc.findings)
                pattern(doc)
                doc.sort_since(start)
        return doc.findings


RULE_SET = _PeppolRuleSet()
