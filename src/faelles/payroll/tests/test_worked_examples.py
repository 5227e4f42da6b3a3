"""A worked payslip per profile through the app (master data → run → stored payslip),
each reproducing one of the engine's own worked examples
(``faelles/payroll/engine/tests/test_examples.py``, hand calculations in their docstrings),
and tax cards imported from an eSkattekort file."""

from __future__ import annotations

from datetime import date

import pytest

from faelles.core.audit import Refused
from faelles.payroll import services
from faelles.payroll.models import Employment, Payslip, PendingChange, TaxCard
from faelles.payroll.taxcards import tax_cards_import
from faelles.payroll.tests.factories import D, payroll_setup

pytestmark = pytest.mark.django_db


def _settings(s, **values):
    change = services.settings_propose(
        actor=s.officer, institution=s.institution, values=values, effective_from=date(2025, 1, 1)
    )
    with pytest.raises(Refused):
        services.change_approve(actor=s.officer, change=change)
    services.change_approve(actor=s.second, change=change)


def _employment(s, emp, **values):
    employment = Employment.objects.get(employee=emp)
    change = services.change_propose(
        actor=s.officer,
        employee=emp,
        kind=PendingChange.Kind.EMPLOYMENT,
        values=values,
        target=employment,
        effective_from=date(2025, 1, 1),
    )
    services.change_approve(actor=s.second, change=change)


def _run(s, frequency, start, end, pay):
    run = services.run_create(
        actor=s.officer,
        institution=s.institution,
        frequency=frequency,
        period_start=start,
        period_end=end,
        payment_date=pay,
    )
    run = services.run_calculate(actor=s.officer, run=run)
    assert run.refused == 0
    return Payslip.objects.get(run=run)


@pytest.fixture
def s():
    return payroll_setup()


def test_ac_profile_reproduces_the_issue_example_under_method_3(s):
    """Engine: test_issue_example_method_3 — 45,000, ATP F, hovedkort 37 % / 5,600;
    AM 3,593, A-skat 13,213, net 28,105.80."""
    _settings(s, rounding="3")
    emp = s.employee(
        "AC",
        salary="45000.00",
        start=date(2025, 1, 1),
        card={
            "type": "hovedkort",
            "rate": "37.00",
            "deduction_month": "5600.00",
            "valid_from": "2025-01-01",
        },
    )
    _employment(s, emp, pension_state_ac=False, atp_family="F", holiday_scheme="none")
    slip = _run(s, "monthly", date(2025, 5, 1), date(2025, 5, 31), date(2025, 5, 30))
    t = slip.data["totals"]
    assert (t["am_income"], t["am_contribution"], t["a_income"]) == (
        "44911.80",
        "3593.00",
        "41318.80",
    )
    assert (t["deduction"], t["a_tax"], t["net"]) == ("5600.00", "13213.00", "28105.80")
    assert slip.net_payable == D("28105.80")


def test_hk_profile_reproduces_the_bikort_with_pension_example(s):
    """Engine: test_bikort_with_pension_hk_monthly — HK 30,000, pension 4 % / 12 %, bikort
    40 %, method 1: AM 2,296.08, A-skat 10,561.97, net 15,842.95."""
    emp = s.employee(
        "HK",
        salary="30000.00",
        start=date(2025, 1, 1),
        card={"type": "bikort", "rate": "40.00", "valid_from": "2025-01-01"},
    )
    _employment(s, emp, pension_employer_rate="12.00", pension_employee_rate="4.00")
    slip = _run(s, "monthly", date(2025, 5, 1), date(2025, 5, 31), date(2025, 5, 30))
    t = slip.data["totals"]
    assert (t["am_contribution"], t["a_tax"], t["net"]) == ("2296.08", "10561.97", "15842.95")
    employer = {x["code"]: x["amount"] for x in slip.data["employer_lines"]}
    assert employer == {
        "atp:employer": "198.00",
        "pension:employer": "3600.00",
        "holiday:special": "606.00",
    }
    assert slip.data["eindkomst"]["147"] == "4800.00"


