"""Each rule set has every assert of its published Schematron, with its id, flag and message."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from faelles.einvoice.ordering.rules import RULE_SETS, load
from faelles.einvoice.ordering.tests.conftest import require_ordering
from faelles.einvoice.ordering.transactions import BY_CODE, TRANSACTIONS

SCH = "{http://purl.oclc.org/dsdl/schematron}"


def _published(rules: Path, code: str) -> dict[str, tuple[str, str]]:
    """Every assert of ``PEPPOLBIS-<code>.sch`` and the parts it includes (but the generated
    part, which is not published): id -> (flag, message)."""
    asserts: dict[str, tuple[str, str]] = {}
    root = etree.parse(str(rules / f"PEPPOLBIS-{code}.sch")).getroot()
    for include in root.iter(f"{SCH}include"):
        href = include.get("href", "")
        if "target/generated" in href:
            continue
        for el in etree.parse(str(rules / href)).getroot().iter(f"{SCH}assert"):
            message = " ".join("".join(el.itertext()).split())
            asserts[el.get("id", "")] = (el.get("flag", ""), message)
    return asserts


@pytest.mark.parametrize("code", RULE_SETS)
def test_rule_set_has_every_published_assert(code: str) -> None:
    data = require_ordering()
    assert load(f"peppol-{code.lower()}").asserts == _published(data / "rules", code)


def test_every_transaction_has_its_rule_set() -> None:
    assert sorted(t.code for t in TRANSACTIONS) == sorted(RULE_SETS)
    for transaction in TRANSACTIONS:
        assert load(transaction.rule_set).title == f"PEPPOLBIS-{transaction.code}"
    assert BY_CODE["T58"].rule_set == "peppol-t58"
    with pytest.raises(KeyError):
        load("peppol-t99")
