"""``faelles einvoice``: run through the ``faelles`` entry point on generated files."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest

from faelles.cli import main
from faelles.einvoice.reader import read
from faelles.einvoice.tests import builders
from faelles.einvoice.writer import to_ubl


def _valid(tmp_path: Path, name: str = "valid.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(to_ubl(builders.invoice(3, number="V-1")))
    return path


def _invalid(tmp_path: Path, name: str = "invalid.xml") -> Path:
    doc = builders.invoice(2, number="X-1")
    wrong = dataclasses.replace(doc, totals=dataclasses.replace(doc.totals, payable=Decimal("1")))
    path = tmp_path / name
    path.write_bytes(to_ubl(wrong))
    return path


def _unreadable(tmp_path: Path, name: str = "broken.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(b"<Invoice><not-closed></Invoice>")
    return path


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_valid_file_exits_0_with_json_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _valid(tmp_path)

    code = main(["einvoice", "validate", "--json", str(path)])

    assert code == 0
    assert _lines(capsys.readouterr().out) == [
        {
            "file": str(path),
            "syntax": "peppol",
            "document": "Invoice",
            "valid": True,
            "findings": [],
        }
    ]


def test_fatal_finding_exits_1_and_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _invalid(tmp_path)

    code = main(["einvoice", "validate", "--json", str(path)])

    assert code == 1
    (record,) = _lines(capsys.readouterr().out)
    assert record["valid"] is False
    findings = record["findings"]
    assert isinstance(findings, list)
    assert {"rule": "BR-CO-16", "flag": "fatal"}.items() <= findings[0].items()
    assert sorted(findings[0]) == ["flag", "location", "message", "rule"]


def test_unreadable_file_exits_2_and_others_are_still_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    valid, broken, invalid = _valid(tmp_path), _unreadable(tmp_path), _invalid(tmp_path)
    missing = tmp_path / "missing.xml"

    code = main(
        ["einvoice", "validate", "--json", str(valid), str(broken), str(invalid), str(missing)]
    )

    assert code == 2
    records = _lines(capsys.readouterr().out)
    assert [r["file"] for r in records] == [str(valid), str(broken), str(invalid), str(missing)]
    assert [r.get("valid") for r in records] == [True, None, False, None]
    assert str(records[1]["error"]).startswith("not well-formed XML")
    assert str(records[3]["error"]).startswith("cannot open file: No such file")


def test_directory_is_walked_for_xml_files_in_one_call(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sub = tmp_path / "in" / "2026"
    sub.mkdir(parents=True)
    first = _valid(tmp_path / "in", "a.xml")
    second = _valid(sub, "b.XML")
    (sub / "notes.txt").write_text("not an invoice")

    code = main(["einvoice", "validate", "--json", str(tmp_path / "in")])

    assert code == 0
    assert [r["file"] for r in _lines(capsys.readouterr().out)] == [str(second), str(first)]


def test_human_output_names_file_verdict_and_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    valid, invalid, broken = _valid(tmp_path), _invalid(tmp_path), _unreadable(tmp_path)

    code = main(["einvoice", "validate", str(valid), str(invalid), str(broken)])

    out = capsys.readouterr().out.splitlines()
    assert code == 2
    assert out[0] == f"{valid}: peppol Invoice: valid"
    assert out[1].startswith(f"{invalid}: peppol Invoice: INVALID (")
    assert any(line.startswith("  fatal   BR-CO-16  /Invoice") for line in out)
    assert any(line.startswith(f"{broken}: cannot be read: not well-formed XML") for line in out)
    assert out[-1] == "3 files: 1 valid, 1 invalid, 1 unreadable"


def test_max_bytes_refuses_large_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _valid(tmp_path)

    code = main(["einvoice", "--max-bytes", "100", "validate", "--json", str(path)])

    assert code == 2
    (record,) = _lines(capsys.readouterr().out)
    assert "more than the limit of 100" in str(record["error"])


def test_show_prints_the_model_with_decimal_strings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _valid(tmp_path)

    code = main(["einvoice", "show", str(path)])

    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["number"] == "V-1"
    assert data["issue_date"] == "2026-11-02"
    assert data["profile"]["syntax"] == "peppol"
    assert data["totals"]["payable"] == str(builders.invoice(3).totals.payable)
    assert data["seller"]["endpoint"] == {"value": "12345674", "scheme": "0184"}
    assert len(data["lines"]) == 3
    assert data["lines"][0]["quantity"] == "2"


def test_show_of_unreadable_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _unreadable(tmp_path)

    code = main(["einvoice", "show", str(path)])

    assert code == 2
    assert "cannot be read: not well-formed XML" in capsys.readouterr().err


def test_convert_prints_peppol_ubl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _valid(tmp_path)

    code = main(["einvoice", "convert", str(path)])

    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<Invoice ")
    assert "\n  <cbc:ID>V-1</cbc:ID>\n" in out
    assert read(out.encode()) == read(path.read_bytes())


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["einvoice", "validate"]) == 2
    assert "FILE_OR_DIR" in capsys.readouterr().err


def test_internal_error_in_one_file_does_not_stop_the_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from faelles.einvoice import cli

    first, second = _valid(tmp_path, "a.xml"), _valid(tmp_path, "b.xml")
    calls: list[int] = []
    real = cli.validate_bytes

    def flaky(data: bytes, **kwargs: int) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("rule bug")
        return real(data, **kwargs)

    monkeypatch.setattr(cli, "validate_bytes", flaky)

    code = main(["einvoice", "validate", "--json", str(first), str(second)])

    records = _lines(capsys.readouterr().out)
    assert code == 2
    assert records[0] == {"file": str(first), "error": "internal error: RuntimeError('rule bug')"}
    assert records[1]["valid"] is True


def test_oioubl_file_is_reported_as_oioubl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from faelles.einvoice.tests.test_reader import OIOUBL_INVOICE

    path = tmp_path / "oioubl.xml"
    path.write_text(OIOUBL_INVOICE, encoding="utf-8")

    main(["einvoice", "validate", "--json", str(path)])

    (record,) = _lines(capsys.readouterr().out)
    assert (record["syntax"], record["document"]) == ("oioubl", "Invoice")
    assert record["findings"] != []
    assert all(str(f["rule"]).startswith(("F-", "W-")) for f in record["findings"])  # type: ignore[union-attr]


def test_schema_error_is_reported_as_a_finding_like_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from faelles.einvoice.writer_oioubl import to_oioubl

    text = to_oioubl(builders.invoice(3, number="S-1"), pretty=True).decode("utf-8")
    start = text.index("<cbc:IssueDate>")
    end = text.index("</cbc:IssueDate>") + len("</cbc:IssueDate>")
    path = tmp_path / "no-issue-date.xml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")

    code = main(["einvoice", "validate", "--json", str(path)])

    assert code == 1
    assert _lines(capsys.readouterr().out) == [
        {
            "file": str(path),
            "syntax": "oioubl",
            "document": "Invoice",
            "valid": False,
            "findings": [
                {
                    "rule": "UBL-XSD",
                    "flag": "fatal",
                    "location": "/Invoice/cbc:InvoiceTypeCode",
                    "message": "Element 'cbc:InvoiceTypeCode': This element is not expected. "
                    "Expected is ( cbc:IssueDate ).",
                }
            ],
        }
    ]

    code = main(["einvoice", "validate", str(path)])

    assert code == 1
    assert capsys.readouterr().out == (
        f"{path}: oioubl Invoice: INVALID (1 fatal)\n"
        "  fatal   UBL-XSD  /Invoice/cbc:InvoiceTypeCode\n"
        "          Element 'cbc:InvoiceTypeCode': This element is not expected. "
        "Expected is ( cbc:IssueDate ).\n"
        "1 file: 0 valid, 1 invalid, 0 unreadable\n"
    )
