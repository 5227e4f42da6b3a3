"""Payroll engine benchmark: payslips per second on one core for a realistic mix, the time for
200,000 employees, and memory flat in the batch size (streaming).

    .venv/bin/python bench/payroll_bench.py [--employees 200000] [--distinct 5000]

The mix (per 100 employees): 45 monthly AC staff (state AC pension 18.07 %, ATP F, hovedkort;
one in five with a free car, health insurance for half), 35 monthly HK staff (pension 15 %
of which 5 % own, ATP A, overtime for some, union dues), 10 hourly staff paid every 14 days or
weekly with holiday pay 12.5 %, 7 students on frikort (hourly, monthly), 3 irregular-period
hourly staff on bikort. Rounding methods 1, 2 and 3 across institutions.

Measured, each in this process on one core:
- ``engine``: ``calculate`` over typed inputs (the payroll module's path): payslips/s and the
  extrapolated and measured time for ``--employees`` payslips;
- ``end_to_end``: JSON Lines text in → parse → calculate → JSON Lines text out (the CLI path,
  ``faelles.payroll.engine.cli.calc``) for ``--employees`` records streamed from a generator
  into a discarding sink;
- ``memory``: tracemalloc peak of the streaming CLI path for a small and a 10× larger batch.

Both wall-clock and CPU time (``time.process_time``, this process on one core) are reported,
with the machine's 1-minute load average: on a shared, loaded machine the wall-clock figures
overstate the cost, and the goal (200,000 payslips in 30 s on one core) is judged on CPU time.

``--distinct`` inputs are generated and cycled, so generation does not dominate and memory for
inputs stays bounded. The last line printed is one JSON object with every figure.
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
import tracemalloc
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import cycle, islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from faelles.payroll.engine.calc import calculate
from faelles.payroll.engine.cli import calc as cli_calc
from faelles.payroll.engine.io import dumps, parse_record
from faelles.payroll.engine.model import PayInput

D = Decimal


def _record(rng: random.Random, n: int) -> dict[str, Any]:
    kind = rng.randrange(100)
    rec: dict[str, Any] = {
        "employee": {"number": f"E{n:06d}", "name": f"Medarbejder {n}", "cpr": "0101901234"},
        "payer": {"cvr": "12345678", "name": f"Institution {n % 40}"},
        "rounding": ["1", "2", "3"][n % 3],
        "period": {
            "frequency": "monthly",
            "start": "2025-05-01",
            "end": "2025-05-31",
            "payment_date": "2025-05-30",
        },
    }
    if kind < 45:  # AC
        pay = rng.randrange(42_000, 75_000)
        rec["elements"] = [
            {"code": "salary", "text": "Månedsløn", "kind": "salary", "amount": f"{pay}.00"},
            {
                "code": "tillaeg",
                "text": "Kvalifikationstillæg",
                "kind": "supplement",
                "amount": f"{rng.randrange(500, 4000)}.50",
            },
        ]
        rec["pension"] = {"state_ac": True}
        rec["atp"] = {"family": "F", "hours": "160.33"}
        rec["tax_card"] = {
            "type": "hovedkort",
            "rate": str(rng.randrange(36, 42)),
            "deduction": {"month": str(rng.randrange(4000, 6000))},
        }
        rec["holiday"] = "paid_holiday"
        benefits: dict[str, Any] = {}
        if kind < 9:
            benefits["car"] = {
                "car_value": f"{rng.randrange(250_000, 600_000)}",
                "green_owner_tax": "1980",
            }
        if kind % 2 == 0:
            benefits["health_insurance"] = {"premium": "149.00"}
        benefits["multimedia"] = {"value": "250.00", "mainly_for_work": True}
        rec["benefits"] = benefits
    elif kind < 80:  # HK
        pay = rng.randrange(27_000, 38_000)
        rec["elements"] = [
            {"code": "salary", "text": "Månedsløn", "kind": "salary", "amount": f"{pay}.00"},
        ]
        if kind % 3 == 0:
            rec["elements"].append(
                {
                    "code": "overtid",
                    "text": "Overarbejde 50 %",
                    "kind": "overtime",
                    "hours": "6",
                    "rate": "312.45",
                }
            )
        rec["pension"] = {"employer_rate": "10", "employee_rate": "5"}
        rec["atp"] = {"family": "A", "hours": "160.33"}
        rec["tax_card"] = {
            "type": "hovedkort",
            "rate": str(rng.randrange(35, 40)),
            "deduction": {"month": str(rng.randrange(4000, 6000))},
        }
        rec["holiday"] = "paid_holiday"
        rec["deductions"] = [{"code": "union", "text": "Fagforening", "amount": "465.00"}]
    elif kind < 90:  # hourly, 14 days or weekly
        fortnight = kind % 2 == 0
        hours = rng.randrange(20, 75 if fortnight else 38)
        rec["period"] = (
            {"frequency": "14day", "start": "2025-05-05", "end": "2025-05-18"}
            if fortnight
            else {"frequency": "weekly", "start": "2025-05-05", "end": "2025-05-11"}
        )
        rec["elements"] = [
            {
                "code": "timer",
                "text": "Timeløn",
                "kind": "hourly",
                "hours": str(hours),
                "rate": "198.40",
            }
        ]
        rec["atp"] = {"family": "A", "hours": str(hours)}
        rec["tax_card"] = {
            "type": "hovedkort",
            "rate": "38",
            "deduction": {"14days" if fortnight else "week": "2100"},
        }
        rec["holiday"] = "holiday_pay"
    elif kind < 97:  # students on frikort
        hours = rng.randrange(20, 70)
        rec["elements"] = [
            {
                "code": "timer",
                "text": "Timeløn",
                "kind": "hourly",
                "hours": str(hours),
                "rate": "165.00",
            }
        ]
        rec["atp"] = {"family": "A", "hours": str(hours)}
        rec["tax_card"] = {"type": "frikort", "rate": "38", "free_amount": "51600"}
        rec["ytd"] = {"frikort_used": f"{rng.randrange(0, 52_000)}.00"}
        rec["holiday"] = "holiday_pay"
    else:  # irregular
        hours = rng.randrange(4, 30)
        rec["period"] = {"frequency": "irregular", "start": "2025-05-05", "end": "2025-05-08"}
        rec["elements"] = [
            {
                "code": "timer",
                "text": "Timeløn",
                "kind": "hourly",
                "hours": str(hours),
                "rate": "175.00",
            }
        ]
        rec["atp"] = {"family": "A", "hours": str(hours)}
        rec["tax_card"] = {"type": "bikort", "rate": "40"}
        rec["holiday"] = "holiday_pay"
    return rec


def _records(distinct: int, seed: int = 6) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [_record(rng, n) for n in range(distinct)]


class _Sink(io.TextIOBase):
    """Discards text, counting characters (memory flat)."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, s: str) -> int:
        self.chars += len(s)
        return len(s)


