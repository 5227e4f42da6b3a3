"""Our post-award rules against the published Schematron itself, run by Saxon.

The unit sets name only the rule under test (and about a third of them is not published).
This test runs every assert of each ``PEPPOLBIS-Txx.sch`` as the official validators do
(:mod:`.official`: compiled by the ISO skeleton, run by Saxon) and requires exactly the same
failed asserts (id, flag, how many) from our rules, on: every unit test document, every
published example, variants of the examples with one element removed, emptied, made
negative, given three decimals or doubled (deterministic), and variants aimed at the asserts
those rarely reach (``TARGETED``: a wrong specification id, each response code, reversed
periods, negative amounts ...). A
document on which Saxon stops with a dynamic error is skipped, as the official validator
reports no asserts for it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from lxml import etree

from faelles.einvoice.ordering.rules import RULE_SETS
from faelles.einvoice.ordering.rules._engine import q
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


def _set_all(tag: str, value: str) -> Callable[[etree._Element], bool]:
    def change(root: etree._Element) -> bool:
        found = list(root.iter(q(tag)))
        for el in found:
            el.text = value
        return bool(found)

    return change


def _drop_all(*tags: str) -> Callable[[etree._Element], bool]:
    def change(root: etree._Element) -> bool:
        found = [el for tag in tags for el in root.iter(q(tag))]
        for el in found:
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
        return bool(found)

    return change


def _scheme(scheme: str) -> Callable[[etree._Element], bool]:
    def change(root: etree._Element) -> bool:
        found = list(root.iter(q("cbc:EndpointID")))
        for el in found:
            el.set("schemeID", scheme)
        return bool(found)

    return change


def _schema_location(root: etree._Element) -> bool:
    root.set("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "x.xsd")
    return True


# Changes aimed at the asserts random variants rarely reach, each applied on its own.
TARGETED: tuple[Callable[[etree._Element], bool], ...] = (
    _set_all("cbc:CustomizationID", "urn:example:other"),
    _set_all("cbc:ProfileID", "urn:example:other"),
    _schema_location,
    _set_all("cbc:OrderResponseCode", "AP"),
    _set_all("cbc:OrderResponseCode", "RE"),
    _set_all("cbc:OrderResponseCode", "CA"),
    _set_all("cbc:OrderResponseCode", "AB"),
    _set_all("cbc:EndDate", "1999-01-01"),
    _set_all("cbc:StartDate", "2999-01-01"),
    _set_all("cbc:ChargeIndicator", "true"),
    _set_all("cbc:ChargeIndicator", "false"),
    _drop_all("cbc:Percent"),
    _set_all("cbc:ID", "E"),
    _drop_all("cac:PartyName", "cac:PartyIdentification", "cac:PartyLegalEntity"),
    _set_all("cbc:CompanyID", "XX123"),
    _set_all("cbc:Amount", "-5.00"),
    _set_all("cbc:BaseAmount", "-5.00"),
    _set_all("cbc:PayableAmount", "-1.00"),
    _set_all("cbc:TaxInclusiveAmount", "7.00"),
    _set_all("cbc:LineExtensionAmount", "1.005"),
    _drop_all("cbc:BaseAmount"),
    _drop_all("cbc:StatusReason", "cbc:OutstandingReason"),
    _set_all("cbc:StatusReasonCode", "OTH"),
    _set_all("cbc:Value", "maybe"),
    _set_all("cbc:DocumentTypeCode", "PRODUCT_IMAGE"),
    _set_all("cbc:ResponseCode", "RE"),
    _set_all("cbc:LineExtensionAmount", "-5.00"),
    _drop_all("cbc:LineExtensionAmount"),
    _drop_all("cbc:MultiplierFactorNumeric"),
    _set_all("cbc:AllowanceChargeReasonCode", "ZZZ"),
    _scheme("0210"),
    _scheme("9906"),
)


def _targeted(data: bytes) -> Iterator[bytes]:
    parser = etree.XMLParser(remove_comments=True, remove_pis=True)
    for change in TARGETED:
        root = etree.fromstring(data, parser)
        if change(root):
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
        for number, variant in enumerate(_targeted(data)):
            yield f"{name} targeted {number}", code, variant


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
    assert checked >= 2000
    assert skipped < checked / 20
    assert len(fired) >= 165  # of 176 asserts; PEPPOL-T111-R005 can never fail
