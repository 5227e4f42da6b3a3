"""Ledger benchmark: batched posting throughput on SQLite and PostgreSQL, and trial-balance
time over 1M and 10M journal lines on PostgreSQL.

    .venv/bin/python bench/ledger_bench.py [--entries 20000] [--batch 1000] [--tb-lines 1000000,10000000]

Each database runs in its own subprocess on a fresh database (SQLite file under a temporary
folder; PostgreSQL database ``faelles_bench`` at $BENCH_PG_URL, default the local server).
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/faelles_bench")


def _setup_django(url: str, *, migrate: bool = True) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def _institution(name: str):
    from faelles.ledger import services
    from faelles.tenancy.models import Institution, OrgUnit, User

    inst = Institution.objects.create(name=name, short_name=name[:30], kind="agency")
    OrgUnit.objects.create(institution=inst, code="100", name="Sekretariat")
    OrgUnit.objects.create(institution=inst, code="200", name="Drift")
    user = User.objects.create_user(f"bench-{name}"[:150], password=None)
    services.chart_adopt(actor=user, institution=inst)
    services.fiscal_year_open(actor=user, institution=inst, year=2026)
    return inst, user


def _five_line_spec(i: int):
    from faelles.ledger.services import EntrySpec, LineSpec

    a = Decimal(1000 + i % 997) + Decimal(i % 100) / 100
    b = Decimal(200 + i % 89)
    vat = ((a + b) * Decimal("0.25")).quantize(Decimal("0.01"))
    return EntrySpec(
        date=date(2026, 1 + i % 12, 1 + i % 28),
        description=f"Faktura {i}",
        voucher_ref=f"F{i}",
        source_type="bench",
        source_id=str(i),
        lines=[
            LineSpec(account="2210", debit=a, org_unit="100", vat_code="I25"),
            LineSpec(account="2220", debit=b, org_unit="200", vat_code="I25"),
            LineSpec(account="5620", debit=vat),
            LineSpec(account="9110", credit=a + b + vat - 1),
            LineSpec(account="9190", credit=Decimal(1)),
        ],
    )


def run_posting(
    url: str, entries: int, batch: int, *, start_at: float = 0.0, tag: str = ""
) -> dict:
    _setup_django(url, migrate=not start_at)
    from faelles.ledger import checks, services

    inst, user = _institution(f"post-{tag}{int(time.time())}")
    specs = [_five_line_spec(i) for i in range(entries)]
    while time.time() < start_at:  # streams start together
        time.sleep(0.001)
    wall_start = time.time()
    started = time.perf_counter()
    for start in range(0, entries, batch):
        result = services.entries_record_batch(
            actor=user, institution=inst, specs=specs[start : start + batch]
        )
        assert not result.rejected and not result.duplicates
    elapsed = time.perf_counter() - started
    wall_end = time.time()
    problems = checks.run_all([inst])
    return {
        "wall_start": wall_start,
        "wall_end": wall_end,
        "entries": entries,
        "lines_per_entry": 5,
        "batch": batch,
        "seconds": round(elapsed, 3),
        "entries_per_s": round(entries / elapsed, 1),
        "check_clean": problems == [],
    }


def _bulk_load(inst, lines: int) -> None:
    """Posted entries of 5 lines, loaded with set-based SQL, and their balances."""
    from django.db import connection

    from faelles.ledger.models import Account, FiscalYear

    fy = FiscalYear.objects.get(institution=inst, year=2026)
    accounts = list(
        Account.objects.filter(institution=inst, is_postable=True).values_list("id", flat=True)
    )
    n_entries = lines // 5
    with connection.cursor() as c:
        c.execute(
            "SELECT id, number FROM ledger_period WHERE fiscal_year_id = %s ORDER BY number",
            [fy.pk],
        )
        periods = [r[0] for r in c.fetchall()]
        c.execute("SELECT min(id) FROM tenancy_user")
        user_id = c.fetchone()[0]
        c.execute(
            "SELECT coalesce(max(number), 0) FROM ledger_journalentry WHERE fiscal_year_id = %s",
            [fy.pk],
        )
        base = c.fetchone()[0]
        c.execute(
            """
            INSERT INTO ledger_journalentry (institution_id, fiscal_year_id, period_id, number,
                state, kind, date, description, voucher_ref, source_type, source_id,
                created_by_id, created_at, posted_by_id, posted_at, hash)
            SELECT %s, %s, (%s::bigint[])[1 + (g %% 12)], %s + g, 'posted', 'system',
                make_date(2026, 1 + (g %% 12), 1 + (g %% 28)), 'bulk ' || g, '', 'bulk', %s || '-' || g,
                %s, now(), %s, now(), ''
            FROM generate_series(1, %s) AS g
            """,
            [inst.pk, fy.pk, periods, base, str(base), user_id, user_id, n_entries],
        )
        c.execute(
            """
            INSERT INTO ledger_journalline (institution_id, entry_id, line_no, account_id,
                org_unit_id, purpose_id, vat_code_id, debit, credit, currency, currency_amount,
                rate, text)
            SELECT e.institution_id, e.id, k,
                (%s::bigint[])[1 + ((e.id * 7 + k) %% %s)],
                NULL, NULL, NULL,
                CASE WHEN k < 5 THEN 100 + (e.id %% 900) ELSE 0 END,
                CASE WHEN k = 5 THEN 4 * (100 + (e.id %% 900)) ELSE 0 END,
                'DKK',
                CASE WHEN k < 5 THEN 100 + (e.id %% 900) ELSE -4 * (100 + (e.id %% 900)) END,
                1, ''
            FROM ledger_journalentry e CROSS JOIN generate_series(1, 5) AS k
            WHERE e.institution_id = %s AND e.source_type = 'bulk' AND e.source_id LIKE %s
            """,
            [accounts, len(accounts), inst.pk, f"{base}-%"],
        )
        c.execute(
            """
            INSERT INTO ledger_balance (institution_id, account_id, period_id, org_unit_key,
                purpose_key, debit_ore, credit_ore, line_count)
            SELECT l.institution_id, l.account_id, e.period_id, 0, 0,
                sum(l.debit * 100)::bigint, sum(l.credit * 100)::bigint, count(*)
            FROM ledger_journalline l JOIN ledger_journalentry e ON e.id = l.entry_id
            WHERE e.institution_id = %s AND e.source_type = 'bulk' AND e.source_id LIKE %s
            GROUP BY l.institution_id, l.account_id, e.period_id
            ON CONFLICT (institution_id, account_id, period_id, org_unit_key, purpose_key)
            DO UPDATE SET debit_ore = ledger_balance.debit_ore + excluded.debit_ore,
                credit_ore = ledger_balance.credit_ore + excluded.credit_ore,
                line_count = ledger_balance.line_count + excluded.line_count
            """,
            [inst.pk, f"{base}-%"],
        )
        c.execute("ANALYZE ledger_journalline; ANALYZE ledger_journalentry; ANALYZE ledger_balance")


def run_trial_balance(url: str, sizes: list[int]) -> dict:
    _setup_django(url)
    from django.db import connection
    from django.db.models import Sum

    from faelles.ledger import selectors
    from faelles.ledger.models import JournalLine

    inst, _user = _institution(f"tb-{int(time.time())}")
    out: dict = {}
    loaded = 0
    for size in sorted(sizes):
        t0 = time.perf_counter()
        _bulk_load(inst, size - loaded)
        loaded = size
        load_s = time.perf_counter() - t0
        times = []
        for _ in range(5):
            t = time.perf_counter()
            tb = selectors.trial_balance(inst, year=2026)
            times.append(time.perf_counter() - t)
        assert tb.balanced, "bulk data must balance"
        t = time.perf_counter()
        scan = JournalLine.objects.filter(institution=inst).aggregate(
            d=Sum("debit"), c=Sum("credit")
        )
        scan_s = time.perf_counter() - t
        assert scan["d"] == scan["c"] == tb.total_debit
        with connection.cursor() as c:
            c.execute(
                "SELECT count(*) FROM ledger_journalline WHERE institution_id = %s", [inst.pk]
            )
            count = c.fetchone()[0]
        out[f"{size // 1_000_000}M" if size >= 1_000_000 else str(size)] = {
            "lines": count,
            "load_seconds": round(load_s, 1),
            "trial_balance_median_s": round(statistics.median(times), 4),
            "full_scan_of_lines_s": round(scan_s, 3),
        }
    return out


def _child(args: argparse.Namespace) -> None:
    if args.child == "post":
        print(
            json.dumps(
                run_posting(
                    args.url, args.entries, args.batch, start_at=args.start_at, tag=args.tag
                )
            )
        )
    else:
        print(json.dumps(run_trial_balance(args.url, [int(s) for s in args.tb_lines.split(",")])))


def _spawn(*extra: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, *extra], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _parallel(args: argparse.Namespace, url: str) -> dict:
    """Several institutions posting at once, one process each (the operator posts for many
    institutions): entries per second of wall time over all streams together."""
    start_at = time.time() + 20  # after every stream has set up
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--child",
                "post",
                "--url",
                url,
                "--entries",
                str(args.entries // args.streams),
                "--batch",
                str(args.batch),
                "--start-at",
                str(start_at),
                "--tag",
                f"s{i}-",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(args.streams)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode != 0:
            return {"error": err.strip().splitlines()[-1:] or ["failed"]}
        results.append(json.loads(out.strip().splitlines()[-1]))
    span = max(r["wall_end"] for r in results) - min(r["wall_start"] for r in results)
    total = sum(r["entries"] for r in results)
    return {
        "streams": args.streams,
        "entries": total,
        "seconds": round(span, 3),
        "entries_per_s": round(total / span, 1),
        "per_stream_entries_per_s": [r["entries_per_s"] for r in results],
        "check_clean": all(r["check_clean"] for r in results),
    }


def _fresh_pg() -> bool:
    try:
        import psycopg

        base, name = PG_URL.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--tb-lines", default="1000000,10000000")
    parser.add_argument("--child", choices=["post", "tb"])
    parser.add_argument("--url")
    parser.add_argument("--start-at", type=float, default=0.0)
    parser.add_argument("--tag", default="")
    parser.add_argument("--streams", type=int, default=2)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    common = ["--entries", str(args.entries), "--batch", str(args.batch)]
    result: dict = {"bench": "ledger"}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        result["sqlite_posting"] = _spawn("--child", "post", "--url", url, *common)
    if _fresh_pg():
        result["postgres_posting"] = _spawn("--child", "post", "--url", PG_URL, *common)
        result["postgres_posting_parallel"] = _parallel(args, PG_URL)
        result["postgres_trial_balance"] = _spawn(
            "--child", "tb", "--url", PG_URL, "--tb-lines", args.tb_lines
        )
    else:
        result["postgres"] = f"skipped: no server at {PG_URL}"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
