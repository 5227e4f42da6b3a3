"""Worked examples, each with its source and the hand calculation in the docstring."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from faelles.payroll.engine.calc import calculate
from faelles.payroll.engine.errors import ParameterError
from faelles.payroll.engine.model import (
    ATP,
    ATPFamily,
    Benefits,
    CardType,
    FreeCar,
    HealthInsurance,
    HolidayScheme,
    Multimedia,
    NetDeduction,
    PayFrequency,
    PensionScheme,
    Period,
    TaxCard,
    YearToDate,
)
from faelles.payroll.engine.rounding import RoundingMethod
from faelles.payroll.engine.tests.factories import D, hourly, main_card, make_input, monthly, salary


def amounts(slip):
    return {ln.code: ln.amount for ln in slip.lines}


def test_issue_example_method_3():
    """Source: issue 6, SKAT rounding method 3 (info.skat.dk "Øreafrunding").

    45,000 − ATP 88.20 (F) = AM base 44,911.80 → 44,910 × 8 % = 3,592.80 → 3,593;
    A-income 41,318.80 − deduction 5,600 = 35,718.80 → 35,710 × 37 % = 13,212.70 → 13,213;
    net 41,318.80 − 13,213 = 28,105.80.
    """
    slip = calculate(make_input())
    assert slip.am_base == D("44911.80")
    assert slip.am_contribution == D("3593.00")
    assert slip.a_income == D("41318.80")
    assert slip.deduction == D("5600.00")
    assert slip.a_tax == D("13213.00")
    assert slip.net == D("28105.80")
    assert amounts(slip) == {
        "element:salary": D("45000.00"),
        "atp:employee": D("-88.20"),
        "am": D("-3593.00"),
        "tax:a": D("-13213.00"),
    }
    am_line = next(ln for ln in slip.lines if ln.code == "am")
    tax_line = next(ln for ln in slip.lines if ln.code == "tax:a")
    assert (am_line.base, am_line.rate) == (D("44910.00"), D("0.08"))
    assert (tax_line.base, tax_line.rate) == (D("35710.00"), D("0.37"))
    assert [(x.code, x.amount) for x in slip.employer_lines] == [("atp:employer", D("176.40"))]


@pytest.mark.parametrize(
    ("method", "am", "a_tax", "net"),
    [
        # Method 1: 44,911.80 × 8 % = 3,592.944 → 3,592.94 (øre); A-income 41,318.86;
        # 35,718.86 × 37 % = 13,215.9782 → 13,215.98; net 28,102.88.
        (RoundingMethod.METHOD_1, "3592.94", "13215.98", "28102.88"),
        # Method 2 (ordinary rounding to kroner): 3,593; 35,718.80 × 37 % = 13,215.956 → 13,216.
        (RoundingMethod.METHOD_2_ROUND, "3593.00", "13216.00", "28102.80"),
        # Method 2 (øre dropped): 3,592; A-income 41,319.80; 35,719.80 × 37 % = 13,216.326 → 13,216.
        (RoundingMethod.METHOD_2_TRUNCATE, "3592.00", "13216.00", "28103.80"),
        (RoundingMethod.METHOD_3, "3593.00", "13213.00", "28105.80"),
    ],
)
def test_issue_example_under_each_rounding_method(method, am, a_tax, net):
    """Source: SKAT's three allowed rounding methods applied to the issue's example."""
    slip = calculate(make_input(rounding=method))
    assert (slip.am_contribution, slip.a_tax, slip.net) == (D(am), D(a_tax), D(net))


def test_bikort_with_pension_hk_monthly():
    """Bikort: trækprocent only, no deduction. HK 30,000, own pension 4 %, employer 12 %,
    ATP A 99.00 (≥117 h). AM base 30,000 − 99 − 1,200 = 28,701.00; method 1: AM 2,296.08;
    A-income 26,404.92; A-skat 40 % = 10,561.968 → 10,561.97; net 15,842.95."""
    slip = calculate(
        make_input(
            elements=(salary("30000.00", pensionable=True),),
            atp=ATP(ATPFamily.A, D("160.33")),
            tax_card=TaxCard(CardType.SECONDARY, D("0.40")),
            pension=PensionScheme(employer_rate=D("0.12"), employee_rate=D("0.04")),
            rounding=RoundingMethod.METHOD_1,
            holiday=HolidayScheme.PAID_HOLIDAY,
        )
    )
    assert amounts(slip)["pension:employee"] == D("-1200.00")
    assert slip.am_base == D("28701.00")
    assert slip.am_contribution == D("2296.08")
    assert slip.deduction == D("0.00")
    assert slip.a_tax == D("10561.97")
    assert slip.net == D("15842.95")
    assert {x.code: x.amount for x in slip.employer_lines} == {
        "atp:employer": D("198.00"),
        "pension:employer": D("3600.00"),
        "holiday:special": D("606.00"),  # 2.02 % of 30,000
    }
    assert slip.eindkomst.f147 == D("4800.00")
    assert slip.eindkomst.f178 == D("3600.00")


def test_frikort_used_up_switches_to_trakprocent():
    """Frikort 51,600 with 50,000 used: 1,600 left. Student 60 h × 166.67 = 10,000.20;
    ATP A 1/3 band (39–78 h) 33.00. AM base 9,967.20 → AM 797.376 → 797.38 (method 1);
    A-income 9,169.82; 1,600 free, 7,569.82 × 38 % = 2,876.5316 → 2,876.53; net 6,293.29.
    Holiday pay 12.5 % of 10,000.20 = 1,250.025 → 1,250.03."""
    slip = calculate(
        make_input(
            elements=(hourly("60", "166.67"),),
            atp=ATP(ATPFamily.A, D("60")),
            tax_card=TaxCard(CardType.FREE, D("0.38"), free_amount=D("51600")),
            ytd=YearToDate(frikort_used=D("50000.00")),
            rounding=RoundingMethod.METHOD_1,
            holiday=HolidayScheme.HOLIDAY_PAY,
        )
    )
    assert amounts(slip)["atp:employee"] == D("-33.00")
    assert slip.am_contribution == D("797.38")
    assert slip.a_income == D("9169.82")
    assert slip.deduction == D("1600.00")
    assert slip.a_tax == D("2876.53")
    assert slip.net == D("6293.29")
    assert slip.ytd.frikort_used == D("51600.00")
    assert {x.code: x.amount for x in slip.employer_lines}["holiday:pay"] == D("1250.03")
    assert slip.ytd.holiday_pay_accrued == D("1250.03")


def test_frikort_not_used_up_withholds_no_tax():
    slip = calculate(
        make_input(
            elements=(hourly("60", "166.67"),),
            atp=ATP(ATPFamily.A, D("60")),
            tax_card=TaxCard(CardType.FREE, D("0.38"), free_amount=D("51600")),
            rounding=RoundingMethod.METHOD_1,
        )
    )
    assert slip.a_tax == D("0.00")
    assert slip.ytd.frikort_used == D("9169.82")


def test_no_card_withholds_55_percent_without_deduction():
    """No tax card: 55 % and no deduction (kildeskatteloven). 30,000 − ATP A 99 = 29,901;
    method 2: AM 2,392.08 → 2,392; A-income 27,509; 55 % = 15,129.95 → 15,130; net 12,379."""
    slip = calculate(
        make_input(
            elements=(salary("30000.00"),),
            atp=ATP(ATPFamily.A, D("160")),
            tax_card=TaxCard(CardType.NONE),
            rounding=RoundingMethod.METHOD_2_ROUND,
        )
    )
    assert slip.am_contribution == D("2392.00")
    assert slip.deduction == D("0.00")
    assert slip.a_tax == D("15130.00")
    assert slip.net == D("12379.00")
    assert next(ln.rate for ln in slip.lines if ln.code == "tax:a") == D("0.55")


def test_fortnightly_hourly_with_holiday_pay():
    """14 days: 74 h × 200 = 14,800; ATP A 14-day ≥54 h 52.20; deduction 2,585; 38 %;
    method 2 (øre dropped): AM 14,747.80 × 8 % = 1,179.824 → 1,179; A-income 13,568.80;
    10,983.80 × 38 % = 4,173.844 → 4,173; net 9,395.80; holiday pay 1,850.00."""
    slip = calculate(
        make_input(
            period=Period(
                PayFrequency.FORTNIGHTLY, date(2025, 5, 5), date(2025, 5, 18), date(2025, 5, 21)
            ),
            elements=(hourly("74", "200"),),
            atp=ATP(ATPFamily.A, D("74")),
            tax_card=main_card("38", deduction_14days="2585"),
            rounding=RoundingMethod.METHOD_2_TRUNCATE,
            holiday=HolidayScheme.HOLIDAY_PAY,
        )
    )
    assert amounts(slip)["atp:employee"] == D("-52.20")
    assert slip.am_contribution == D("1179.00")
    assert slip.deduction == D("2585.00")
    assert slip.a_tax == D("4173.00")
    assert slip.net == D("9395.80")
    assert {x.code: x.amount for x in slip.employer_lines}["holiday:pay"] == D("1850.00")


def test_weekly_method_3():
    """Week: 37 h × 200 = 7,400; ATP A weekly ≥27 h 26.10; deduction 1,192; 38 %; method 3:
    7,373.90 → 7,370 × 8 % = 589.60 → 590; A-income 6,783.90; 5,591.90 → 5,590 × 38 % =
    2,124.20 → 2,125; net 4,658.90."""
    slip = calculate(
        make_input(
            period=Period(
                PayFrequency.WEEKLY, date(2025, 5, 5), date(2025, 5, 11), date(2025, 5, 15)
            ),
            elements=(hourly("37", "200"),),
            atp=ATP(ATPFamily.A, D("37")),
            tax_card=main_card("38", deduction_week="1192"),
        )
    )
    assert slip.am_contribution == D("590.00")
    assert slip.a_income == D("6783.90")
    assert slip.a_tax == D("2125.00")
    assert slip.net == D("4658.90")


def test_irregular_period_uses_daily_deduction_per_calendar_day():
    """5 calendar days, 20 h × 180 = 3,600; ATP A per hour 0.71 → 14.20; deduction 170 × 5 =
    850; method 1: AM 3,585.80 × 8 % = 286.864 → 286.86; A-income 3,298.94; 2,448.94 × 37 % =
    906.1078 → 906.11; net 2,392.83."""
    slip = calculate(
        make_input(
            period=Period(
                PayFrequency.IRREGULAR, date(2025, 5, 5), date(2025, 5, 9), date(2025, 5, 9)
            ),
            elements=(hourly("20", "180"),),
            atp=ATP(ATPFamily.A, D("20")),
            tax_card=main_card("37", deduction_day="170"),
            rounding=RoundingMethod.METHOD_1,
        )
    )
    assert amounts(slip)["atp:employee"] == D("-14.20")
    assert slip.deduction == D("850.00")
    assert slip.am_contribution == D("286.86")
    assert slip.a_tax == D("906.11")
    assert slip.net == D("2392.83")


def test_ac_with_car_health_insurance_and_state_pension():
    """AC 50,000 with state AC pension (18.07 % from 2025-04-01), free car 400,000 with green
    owner tax 2,000: 22.5 % × 400,000 + 700 % × 2,000 = 104,000/yr → 8,666.67/month; taxable
    health insurance 150; phone mainly for work (tax-free). AM base 50,000 + 8,666.67 + 150 −
    88.20 = 58,728.47 → 58,720 × 8 % = 4,697.60 → 4,698; A-income 54,030.47 − 5,600 = 48,430.47
    → 48,430 × 37 % = 17,919.10 → 17,920; net 54,030.47 − 17,920 − 8,816.67 = 27,293.80."""
    slip = calculate(
        make_input(
            elements=(salary("50000.00", pensionable=True),),
            pension=PensionScheme(state_ac=True),
            benefits=Benefits(
                car=FreeCar(D("400000"), green_owner_tax=D("2000")),
                multimedia=Multimedia(D("300.00"), mainly_for_work=True),
                health_insurance=HealthInsurance(D("150.00")),
            ),
            holiday=HolidayScheme.PAID_HOLIDAY,
        )
    )
    assert amounts(slip)["benefit:car"] == D("8666.67")
    assert "benefit:multimedia" not in amounts(slip)
    assert slip.benefits == D("8816.67")
    assert slip.gross == D("58816.67")
    assert slip.am_contribution == D("4698.00")
    assert slip.a_tax == D("17920.00")
    assert slip.net == D("27293.80")
    e = slip.eindkomst
    assert (e.f13, e.f14, e.f15, e.f16) == (
        D("49911.80"),
        D("0.00"),
        D("17920.00"),
        D("4698.00"),
    )
    assert (e.f19, e.f20, e.f26) == (D("8666.67"), D("0.00"), D("150.00"))
    assert {x.code: x.amount for x in slip.employer_lines} == {
        "atp:employer": D("176.40"),
        "pension:employer": D("9035.00"),
        "holiday:special": D("1010.00"),
    }


def test_state_ac_pension_rate_before_april_2025_is_17_1():
    slip = calculate(
        make_input(
            period=monthly(2025, 3),
            elements=(salary("50000.00", pensionable=True),),
            pension=PensionScheme(state_ac=True),
        )
    )
    assert {x.code: x.amount for x in slip.employer_lines}["pension:employer"] == D("8550.00")


def test_old_cheap_car_is_taxed_on_the_minimum_basis():
    """After 36 months the basis is 75 % of 150,000 = 112,500, below the 160,000 minimum:
    22.5 % × 160,000 = 36,000/yr → 3,000.00 a month, less the employee's own payment 500."""
    slip = calculate(
        make_input(
            benefits=Benefits(
                car=FreeCar(D("150000"), older_than_36_months=True, employee_payment=D("500"))
            )
        )
    )
    assert amounts(slip)["benefit:car"] == D("2500.00")


