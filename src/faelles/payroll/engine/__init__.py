"""Danish payroll engine: gross to net in SKAT's order, parameters by date, payslips.

A pure library: imports nothing from Django or the rest of faelles. See
docs/design/payroll.md for the rules, the parameter tables and the measured figures.
"""

from faelles.payroll.engine.calc import calculate
from faelles.payroll.engine.errors import InputError, ParameterError, PayrollError
from faelles.payroll.engine.io import parse_record, payslip_dict, payslip_json, render_text
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
from faelles.payroll.engine.params import Parameters, parameters_for
from faelles.payroll.engine.payslip import AccountPlan, EIndkomst, LedgerLine, Line, Payslip
from faelles.payroll.engine.retro import RetroCorrection, retro_difference
from faelles.payroll.engine.rounding import RoundingMethod

__all__ = [
    "ATP",
    "ATPFamily",
    "AccountPlan",
    "Benefits",
    "BoardAndLodging",
    "CardType",
    "EIndkomst",
    "ElementKind",
    "Employee",
    "FreeCar",
    "HealthInsurance",
    "HolidayScheme",
    "InputError",
    "LedgerLine",
    "Line",
    "Multimedia",
    "NetDeduction",
    "ParameterError",
    "Parameters",
    "PayElement",
    "PayFrequency",
    "PayInput",
    "Payer",
    "PayrollError",
    "Payslip",
    "PensionScheme",
    "Period",
    "RetroCorrection",
    "RoundingMethod",
    "TaxCard",
    "YearToDate",
    "calculate",
    "parameters_for",
    "parse_record",
    "payslip_dict",
    "payslip_json",
    "render_text",
    "retro_difference",
]
