"""Reading the vefa ``testSet`` files of the official conformance suites.

Each ``<test>`` holds one document and an ``<assert>`` naming rule ids that must fire as an
error (``<error>``) or a warning (``<warning>``), or must not fire (``<success>``); a
``number`` attribute says how many times.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

VEFA = "http://difi.no/xsd/vefa/validator/1.0"

# Which rule sets each vefa configuration runs (as the official validator configurations do).
CONFIGURATIONS: dict[str, tuple[str, ...]] = {
    "tc434-ubl": ("cen-ubl",),
    "peppolbis-en16931-base-3.0-ubl": ("cen-ubl", "peppol-ubl"),
    "peppolbis-en16931-01-3.0-ubl-invoice": ("cen-ubl", "peppol-ubl"),
}

# Published examples are checked with the validator of the body that published them: the
# CEN examples with EN 16931 alone (some carry a Peppol CustomizationID but are CEN's test
# material, e.g. issue116.xml with Swedish identifiers the Peppol rules refuse), the Peppol and
# OIOUBL examples with the rule sets their CustomizationID selects.
EXAMPLE_RULE_SETS: dict[str, tuple[str, ...] | None] = {
    "cen": ("cen-ubl",),
    "peppol": None,
    "oioubl": None,
}


def example_rule_sets(path: Path) -> tuple[str, ...] | None:
    """The rule sets for a published example (``None``: as its CustomizationID selects)."""
    return EXAMPLE_RULE_SETS.get(path.parent.name)


@dataclass(frozen=True)
class Expectation:
    kind: str  # "error", "warning" or "success"
    rule: str
    number: int | None


@dataclass(frozen=True)
class VefaCase:
    file: Path
    index: int
    description: str
    configuration: str
    document: bytes
    expectations: tuple[Expectation, ...]

    @property
    def id(self) -> str:
        return f"{self.file.parent.name}/{self.file.stem}#{self.index}"

    @property
    def rule_sets(self) -> tuple[str, ...]:
        return CONFIGURATIONS[self.configuration]


def read_cases(path: Path) -> list[VefaCase]:
    tree = etree.parse(str(path))
    root = tree.getroot()
    configuration = root.get("configuration", "")
    cases: list[VefaCase] = []
    for index, test in enumerate(root.iter(f"{{{VEFA}}}test"), start=1):
        assert_el = test.find(f"{{{VEFA}}}assert")
        expectations: list[Expectation] = []
        description = ""
        if assert_el is not None:
            description = " ".join((assert_el.findtext(f"{{{VEFA}}}description") or "").split())
            for child in assert_el:
                kind = etree.QName(child).localname
                if kind in ("error", "warning", "success"):
                    number = child.get("number")
                    expectations.append(
                        Expectation(
                            kind, (child.text or "").strip(), int(number) if number else None
                        )
                    )
        docs = [c for c in test if etree.QName(c).namespace != VEFA]
        if len(docs) != 1:
            continue
        document = etree.tostring(docs[0], xml_declaration=True, encoding="UTF-8")
        cases.append(
            VefaCase(path, index, description, configuration, document, tuple(expectations))
        )
    return cases


def disagreements(case: VefaCase, fired: list[tuple[str, str]]) -> list[str]:
    """What the validator did differently from the case's expectations; empty when it agrees.

    ``fired`` lists (rule id, flag) for every finding.
    """
    problems: list[str] = []
    for exp in case.expectations:
        hits = [flag for rule, flag in fired if rule == exp.rule]
        if exp.kind == "success":
            # "success number=N" counts passes; on our side the rule simply must not fire.
            if hits:
                problems.append(f"{exp.rule} fired {len(hits)}x but must not")
            continue
        want_flag = "fatal" if exp.kind == "error" else "warning"
        matching = [f for f in hits if f == want_flag]
        if not matching:
            problems.append(f"{exp.rule} must fire as {want_flag}; fired {hits or 'never'}")
        elif exp.number is not None and len(matching) != exp.number:
            problems.append(f"{exp.rule} must fire {exp.number}x; fired {len(matching)}x")
    return problems
