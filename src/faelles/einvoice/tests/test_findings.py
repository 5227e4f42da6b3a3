"""Findings: one JSON form for API, UI and CLI."""

from __future__ import annotations

import json

import pytest

from faelles.einvoice.findings import Finding, findings_to_json

FINDING = Finding("BR-CO-16", "fatal", "/Invoice/cac:LegalMonetaryTotal", "Amount due is wrong")


def test_json_form_has_exactly_rule_flag_location_message() -> None:
    assert findings_to_json([FINDING]) == [
        {
            "rule": "BR-CO-16",
            "flag": "fatal",
            "location": "/Invoice/cac:LegalMonetaryTotal",
            "message": "Amount due is wrong",
        }
    ]


def test_json_form_reads_back_equal() -> None:
    stored = json.dumps(findings_to_json([FINDING]))

    assert [Finding.from_dict(d) for d in json.loads(stored)] == [FINDING]


def test_unknown_flag_is_refused() -> None:
    with pytest.raises(ValueError, match="flag 'error' is neither"):
        Finding.from_dict({"rule": "X", "flag": "error", "location": "/", "message": "m"})


def test_only_fatal_findings_are_fatal() -> None:
    assert FINDING.is_fatal is True
    assert Finding("W-1", "warning", "/", "m").is_fatal is False
