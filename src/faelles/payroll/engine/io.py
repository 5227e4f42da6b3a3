"""JSON in and out: one employee-period as a JSON object, a payslip as a JSON object or text.

Input conventions (documented in docs/design/payroll.md): amounts are strings or numbers in
kroner ("45000.00"); every rate is a percentage ("37" for 37 %); dates are ISO 8601. Numbers
are parsed as ``Decimal`` (never float). Unknown keys are refused so that typos are caught.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any, TypeVar, cast

from faelles.payroll.engine.errors import InputError
from faelles.payroll.engine.model import (
    ATP,
    ATPFamily,
    Benefits,
    BoardAndLodging,
    CardType,
    ElementKind,
    Employee,
    FreeCar,
    HealthInsurance,
    HolidayScheme,
    Multimedia,
    NetDeduction,
    PayElement,
    Payer,
    PayFrequency,
    PayInput,
    PensionScheme,
    Period,
    TaxCard,
    YearToDate,
)
from faelles.payroll.engine.payslip import Line, Payslip
from faelles.payroll.engine.rounding import ZERO, RoundingMethod, ore
from faelles.redact import contains_cpr, cpr_digits, scrub_cpr

E = TypeVar("E", bound=StrEnum)
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_DECODER = json.JSONDecoder(parse_float=Decimal)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@cache
def _members(enum: type[E]) -> dict[str, E]:
    return {m.value: m for m in enum}


class _Reader:
    """Typed access to one record's fields; every error names the field and the employee."""

    __slots__ = ("employee",)

    def __init__(self) -> None:
        self.employee = ""

    def fail(self, field: str, message: str, code: str = "input.invalid") -> InputError:
        return InputError(code, field, message, self.employee)

    def obj(self, value: Any, field: str, allowed: frozenset[str]) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(field, "must be a JSON object", "input.type")
        if not allowed.issuperset(value):
            extra = value.keys() - allowed
            raise self.fail(
                f"{field}.{sorted(extra)[0]}" if field else sorted(extra)[0],
                "unknown field",
                "input.unknown_field",
            )
        return value

    def required(self, data: Mapping[str, Any], key: str, field: str) -> Any:
        if key not in data or data[key] is None:
            raise self.fail(field, "is required", "input.missing")
        return data[key]

    def text(
        self, data: Mapping[str, Any], key: str, field: str, default: str | None = None
    ) -> str:
        value = data.get(key, default)
        if value is None:
            raise self.fail(field, "is required", "input.missing")
        if not isinstance(value, str):
            raise self.fail(field, "must be a string", "input.type")
        return value

    def label(
        self, data: Mapping[str, Any], key: str, field: str, default: str | None = None
    ) -> str:
        """A free text the payslip repeats (a name, a code, a line text): any CPR number in it
        is masked, so that only the payslip's own CPR field ever carries one."""
        return scrub_cpr(self.text(data, key, field, default))

    def amount(
        self, data: Mapping[str, Any], key: str, field: str, default: Decimal | None = None
    ) -> Decimal:
        value = data.get(key)
        if value is None:
            if default is None:
                raise self.fail(field, "is required", "input.missing")
            return default
        if isinstance(value, (bool, float)):
            raise self.fail(field, "must be a decimal number or string", "input.type")
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, str):
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                raise self.fail(field, "is not a number", "input.number") from None
        else:
            raise self.fail(field, "must be a decimal number or string", "input.type")
        if not number.is_finite():
            raise self.fail(field, "is not a finite number", "input.number")
        return number

    def money(
        self,
        data: Mapping[str, Any],
        key: str,
        field: str,
        default: Decimal | None = None,
        *,
        negative: bool = False,
    ) -> Decimal:
        value = self.amount(data, key, field, default)
        if not negative and value < 0:
            raise self.fail(field, "must not be negative", "input.negative")
        rounded = value.quantize(_CENT)
        if value != rounded:
            raise self.fail(field, "has more than two decimals (øre)", "input.precision")
        return rounded

    def hours(self, data: Mapping[str, Any], key: str, field: str) -> Decimal:
        value = self.amount(data, key, field)
        if value < 0:
            raise self.fail(field, "hours must not be negative", "input.hours")
        return value

    def percent(
        self, data: Mapping[str, Any], key: str, field: str, default: Decimal | None = None
    ) -> Decimal:
        value = self.amount(data, key, field, default)
        if not 0 <= value <= _HUNDRED:
            raise self.fail(field, "must be a percentage between 0 and 100", "input.rate")
        return value / _HUNDRED

    def flag(self, data: Mapping[str, Any], key: str, field: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(field, "must be true or false", "input.type")
        return value

    def day(self, data: Mapping[str, Any], key: str, field: str) -> date:
        value = self.text(data, key, field)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(field, "is not an ISO date (YYYY-MM-DD)", "input.date") from None

    def choice(
        self, data: Mapping[str, Any], key: str, field: str, enum: type[E], default: E | None = None
    ) -> E:
        value = data.get(key)
        if value is None:
            if default is None:
                raise self.fail(field, "is required", "input.missing")
            return default
        member = _members(enum).get(value) if isinstance(value, str) else None
        if member is not None:
            return cast(E, member)
        allowed = ", ".join(m.value for m in enum)
        shown = value if isinstance(value, str) and len(value) <= 20 else "…"
        raise self.fail(field, f"unknown value {shown!r} (allowed: {allowed})", "input.choice")


_TOP = frozenset(
    {
        "employee",
        "payer",
        "period",
        "rounding",
        "elements",
        "benefits",
        "pension",
        "atp",
        "tax_card",
        "holiday",
        "deductions",
        "ytd",
    }
)
_ELEMENT = frozenset(
    {"code", "text", "kind", "amount", "hours", "rate", "am", "a_tax", "pensionable", "holiday"}
)
_YTD = frozenset(YearToDate.__dataclass_fields__)
_PENSIONABLE_BY_DEFAULT = frozenset(
    {ElementKind.SALARY, ElementKind.HOURLY, ElementKind.SUPPLEMENT}
)


_BOARD_KEYS = frozenset({"value"})
_CAR_KEYS = frozenset({"car_value", "green_owner_tax", "older_than_36_months", "employee_payment"})
_EMPLOYEE_KEYS = frozenset({"number", "name", "cpr"})
_PAYER_KEYS = frozenset({"cvr", "name"})
_PERIOD_KEYS = frozenset({"frequency", "start", "end", "payment_date"})
_BENEFIT_KEYS = frozenset({"car", "multimedia", "health_insurance", "board_lodging"})
_MULTIMEDIA_KEYS = frozenset({"value", "mainly_for_work"})
_HEALTH_KEYS = frozenset({"premium", "tax_free"})
_PENSION_KEYS = frozenset({"employer_rate", "employee_rate", "state_ac", "scheme"})
_ATP_KEYS = frozenset({"family", "hours"})
_CARD_KEYS = frozenset({"type", "rate", "deduction", "free_amount"})
_DEDUCTION_KEYS = frozenset({"month", "14days", "week", "day"})
_NET_DEDUCTION_KEYS = frozenset({"code", "text", "amount"})


_ELEMENT_TEXT = {
    ElementKind.SALARY: "Løn",
    ElementKind.HOURLY: "Timeløn",
    ElementKind.SUPPLEMENT: "Tillæg",
    ElementKind.OVERTIME: "Overarbejde",
    ElementKind.ONE_OFF: "Engangsbeløb",
    ElementKind.TAX_FREE: "Skattefri udbetaling",
}

_DEDUCTION_FOR = {
    PayFrequency.MONTHLY: "month",
    PayFrequency.FORTNIGHTLY: "14days",
    PayFrequency.WEEKLY: "week",
    PayFrequency.IRREGULAR: "day",
}


def _opt(r: _Reader, deduction: Mapping[str, Any], key: str) -> Decimal:
    if key not in deduction:
        return ZERO
    return r.money(deduction, key, "tax_card.deduction." + key)


def parse_record(data: Any) -> PayInput:
    """A ``PayInput`` from one decoded JSON record; ``InputError`` names field and employee."""
    r = _Reader()
    top = r.obj(data, "", _TOP)
    emp = r.obj(r.required(top, "employee", "employee"), "employee", _EMPLOYEE_KEYS)
    number = emp.get("number")
    if isinstance(number, str) and number.strip():
        r.employee = number.strip()
    else:
        raise r.fail("employee.number", "is required (a non-empty string)", "input.missing")
    if contains_cpr(r.employee):
        # The employee number names the employee in every message and on the payslip; it
        # must never be (or hold) a CPR number.
        r.employee = scrub_cpr(r.employee)
        raise r.fail("employee.number", "must not be a CPR number", "input.cpr")
    cpr = cpr_digits(r.text(emp, "cpr", "employee.cpr"))
    if cpr is None:
        # Never echo the value: it may be a (mistyped) CPR number.
        raise r.fail("employee.cpr", "must be 10 digits (DDMMYYXXXX)", "input.cpr")
    employee = Employee(r.employee, r.label(emp, "name", "employee.name", ""), cpr)

    pay = r.obj(r.required(top, "payer", "payer"), "payer", _PAYER_KEYS)
    payer = Payer(r.label(pay, "cvr", "payer.cvr"), r.label(pay, "name", "payer.name", ""))

    per = r.obj(
        r.required(top, "period", "period"),
        "period",
        _PERIOD_KEYS,
    )
    start = r.day(per, "start", "period.start")
    end = r.day(per, "end", "period.end")
    period = Period(
        r.choice(per, "frequency", "period.frequency", PayFrequency),
        start,
        end,
        r.day(per, "payment_date", "period.payment_date") if "payment_date" in per else end,
    )
    if period.end < period.start:
        raise r.fail("period.end", "ends before it starts", "input.period")

    elements: list[PayElement] = []
    raw_elements = top.get("elements", [])
    if not isinstance(raw_elements, list):
        raise r.fail("elements", "must be a list", "input.type")
    for i, raw in enumerate(raw_elements):
        f = f"elements[{i}]"
        el = r.obj(raw, f, _ELEMENT)
        kind = r.choice(el, "kind", f + ".kind", ElementKind)
        hours: Decimal | None = None
        rate: Decimal | None = None
        if "hours" in el or "rate" in el:
            hours = r.hours(el, "hours", f + ".hours")
            rate = r.amount(el, "rate", f + ".rate")
        if "amount" in el:
            amount = r.money(el, "amount", f + ".amount", negative=True)
        elif hours is not None and rate is not None:
            amount = ore(hours * rate)
        else:
            raise r.fail(f + ".amount", "is required (or hours and rate)", "input.missing")
        taxable_default = kind is not ElementKind.TAX_FREE
        elements.append(
            PayElement(
                code=r.label(el, "code", f + ".code", kind),
                text=r.label(el, "text", f + ".text", _ELEMENT_TEXT[kind]),
                kind=kind,
                amount=amount,
                quantity=hours,
                rate=rate,
                am_liable=r.flag(el, "am", f + ".am", taxable_default),
                a_taxable=r.flag(el, "a_tax", f + ".a_tax", taxable_default),
                pensionable=r.flag(
                    el, "pensionable", f + ".pensionable", kind in _PENSIONABLE_BY_DEFAULT
                ),
                holiday_entitling=r.flag(el, "holiday", f + ".holiday", taxable_default),
            )
        )
        if elements[-1].am_liable and not elements[-1].a_taxable:
            raise r.fail(f, "an AM-liable element must also be A-taxable", "input.flags")

    benefits = Benefits()
    if top.get("benefits") is not None:
        b = r.obj(top["benefits"], "benefits", _BENEFIT_KEYS)
        car = mm = hi = None
        if b.get("car") is not None:
            c = r.obj(b["car"], "benefits.car", _CAR_KEYS)
            car = FreeCar(
                r.money(c, "car_value", "benefits.car.car_value"),
                r.money(c, "green_owner_tax", "benefits.car.green_owner_tax", ZERO),
                r.flag(c, "older_than_36_months", "benefits.car.older_than_36_months", False),
                r.money(c, "employee_payment", "benefits.car.employee_payment", ZERO),
            )
        if b.get("multimedia") is not None:
            m = r.obj(b["multimedia"], "benefits.multimedia", _MULTIMEDIA_KEYS)
            mm = Multimedia(
                r.money(m, "value", "benefits.multimedia.value"),
                r.flag(m, "mainly_for_work", "benefits.multimedia.mainly_for_work", True),
            )
        if b.get("health_insurance") is not None:
            h = r.obj(
                b["health_insurance"],
                "benefits.health_insurance",
                _HEALTH_KEYS,
            )
            hi = HealthInsurance(
                r.money(h, "premium", "benefits.health_insurance.premium"),
                r.flag(h, "tax_free", "benefits.health_insurance.tax_free", False),
            )
        board = None
        if b.get("board_lodging") is not None:
            bl = r.obj(b["board_lodging"], "benefits.board_lodging", _BOARD_KEYS)
            board = BoardAndLodging(r.money(bl, "value", "benefits.board_lodging.value"))
        benefits = Benefits(car, mm, hi, board)

    pension = None
    if top.get("pension") is not None:
        pe = r.obj(
            top["pension"],
            "pension",
            _PENSION_KEYS,
        )
        state_ac = r.flag(pe, "state_ac", "pension.state_ac", False)
        pension = PensionScheme(
            employer_rate=ZERO
            if state_ac
            else r.percent(pe, "employer_rate", "pension.employer_rate", ZERO),
            employee_rate=r.percent(pe, "employee_rate", "pension.employee_rate", ZERO),
            state_ac=state_ac,
            scheme=r.label(pe, "scheme", "pension.scheme", ""),
        )

    a = r.obj(r.required(top, "atp", "atp"), "atp", _ATP_KEYS)
    atp = ATP(r.choice(a, "family", "atp.family", ATPFamily), r.hours(a, "hours", "atp.hours"))

    tc = r.obj(
        r.required(top, "tax_card", "tax_card"),
        "tax_card",
        _CARD_KEYS,
    )
    card_type = r.choice(tc, "type", "tax_card.type", CardType)
    deduction: Mapping[str, Any] = {}
    if card_type is CardType.MAIN:
        deduction = r.obj(
            r.required(tc, "deduction", "tax_card.deduction"),
            "tax_card.deduction",
            _DEDUCTION_KEYS,
        )
    elif "deduction" in tc:
        raise r.fail(
            "tax_card.deduction", f"a {card_type.value} carries no deduction", "input.card"
        )
    if card_type is CardType.NONE:
        if "rate" in tc:
            raise r.fail("tax_card.rate", "no card means 55 % by law; give no rate", "input.card")
        rate_card = ZERO
    else:
        rate_card = r.percent(tc, "rate", "tax_card.rate")
    if card_type is CardType.FREE:
        free_amount = r.money(tc, "free_amount", "tax_card.free_amount")
    elif "free_amount" in tc:
        raise r.fail("tax_card.free_amount", "only a frikort has a free amount", "input.card")
    else:
        free_amount = ZERO
    card = TaxCard(
        type=card_type,
        rate=rate_card,
        deduction_month=_opt(r, deduction, "month"),
        deduction_14days=_opt(r, deduction, "14days"),
        deduction_week=_opt(r, deduction, "week"),
        deduction_day=_opt(r, deduction, "day"),
        free_amount=free_amount,
    )
    if card_type is CardType.MAIN:
        needed = _DEDUCTION_FOR[period.frequency]
        if needed not in deduction:
            raise r.fail(
                f"tax_card.deduction.{needed}",
                f"is required for a {period.frequency.value} period",
                "input.missing",
            )

    deductions: list[NetDeduction] = []
    raw_ded = top.get("deductions", [])
    if not isinstance(raw_ded, list):
        raise r.fail("deductions", "must be a list", "input.type")
    for i, raw in enumerate(raw_ded):
        f = f"deductions[{i}]"
        d = r.obj(raw, f, _NET_DEDUCTION_KEYS)
        deductions.append(
            NetDeduction(
                r.label(d, "code", f + ".code"),
                r.label(d, "text", f + ".text", ""),
                r.money(d, "amount", f + ".amount"),
            )
        )

    ytd = YearToDate()
    if top.get("ytd") is not None:
        y = r.obj(top["ytd"], "ytd", _YTD)
        ytd = YearToDate(**{k: r.amount(y, k, f"ytd.{k}") for k in y})
        if ytd.frikort_used < 0:
            raise r.fail("ytd.frikort_used", "must not be negative", "input.negative")

    return PayInput(
        employee=employee,
        payer=payer,
        period=period,
        tax_card=card,
        atp=atp,
        elements=tuple(elements),
        benefits=benefits,
        pension=pension,
        holiday=r.choice(top, "holiday", "holiday", HolidayScheme, HolidayScheme.PAID_HOLIDAY),
        deductions=tuple(deductions),
        rounding=r.choice(top, "rounding", "rounding", RoundingMethod, RoundingMethod.METHOD_1),
        ytd=ytd,
    )


def loads(line: str | bytes) -> Any:
    """Decode JSON with every non-integer number as ``Decimal`` (never float)."""
    return _DECODER.decode(line if isinstance(line, str) else line.decode("utf-8"))


@lru_cache(maxsize=1024)
def percent(rate: Decimal) -> str:
    return format((rate * _HUNDRED).normalize(), "f")


_KRONER_RATES = ("element:", "atp:")


def _rate(ln: Line) -> str | None:
    """Element and ATP lines have rates in kroner per hour; every other rate is a percentage."""
    if ln.rate is None:
        return None
    return str(ln.rate) if ln.code.startswith(_KRONER_RATES) else percent(ln.rate)


def _line(ln: Line) -> dict[str, Any]:
    return {
        "code": ln.code,
        "text": ln.text,
        "base": None if ln.base is None else str(ln.base),
        "rate": _rate(ln),
        "amount": str(ln.amount),
    }


def payslip_dict(s: Payslip) -> dict[str, Any]:
    """A JSON-ready dict of the payslip: amounts as strings, rates as percentages."""
    y = s.ytd
    return {
        "employee_number": s.employee_number,
        "employee_name": s.employee_name,
        "cpr": s.cpr_masked,
        "payer": {"cvr": s.payer_cvr, "name": s.payer_name},
        "period": {
            "frequency": s.period.frequency.value,
            "start": s.period.start.isoformat(),
            "end": s.period.end.isoformat(),
            "payment_date": s.period.payment_date.isoformat(),
        },
        "rounding": s.rounding.value,
        "tax_card": s.card,
        "lines": [_line(ln) for ln in s.lines],
        "employer_lines": [_line(ln) for ln in s.employer_lines],
        "totals": {
            "gross": str(s.gross),
            "benefits": str(s.benefits),
            "am_income": str(s.am_base),
            "am_contribution": str(s.am_contribution),
            "a_income": str(s.a_income),
            "deduction": str(s.deduction),
            "tax_base": str(s.tax_base),
            "a_tax": str(s.a_tax),
            "net_deductions": str(s.net_deductions),
            "net": str(s.net),
            "employer_cost": str(s.employer_cost),
        },
        "eindkomst": {no: str(v) for no, _name, v in s.eindkomst.fields()}
        | {"atp_rate": s.eindkomst.atp_rate},
        "ledger": [
            {"account": x.account, "text": x.text, "debit": str(x.debit), "credit": str(x.credit)}
            for x in s.ledger
        ],
        "ytd": {k: str(getattr(y, k)) for k in YearToDate.__dataclass_fields__},
        "warnings": list(s.warnings),
    }


_YTD_FIELDS = tuple(YearToDate.__dataclass_fields__)
_esc = json.encoder.encode_basestring  # the C implementation where available


@lru_cache(maxsize=4096)
def _q(text: str) -> str:
    """A JSON string literal; cached, since codes and texts repeat across a pay run."""
    return _esc(text)


def _jline(ln: Line) -> str:
    base = "null" if ln.base is None else f'"{ln.base}"'
    rate = "null" if ln.rate is None else f'"{_rate(ln)}"'
    return (
        f'{{"code":{_q(ln.code)},"text":{_q(ln.text)},"base":{base},"rate":{rate},'
        f'"amount":"{ln.amount}"}}'
    )


def payslip_json(s: Payslip) -> str:
    """``dumps(payslip_dict(s))`` written directly (the batch path: twice as fast)."""
    p = s.period
    e = s.eindkomst
    y = s.ytd
    lines = ",".join([_jline(ln) for ln in s.lines])
    employer = ",".join([_jline(ln) for ln in s.employer_lines])
    ledger = ",".join(
        [
            f'{{"account":{_q(x.account)},"text":{_q(x.text)},"debit":"{x.debit}",'
            f'"credit":"{x.credit}"}}'
            for x in s.ledger
        ]
    )
    ytd = ",".join([f'"{k}":"{getattr(y, k)}"' for k in _YTD_FIELDS])
    warnings = ",".join([_esc(w) for w in s.warnings])
    return (
        f'{{"employee_number":{_esc(s.employee_number)},"employee_name":{_esc(s.employee_name)},'
        f'"cpr":"{s.cpr_masked}","payer":{{"cvr":{_q(s.payer_cvr)},"name":{_q(s.payer_name)}}},'
        f'"period":{{"frequency":"{p.frequency.value}","start":"{p.start.isoformat()}",'
        f'"end":"{p.end.isoformat()}","payment_date":"{p.payment_date.isoformat()}"}},'
        f'"rounding":"{s.rounding.value}","tax_card":"{s.card}",'
        f'"lines":[{lines}],"employer_lines":[{employer}],'
        f'"totals":{{"gross":"{s.gross}","benefits":"{s.benefits}","am_income":"{s.am_base}",'
        f'"am_contribution":"{s.am_contribution}","a_income":"{s.a_income}",'
        f'"deduction":"{s.deduction}","tax_base":"{s.tax_base}","a_tax":"{s.a_tax}",'
        f'"net_deductions":"{s.net_deductions}","net":"{s.net}",'
        f'"employer_cost":"{s.employer_cost}"}},'
        f'"eindkomst":{{"13":"{e.f13}","14":"{e.f14}","15":"{e.f15}","16":"{e.f16}",'
        f'"19":"{e.f19}","20":"{e.f20}","21":"{e.f21}","26":"{e.f26}","46":"{e.f46}","147":"{e.f147}",'
        f'"178":"{e.f178}","200":"{e.f200}","atp_rate":"{e.atp_rate}"}},'
        f'"ledger":[{ledger}],"ytd":{{{ytd}}},"warnings":[{warnings}]}}'
    )


def dumps(obj: Any) -> str:
    return _ENCODER.encode(obj)


def kr(amount: Decimal) -> str:
    """Danish number format: 45.000,00."""
    sign = "-" if amount < 0 else ""
    whole, _, frac = f"{abs(amount):,.2f}".partition(".")
    return f"{sign}{whole.replace(',', '.')},{frac}"


def render_text(s: Payslip) -> str:
    """The payslip as text with the legal minimum of a Danish payslip."""
    p = s.period
    out = [
        f"LØNSEDDEL  {s.payer_name} (CVR {s.payer_cvr})",
        f"Medarbejder {s.employee_number}  {s.employee_name}  CPR {s.cpr_masked}",
        f"Periode {p.start.isoformat()} – {p.end.isoformat()} ({p.frequency.value}), "
        f"udbetales {p.payment_date.isoformat()}",
        f"Skattekort: {s.card}   Afrundingsmetode: {s.rounding.value}",
        "",
        f"{'Tekst':<34}{'Grundlag':>14}{'Sats':>9}{'Beløb':>14}",
    ]

    def row(text: str, base: Decimal | None, rate: Decimal | None, amount: Decimal) -> str:
        b = "" if base is None else kr(base)
        r = "" if rate is None else percent(rate).replace(".", ",") + " %"
        return f"{text[:33]:<34}{b:>14}{r:>9}{kr(amount):>14}"

    for ln in s.lines:
        if ln.code == "am":
            out.append(row("AM-indkomst", None, None, s.am_base))
        if ln.code.startswith(_KRONER_RATES) and ln.rate is not None:
            # Hours × kroner per hour.
            b = "" if ln.base is None else kr(ln.base)
            out.append(f"{ln.text[:33]:<34}{b:>14}{kr(ln.rate):>9}{kr(ln.amount):>14}")
            continue
        out.append(row(ln.text, ln.base, ln.rate, ln.amount))
        if ln.code == "am":
            out.append(row("A-indkomst", None, None, s.a_income))
            out.append(
                row(
                    "Fradrag" if s.card != "frikort" else "Frikort anvendt", None, None, s.deduction
                )
            )
    out.append(row("NETTOLØN", None, None, s.net))
    out.append("")
    out.append("Arbejdsgiver:")
    for ln in s.employer_lines:
        out.append(row(ln.text, ln.base, ln.rate, ln.amount))
    y = s.ytd
    out.append("")
    out.append(
        f"År til dato: AM-indkomst {kr(y.am_income)}  A-indkomst {kr(y.a_income)}  "
        f"AM-bidrag {kr(y.am_contribution)}  A-skat {kr(y.a_tax)}"
    )
    for w in s.warnings:
        out.append(f"Bemærk: {w}")
    return "\n".join(out)
