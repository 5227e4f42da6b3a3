from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faelles.payroll.engine.errors import ParameterError
from faelles.payroll.engine.params import _parse_table, parameters_for, required_keys, tables, years

D = Decimal
HEADER = "key,valid_from,value,source,note\n"


def test_tables_exist_for_2025_and_2026_and_name_a_source_on_every_row():
    assert years() == (2025, 2026)
    for rows in tables().values():
        assert all(row.source.strip() for row in rows)
        assert {row.key for row in rows} == set(required_keys())


def test_values_of_2025_and_2026():
    p25, p26 = parameters_for(date(2025, 1, 1)), parameters_for(date(2026, 1, 1))
    assert (p25.am_rate, p25.no_card_rate) == (D("0.08"), D("0.55"))
    assert (p25.personal_allowance, p26.personal_allowance) == (D("51600"), D("54100"))
    assert (p25.holiday_pay_rate, p25.state_special_allowance) == (D("0.125"), D("0.0202"))
    assert p25.car_min_basis == D("160000")
    full = p25.atp_scales[("F", "monthly")].bands[0]
    assert (full.min_hours, full.employee, full.employer) == (D("117"), D("88.20"), D("176.40"))


def test_state_ac_pension_rate_changes_on_1_april_2025():
    assert parameters_for(date(2025, 3, 31)).state_ac_pension_rate == D("0.171")
    assert parameters_for(date(2025, 4, 1)).state_ac_pension_rate == D("0.1807")
    assert parameters_for(date(2026, 6, 1)).state_ac_pension_rate == D("0.1807")


def test_atp_a_bands_match_the_published_table():
    """borger.dk / atp.dk A-rate table from 2024-01-01 (employee, employer)."""
    p = parameters_for(date(2025, 6, 1))
    got = {
        freq: [(b.min_hours, b.employee, b.employer) for b in p.atp_scales[("A", freq)].bands]
        for freq in ("monthly", "14day", "weekly")
    }
    assert got == {
        "monthly": [
            (D(117), D("99.00"), D("198.00")),
            (D(78), D("66.00"), D("132.00")),
            (D(39), D("33.00"), D("66.00")),
        ],
        "14day": [
            (D(54), D("52.20"), D("104.40")),
            (D(36), D("34.80"), D("69.60")),
            (D(18), D("17.40"), D("34.80")),
        ],
        "weekly": [
            (D(27), D("26.10"), D("52.20")),
            (D(18), D("17.40"), D("34.80")),
            (D(9), D("8.70"), D("17.40")),
        ],
    }
    assert (p.atp_hourly["A"].employee, p.atp_hourly["A"].employer) == (D("0.71"), D("1.42"))


def test_a_year_without_a_table_is_refused():
    with pytest.raises(ParameterError) as info:
        parameters_for(date(2027, 1, 1))
    assert info.value.code == "params.no_year"
    assert "no payroll parameters for 2027-01-01" in info.value.message


def test_a_row_without_source_is_refused():
    with pytest.raises(ParameterError) as info:
        _parse_table(2025, HEADER + "am.rate,2025-01-01,0.08, ,\n")
    assert info.value.code == "params.source"


def test_a_row_from_another_year_is_refused():
    with pytest.raises(ParameterError) as info:
        _parse_table(2025, HEADER + "am.rate,2024-01-01,0.08,skat.dk,\n")
    assert info.value.code == "params.year"


def test_a_table_missing_a_key_is_refused():
    with pytest.raises(ParameterError) as info:
        _parse_table(2025, HEADER + "am.rate,2025-01-01,0.08,skat.dk,\n")
    assert info.value.code == "params.missing"
    assert "tax.no_card_rate has no row from 2025-01-01" in info.value.message
