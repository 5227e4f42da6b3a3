from __future__ import annotations

from decimal import Decimal

import pytest

from faelles.payroll.engine.errors import InputError
from faelles.payroll.engine.model import Benefits, FreeCar, YearToDate
from faelles.payroll.engine.retro import retro_difference
from faelles.payroll.engine.tests.factories import make_input, monthly, salary

D = Decimal


def test_a_raise_in_an_earlier_period_yields_only_the_difference_lines():
    """May 2025 recalculated with 46,000 instead of 45,000 (method 3, 37 %, deduction 5,600).
    New: AM base 45,911.80 → 45,910 × 8 % = 3,672.80 → 3,673; A-income 42,238.80; 36,638.80
    → 36,630 × 37 % = 13,553.10 → 13,554; net 28,684.80. Old net 28,105.80."""
    original = make_input()
    corrected = make_input(elements=(salary("46000.00"),))
    retro = retro_difference(original, corrected)
    assert [(ln.code, ln.amount) for ln in retro.lines] == [
        ("element:salary", D("1000.00")),
        ("am", D("-80.00")),
        ("tax:a", D("-341.00")),
    ]
    assert retro.net == D("579.00")
    assert retro.eindkomst.f13 == D("1000.00")
    assert (retro.eindkomst.f15, retro.eindkomst.f16) == (D("341.00"), D("80.00"))
    assert retro.eindkomst.f46 == D("0.00")
    assert {x.account: (x.debit, x.credit) for x in retro.ledger} == {
        "1811": (D("1000.00"), D("0.00")),
        "9130": (D("0.00"), D("421.00")),
        "9160": (D("0.00"), D("579.00")),
    }
    assert retro.ytd.a_tax == D("341.00")


def test_a_benefit_removed_after_the_fact_gives_back_the_tax_withheld_on_it():
    """Car 400,000: 22.5 % → 90,000/yr, 7,500 a month. Original: AM base 52,411.80 → 52,410 ×
    8 % → 4,193; A-income 48,218.80; 42,618.80 → 42,610 × 37 % → 15,766; net 24,952.80.
    Corrected net 28,105.80: 3,153.00 to pay back to the employee."""
    original = make_input(benefits=Benefits(car=FreeCar(D("400000"))))
    corrected = make_input()
    retro = retro_difference(original, corrected)
    assert retro.totals["benefits"] == D("-7500.00")
    assert retro.net == D("3153.00")
    assert "element:salary" not in {ln.code for ln in retro.lines}


def test_a_correction_for_another_period_is_refused():
    with pytest.raises(InputError) as info:
        retro_difference(make_input(), make_input(period=monthly(2025, 6)))
    assert (info.value.code, info.value.field, info.value.employee) == (
        "retro.period",
        "period",
        "E1001",
    )


def test_both_calculations_must_start_from_the_same_ytd():
    with pytest.raises(InputError) as info:
        retro_difference(make_input(), make_input(ytd=YearToDate(a_tax=D("1"))))
    assert info.value.code == "retro.ytd"
