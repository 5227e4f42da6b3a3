"""OIOUBL 2.1 rules (rule set ``oioubl``, schematron 1.17.2): Invoice and CreditNote with their
common and code-list rules.

The published schematron has one file per document type, which includes the abstract rules of
the common file and the code lists. Here: :mod:`.invoice` and :mod:`.creditnote` (with their
line patterns in :mod:`.invoice_lines` and :mod:`.creditnote_lines`) list every rule context
and its checks; :mod:`.common`, :mod:`.parties`, :mod:`.payment` and :mod:`.tax` hold the
abstract rules; :mod:`.codelists` the code lists; :mod:`.nodes` the XPath helpers.

A document is checked with the rules of its own type. Every rule context is a child path from
the root, so the contexts form a tree and the document is walked once, running the checks of
each element the walk reaches (by context, then in document order). Schematron's "first
matching rule of a pattern" only matters where a pattern lists a context twice; the tables
leave the second out. The one rule with a ``//`` context, the currency check on every
``@currencyID``, runs on the amounts a compiled XPath filter finds with a currency code that is
not in the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.rules.oioubl import common, creditnote, invoice
from faelles.einvoice.rules.oioubl.codelists import CurrencyCode
from faelles.einvoice.rules.oioubl.nodes import Check, Doc, El, Table, clark, forget, kids
from faelles.einvoice.rules.tree import Tree
from faelles.einvoice.xml import CREDIT_NOTE_NS, INVOICE_NS


@dataclass
class _Node:
    checks: list[Check] = field(default_factory=list)
    kids: dict[str, _Node] = field(default_factory=dict)


def _tree(table: Table) -> tuple[_Node, list[Check]]:
    """The context tree of a document type, and the checks on the document node ``/``."""
    top = _Node()
    on_document: list[Check] = []
    for _pattern, context, checks in table:
        if context == "/":
            on_document.extend(checks)
            continue
        node = top
        for step in context.split("/")[1:]:
            node = node.kids.setdefault(clark(step), _Node())
        node.checks.extend(checks)
    return top, on_document


def _walk(e: El, node: _Node, d: Doc) -> None:
    for check in node.checks:
        check(e, d)
    if node.kids:
        index = kids(e)
        for name, sub in node.kids.items():
            for child in index[name]:
                _walk(child, sub, d)  # type: ignore[arg-type]


# A fast filter for the currency rule: the amounts whose @currencyID is not in the code list.
# The rule itself (common.currency_attribute_check) then runs on those only.
_BAD_CURRENCY = etree.XPath(
    "//*[@currencyID][substring(local-name(), string-length(local-name()) - 5) = 'Amount']"
    "[not(contains($codes, concat(',', @currencyID, ',')))]"
)

_TREES = {
    f"{{{INVOICE_NS}}}Invoice": _tree(invoice.TABLE),
    f"{{{CREDIT_NOTE_NS}}}CreditNote": _tree(creditnote.TABLE),
}


class _OioublRuleSet:
    name = "oioubl"
    uses_tree = False  # the OIOUBL rules keep their own children index (``nodes.kids``)

    def check(self, root: etree._Element, tree: Tree | None = None) -> list[Finding]:
        d = Doc(root)
        top, on_document = _TREES.get(root.tag, _TREES[f"{{{INVOICE_NS}}}Invoice"])
        try:
            for check in on_document:
                check(root, d)
            _walk(root, top, d)
            for el in cast(list[El], _BAD_CURRENCY(root, codes=CurrencyCode.text)):
                common.currency_attribute_check(el, d)
        finally:
            forget()
        return d.findings


RULE_SET = _OioublRuleSet()
