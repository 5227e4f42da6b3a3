"""Foundation benchmark: audit-chain appends, gap-free numbering and chain verification.

    .venv/bin/python bench/foundation_bench.py [--events 2000] [--no-pg]

On SQLite (fresh file in a temporary folder) and PostgreSQL (fresh database
``faelles_bench_foundation`` at $BENCH_PG_URL's server, default the local one), each in its own
subprocess: single ``record_event`` calls, each in its own transaction; ``record_events_bulk``
in batches of 1000; single ``next_number`` calls, each in its own transaction; and
``verify_chains`` over everything written. On PostgreSQL also 8 threads taking numbers of one
series at once (the result is checked to be exactly 1..n). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "faelles_bench_foundation"


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "faelles.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _measure(url: str, events: int, threads: bool) -> dict[str, float]:
    _setup(url)
    from django.db import connections, transaction

    from faelles.core.audit import record_event, record_events_bulk, verify_chains
    from faelles.core.numbering import next_number
    from faelles.tenancy.models import Institution

    inst = Institution.objects.create(name="Bench", short_name="BENCH", kind="agency")
    result: dict[str, float] = {}

    started = time.perf_counter()
    for i in range(events):
        with transaction.atomic():
            record_event(institution=inst, actor=None, action="bench.single", details={"i": i})
    result["record_event_per_s"] = round(events / (time.perf_counter() - started))

    bulk_total = events * 10
    started = time.perf_counter()
    for b in range(bulk_total // 1000):
        with transaction.atomic():
            record_events_bulk(
                institution=inst,
                actor=None,
                events=[{"action": "bench.bulk", "details": {"b": b, "i": i}} for i in range(1000)],
            )
    result["record_events_bulk_per_s"] = round(bulk_total / (time.perf_counter() - started))

    started = time.perf_counter()
    for _ in range(events):
        with transaction.atomic():
            next_number(institution=inst, series="bench", year=2026)
    result["next_number_per_s"] = round(events / (time.perf_counter() - started))

    written = events + bulk_total
    started = time.perf_counter()
    problems = verify_chains()
    assert problems == [], problems
    result["verify_events_per_s"] = round(written / (time.perf_counter() - started))
    result["verified_events"] = written

    if threads:
        per_thread, count = 250, 8
        got: list[int] = []
        lock = threading.Lock()
        barrier = threading.Barrier(count)

        def work() -> None:
            barrier.wait()
            mine = []
            for _ in range(per_thread):
                with transaction.atomic():
                    mine.append(next_number(institution=inst, series="par", year=2026))
            with lock:
                got.extend(mine)
            connections.close_all()

        pool = [threading.Thread(target=work) for _ in range(count)]
        started = time.perf_counter()
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        elapsed = time.perf_counter() - started
        assert sorted(got) == list(range(1, per_thread * count + 1)), "gap or duplicate"
        result["next_number_8_threads_per_s"] = round(per_thread * count / elapsed)
    return result


def _child(db: str, events: int) -> None:
    if db == "sqlite":
        folder = tempfile.mkdtemp(prefix="faelles-bench-")
        url = f"sqlite:///{folder}/bench.sqlite3"
        result = _measure(url, events, threads=False)
    else:
        import psycopg

        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        url = PG_SERVER.rsplit("/", 1)[0] + "/" + PG_DB
        result = _measure(url, events, threads=True)
    print(json.dumps(result))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.events)
        return 0
    report: dict[str, object] = {"events": args.events}
    for db in ["sqlite"] + ([] if args.no_pg else ["postgresql"]):
        proc = subprocess.run(
            [sys.executable, __file__, "--child", db, "--events", str(args.events)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            report[db] = {"error": proc.stderr.strip().splitlines()[-1:]}
            continue
        report[db] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{db}: {report[db]}")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
