"""The shared tree of the rule sets: its indexes, and that sharing it changes no finding."""

from __future__ import annotations

from lxml import etree

from faelles.einvoice import rules
from faelles.einvoice.rules.peppol import _xpath
from faelles.einvoice.rules.tree import Tree, active, children_of, tree_of
from faelles.einvoice.tests import builders
from faelles.einvoice.tests.conftest import require_shared
from faelles.einvoice.validate import validate_tree
from faelles.einvoice.writer import to_ubl
from faelles.einvoice.xml import CAC, CBC, parse

_LINE = f"{{{CAC}}}InvoiceLine"
_ID = f"{{{CBC}}}ID"


def _invoice(lines: int = 3) -> etree._Element:
    return parse(to_ubl(builders.invoice(lines)))


def test_the_tree_lists_every_element_in_document_order_and_by_tag() -> None:
    root = _invoice()
    tree = Tree(root)
    assert tree.elements == list(root.iter("*"))
    assert tree.order[root] == 0
    assert [tree.order[el] for el in tree.elements] == list(range(len(tree.elements)))
    for tag, elements in tree.by_tag.items():
        assert elements == list(root.iter(tag))
    assert tree.all(_LINE) == list(root.iter(_LINE))
    assert len(tree.all(_LINE)) == 3
    assert tree.all("{urn:nothing}Missing") == []


def test_kids_groups_the_children_by_tag_in_order_once() -> None:
    root = _invoice()
    tree = Tree(root)
    line = tree.all(_LINE)[1]
    kids = tree.kids(line)
    assert list(kids) == list(dict.fromkeys(child.tag for child in line))
    for tag, children in kids.items():
        assert children == list(line.iterchildren(tag))
    assert tree.kids(line) is kids


def test_tree_of_reuses_the_tree_of_the_same_document_only() -> None:
    root, other = _invoice(), _invoice()
    tree = Tree(root)
    assert tree_of(root, tree) is tree
    assert tree_of(other, tree).root is other
    assert tree_of(root, None) is not tree


def test_children_of_is_active_only_inside_and_restores_the_previous_tree() -> None:
    root = _invoice()
    outer, inner = Tree(root), Tree(root)
    assert active.kids is None
    with children_of(outer):
        assert active.kids == outer.kids
        with children_of(inner):
            assert active.kids == inner.kids
        assert active.kids == outer.kids
    assert active.kids is None


def test_the_path_helpers_give_the_same_nodes_with_and_without_the_tree() -> None:
    root = _invoice()
    paths = [
        _LINE,
        f"{_LINE}/{_ID}",
        f"{{{CAC}}}AccountingSupplierParty/{{{CAC}}}Party/{{{CAC}}}PartyTaxScheme/{{{CBC}}}CompanyID",
        f"{{{CAC}}}TaxTotal/{{{CAC}}}TaxSubtotal/{{{CAC}}}TaxCategory/{{{CBC}}}ID",
        f"{{{CAC}}}Nothing/{_ID}",
        f".//{_ID}",
    ]
    plain = [
        (_xpath.find(root, path), list(_xpath.iterfind(root, path)), _xpath.findall(root, path))
        for path in paths
        if not path.startswith(".")
    ]
    plain_descendants = _xpath.findall(root, paths[-1])
    with children_of(Tree(root)):
        shared = [
            (_xpath.find(root, p), list(_xpath.iterfind(root, p)), _xpath.findall(root, p))
            for p in paths
            if not p.startswith(".")
        ]
        shared_descendants = _xpath.findall(root, paths[-1])
    assert shared == plain
    assert shared_descendants == plain_descendants
    assert plain[0][1] and plain[1][1] and plain[2][0] is not None


def _alone(root: etree._Element, names: tuple[str, ...]) -> list[dict[str, str]]:
    return [f.to_dict() for name in names for f in rules.load(name).check(root)]


def _shared(root: etree._Element, names: tuple[str, ...]) -> list[dict[str, str]]:
    return [f.to_dict() for f in validate_tree(root, names)]


def test_a_shared_tree_gives_the_same_findings_as_each_rule_set_alone() -> None:
    sets = ("cen-ubl", "peppol-ubl")
    for lines in (0, 1, 3):
        root = _invoice(lines)
        assert _shared(root, sets) == _alone(root, sets)
    # with findings: a broken invoice
    root = _invoice()
    for amount in root.iter(f"{{{CBC}}}LineExtensionAmount"):
        amount.text = "1.234"
    root.remove(next(root.iterchildren(f"{{{CBC}}}IssueDate")))
    alone = _alone(root, sets)
    assert len(alone) > 3
    assert _shared(root, sets) == alone


def test_a_shared_tree_gives_the_same_findings_on_the_published_material() -> None:
    data = require_shared()
    paths = sorted(p for p in (data / "examples").rglob("*") if p.suffix.lower() == ".xml")
    assert paths
    for path in paths:
        root = parse(path.read_bytes())
        for names in (("cen-ubl", "peppol-ubl"), ("oioubl",)):
            assert _shared(root, names) == _alone(root, names), path