def test_multimedia_not_mainly_for_work_is_taxable():
    slip = calculate(make_input(benefits=Benefits(multimedia=Multimedia(D("250.00"), False))))
    assert amounts(slip)["benefit:multimedia"] == D("250.00")
    assert slip.eindkomst.f20 == D("250.00")


def test_non_am_income_is_a_taxed_without_am():
    """An element that is A-income without AM (eIndkomst field 14) adds to the A-income only."""
    from faelles.payroll.engine.model import ElementKind, PayElement

    fee = PayElement("fee", "Honorar uden AM", ElementKind.ONE_OFF, D("1000.00"), am_liable=False)
    base = calculate(make_input())
    slip = calculate(make_input(elements=(salary("45000.00"), fee)))
    assert slip.am_contribution == base.am_contribution
    assert slip.a_income == base.a_income + D("1000.00")
    assert slip.eindkomst.f14 == D("1000.00")


def test_net_deductions_are_capped_at_the_available_net_pay():
    slip = calculate(
        make_input(
            deductions=(
                NetDeduction("union", "Fagforening", D("450.00")),
                NetDeduction("garnish", "Lønindeholdelse", D("30000.00")),
            )
        )
    )
    assert amounts(slip)["deduction:union"] == D("-450.00")
    assert amounts(slip)["deduction:garnish"] == D("-27655.80")
    assert slip.net == D("0.00")
    assert slip.warnings == (
        "deductions[1] (garnish): only 27655.80 of 30000.00 could be deducted",
    )


