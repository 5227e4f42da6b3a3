"""``faelles payroll calc``: text and JSON Lines output, errors per record, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faelles.payroll.engine.cli import main
from faelles.payroll.engine.io import loads, parse_record

DATA = Path(__file__).parent / "data"
CPR = "0101901234"


def record(number: str = "E1", **changes: object) -> dict:
    rec: dict = {
        "employee": {"number": number, "name": "Anna Jensen", "cpr": CPR},
        "payer": {"cvr": "12345678", "name": "Styrelsen"},
        "period": {"frequency": "monthly", "start": "2025-05-01", "end": "2025-05-31"},
        "rounding": "3",
        "elements": [{"code": "salary", "kind": "salary", "amount": "45000.00"}],
        "atp": {"family": "F", "hours": "160.33"},
        "tax_card": {"type": "hovedkort", "rate": "37", "deduction": {"month": "5600"}},
        "holiday": "none",
    }
    rec.update(changes)
    return rec


def write_jsonl(tmp_path: Path, records: list) -> Path:
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_single_pretty_printed_object_prints_a_text_payslip(capsys):
    assert main(["calc", str(DATA / "issue_example.json")]) == 0
    out, err = capsys.readouterr()
    assert "CPR XXXXXX-1234" in out
    assert "AM-bidrag                              44.910,00      8 %     -3.593,00" in out
    assert "NETTOLØN" in out and "28.105,80" in out
    assert CPR not in out + err
    assert err == "1 payslip(s), 0 failed\n"


def test_json_lines_output_has_the_totals_eindkomst_and_ledger(tmp_path, capsys):
    path = write_jsonl(tmp_path, [record()])
    assert main(["calc", "--json", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    slip = json.loads(out[0])["payslip"]
    assert slip["totals"]["net"] == "28105.80"
    assert slip["totals"]["am_income"] == "44911.80"
    assert slip["eindkomst"]["13"] == "44911.80"
    assert slip["eindkomst"]["15"] == "13213.00"
    assert slip["eindkomst"]["atp_rate"] == "F"
    assert slip["cpr"] == "XXXXXX-1234"
    assert CPR not in out[0]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"atp": {"family": "G", "hours": "160"}}, "atp.family", "input.choice"),
        ({"atp": {"family": "A", "hours": "-1"}}, "atp.hours", "input.hours"),
        (
            {"elements": [{"kind": "hourly", "hours": "-3", "rate": "180"}]},
            "elements[0].hours",
            "input.hours",
        ),
        ({"tax_card": None}, "tax_card", "input.missing"),
        (
            {"period": {"frequency": "monthly", "start": "2024-05-01", "end": "2024-05-31"}},
            "period",
            "params.no_year",
        ),
        ({"tax_card": {"type": "bikort", "rate": "140"}}, "tax_card.rate", "input.rate"),
        ({"elements": [{"kind": "salary", "amount": True}]}, "elements[0].amount", "input.type"),
        (
            {"elements": [{"kind": "salary", "amount": "45000.505"}]},
            "elements[0].amount",
            "input.precision",
        ),
        ({"holiday": "lots"}, "holiday", "input.choice"),
        ({"ytd": {"frikort_used": "-1"}}, "ytd.frikort_used", "input.negative"),
        ({"ytd": {"nonsense": "1"}}, "ytd.nonsense", "input.unknown_field"),
        ({"bonus": "1"}, "bonus", "input.unknown_field"),
        (
            {"tax_card": {"type": "hovedkort", "rate": "37", "deduction": {"week": "1"}}},
            "tax_card.deduction.month",
            "input.missing",
        ),
    ],
)
def test_a_bad_record_names_field_and_employee_and_the_batch_goes_on(
    tmp_path, capsys, changes, field, code
):
    rec = record("E2", **changes)
    if "tax_card" in changes and changes["tax_card"] is None:
        del rec["tax_card"]
    path = write_jsonl(tmp_path, [record("E1"), rec, record("E3")])
    assert main(["calc", "--json", str(path)]) == 1
    out, err = capsys.readouterr()
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["ok"] for r in results] == [True, False, True]
    assert results[1]["error"]["field"] == field
    assert results[1]["error"]["code"] == code
    assert results[1]["error"]["employee_number"] == "E2"
    assert f"record 2 (employee E2): {field}: " in err
    assert err.endswith("2 payslip(s), 1 failed\n")


def test_a_bad_cpr_is_never_echoed(tmp_path, capsys):
    rec = record("E9")
    rec["employee"]["cpr"] = "01019012345"
    path = write_jsonl(tmp_path, [rec])
    assert main(["calc", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "01019012345" not in out + err
    assert "record 1 (employee E9): employee.cpr: must be 10 digits (DDMMYYXXXX)" in err


def test_invalid_json_lines_are_reported_and_skipped(tmp_path, capsys):
    path = tmp_path / "b.jsonl"
    path.write_text("not json\n" + json.dumps(record("E2")) + "\n{broken\n", encoding="utf-8")
    assert main(["calc", "--json", str(path)]) == 1
    out, err = capsys.readouterr()
    assert [json.loads(x)["ok"] for x in out.splitlines()] == [False, True, False]
    assert "record 1 (employee ?): invalid JSON" in err
    assert "record 3 (employee ?): invalid JSON" in err


def test_missing_file_is_a_usage_error(tmp_path, capsys):
    assert main(["calc", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_no_arguments_is_a_usage_error(capsys):
    assert main([]) == 2


def test_numbers_are_parsed_as_decimal_never_float():
    inp = parse_record(loads(json.dumps(record()).replace('"45000.00"', "45000.10")))
    assert str(inp.elements[0].amount) == "45000.10"


def test_a_cpr_in_an_unexpected_place_is_masked_in_error_messages(tmp_path, capsys):
    rec = record("E5")
    rec["holiday"] = "010190-1234"
    path = write_jsonl(tmp_path, [rec])
    assert main(["calc", str(path)]) == 1
    _out, err = capsys.readouterr()
    assert "1234" not in err.replace("E5", "")


def test_the_documented_full_example(capsys):
    """docs/design/payroll.md's input: 45,000 + overtime 6 h × 312.45 = 1,874.70 + car
    (22.5 % × 400,000 + 700 % × 1,980 = 103,860/yr → 8,655.00) + health 149 − ATP F 88.20 =
    AM base 55,590.50 → 55,590 × 8 % = 4,447.20 → 4,448; A-income 51,142.50; 45,542.50 →
    45,540 × 37 % = 16,849.80 → 16,850; net 51,142.50 − 16,850 − 8,804 − 465 = 25,023.50.
    Employer: pension 18.07 % × 45,000 = 8,131.50; special allowance 2.02 % × 46,874.70 =
    946.87; ATP 176.40."""
    assert main(["calc", "--json", str(DATA / "full_example.json")]) == 0
    slip = json.loads(capsys.readouterr().out)["payslip"]
    assert slip["totals"]["am_income"] == "55590.50"
    assert slip["totals"]["am_contribution"] == "4448.00"
    assert slip["totals"]["a_tax"] == "16850.00"
    assert slip["totals"]["net"] == "25023.50"
    assert {x["code"]: x["amount"] for x in slip["employer_lines"]} == {
        "atp:employer": "176.40",
        "pension:employer": "8131.50",
        "holiday:special": "946.87",
    }
    assert slip["eindkomst"]["19"] == "8655.00"
    assert slip["eindkomst"]["26"] == "149.00"
    assert {x["account"]: x["debit"] for x in slip["ledger"]}["1818"] == "1874.70"
