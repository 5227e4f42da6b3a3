"""Gross to net in SKAT's order, with the employer's costs alongside.

1. gross = pay elements + taxable benefits
2. AM base = AM-liable pay + benefits − employee's ATP − employee's own pension
3. AM-bidrag = 8 % of the AM base (rounded by the institution's method)
4. A-income = AM base − AM-bidrag + A-income without AM
5. the tax card's deduction (hovedkort) or free amount (frikort) comes off the A-income
6. A-skat = trækprocent × the rest (rounded by the institution's method)
7. net = A-income − A-skat − value of benefits − net deductions + tax-free payments

Employer costs: employer pension, employer ATP, holiday accrual (holiday pay 12.5 % or the
state's special holiday allowance). Parameters for earnings (ATP, pension, holiday, car) are
those in force on the first day of the period; those for withholding (AM rate, no-card rate) on
the payment date, which decides the tax year.
"""

from __future__ import annotations

from decimal import Decimal

from faelles.payroll.engine.errors import InputError, PayrollError
from faelles.payroll.engine.model import (
    CardType,
    ElementKind,
    HolidayScheme,
    PayFrequency,
    PayInput,
    YearToDate,
)
from faelles.payroll.engine.params import Parameters, parameters_for
from faelles.payroll.engine.payslip import (
    DEFAULT_ACCOUNTS,
    AccountPlan,
    EIndkomst,
    LedgerLine,
    Line,
    Payslip,
)
from faelles.payroll.engine.rounding import ZERO, ore, withholding

_ONE = Decimal(1)
_YEAR_FRACTION = {
    PayFrequency.MONTHLY: _ONE / 12,
    PayFrequency.FORTNIGHTLY: _ONE / 26,
    PayFrequency.WEEKLY: _ONE / 52,
}


def _fail(inp: PayInput, field: str, message: str, code: str = "input.invalid") -> InputError:
    return InputError(code, field, message, inp.employee.number)


def _check_rate(inp: PayInput, field: str, rate: Decimal) -> None:
    if not ZERO <= rate <= _ONE:
        raise _fail(inp, field, "must be a percentage between 0 and 100", "input.rate")


def _check_amount(inp: PayInput, field: str, amount: Decimal) -> None:
    if amount < 0:
        raise _fail(inp, field, "must not be negative", "input.negative")