def test_2026_parameters_are_used_for_a_2026_period():
    slip = calculate(make_input(period=monthly(2026, 1)))
    assert slip.net == D("28105.80")


def test_a_date_without_parameters_is_refused_naming_the_employee():
    with pytest.raises(ParameterError) as info:
        calculate(make_input(period=monthly(2024, 12)))
    assert info.value.code == "params.no_year"
    assert info.value.employee == "E1001"
    assert str(info.value) == (
        "employee E1001: period: no payroll parameters for 2024-12-01 "
        "(tables exist for 2025, 2026) [params.no_year]"
    )


def test_ledger_lines_balance_and_use_the_standard_accounts():
    slip = calculate(
        make_input(
            elements=(salary("50000.00", pensionable=True),),
            pension=PensionScheme(state_ac=True, employee_rate=D("0.01")),
            benefits=Benefits(car=FreeCar(D("400000"))),
            holiday=HolidayScheme.PAID_HOLIDAY,
            deductions=(NetDeduction("union", "Fagforening", D("450.00")),),
        )
    )
    assert sum(x.debit for x in slip.ledger) == sum(x.credit for x in slip.ledger)
    by_account = {x.account: (x.debit, x.credit) for x in slip.ledger}
    assert by_account["1811"] == (D("50000.00"), D("0.00"))
    assert by_account["1881"] == (D("9035.00"), D("0.00"))
    assert by_account["1816"] == (D("1010.00"), D("0.00"))
    assert by_account["9160"] == (D("0.00"), slip.net)
    assert by_account["9190"] == (D("0.00"), D("450.00"))
    assert by_account["9150"] == (D("0.00"), D("9535.00"))


