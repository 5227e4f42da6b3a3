"""EN 16931 UBL rules (rule set ``cen-ubl``, CEN validation artefacts 1.3.16).

``business`` holds the BR-*, BR-CO-*, BR-DEC-* and VAT-category rules; ``syntax`` the
code-list (BR-CL-*) and UBL syntax binding rules (UBL-SR-*, UBL-CR-*, UBL-DT-*).
"""

from __future__ import annotations

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.rules.cen import business, syntax
from faelles.einvoice.rules.tree import Tree, tree_of


class _CenRuleSet:
    name = "cen-ubl"
    uses_tree = True

    def check(self, root: etree._Element, tree: Tree | None = None) -> list[Finding]:
        tree = tree_of(root, tree)
        return business.check(root, tree) + syntax.check(root, tree)


RULE_SET = _CenRuleSet()
