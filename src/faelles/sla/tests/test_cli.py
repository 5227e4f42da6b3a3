"""``faelles sla calc``: run through the ``faelles`` entry point on files and standard input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from faelles.cli import main
from faelles.sla.tests.builders import ev, ticket

GOOD = ticket(
    ev("2026-03-02T09:00:00+01:00", "opened"), ev("2026-03-02T09:45:00+01:00", "responded")
)
GOOD_OUT = {
    "id": "T-1",
    "response": {"elapsed_minutes": 45, "due": None, "met": True, "target_minutes": 60},
    "resolution": {
        "elapsed_minutes": 45,
        "paused_minutes": 0,
        "due": "2026-03-04T09:00:00+01:00",
        "met": None,
        "target_minutes": 960,
    },
}
BAD = ticket(
    ev("2026-03-02T09:00:00+01:00", "opened"),
    ev("2026-03-02T10:00:00+01:00", "resumed"),
    id_="T-2",
)
BAD_OUT = {
    "record": 2,
    "id": "T-2",
    "error": {
        "code": "history.resumed_without_paused",
        "field": "events[1]",
        "message": "event 1 (resumed at 2026-03-02T10:00:00+01:00): resumed without paused",
    },
}
LATER = {**GOOD, "id": 3}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tickets.json"
    path.write_text(text, encoding="utf-8")
    return path


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def test_one_object_spanning_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, json.dumps(GOOD, indent=2))

    code = main(["sla", "calc", "--json", str(path)])

    assert code == 0
    captured = capsys.readouterr()
    assert _lines(captured.out) == [GOOD_OUT]
    assert captured.err == "1 ticket(s), 0 refused\n"


def test_json_array(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, json.dumps([GOOD, LATER], indent=1))

    code = main(["sla", "calc", "--json", str(path)])

    assert code == 0
    assert [r["id"] for r in _lines(capsys.readouterr().out)] == ["T-1", 3]


def test_json_lines_with_a_refused_ticket_exits_1_and_computes_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "\n".join(json.dumps(t) for t in (GOOD, BAD, LATER)) + "\n")

    code = main(["sla", "calc", "--json", str(path)])

    assert code == 1
    captured = capsys.readouterr()
    assert _lines(captured.out) == [GOOD_OUT, BAD_OUT, {**GOOD_OUT, "id": 3}]
    assert captured.err.splitlines() == [
        "record 2 (ticket T-2): events[1]: event 1 (resumed at 2026-03-02T10:00:00+01:00): "
        "resumed without paused [history.resumed_without_paused]",
        "2 ticket(s), 1 refused",
    ]


def test_invalid_json_line_is_refused_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, json.dumps(GOOD) + "\n{not json\n" + json.dumps(LATER) + "\n")

    code = main(["sla", "calc", "--json", str(path)])

    assert code == 1
    lines = _lines(capsys.readouterr().out)
    assert [line.get("id") for line in lines] == ["T-1", None, 3]
    assert lines[1]["record"] == 2
    assert lines[1]["error"]["code"] == "input.json"


def test_text_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, json.dumps(GOOD) + "\n" + json.dumps(BAD) + "\n")

    code = main(["sla", "calc", str(path)])

    assert code == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "ticket            response response due           met    resolve  paused "
        "resolution due         met",
        "T-1                  45/60 -                      yes     45/960       0 "
        "2026-03-04 09:00+01:00 -",
    ]
    assert "[history.resumed_without_paused]" in captured.err


def test_standard_input_and_at(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paused = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"), ev("2026-03-02T10:00:00+01:00", "paused")
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(paused) + "\n"))

    code = main(["sla", "calc", "--json", "--at", "2026-03-02T11:00:00+01:00", "-"])

    assert code == 0
    (out,) = _lines(capsys.readouterr().out)
    assert out["resolution"]["paused_minutes"] == 60
    assert out["response"]["elapsed_minutes"] == 180


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sla", "calc", "--json", "/nonexistent/tickets.json"], "cannot read"),
        (["sla", "calc", "--at", "tomorrow", "-"], "is not an ISO 8601 time with a UTC offset"),
        (["sla", "calc", "--at", "2026-03-02T11:00:00", "-"], "is not an ISO 8601 time"),
        (["sla", "frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(argv)

    assert code == 2
    assert message in capsys.readouterr().err


def test_empty_input_computes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "\n\n")

    assert main(["sla", "calc", "--json", str(path)]) == 0
    assert capsys.readouterr().out == ""
