"""The official conformance suites: every vefa test case and every published example.

Known disagreements are listed in ``conformance_exceptions.py`` with their reason and run as
strict xfails, so a fixed case is noticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from faelles.einvoice.tests.conformance_exceptions import EXCEPTIONS
from faelles.einvoice.tests.conftest import EINVOICE_DATA, require_shared
from faelles.einvoice.tests.vefa import VefaCase, disagreements, example_rule_sets, read_cases
from faelles.einvoice.validate import validate_bytes


def _cases() -> list[VefaCase]:
    unit = EINVOICE_DATA / "unit"
    if not unit.is_dir():
        return []
    return [case for path in sorted(unit.rglob("*.xml")) for case in read_cases(path)]


def _examples() -> list[Path]:
    examples = EINVOICE_DATA / "examples"
    if not examples.is_dir():
        return []
    return sorted(p for p in examples.rglob("*") if p.suffix.lower() == ".xml")


def _param(case: VefaCase) -> object:
    reason = EXCEPTIONS.get(case.id)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in _cases()] or [None])
def test_unit_case_agrees_with_the_official_suite(case: VefaCase | None) -> None:
    require_shared()
    if case is None:
        pytest.skip("no conformance test sets found")
    # The vefa test documents are fragments that test one rule each (none is a whole,
    # schema-valid invoice): they test the rule layer alone, as the official suites run them.
    result = validate_bytes(case.document, rule_sets=case.rule_sets, schema=False)
    fired = [(f.rule, f.flag) for f in result.findings]
    assert disagreements(case, fired) == [], case.description


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in _examples()] or [None],
)
def test_published_example_has_no_fatal_finding(path: Path | None) -> None:
    require_shared()
    if path is None:
        pytest.skip("no published examples found")
    result = validate_bytes(path.read_bytes(), rule_sets=example_rule_sets(path))
    fatal = [f"{f.rule} at {f.location}" for f in result.findings if f.is_fatal]
    assert fatal == []
