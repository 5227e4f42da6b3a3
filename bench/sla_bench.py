"""SLA clock benchmark: ticket histories computed per second on one core.

    .venv/bin/python bench/sla_bench.py [--histories 100000] [--seed 14]

Generates ``--histories`` realistic ticket histories (seeded): five calendars (the IT service
desk Monday–Friday 08:00–16:00 with the Danish public holidays; Monday–Thursday 08:00–16:00
and Friday 08:00–15:30 with Christmas Eve and New Year's Eve closed; facility management
Monday–Saturday 07:00–17:00; 24/7 operations; a split day with a lunch break in another
zone), four priorities with their targets, tickets opened over 2025–2026 (most in office
hours, some at night and at weekends), responses, pauses waiting for the customer, priority
changes (targets events), resolutions, reopenings, and open tickets still running.

Measured, each in this one process on one core:
- ``typed``: :func:`faelles.sla.compute` over already-parsed ``Ticket`` values (what the
  service-desk app calls);
- ``end_to_end``: JSON Lines text in → parse → compute → JSON Lines text out, through the
  CLI's own loop (:func:`faelles.sla.cli.calc`) into a discarding sink.

Both CPU time (``time.process_time``) and wall-clock time are reported, with the 1-minute load
average: on a shared machine the wall clock overstates the cost. The goal (at least 20,000
histories per second on one core) is judged on the end-to-end figure in CPU time. The last
line printed is one JSON object with every figure; the exit status is 1 if a generated
history is refused (the generator and the library disagree) and 2 if it cannot run.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from faelles.sla.cli import calc as cli_calc
from faelles.sla.clock import compute
from faelles.sla.io import parse_ticket
from faelles.sla.model import Ticket

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
CALENDARS: list[tuple[float, dict[str, Any]]] = [
    (
        0.45,
        {
            "timezone": "Europe/Copenhagen",
            "hours": {d: ["08:00", "16:00"] for d in _WEEKDAYS},
            "holidays": "DK",
        },
    ),
    (
        0.20,
        {
            "timezone": "Europe/Copenhagen",
            "hours": {
                **{d: ["08:00", "16:00"] for d in _WEEKDAYS[:4]},
                "fri": ["08:00", "15:30"],
            },
            "holidays": "DK",
            "closed": ["2025-12-24", "2025-12-31", "2026-12-24", "2026-12-31", "2026-06-05"],
        },
    ),
    (
        0.20,
        {
            "timezone": "Europe/Copenhagen",
            "hours": {d: ["07:00", "17:00"] for d in (*_WEEKDAYS, "sat")},
            "holidays": "DK",
        },
    ),
    (
        0.10,
        {
            "timezone": "Europe/Copenhagen",
            "hours": {d: ["00:00", "24:00"] for d in (*_WEEKDAYS, "sat", "sun")},
            "holidays": [],
        },
    ),
    (
        0.05,
        {
            "timezone": "Europe/London",
            "hours": {d: [["08:30", "12:00"], ["12:30", "17:00"]] for d in _WEEKDAYS},
            "holidays": "GB",
        },
    ),
]
# priority: (share, response minutes, resolution minutes)
PRIORITIES = [(0.05, 30, 240), (0.20, 60, 480), (0.55, 240, 1440), (0.20, 480, 2880)]
_CPH = 3600  # Copenhagen is +01:00 or +02:00; events are written with +01:00 or Z.


def _pick(rng: random.Random, weighted: list[tuple[float, Any]]) -> Any:
    x = rng.random()
    for share, value in weighted:
        x -= share
        if x < 0:
            return value
    return weighted[-1][1]


def _iso(t: float, rng: random.Random) -> str:
    zone = UTC if rng.random() < 0.5 else None
    at = datetime.fromtimestamp(t, UTC)
    if zone is None:
        return (at + timedelta(seconds=_CPH)).strftime("%Y-%m-%dT%H:%M:%S+01:00")
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def history(rng: random.Random, n: int) -> dict[str, Any]:
    """One ticket history: a plausible life with pauses, priority changes and reopenings."""
    cal = _pick(rng, CALENDARS)
    _, response, resolution = _pick(rng, [(p[0], p) for p in PRIORITIES])
    day = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(700))
    if rng.random() < 0.85:  # office hours (UTC 06:30–15:00 ≈ local 07:30–16:00)
        t = day.timestamp() + rng.randrange(6 * 3600 + 1800, 15 * 3600)
    else:
        t = day.timestamp() + rng.randrange(0, 86400)
    t += rng.randrange(60)  # seconds
    events: list[dict[str, Any]] = [{"at": _iso(t, rng), "type": "opened"}]

    def step(mean_minutes: float) -> float:
        return rng.expovariate(1 / (mean_minutes * 60))

    def add(kind: str, **extra: Any) -> None:
        nonlocal t
        events.append({"at": _iso(t, rng), "type": kind, **extra})

    if rng.random() < 0.10:  # priority changed early
        t += step(45)
        _, r2, s2 = _pick(rng, [(p[0], p) for p in PRIORITIES])
        add("targets", targets={"response_minutes": r2, "resolution_minutes": s2})
    if rng.random() < 0.03:  # just opened, nobody has answered yet
        return _ticket(n, cal, response, resolution, events)
    t += step(90)
    add("responded")
    open_end = rng.random() < 0.15  # still open at the end of the history
    rounds = 2 if rng.random() < 0.08 else 1  # reopened once
    for r in range(rounds):
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):  # waiting for the customer
            t += step(120)
            add("paused")
            t += step(600)
            add("resumed")
        if rng.random() < 0.05:
            t += step(60)
            add("targets", targets={"resolution_minutes": rng.choice((480, 960, 2880))})
        if open_end and r == rounds - 1:
            if rng.random() < 0.3:  # waiting for the customer right now
                t += step(120)
                add("paused")
            break
        t += step(900)
        add("resolved")
        if r < rounds - 1:
            t += step(1440)
            add("reopened")
    return _ticket(n, cal, response, resolution, events)


def _ticket(
    n: int, cal: dict[str, Any], response: int, resolution: int, events: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": f"T-{n:07d}",
        "calendar": cal,
        "targets": {"response_minutes": response, "resolution_minutes": resolution},
        "events": events,
    }


class _Sink(io.StringIO):
    """Counts what is written and keeps nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.chars = 0
        self.lines = 0

    def write(self, s: str) -> int:
        self.chars += len(s)
        self.lines += s.count("\n")
        return len(s)


