"""Hypothesis properties of the calculation (issue 6, point 5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from faelles.payroll.engine.calc import calculate
from faelles.payroll.engine.errors import InputError
from faelles.payroll.engine.model import (
    ATP,
    ATPFamily,
    Benefits,
    CardType,
    ElementKind,
    FreeCar,
    HealthInsurance,
    HolidayScheme,
    NetDeduction,
    PayElement,
    PensionScheme,
    TaxCard,
    YearToDate,
)
from faelles.payroll.engine.rounding import RoundingMethod
from faelles.payroll.engine.tests.factories import make_input, monthly

D = Decimal
money = st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False, allow_infinity=False)
small = st.decimals(min_value=0, max_value=5_000, places=2, allow_nan=False, allow_infinity=False)
pct = st.integers(min_value=0, max_value=70).map(lambda n: D(n) / 100)
methods = st.sampled_from(list(RoundingMethod))


@st.composite
def elements(draw: st.DrawFn) -> tuple[PayElement, ...]:
    out = []
    for i in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(list(ElementKind)))
        am = kind is not ElementKind.TAX_FREE and draw(st.booleans())
        a_tax = am or (kind is not ElementKind.TAX_FREE and draw(st.booleans()))
        out.append(
            PayElement(
                f"e{i}",
                "x",
                kind,
                draw(money),
                am_liable=am,
                a_taxable=a_tax,
                pensionable=draw(st.booleans()),
                holiday_entitling=draw(st.booleans()),
            )
        )
    return tuple(out)


@st.composite
def cards(draw: st.DrawFn) -> TaxCard:
    kind = draw(st.sampled_from(list(CardType)))
    return TaxCard(
        kind,
        draw(pct),
        deduction_month=draw(small),
        free_amount=draw(st.decimals(min_value=0, max_value=60_000, places=2)),
    )


@st.composite
def inputs(draw: st.DrawFn):
    car = (
        FreeCar(draw(st.decimals(min_value=0, max_value=900_000, places=2)), draw(small))
        if draw(st.booleans())
        else None
    )
    health = HealthInsurance(draw(small)) if draw(st.booleans()) else None
    pension = (
        PensionScheme(employer_rate=draw(pct), employee_rate=draw(pct.map(lambda r: r / 7)))
        if draw(st.booleans())
        else None
    )
    return make_input(
        elements=draw(elements()),
        benefits=Benefits(car=car, health_insurance=health),
        pension=pension,
        atp=ATP(draw(st.sampled_from(list(ATPFamily))), draw(st.decimals(0, 200, places=2))),
        tax_card=draw(cards()),
        rounding=draw(methods),
        holiday=draw(st.sampled_from(list(HolidayScheme))),
        deductions=(NetDeduction("union", "Fagforening", draw(small)),),
        ytd=YearToDate(frikort_used=draw(st.decimals(min_value=0, max_value=60_000, places=2))),
    )


def _calc(inp):
    """The payslip; periods whose withholdings exceed the pay are refused by the engine and
    are not what these properties are about."""
    try:
        return calculate(inp)
    except InputError as exc:
        assert exc.code == "calc.negative_income"
        assume(False)
        raise


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_net_plus_everything_withheld_plus_benefits_is_gross(inp):
    slip = _calc(inp)
    assert slip.net + slip.withheld() + slip.benefits + slip.net_deductions == slip.gross
    assert sum(ln.amount for ln in slip.lines) == slip.net
    assert sum(x.debit for x in slip.ledger) == sum(x.credit for x in slip.ledger)


@settings(max_examples=200, deadline=None)
@given(inputs(), money)
def test_am_is_never_charged_on_non_am_income(inp, extra):
    non_am = PayElement("fee", "Uden AM", ElementKind.ONE_OFF, extra, am_liable=False)
    without = _calc(inp)
    with_extra = calculate(replace(inp, elements=(*inp.elements, non_am)))
    assert with_extra.am_contribution == without.am_contribution
    assert with_extra.eindkomst.f16 == without.eindkomst.f16
    only_non_am = calculate(
        replace(
            inp, elements=(non_am,), benefits=Benefits(), pension=None, atp=ATP(ATPFamily.A, D(0))
        )
    )
    assert only_non_am.am_contribution == 0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.decimals(min_value=0, max_value=40_000, places=2), min_size=12, max_size=12),
    st.decimals(min_value=0, max_value=60_000, places=2),
    methods,
)
def test_frikort_never_goes_below_zero(salaries, free_amount, method):
    ytd = YearToDate()
    card = TaxCard(CardType.FREE, D("0.38"), free_amount=free_amount)
    for month, amount in enumerate(salaries, start=1):
        slip = calculate(
            make_input(
                period=monthly(2025, month),
                elements=(PayElement("s", "Løn", ElementKind.SALARY, amount),),
                atp=ATP(ATPFamily.A, D(0)),
                tax_card=card,
                rounding=method,
                ytd=ytd,
            )
        )
        ytd = slip.ytd
        assert slip.deduction >= 0
        assert ytd.frikort_used <= free_amount
        assert slip.a_tax >= 0
    if sum(salaries) * D("0.92") >= free_amount + 12:
        assert ytd.frikort_used == free_amount


# How far one period's AM-bidrag may lie from the exact 8 % of its base, per method:
# method 1 ±½ øre; method 2 ±50 øre (round) or up to −1 kr (øre dropped); method 3 between
# −0.80 (base floored by up to 10 kr) and +1 kr (rounded up).
_BOUNDS = {
    RoundingMethod.METHOD_1: (D("-0.005"), D("0.005")),
    RoundingMethod.METHOD_2_ROUND: (D("-0.5"), D("0.5")),
    RoundingMethod.METHOD_2_TRUNCATE: (D("-1"), D("0")),
    RoundingMethod.METHOD_3: (D("-0.8"), D("1")),
}


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.decimals(min_value=1_000, max_value=90_000, places=2), min_size=12, max_size=12),
    methods,
    st.integers(min_value=0, max_value=60),
)
def test_rounding_never_drifts_across_a_year_beyond_the_method(salaries, method, rate):
    ytd = YearToDate()
    exact_am = exact_tax = D(0)
    for month, amount in enumerate(salaries, start=1):
        slip = calculate(
            make_input(
                period=monthly(2025, month),
                elements=(PayElement("s", "Løn", ElementKind.SALARY, amount),),
                tax_card=TaxCard(CardType.SECONDARY, D(rate) / 100),
                rounding=method,
                ytd=ytd,
            )
        )
        ytd = slip.ytd
        exact_am += slip.am_base * D("0.08")
        exact_tax += slip.a_income * D(rate) / 100
    low, high = _BOUNDS[method]
    assert 12 * low <= ytd.am_contribution - exact_am <= 12 * high
    tax_low = low if method is not RoundingMethod.METHOD_3 else D(rate) / 100 * -10
    assert 12 * tax_low <= ytd.a_tax - exact_tax <= 12 * high


def test_property_inputs_use_a_year_with_parameters():
    assert make_input().period.start == date(2025, 5, 1)
