"""Our post-award rules against the published Schematron itself, run by Saxon.

The unit sets name only the rule under test (and about a third of them is not published).
This test runs every assert of each ``PEPPOLBIS-Txx.sch`` as the official validators do
(:mod:`.official`: compiled by the ISO skeleton, run by Saxon) and requires exactly the same
failed asserts (id, flag, how many) from our rules, on: every unit test document, every
published example, and variants of the examples with one element removed, emptied, made
negative, given three decimals or doubled (deterministic, a few hundred documents). A
document on which Saxon stops with a dynamic error is skipped, as the official validator
reports no asserts for it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator

import pytest
from lxml import etree

from faelles.einvoice.ordering.rules import RULE_SETS
from faelles.einvoice.ordering.tests.conftest import ORDERING_DATA, require_ordering
from faelles.einvoice.ordering.tests.official import official
from faelles.einvoice.ordering.tests.test_unit_sets import cases, rule_set_of
from faelles.einvoice.ordering.transactions import detect
from faelles.einvoice.ordering.validate import parse, validate_root

VARIANTS_PER_EXAMPLE = 25


def _mutations(data: bytes, seed: int) -> Iterator[bytes]:
    """Variants of a document, each with one leaf element changed or removed."""
    parser = etree.XMLParser(remove_comments=True, remove_pis=True)
    rng = random.Random(seed)
    count = len(list(etree.fromstring(data, parser).iter(etree.Element)))
    for number in range(VARIANTS_PER_EXAMPLE):
        root = etree.fromstring(data, parser)
        elements = list(root.iter(etree.Element))
        el = elements[rng.randrange(1, count)]
        parent = el.getparent()
        kind = number % 6
        if kind == 0 and parent is not None:
            parent.remove(el)
        elif kind == 1 and len(el) == 0:
            el.text = ""
        elif kind == 2 and len(el) == 0:
            el.text = "-" + (el.text or "1").strip()
        elif kind == 3 and len(el) == 0:
            el.text = (el.text or "1").strip() + ".125"
        elif kind == 4 and parent is not None:
            el.addnext(etree.fromstring(etree.tostring(el)))
        elif kind == 5 and len(el) == 0:
            el.text = "0"
        else:
            continue
        yield etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _documents() -> Iterator[tuple[str, str, bytes]]:
    """(name, transaction code, document) of every document to compare."""
    for case in cases():
        yield case.id, rule_set_of(case).removeprefix("peppol-").upper(), case.document
    examples = sorted((ORDERING_DATA / "examples").rglob("*.xml"))
    for index, path in enumerate(examples):
        data = path.read_bytes()
        code = detect(parse(data)).transaction.code
        name = str(path.relative_to(ORDERING_DATA))
        yield name, code, data
        for number, variant in enumerate(_mutations(data, index)):
            yield f"{name} variant {number}", code, variant


@pytest.mark.slow
def test_every_assert_agrees_with_the_published_schematron() -> None:
    data = require_ordering()
    run = official(data / "rules", list(RULE_SETS))
    if run is None:
        pytest.skip("saxonche is not installed (pip install -e .[bench])")
    checked = skipped = 0
    fired: Counter[str] = Counter()
    problems: list[str] = []
    for name, code, document in _documents():
        expected = run(code, document)
        if expected is None:
            skipped += 1
            continue
        result = validate_root(parse(document), rule_sets=[f"peppol-{code.lower()}"], schema=False)
        ours = Counter((f.rule, f.flag) for f in result.findings)
        fired.update(rule for rule, _ in expected.elements())
        checked += 1
        if ours != expected:
            problems.append(
                f"{name} ({code}): missing {dict(expected - ours)}, extra {dict(ours - expected)}"
            )
    assert problems == []
    assert checked >= 1400
    assert skipped < checked / 10
    assert len(fired) >= 100  # most asserts fail somewhere, so most are compared