def calculate(inp: PayInput, accounts: AccountPlan = DEFAULT_ACCOUNTS) -> Payslip:
    """The payslip of one employee-period. Raises ``PayrollError`` naming the field."""
    period = inp.period
    if period.end < period.start:
        raise _fail(inp, "period.end", "ends before it starts", "input.period")
    try:
        p = parameters_for(period.start)
        tp = parameters_for(period.payment_date)
    except PayrollError as exc:
        exc.employee = inp.employee.number
        raise
    method = inp.rounding
    lines: list[Line] = []
    warnings: list[str] = []

    # 1. Pay elements.
    am_pay = non_am = tax_free = pensionable = holiday_base = overtime = ZERO
    for i, el in enumerate(inp.elements):
        if el.quantity is not None and el.quantity < 0:
            raise _fail(inp, f"elements[{i}].hours", "hours must not be negative", "input.hours")
        if el.am_liable and not el.a_taxable:
            raise _fail(
                inp, f"elements[{i}]", "an AM-liable element must also be A-taxable", "input.flags"
            )
        lines.append(Line("element:" + el.code, el.text, el.quantity, el.rate, el.amount))
        amount = el.amount
        if not el.a_taxable:
            tax_free += amount
        elif el.am_liable:
            am_pay += amount
        else:
            non_am += amount
        if el.pensionable:
            pensionable += amount
        if el.holiday_entitling:
            holiday_base += amount
        if el.kind is ElementKind.OVERTIME:
            overtime += amount
    cash = am_pay + non_am + tax_free

    # Taxable benefits (AM-liable A-income, reported in their own eIndkomst fields 19-26).
    car_value = _car(inp, p, lines)
    mm_value = ZERO
    mm = inp.benefits.multimedia
    if mm is not None:
        _check_amount(inp, "benefits.multimedia.value", mm.value)
        if not mm.mainly_for_work:
            mm_value = mm.value
            lines.append(
                Line("benefit:multimedia", "Fri telefon/computer/internet", None, None, mm_value)
            )
    health_value = ZERO
    hi = inp.benefits.health_insurance
    if hi is not None:
        _check_amount(inp, "benefits.health_insurance.premium", hi.premium)
        if not hi.tax_free:
            health_value = hi.premium
            lines.append(Line("benefit:health", "Sundhedsforsikring", None, None, health_value))
    board_value = ZERO
    bl = inp.benefits.board_lodging
    if bl is not None:
        _check_amount(inp, "benefits.board_lodging.value", bl.value)
        board_value = bl.value
        if board_value:
            lines.append(Line("benefit:board", "Fri kost og logi", None, None, board_value))
    benefits = car_value + mm_value + health_value + board_value
    gross = cash + benefits

    # ATP (employee share withheld, employer share a cost).
    atp = inp.atp
    if atp.hours < 0:
        raise _fail(inp, "atp.hours", "hours must not be negative", "input.hours")
    if period.frequency is PayFrequency.IRREGULAR:
        hourly = p.atp_hourly[atp.family]
        atp_e, atp_er = ore(atp.hours * hourly.employee), ore(atp.hours * hourly.employer)
        atp_rate_e: Decimal | None = hourly.employee
    else:
        band = p.atp_scales[(atp.family, period.frequency)].band(atp.hours)
        atp_e, atp_er = (band.employee, band.employer) if band else (ZERO, ZERO)
        atp_rate_e = None
    if atp_e:
        lines.append(Line("atp:employee", f"ATP ({atp.family})", atp.hours, atp_rate_e, -atp_e))

    # Pension.
    pens_e = pens_er = ZERO
    pens_rate_er = ZERO
    if inp.pension is not None:
        ps = inp.pension
        _check_rate(inp, "pension.employee_rate", ps.employee_rate)
        pens_rate_er = p.state_ac_pension_rate if ps.state_ac else ps.employer_rate
        _check_rate(inp, "pension.employer_rate", pens_rate_er)
        pens_e = ore(pensionable * ps.employee_rate)
        pens_er = ore(pensionable * pens_rate_er)
        if pens_e:
            lines.append(
                Line(
                    "pension:employee", "Egetbidrag pension", pensionable, ps.employee_rate, -pens_e
                )
            )

    # 2.-4. AM base, AM-bidrag, A-income.
    am_base = am_pay + benefits - atp_e - pens_e
    if am_base < 0:
        non_am += am_base
        am_base = ZERO
    if non_am < 0:
        raise _fail(
            inp,
            "elements",
            "ATP and pension withheld exceed the A-income of the period",
            "calc.negative_income",
        )
    am_rounded_base, am = withholding(am_base, tp.am_rate, method)
    lines.append(Line("am", "AM-bidrag", am_rounded_base, tp.am_rate, -am))
    a_income = am_base - am + non_am

    # 5.-6. Tax card and A-skat.
    card = inp.tax_card
    deduction = ZERO
    frikort_used = ZERO
    if card.type is CardType.NONE:
        rate = tp.no_card_rate
    else:
        rate = card.rate
        _check_rate(inp, "tax_card.rate", rate)
    if card.type is CardType.MAIN:
        available = _period_deduction(inp)
        deduction = min(available, a_income)
    elif card.type is CardType.FREE:
        _check_amount(inp, "tax_card.free_amount", card.free_amount)
        remaining = max(card.free_amount - inp.ytd.frikort_used, ZERO)
        frikort_used = min(remaining, a_income)
        deduction = frikort_used
    tax_base = a_income - deduction
    tax_rounded_base, a_tax = withholding(tax_base, rate, method)
    lines.append(Line("tax:a", "A-skat", tax_rounded_base, rate, -a_tax))

    # 7. Net.
    if benefits:
        lines.append(Line("benefit:in_kind", "Modregning af personalegoder", None, None, -benefits))
    available_net = a_income - a_tax - benefits + tax_free
    applied_total = ZERO
    for i, d in enumerate(inp.deductions):
        _check_amount(inp, f"deductions[{i}].amount", d.amount)
        applied = min(d.amount, max(available_net - applied_total, ZERO))
        if applied < d.amount:
            warnings.append(
                f"deductions[{i}] ({d.code}): only {applied} of {d.amount} could be deducted"
            )
        applied_total += applied
        lines.append(Line("deduction:" + d.code, d.text, None, None, -applied))
    net = available_net - applied_total
    if net < 0:
        warnings.append("net pay is negative: benefits exceed the cash pay of the period")

    # Employer lines.
    employer: list[Line] = []
    if atp_er:
        employer.append(
            Line("atp:employer", f"ATP arbejdsgiver ({atp.family})", atp.hours, None, atp_er)
        )
    if pens_er:
        employer.append(
            Line(
                "pension:employer", "Arbejdsgiverbidrag pension", pensionable, pens_rate_er, pens_er
            )
        )
    holiday_pay = special = ZERO
    if inp.holiday is HolidayScheme.HOLIDAY_PAY:
        holiday_pay = ore(holiday_base * p.holiday_pay_rate)
        employer.append(
            Line("holiday:pay", "Feriepenge", holiday_base, p.holiday_pay_rate, holiday_pay)
        )
    elif inp.holiday is HolidayScheme.PAID_HOLIDAY:
        special = ore(holiday_base * p.state_special_allowance)
        employer.append(
            Line(
                "holiday:special",
                "Særlig feriegodtgørelse",
                holiday_base,
                p.state_special_allowance,
                special,
            )
        )
    employer_cost = cash + atp_er + pens_er + holiday_pay + special

    ein = EIndkomst(
        f13=am_base - benefits,
        f14=non_am,
        f15=a_tax,
        f16=am,
        f19=car_value,
        f20=mm_value,
        f21=board_value,
        f26=health_value,
        f46=atp_e + atp_er,
        f147=pens_e + pens_er,
        f178=pens_er,
        f200=atp.hours,
        atp_rate=atp.family,
    )

    holiday_cost = holiday_pay + special
    # A positive amount is a debit; a negative one (a correction) goes to the other side.
    ledger = tuple(
        LedgerLine(account, text, amount, ZERO)
        if amount > 0
        else LedgerLine(account, text, ZERO, -amount)
        for account, text, amount in (
            (accounts.salaries, "Lønninger", cash - overtime),
            (accounts.overtime, "Over- og merarbejde", overtime),
            (accounts.pension, "Pensionsbidrag, arbejdsgiver", pens_er),
            (accounts.atp, "ATP-bidrag, arbejdsgiver", atp_er),
            (accounts.holiday_pay, "Feriepenge/særlig feriegodtgørelse", holiday_cost),
            (accounts.tax_payable, "Skyldig A-skat og AM-bidrag", -(am + a_tax)),
            (accounts.atp_payable, "Skyldig ATP", -(atp_e + atp_er)),
            (accounts.pension_payable, "Skyldig pension", -(pens_e + pens_er)),
            (accounts.other_payable, "Skyldige nettolønstræk", -applied_total),
            (accounts.holiday_payable, "Skyldige feriepenge", -holiday_cost),
            (accounts.net_pay_payable, "Skyldig nettoløn", -net),
        )
        if amount
    )

    y = inp.ytd
    ytd = YearToDate(
        am_income=y.am_income + am_base,
        a_income=y.a_income + a_income,
        am_contribution=y.am_contribution + am,
        a_tax=y.a_tax + a_tax,
        frikort_used=y.frikort_used + frikort_used,
        atp_employee=y.atp_employee + atp_e,
        atp_employer=y.atp_employer + atp_er,
        pension_employee=y.pension_employee + pens_e,
        pension_employer=y.pension_employer + pens_er,
        holiday_pay_accrued=y.holiday_pay_accrued + holiday_pay,
        special_allowance_accrued=y.special_allowance_accrued + special,
        hours=y.hours + atp.hours,
    )
    return Payslip(
        employee_number=inp.employee.number,
        employee_name=inp.employee.name,
        cpr_masked=inp.employee.cpr_masked,
        payer_cvr=inp.payer.cvr,
        payer_name=inp.payer.name,
        period=period,
        rounding=method,
        card=card.type,
        lines=tuple(lines),
        employer_lines=tuple(employer),
        gross=gross,
        benefits=benefits,
        am_base=am_base,
        am_contribution=am,
        a_income=a_income,
        deduction=deduction,
        tax_base=tax_base,
        a_tax=a_tax,
        net_deductions=applied_total,
        net=net,
        employer_cost=employer_cost,
        eindkomst=ein,
        ledger=ledger,
        ytd=ytd,
        warnings=tuple(warnings),
    )


