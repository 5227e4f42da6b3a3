from __future__ import annotations

import json
from decimal import Decimal

import pytest

from faelles.payroll.engine.calc import calculate
from faelles.payroll.engine.io import dumps, payslip_dict, payslip_json, render_text
from faelles.payroll.engine.model import (
    Benefits,
    Employee,
    FreeCar,
    HolidayScheme,
    NetDeduction,
    PensionScheme,
)
from faelles.payroll.engine.tests.factories import make_input, salary

D = Decimal


@pytest.mark.parametrize(
    "inp",
    [
        make_input(),
        make_input(
            employee=Employee('E"7\\', 'Åse "Ø" Ærø\nx', "0101901234"),
            elements=(salary("50000.00", pensionable=True),),
            pension=PensionScheme(state_ac=True, employee_rate=D("0.01")),
            benefits=Benefits(car=FreeCar(D("400000"))),
            holiday=HolidayScheme.PAID_HOLIDAY,
            deductions=(NetDeduction("garn", 'Lønindeholdelse "SKAT"', D("99999.00")),),
        ),
    ],
)
def test_the_fast_json_writer_equals_the_dict_encoding(inp):
    slip = calculate(inp)
    fast = payslip_json(slip)
    assert fast == dumps(payslip_dict(slip))
    assert json.loads(fast)["cpr"] == "XXXXXX-1234"


def test_text_payslip_has_the_legal_minimum():
    text = render_text(calculate(make_input()))
    for needle in (
        "Styrelsen for Eksempler (CVR 12345678)",
        "Medarbejder E1001  Anna Jensen  CPR XXXXXX-1234",
        "Periode 2025-05-01 – 2025-05-31 (monthly), udbetales 2025-05-31",
        "AM-indkomst",
        "44.911,80",
        "A-indkomst",
        "41.318,80",
        "-3.593,00",
        "-13.213,00",
        "28.105,80",
    ):
        assert needle in text
    assert "0101901234" not in text


def test_an_element_line_rate_is_kroner_per_hour_other_rates_are_percentages():
    from faelles.payroll.engine.tests.factories import hourly

    slip = calculate(make_input(elements=(salary("45000.00"), hourly("6", "312.45"))))
    lines = {ln["code"]: ln for ln in payslip_dict(slip)["lines"]}
    assert (lines["element:hours"]["base"], lines["element:hours"]["rate"]) == ("6", "312.45")
    assert lines["element:hours"]["amount"] == "1874.70"
    assert lines["am"]["rate"] == "8"
    assert lines["tax:a"]["rate"] == "37"
    text = render_text(slip)
    assert "6,00   312,45      1.874,70" in text
    assert "35.710,00" not in text  # the tax base moved with the extra pay


def test_atp_per_hour_rate_is_shown_in_kroner():
    from datetime import date

    from faelles.payroll.engine.model import ATP, ATPFamily, PayFrequency, Period
    from faelles.payroll.engine.tests.factories import hourly, main_card

    slip = calculate(
        make_input(
            period=Period(
                PayFrequency.IRREGULAR, date(2025, 5, 5), date(2025, 5, 9), date(2025, 5, 9)
            ),
            elements=(hourly("20", "180"),),
            atp=ATP(ATPFamily.A, D("20")),
            tax_card=main_card("37", deduction_day="170"),
        )
    )
    atp = next(ln for ln in payslip_dict(slip)["lines"] if ln["code"] == "atp:employee")
    assert (atp["base"], atp["rate"], atp["amount"]) == ("20", "0.71", "-14.20")
    assert "20,00     0,71        -14,20" in render_text(slip)
