"""``faelles cases simulate``: every branch of the shipped case types runs to its end, and
nothing the simulation wrote is left behind."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from faelles.cases.models import Case, CaseType
from faelles.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_simulate_json_runs_every_branch_and_rolls_back(capsys):
    before = (Case.objects.count(), CaseType.objects.count(), AuditEvent.objects.count())
    call_command("cases", "simulate", "--json", "complaint")
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert len(lines) == 2
    complaint, last = lines
    assert {k: complaint[k] for k in ("case_type", "branches", "completed", "failed")} == {
        "case_type": "complaint",
        "branches": 21,
        "completed": 21,
        "failed": 0,
    }
    assert complaint["outcomes"] == {"end_appealed": 6, "end_dismissed": 3, "end_final": 12}
    assert last == {"summary": {"case_types": 1, "branches": 21, "completed": 21, "failed": 0}}
    assert (Case.objects.count(), CaseType.objects.count(), AuditEvent.objects.count()) == before


def test_simulate_refuses_an_unknown_case_type():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("cases", "simulate", "no-such-type")