def _period_deduction(inp: PayInput) -> Decimal:
    card = inp.tax_card
    freq = inp.period.frequency
    if freq is PayFrequency.MONTHLY:
        value, field = card.deduction_month, "tax_card.deduction_month"
    elif freq is PayFrequency.FORTNIGHTLY:
        value, field = card.deduction_14days, "tax_card.deduction_14days"
    elif freq is PayFrequency.WEEKLY:
        value, field = card.deduction_week, "tax_card.deduction_week"
    else:
        # An irregular period uses the daily deduction for every calendar day in it.
        value, field = card.deduction_day * inp.period.days, "tax_card.deduction_day"
    _check_amount(inp, field, value)
    return value


def _car(inp: PayInput, p: Parameters, lines: list[Line]) -> Decimal:
    car = inp.benefits.car
    if car is None:
        return ZERO
    _check_amount(inp, "benefits.car.car_value", car.car_value)
    _check_amount(inp, "benefits.car.green_owner_tax", car.green_owner_tax)
    _check_amount(inp, "benefits.car.employee_payment", car.employee_payment)
    basis = car.car_value * p.car_old_factor if car.older_than_36_months else car.car_value
    basis = max(basis, p.car_min_basis)
    low = min(basis, p.car_threshold)
    yearly = (
        p.car_rate_low * low
        + p.car_rate_high * (basis - low)
        + p.car_environment_factor * car.green_owner_tax
    )
    freq = inp.period.frequency
    fraction = _YEAR_FRACTION.get(freq)
    if fraction is None:
        fraction = Decimal(inp.period.days) / 365
    value = max(ore(yearly * fraction) - car.employee_payment, ZERO)
    lines.append(Line("benefit:car", "Fri bil (grundlag: årsværdi)", ore(yearly), None, value))
    return value