def _compute_all(tickets: list[Ticket]) -> int:
    return sum(1 for t in tickets if compute(t) is not None)


def _mix(tickets: list[Ticket]) -> dict[str, int]:
    """How the clocks of a sample ended: met, missed, running or paused."""
    mix = dict.fromkeys(
        (
            f"{clock}_{state}"
            for clock in ("response", "resolution")
            for state in ("met", "missed", "running", "paused")
        ),
        0,
    )
    for t in tickets:
        c = compute(t)
        mix["response_" + _state(c.response.met, c.response.due)] += 1
        mix["resolution_" + _state(c.resolution.met, c.resolution.due)] += 1
    mix["sample"] = len(tickets)
    return mix


def _state(met: bool | None, due: object) -> str:
    if met is None:
        return "running" if due is not None else "paused"
    return "met" if met else "missed"


def _timed(fn: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--histories", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    rng = random.Random(args.seed)
    records = [history(rng, n) for n in range(args.histories)]
    text = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records)
    events = sum(len(r["events"]) for r in records)

    # Typed: parse first (not timed), then compute.
    tickets = [parse_ticket(r) for r in records]
    del records
    compute(tickets[0])  # import and first-call costs are not the library's steady state

    count, typed_wall, typed_cpu = _timed(lambda: _compute_all(tickets))
    mix = _mix(tickets[:10_000])
    tickets.clear()  # free the memory before the end-to-end run

    sink, err = _Sink(), io.StringIO()
    (ok, refused), e2e_wall, e2e_cpu = _timed(
        lambda: cli_calc(io.StringIO(text), sink, err, as_json=True)
    )
    if refused or ok != args.histories or count != args.histories:
        print(err.getvalue()[:2000], file=sys.stderr)
        print(json.dumps({"error": f"{refused} generated histories refused"}))
        return 1

    n = args.histories
    figures = {
        "histories": n,
        "events": events,
        "per_second": round(n / e2e_cpu),
        "seconds": round(e2e_cpu, 3),
        "goal_per_second": 20_000,
        "goal_met": n / e2e_cpu >= 20_000,
        "goal_basis": "end_to_end, CPU time, one core",
        "end_to_end": {
            "cpu_seconds": round(e2e_cpu, 3),
            "wall_seconds": round(e2e_wall, 3),
            "per_second_cpu": round(n / e2e_cpu),
            "per_second_wall": round(n / e2e_wall),
            "input_mb": round(len(text) / 1e6, 1),
            "output_mb": round(sink.chars / 1e6, 1),
        },
        "typed": {
            "cpu_seconds": round(typed_cpu, 3),
            "wall_seconds": round(typed_wall, 3),
            "per_second_cpu": round(n / typed_cpu),
            "per_second_wall": round(n / typed_wall),
        },
        "mix": mix,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # the benchmark cannot run: say why, exit non-zero
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        sys.exit(2)
