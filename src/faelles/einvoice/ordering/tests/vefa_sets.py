"""Reading the post-award vefa ``testSet`` files into :class:`...tests.vefa.VefaCase`.

The post-award sets carry XML comments between the tests (the invoice sets do not), so they
are read with comments removed; otherwise as :func:`faelles.einvoice.tests.vefa.read_cases`.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from faelles.einvoice.tests.vefa import VEFA, Expectation, VefaCase


def read_cases(path: Path) -> list[VefaCase]:
    parser = etree.XMLParser(remove_comments=True, remove_pis=True, resolve_entities=False)
    root = etree.parse(str(path), parser).getroot()
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
                    rule = (child.text or "").strip()
                    expectations.append(Expectation(kind, rule, int(number) if number else None))
        docs = [c for c in test if etree.QName(c).namespace != VEFA]
        if len(docs) != 1:
            continue
        document = etree.tostring(docs[0], xml_declaration=True, encoding="UTF-8")
        cases.append(
            VefaCase(path, index, description, configuration, document, tuple(expectations))
        )
    return cases
