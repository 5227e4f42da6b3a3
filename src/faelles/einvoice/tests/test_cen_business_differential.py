"""The business rules against an independent XPath 2.0 engine, on randomly altered invoices.

The official EN 16931 asserts are evaluated with ``elementpath`` (an XPath 2.0 implementation,
installed with ``xmlschema``) straight from the published Schematron, applying Schematron's
first-match rule within the pattern, and the rules that fire are compared with ours. The
published examples are altered at random (values replaced by numbers, codes, blanks and
non-numbers; elements removed or repeated) so that the corners the conformance suite does not
reach are compared too. Slow (about half a second per document), so marked ``slow``.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
from lxml import etree

from faelles.einvoice.rules.cen import business
from faelles.einvoice.rules.cen.business_messages import RULES
from faelles.einvoice.tests.conftest import EINVOICE_DATA, require_shared
from faelles.einvoice.xml import parse

elementpath = pytest.importorskip("elementpath")
from elementpath.xpath2 import XPath2Parser  # noqa: E402

SCHEMATRON = "http://purl.oclc.org/dsdl/schematron"
NAMESPACES = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "xs": "http://www.w3.org/2001/XMLSchema",
}
VALUES = [
    "0", "-1", "1.005", "abc", "", " 12.50 ", "1e2", "NaN", "S", "Z", "E", "AE", "K", "G",
    "O", "L", "M", "B", " S ", "VAT", "vat", "true", "false", "1", "30", "58", "IT",
    "2026-13-01", "2026-01-01", "100.00", "25", "0.00", "-0.5", "12.345",
]  # fmt: skip


def _split_union(context: str) -> list[str]:
    branches, depth, current = [], 0, ""
    for char in context:
        depth += char == "["
        depth -= char == "]"
        if char == "|" and depth == 0:
            branches.append(current.strip())
            current = ""
        else:
            current += char
    return [*branches, current.strip()]


def _official_rules() -> list[tuple[str, list[tuple[str, str]]]]:
    """(node selector, [(rule id, test)]) for each rule of the UBL-model pattern, in order."""
    sch = etree.parse(str(EINVOICE_DATA / "rules" / "cen-ubl.sch"))
    rules = []
    for pattern in sch.getroot().iter(f"{{{SCHEMATRON}}}pattern"):
        if pattern.get("id") != "UBL-model":
            continue
        for rule in pattern.iter(f"{{{SCHEMATRON}}}rule"):
            selector = " | ".join(
                b if b.startswith("/") else f"//{b}" for b in _split_union(rule.get("context", ""))
            )
            asserts = [
                (a.get("id", ""), a.get("test", ""))
                for a in rule.iter(f"{{{SCHEMATRON}}}assert")
                if a.get("id") in RULES
            ]
            rules.append((selector, asserts))
    return rules


def _official_findings(
    root: etree._Element, rules: list[tuple[str, list[tuple[str, str]]]]
) -> list[str] | None:
    """The ids of the asserts that fail, or None when the engine raises (as Saxon would)."""
    document = etree.ElementTree(root)
    matched: set[etree._Element] = set()
    fired: list[str] = []
    for selector, asserts in rules:
        for node in elementpath.select(
            document, selector, namespaces=NAMESPACES, parser=XPath2Parser
        ):
            if node in matched:
                continue  # first match within the pattern
            matched.add(node)
            for rule, test in asserts:
                try:
                    ok = elementpath.select(
                        document, f"boolean({test})", namespaces=NAMESPACES,
                        parser=XPath2Parser, item=node,
                    )  # fmt: skip
                except elementpath.ElementPathError:
                    return None
                if not ok:
                    fired.append(rule)
    return sorted(fired)


def _altered(rnd: random.Random, seed: etree._Element) -> etree._Element:
    root = copy.deepcopy(seed)
    for _ in range(rnd.randint(1, 3)):
        el = rnd.choice(list(root.iter())[1:])
        parent = el.getparent()
        roll = rnd.random()
        if roll < 0.6 and len(el) == 0:
            el.text = rnd.choice(VALUES)
        elif roll < 0.8 and parent is not None:
            parent.remove(el)
        elif parent is not None:
            el.addnext(copy.deepcopy(el))
    return root


@pytest.mark.slow
def test_business_rules_agree_with_an_xpath2_engine_on_altered_examples() -> None:
    require_shared()
    rules = _official_rules()
    seeds = [
        parse(p.read_bytes())
        for p in sorted((EINVOICE_DATA / "examples").rglob("*"))
        if p.suffix.lower() == ".xml" and p.parent.name != "oioubl"
    ]
    rnd = random.Random(20260415)
    compared = 0
    for _ in range(30):
        root = _altered(rnd, rnd.choice(seeds))
        official = _official_findings(root, rules)
        if official is None:
            continue
        compared += 1
        ours = sorted(f.rule for f in business.check(root))
        assert ours == official, etree.tostring(root, encoding="unicode")[:2000]
    assert compared >= 18


def test_the_differential_harness_sees_a_failing_assert() -> None:
    require_shared()
    rules = _official_rules()
    root = parse(Path(EINVOICE_DATA / "examples" / "peppol" / "base-example.xml").read_bytes())
    payable = root.find(".//{*}LegalMonetaryTotal/{*}PayableAmount")
    assert payable is not None
    payable.text = "1.005"
    assert _official_findings(root, rules) == ["BR-CO-16", "BR-DEC-18"]
    assert sorted(f.rule for f in business.check(root)) == ["BR-CO-16", "BR-DEC-18"]
