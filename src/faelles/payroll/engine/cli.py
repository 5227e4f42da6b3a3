"""``faelles payroll calc [--json] FILE``: payslips for one employee-period or a batch.

FILE (or ``-`` for standard input) holds one JSON object (may span lines) or JSON Lines, one
employee-period per line. Records are read, calculated and written one at a time, so memory
stays flat however long the batch. A bad record is reported on standard error with the field
and the employee number (never the CPR number) and the batch continues. Every error line and
error object passes through the CPR scrubber (:mod:`faelles.redact`): an unknown key, an
employee number or a value that holds a CPR number is shown masked.

Exit status: 0 when every record gave a payslip, 1 when at least one record failed, 2 for a
usage error or an unreadable file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from faelles.payroll.engine.calc import calculate
from faelles.payroll.engine.errors import PayrollError
from faelles.payroll.engine.io import dumps, loads, parse_record, payslip_json, render_text
from faelles.redact import scrub_cpr, scrub_data


def _records(stream: IO[str]) -> Iterator[tuple[int, Any | json.JSONDecodeError]]:
    """``(record number, decoded JSON or the decode error)``; one object or JSON Lines."""
    first = ""
    for first in stream:
        if first.strip():
            break
    else:
        return
    try:
        yield 1, loads(first)
    except json.JSONDecodeError as exc:
        if not first.lstrip().startswith("{"):
            yield 1, exc
        else:
            # Not a complete object on one line: maybe one pretty-printed JSON object.
            rest = first + stream.read()
            try:
                yield 1, loads(rest)
            except json.JSONDecodeError:
                # Neither: JSON Lines whose first record is broken; go on line by line.
                yield from _lines(rest.splitlines(keepends=True), 0)
            return
    yield from _lines(stream, 1)


def _lines(lines: Iterable[str], n: int) -> Iterator[tuple[int, Any | json.JSONDecodeError]]:
    for line in lines:
        if not line.strip():
            continue
        n += 1
        try:
            yield n, loads(line)
        except json.JSONDecodeError as exc:
            yield n, exc


def _employee_of(data: Any) -> str:
    if isinstance(data, dict):
        emp = data.get("employee")
        if isinstance(emp, dict) and isinstance(emp.get("number"), str):
            return str(emp["number"])
    return ""


def calc(stream: IO[str], out: IO[str], err: IO[str], as_json: bool) -> tuple[int, int]:
    """Calculate every record; ``(payslips written, records failed)``."""
    ok = failed = 0
    for n, data in _records(stream):
        if isinstance(data, json.JSONDecodeError):
            problem = {
                "code": "input.json",
                "field": "",
                "message": f"invalid JSON ({data.msg})",
                "employee_number": "",
            }
        else:
            try:
                slip = calculate(parse_record(data))
            except PayrollError as exc:
                if not exc.employee:
                    exc.employee = _employee_of(data)
                problem = exc.as_dict()
            except Exception as exc:  # a record must never stop the batch
                problem = {
                    "code": "internal",
                    "field": "",
                    "message": f"internal error ({type(exc).__name__})",
                    "employee_number": _employee_of(data),
                }
            else:
                ok += 1
                if as_json:
                    out.write(f'{{"record":{n},"ok":true,"payslip":{payslip_json(slip)}}}\n')
                else:
                    out.write(render_text(slip))
                    out.write("\n\n")
                continue
        failed += 1
        problem = scrub_data(problem)
        who = problem["employee_number"] or "?"
        where = f"{problem['field']}: " if problem["field"] else ""
        err.write(
            scrub_cpr(
                f"record {n} (employee {who}): {where}{problem['message']} [{problem['code']}]"
            )
            + "\n"
        )
        if as_json:
            out.write(dumps({"record": n, "ok": False, "error": problem}) + "\n")
    return ok, failed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="faelles payroll", description="Danish payroll engine")
    sub = parser.add_subparsers(dest="command", required=True)
    p_calc = sub.add_parser("calc", help="calculate payslips for one employee-period or a batch")
    p_calc.add_argument("--json", action="store_true", help="write JSON Lines instead of text")
    p_calc.add_argument("file", help="JSON object or JSON Lines; - for standard input")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    try:
        stream: IO[str] = (
            sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
        )
    except OSError as exc:
        print(
            scrub_cpr(f"faelles payroll: cannot read {args.file}: {exc.strerror}"),
            file=sys.stderr,
        )
        return 2
    try:
        ok, failed = calc(stream, sys.stdout, sys.stderr, args.json)
    finally:
        if stream is not sys.stdin:
            stream.close()
    print(f"{ok} payslip(s), {failed} failed", file=sys.stderr)
    return 1 if failed else 0
