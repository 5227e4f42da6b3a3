"""``faelles sla calc [--json] [--at TIME] FILE``: service-level clocks for tickets.

FILE (or ``-`` for standard input) holds one ticket as a JSON object (may span lines), a JSON
array of tickets, or JSON Lines with one ticket per line. JSON Lines are read, computed and
written one at a time, so memory stays flat however long the batch.

Output: with ``--json`` one JSON object per ticket per line (JSON Lines), in input order::

    {"id": "T-1", "response": {...}, "resolution": {...}}
    {"record": 2, "id": "T-2", "error": {"code": "history.order", "field": "events[3].at",
     "message": "event 3 (...) is earlier than event 2 (...): events must be in time order"}}

otherwise a text table, one row per ticket. A refused ticket (malformed history or input,
invalid JSON) is also reported on standard error, and the others are still computed.
``--at`` measures running clocks up to that time instead of each ticket's last event.

Exit status: 0 when every ticket was computed, 1 when at least one was refused, 2 for a usage
error (bad arguments, a bad ``--at``) or an unreadable file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from faelles.sla.clock import compute
from faelles.sla.errors import InputError, SlaError
from faelles.sla.io import (
    clocks_json,
    dumps,
    error_dict,
    loads,
    parse_ticket,
    render_header,
    render_text,
    ticket_id_of,
)

__all__ = ["calc", "main", "records"]


def records(stream: IO[str]) -> Iterator[tuple[int, Any | json.JSONDecodeError]]:
    """``(record number, decoded JSON or the decode error)`` for one object, an array or
    JSON Lines."""
    first = ""
    for first in stream:
        if first.strip():
            break
    else:
        return
    head = first.lstrip()
    if head.startswith("["):
        text = first + stream.read()
        try:
            data = loads(text)
        except json.JSONDecodeError as exc:
            yield 1, exc
            return
        yield from enumerate(data, start=1)
        return
    try:
        yield 1, loads(first)
    except json.JSONDecodeError as exc:
        if not head.startswith("{"):
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


def calc(
    stream: IO[str], out: IO[str], err: IO[str], as_json: bool, at: datetime | None = None
) -> tuple[int, int]:
    """Compute every ticket; ``(tickets computed, tickets refused)``."""
    ok = refused = 0
    if not as_json:
        out.write(render_header() + "\n")
    for n, data in records(stream):
        if isinstance(data, json.JSONDecodeError):
            exc: SlaError = InputError("input.json", "", f"invalid JSON ({data.msg})")
        else:
            try:
                clocks = compute(parse_ticket(data), at)
            except SlaError as e:
                exc = e
            except Exception as e:  # a ticket must never stop the batch
                exc = InputError("internal", "", f"internal error ({type(e).__name__})")
                exc.ticket = ticket_id_of(data)
            else:
                ok += 1
                out.write((clocks_json(clocks) if as_json else render_text(clocks)) + "\n")
                continue
        refused += 1
        who = "?" if exc.ticket is None else exc.ticket
        where = f"{exc.field}: " if exc.field else ""
        err.write(f"record {n} (ticket {who}): {where}{exc.message} [{exc.code}]\n")
        if as_json:
            out.write(dumps(error_dict(exc, n)) + "\n")
    return ok, refused


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="faelles sla", description="service-level clocks from ticket event histories"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_calc = sub.add_parser("calc", help="compute the response and resolution clocks")
    p_calc.add_argument("--json", action="store_true", help="write JSON Lines instead of text")
    p_calc.add_argument(
        "--at", help="measure running clocks up to this ISO 8601 time (with offset)"
    )
    p_calc.add_argument("file", help="JSON object, JSON array or JSON Lines; - for stdin")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    at: datetime | None = None
    if args.at is not None:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            at = None
        if at is None or at.tzinfo is None:
            print(
                f"faelles sla: --at {args.at!r} is not an ISO 8601 time with a UTC offset",
                file=sys.stderr,
            )
            return 2
    try:
        stream: IO[str] = (
            sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
        )
    except OSError as exc:
        print(f"faelles sla: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        ok, refused = calc(stream, sys.stdout, sys.stderr, args.json, at)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"faelles sla: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    finally:
        if stream is not sys.stdin:
            stream.close()
    print(f"{ok} ticket(s), {refused} refused", file=sys.stderr)
    return 1 if refused else 0
