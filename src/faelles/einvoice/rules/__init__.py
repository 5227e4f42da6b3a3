"""Rule sets with the official rule ids, flags and messages.

Each rule set module exposes ``RULE_SET``, an object with a ``name`` and a
``check(root, tree=None) -> list[Finding]`` method that runs every assert of that set on a
parsed document; ``tree`` is the document's shared :class:`~faelles.einvoice.rules.tree.Tree`
(built by the rule set when not given). The names follow ``../shared/data/einvoice/rules/index.csv``: ``cen-ubl``
(EN 16931 UBL), ``peppol-ubl`` (Peppol BIS Billing 3 with the national rules) and ``oioubl``
(OIOUBL 2.1 Invoice, CreditNote, common and code-list rules).
"""

from __future__ import annotations

import importlib
from typing import Protocol, cast

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.rules.tree import Tree


class RuleSet(Protocol):
    name: str
    uses_tree: bool  # whether ``check`` runs on the shared tree (else it is not built for it)

    def check(self, root: etree._Element, tree: Tree | None = None) -> list[Finding]: ...


_MODULES = {
    "cen-ubl": "faelles.einvoice.rules.cen",
    "peppol-ubl": "faelles.einvoice.rules.peppol",
    "oioubl": "faelles.einvoice.rules.oioubl",
}
_LOADED: dict[str, RuleSet] = {}


def load(name: str) -> RuleSet:
    """The rule set called ``name``; imported on first use, then kept."""
    rule_set = _LOADED.get(name)
    if rule_set is None:
        module = _MODULES.get(name)
        if module is None:
            raise KeyError(f"unknown rule set {name!r}")
        rule_set = cast(RuleSet, importlib.import_module(module).RULE_SET)
        _LOADED[name] = rule_set
    return rule_set