def test_ytd_accumulates_from_the_input():
    first = calculate(make_input())
    second = calculate(make_input(period=monthly(2025, 6), ytd=first.ytd))
    assert second.ytd.a_tax == D("26426.00")
    assert second.ytd.am_income == D("89823.60")
    assert second.ytd.atp_employee == D("176.40")


def test_cpr_is_masked_to_the_last_four_digits():
    slip = calculate(make_input())
    assert slip.cpr_masked == "XXXXXX-1234"
    assert "0101901234" not in repr(slip)
    assert "0101901234" not in repr(make_input().employee)


def test_hours_below_the_lowest_band_pay_no_atp():
    slip = calculate(make_input(atp=ATP(ATPFamily.A, D("38.99"))))
    assert "atp:employee" not in amounts(slip)
    assert slip.employer_lines == ()


def test_atp_two_thirds_band_for_family_f():
    slip = calculate(make_input(atp=ATP(ATPFamily.F, D("100"))))
    assert amounts(slip)["atp:employee"] == D("-58.80")
    assert slip.employer_lines[0].amount == D("117.60")


def test_changed_payslip_fields_are_exact_decimal():
    slip = calculate(make_input())
    assert all(isinstance(ln.amount, Decimal) for ln in slip.lines)
    assert replace(slip, net=D("0")).net == D("0")


def test_board_and_lodging_is_a_taxable_benefit_in_field_21():
    from faelles.payroll.engine.model import BoardAndLodging

    base = calculate(make_input())
    slip = calculate(make_input(benefits=Benefits(board_lodging=BoardAndLodging(D("1000.00")))))
    assert amounts(slip)["benefit:board"] == D("1000.00")
    assert slip.eindkomst.f21 == D("1000.00")
    assert slip.eindkomst.f13 == base.eindkomst.f13
    # 45,911.80 → 45,910 × 8 % = 3,672.80 → 3,673
    assert slip.am_contribution == D("3673.00")
