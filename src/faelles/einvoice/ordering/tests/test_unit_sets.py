"""The official unit test sets of the post-award rules: every case must agree.

``../shared/data/ordering/unit`` holds the vefa ``testSet`` files of ``poacc-upgrade-3``;
each names its configuration (``peppolbis-t01-base-3.0`` ...), i.e. the rule set it runs.
As for invoices, the documents are fragments that test the rule layer alone, without the
schema. Known disagreements would be listed in ``EXCEPTIONS`` with their reason (none).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from faelles.einvoice.ordering.tests.conftest import ORDERING_DATA, require_ordering
from faelles.einvoice.ordering.tests.vefa_sets import read_cases
from faelles.einvoice.ordering.validate import validate_bytes
from faelles.einvoice.tests.vefa import VefaCase, disagreements

EXCEPTIONS: dict[str, str] = {}
_CONFIGURATION = re.compile(r"peppolbis-(t\d+)-base-3\.0")


def rule_set_of(case: VefaCase) -> str:
    """``peppolbis-t01-base-3.0`` -> ``peppol-t01``."""
    match = _CONFIGURATION.fullmatch(case.configuration)
    assert match is not None, f"unknown configuration {case.configuration!r}"
    return f"peppol-{match.group(1)}"


def cases() -> list[VefaCase]:
    unit = ORDERING_DATA / "unit"
    if not unit.is_dir():
        return []
    return [case for path in sorted(unit.rglob("*.xml")) for case in read_cases(path)]


def _param(case: VefaCase) -> object:
    reason = EXCEPTIONS.get(case.id)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(case, id=case.id, marks=marks)


def agreement_by_set() -> dict[str, tuple[int, int]]:
    """Cases agreed and total per unit set folder (for the design document)."""
    agreed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for case in cases():
        result = validate_bytes(case.document, rule_sets=[rule_set_of(case)], schema=False)
        fired = [(f.rule, f.flag) for f in result.findings]
        folder = case.file.parent.name
        total[folder] += 1
        agreed[folder] += not disagreements(case, fired)
    return {folder: (agreed[folder], total[folder]) for folder in sorted(total)}


@pytest.mark.parametrize("case", [_param(c) for c in cases()] or [None])
def test_unit_case_agrees_with_the_official_set(case: VefaCase | None) -> None:
    require_ordering()
    if case is None:
        pytest.skip("no post-award unit test sets found")
    result = validate_bytes(case.document, rule_sets=[rule_set_of(case)], schema=False)
    fired = [(f.rule, f.flag) for f in result.findings]
    assert disagreements(case, fired) == [], case.description


def test_every_unit_set_is_found() -> None:
    require_ordering()
    found = {case.file.parent.name for case in cases()}
    assert len(found) >= 10
    assert len(cases()) >= 200