class _Lines(io.TextIOBase):
    """A text stream of ``count`` JSON Lines cycled from ``lines``, produced lazily."""

    def __init__(self, lines: list[str], count: int) -> None:
        self._it: Iterator[str] = islice(cycle(lines), count)

    def __iter__(self) -> Iterator[str]:
        return self._it

    def __next__(self) -> str:
        return next(self._it)

    def read(self, size: int | None = -1) -> str:
        return "".join(self._it)


def bench_engine(inputs: list[PayInput], count: int) -> dict[str, Any]:
    calculate(inputs[0])  # parameters compiled and cached, as in a pay run
    t0, c0 = time.perf_counter(), time.process_time()
    net = D(0)
    for inp in islice(cycle(inputs), count):
        net += calculate(inp).net
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "payslips": count,
        "seconds": round(elapsed, 3),
        "cpu_seconds": round(cpu, 3),
        "payslips_per_second": round(count / elapsed),
        "payslips_per_cpu_second": round(count / cpu),
        "net_total": str(net),
    }


def bench_end_to_end(lines: list[str], count: int) -> dict[str, Any]:
    sink, err = _Sink(), _Sink()
    t0, c0 = time.perf_counter(), time.process_time()
    ok, failed = cli_calc(_Lines(lines, count), sink, err, as_json=True)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "records": count,
        "ok": ok,
        "failed": failed,
        "seconds": round(elapsed, 3),
        "cpu_seconds": round(cpu, 3),
        "payslips_per_second": round(count / elapsed),
        "payslips_per_cpu_second": round(count / cpu),
        "output_mb": round(sink.chars / 1e6, 1),
    }


def peak_memory(lines: list[str], count: int) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    cli_calc(_Lines(lines, count), _Sink(), _Sink(), as_json=True)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--distinct", type=int, default=5_000)
    parser.add_argument("--memory-small", type=int, default=2_000)
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    records = _records(args.distinct)
    lines = [json.dumps(r) + "\n" for r in records]
    inputs = [parse_record(r) for r in records]
    # Warm-up (imports, parameter cache) outside the timings.
    bench_engine(inputs, 1_000)

    engine = bench_engine(inputs, args.employees)
    print(f"engine: {engine}", flush=True)
    e2e = bench_end_to_end(lines, args.employees)
    print(f"end_to_end: {e2e}", flush=True)
    small = args.memory_small
    peak_small = peak_memory(lines, small)
    peak_large = peak_memory(lines, small * 10)
    memory = {
        "batch_small": small,
        "peak_kib_small": peak_small // 1024,
        "batch_large": small * 10,
        "peak_kib_large": peak_large // 1024,
        "note": "tracemalloc peak of the streaming CLI path (inputs cycled lazily)",
    }
    print(f"memory: {memory}", flush=True)
    mix = {}
    for inp in inputs:
        key = f"{inp.period.frequency.value}/{inp.tax_card.type.value}"
        mix[key] = mix.get(key, 0) + 1
    result = {
        "benchmark": "payroll",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "employees": args.employees,
        "distinct_inputs": args.distinct,
        "mix": dict(sorted(mix.items())),
        "engine_payslips_per_second": engine["payslips_per_second"],
        "engine_payslips_per_cpu_second": engine["payslips_per_cpu_second"],
        "engine_seconds_for_employees": engine["seconds"],
        "engine_cpu_seconds_for_employees": engine["cpu_seconds"],
        "end_to_end_payslips_per_second": e2e["payslips_per_second"],
        "end_to_end_payslips_per_cpu_second": e2e["payslips_per_cpu_second"],
        "end_to_end_seconds_for_employees": e2e["seconds"],
        "end_to_end_cpu_seconds_for_employees": e2e["cpu_seconds"],
        "end_to_end_failed": e2e["failed"],
        "goal_seconds": 30,
        "goal_met_engine": engine["cpu_seconds"] <= 30,
        "goal_met_end_to_end": e2e["cpu_seconds"] <= 30,
        "memory": memory,
        "load_average_1min": {
            "before": round(load_before, 2),
            "after": round(os.getloadavg()[0], 2),
        },
        "cpus": os.cpu_count(),
        "date": date.today().isoformat(),
    }
    print(dumps(result))


if __name__ == "__main__":
    main()