def test_hourly_profile_reproduces_the_fortnightly_holiday_pay_example(s):
    """Engine: test_fortnightly_hourly_with_holiday_pay — 74 h × 200 in 14 days, ATP A,
    hovedkort 38 % / 2,585, method 2t: AM 1,179, A-skat 4,173, net 9,395.80, holiday pay
    1,850."""
    _settings(s, rounding="2t")
    emp = s.employee(
        "HOURLY",
        start=date(2025, 1, 1),
        frequency="14days",
        card={
            "type": "hovedkort",
            "rate": "38.00",
            "deduction_month": "5600.00",
            "deduction_14days": "2585.00",
            "valid_from": "2025-01-01",
        },
    )
    _employment(s, emp, weekly_hours="37.00")
    element = emp.employments.get().elements.get()
    change = services.change_propose(
        actor=s.officer,
        employee=emp,
        kind=PendingChange.Kind.PAY_ELEMENT,
        values={"hours": "74.00", "rate": "200.00"},
        target=element,
        effective_from=date(2025, 1, 1),
    )
    services.change_approve(actor=s.second, change=change)
    ((start, end, pay),) = [
        p for p in services.periods_for("14days", 2025, 5) if p[0] == date(2025, 5, 5)
    ]
    assert end == date(2025, 5, 18)
    slip = _run(s, "14days", start, end, pay)
    t = slip.data["totals"]
    assert (t["am_contribution"], t["deduction"], t["a_tax"], t["net"]) == (
        "1179.00",
        "2585.00",
        "4173.00",
        "9395.80",
    )
    employer = {x["code"]: x["amount"] for x in slip.data["employer_lines"]}
    assert employer["holiday:pay"] == "1850.00"


def test_student_profile_reproduces_the_frikort_not_used_up_example(s):
    """Engine: test_frikort_not_used_up_withholds_no_tax — 60 h × 166.67, ATP A one third,
    frikort 51,600: no A-skat, 9,169.82 of the free amount used."""
    emp = s.employee(
        "STUDENT",
        start=date(2025, 1, 1),
        card={
            "type": "frikort",
            "rate": "38.00",
            "free_amount": "51600.00",
            "valid_from": "2025-01-01",
        },
    )
    element = emp.employments.get().elements.get()
    change = services.change_propose(
        actor=s.officer,
        employee=emp,
        kind=PendingChange.Kind.PAY_ELEMENT,
        values={"hours": "60.00", "rate": "166.67"},
        target=element,
        effective_from=date(2025, 1, 1),
    )
    services.change_approve(actor=s.second, change=change)
    slip = _run(s, "monthly", date(2025, 5, 1), date(2025, 5, 31), date(2025, 5, 30))
    t = slip.data["totals"]
    assert {x["code"]: x["amount"] for x in slip.data["lines"]}["atp:employee"] == "-33.00"
    assert (t["am_contribution"], t["a_income"], t["a_tax"], t["net"]) == (
        "797.38",
        "9169.82",
        "0.00",
        "9169.82",
    )
    assert slip.data["ytd"]["frikort_used"] == "9169.82"


def test_tax_cards_import_from_an_eskattekort_file_as_pending_changes(s):
    emp = s.employee("AC", cpr="0101801234")
    content = (
        "cpr;korttype;traekprocent;fradrag_maaned;fradrag_14dage;frikort_beloeb;gyldig_fra;gyldig_til\n"
        "010180-1234;hovedkort;39;5.800,00;2677,00;;2026-06-01;2026-12-31\n"
        "0202021111;bikort;40;;;;2026-06-01;\n"
        "010180-1234;blåkort;40;;;;2026-06-01;\n"
    )
    result = tax_cards_import(actor=s.officer, institution=s.institution, content=content)
    assert [no for no, _m in result.errors] == [3, 4]
    assert all("0202021111" not in m for _n, m in result.errors)
    (change,) = result.proposed
    assert change.employee_id == emp.pk and change.state == PendingChange.State.PENDING
    assert not TaxCard.objects.filter(employee=emp, valid_from=date(2026, 6, 1)).exists()
    services.change_approve(actor=s.second, change=change)
    card = TaxCard.objects.get(employee=emp, valid_from=date(2026, 6, 1))
    assert (card.type, card.rate, card.deduction_month, card.valid_to) == (
        "hovedkort",
        D("39.00"),
        D("5800.00"),
        date(2026, 12, 31),
    )
