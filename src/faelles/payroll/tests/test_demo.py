"""The payroll demo: generated employees across the four profiles, their master data through
the two-person rule, one paid run with a balanced entry; a second load makes nothing new."""

from __future__ import annotations

import io
from datetime import date

import pytest

from faelles.ledger.checks import run_all
from faelles.payroll.demo import load_payroll_demo
from faelles.payroll.models import Employee, Employment, PayRun, Payslip, PendingChange
from faelles.payroll.tests.factories import payroll_setup

pytestmark = pytest.mark.django_db


def test_the_demo_fills_an_institution_and_pays_one_run():
    s = payroll_setup()
    out = io.StringIO()
    load_payroll_demo(employees=8, stdout=out, today=date(2026, 6, 15))
    assert Employee.objects.filter(institution=s.institution).count() == 8
    agreements = sorted(Employment.objects.values_list("agreement", flat=True))
    assert agreements == sorted(["AC", "HK", "HOURLY", "STUDENT"] * 2)
    changes = PendingChange.objects.filter(institution=s.institution)
    assert changes.count() == 32
    assert not changes.exclude(state=PendingChange.State.APPROVED).exists()
    assert all(c.made_by_id != c.decided_by_id for c in changes)
    run = PayRun.objects.get(institution=s.institution)
    assert (run.label, run.state, run.payslips, run.refused) == ("2026-05", "paid", 8, 0)
    assert run.entry_id and run.payment_entry_id
    assert run_all([s.institution]) == []
    assert Payslip.objects.filter(run=run, employee__user__isnull=False).count() == 1
    load_payroll_demo(employees=8, stdout=io.StringIO(), today=date(2026, 6, 15))
    assert Employee.objects.filter(institution=s.institution).count() == 8
    assert PayRun.objects.filter(institution=s.institution).count() == 1
