"""Rates and thresholds by date, read from one reviewed table per year (``data/*.csv``).

Each row is ``key, valid_from, value, source, note``: the value applies from ``valid_from``
until the next row of the same key in the same year's table. A calculation dated in a year
without a table is refused (``ParameterError``) rather than falling back to another year.

Tables are compiled once per date into a ``Parameters`` value (cached), so the calculation
never looks a key up in a dict of strings per payslip.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from importlib import resources

from faelles.payroll.engine.errors import ParameterError
from faelles.payroll.engine.rounding import ore

FAMILIES = ("A", "C", "D", "E", "F")
ATP_FREQUENCIES = ("monthly", "14day", "weekly")
BANDS = ("full", "two_thirds", "one_third")

SCALAR_KEYS = (
    "am.rate",
    "tax.no_card_rate",
    "tax.personal_allowance",
    "holiday.pay_rate",
    "holiday.state_special_allowance",
    "pension.state_ac_employer_rate",
    "car.rate_low",
    "car.rate_high",
    "car.threshold",
    "car.min_basis",
    "car.old_car_factor",
    "car.environment_factor",
)


def required_keys() -> tuple[str, ...]:
    keys = list(SCALAR_KEYS)
    for freq in ATP_FREQUENCIES:
        keys.extend(f"atp.hours.{freq}.{band}" for band in BANDS)
    for fam in FAMILIES:
        for freq in (*ATP_FREQUENCIES, "hourly"):
            keys.extend((f"atp.{fam}.{freq}.employee", f"atp.{fam}.{freq}.employer"))
    return tuple(keys)


@dataclass(frozen=True, slots=True)
class ParameterRow:
    key: str
    valid_from: date
    value: Decimal
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class AtpBand:
    """Minimum hours for the band and the employee's and employer's shares."""

    min_hours: Decimal
    employee: Decimal
    employer: Decimal


@dataclass(frozen=True, slots=True)
class AtpScale:
    """Bands from the highest down; hours below the last band pay nothing."""

    bands: tuple[AtpBand, ...]

    def band(self, hours: Decimal) -> AtpBand | None:
        for b in self.bands:
            if hours >= b.min_hours:
                return b
        return None


@dataclass(frozen=True, slots=True)
class Parameters:
    """Every rate and threshold in force on one date."""

    on: date
    am_rate: Decimal
    no_card_rate: Decimal
    personal_allowance: Decimal
    holiday_pay_rate: Decimal
    state_special_allowance: Decimal
    state_ac_pension_rate: Decimal
    car_rate_low: Decimal
    car_rate_high: Decimal
    car_threshold: Decimal
    car_min_basis: Decimal
    car_old_factor: Decimal
    car_environment_factor: Decimal
    atp_scales: dict[tuple[str, str], AtpScale]
    atp_hourly: dict[str, AtpBand]
    sources: dict[str, str]


def _parse_table(year: int, text: str) -> tuple[ParameterRow, ...]:
    rows: list[ParameterRow] = []
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != ["key", "valid_from", "value", "source", "note"]:
        raise ParameterError("params.header", f"parameters_{year}.csv", "unexpected header")
    for n, raw in enumerate(reader, start=2):
        where = f"parameters_{year}.csv line {n}"
        try:
            valid_from = date.fromisoformat(raw["valid_from"])
            value = Decimal(raw["value"])
        except (ValueError, InvalidOperation):
            raise ParameterError("params.value", where, "bad date or value") from None
        if valid_from.year != year:
            raise ParameterError("params.year", where, f"valid_from outside {year}")
        if not raw["source"].strip():
            raise ParameterError("params.source", where, "every row must name its source")
        rows.append(ParameterRow(raw["key"], valid_from, value, raw["source"], raw["note"]))
    jan1 = date(year, 1, 1)
    for key in required_keys():
        if not any(r.key == key and r.valid_from == jan1 for r in rows):
            raise ParameterError(
                "params.missing", f"parameters_{year}.csv", f"{key} has no row from {jan1}"
            )
    return tuple(rows)


@cache
def tables() -> dict[int, tuple[ParameterRow, ...]]:
    """All yearly tables shipped with the engine, by year."""
    out: dict[int, tuple[ParameterRow, ...]] = {}
    folder = resources.files("faelles.payroll.engine").joinpath("data")
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith("parameters_") and name.endswith(".csv"):
            year = int(name[len("parameters_") : -len(".csv")])
            out[year] = _parse_table(year, entry.read_text(encoding="utf-8"))
    return out


def years() -> tuple[int, ...]:
    return tuple(sorted(tables()))


@lru_cache(maxsize=4096)
def parameters_for(on: date) -> Parameters:
    """The parameters in force on ``on``; ``ParameterError`` for a year without a table."""
    table = tables().get(on.year)
    if table is None:
        have = ", ".join(str(y) for y in years())
        raise ParameterError(
            "params.no_year",
            "period",
            f"no payroll parameters for {on.isoformat()} (tables exist for {have})",
        )
    current: dict[str, ParameterRow] = {}
    for row in table:
        if row.valid_from <= on:
            prev = current.get(row.key)
            if prev is None or row.valid_from >= prev.valid_from:
                current[row.key] = row

    def v(key: str) -> Decimal:
        return current[key].value

    scales: dict[tuple[str, str], AtpScale] = {}
    for fam in FAMILIES:
        for freq in ATP_FREQUENCIES:
            emp = v(f"atp.{fam}.{freq}.employee")
            er = v(f"atp.{fam}.{freq}.employer")
            # ATP's published tables: the 2/3 and 1/3 bands pay 2/3 and 1/3 of the full shares.
            scales[(fam, freq)] = AtpScale(
                (
                    AtpBand(v(f"atp.hours.{freq}.full"), emp, er),
                    AtpBand(
                        v(f"atp.hours.{freq}.two_thirds"),
                        ore(emp * 2 / 3),
                        ore(er * 2 / 3),
                    ),
                    AtpBand(v(f"atp.hours.{freq}.one_third"), ore(emp / 3), ore(er / 3)),
                )
            )
    hourly = {
        fam: AtpBand(Decimal(0), v(f"atp.{fam}.hourly.employee"), v(f"atp.{fam}.hourly.employer"))
        for fam in FAMILIES
    }
    return Parameters(
        on=on,
        am_rate=v("am.rate"),
        no_card_rate=v("tax.no_card_rate"),
        personal_allowance=v("tax.personal_allowance"),
        holiday_pay_rate=v("holiday.pay_rate"),
        state_special_allowance=v("holiday.state_special_allowance"),
        state_ac_pension_rate=v("pension.state_ac_employer_rate"),
        car_rate_low=v("car.rate_low"),
        car_rate_high=v("car.rate_high"),
        car_threshold=v("car.threshold"),
        car_min_basis=v("car.min_basis"),
        car_old_factor=v("car.old_car_factor"),
        car_environment_factor=v("car.environment_factor"),
        atp_scales=scales,
        atp_hourly=hourly,
        sources={k: r.source for k, r in current.items()},
    )
