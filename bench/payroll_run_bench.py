"""Pay-run benchmark: calculate the monthly pay runs of many institutions at once.

    .venv/bin/python bench/payroll_run_bench.py [--employees 200000] [--institutions 150]
        [--chunk 500] [--database postgres|sqlite] [--profile FILE] [--queries]

Set-up (not timed): a fresh database (PostgreSQL ``faelles_payroll_bench`` at
$BENCH_PG_URL, default the local server; or a SQLite file in a temporary folder), the
institutions with a chart and an open fiscal year, and the employees spread evenly over
them across the AC, HK, hourly and student profiles, with approved master data written by
bulk inserts (the two-person rule is the services' business, not this benchmark's).

Timed (``seconds``): for every institution, the whole monthly run of May 2026 —
``run_create`` + ``run_calculate`` (the engine's calculation in chunks of employees, Celery
tasks: eager here unless CELERY_BROKER_URL is set, then on the workers, stored with
set-based inserts, and the run's totals), ``run_approve`` + ``run_second_approve`` (the
second approval posts the journal entry), and the pain.001 file and the eIndkomst report
written to a temporary folder. Payslip PDFs are not part of a run: they are rendered when
one is opened or downloaded, or written by ``faelles payroll run --out``. Each phase is timed
apart (``phases_s``); ``peak_rss_mb`` is the process's peak resident memory.

``--jobs N`` pays the institutions in N processes (each takes every N-th institution and
does its whole runs; the phases are then summed over the processes, the CPU is theirs);
``--profile FILE`` writes a cProfile of the timed part (one process); ``--queries`` counts the SQL
statements of the timed part (a wrapper around each statement).

The goal (issue 12): 200,000 employees in 150 institutions in at most 5 minutes. The last
line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/faelles_payroll_bench")
PROFILES = ("AC", "HK", "HOURLY", "STUDENT")


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


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _world(n_employees: int, n_institutions: int) -> tuple:
    """Institutions with approved master data, written with bulk inserts."""
    from django.db import transaction

    from faelles.ledger import services as ledger_services
    from faelles.payroll import services
    from faelles.payroll.models import BankAccount, Employment, PayElement, TaxCard
    from faelles.tenancy.models import Institution, Membership, OrgUnit, User
    from faelles.tenancy.roles import PAYROLL_OFFICER

    officer = User.objects.create_user("bench-loen1", password=None)
    second = User.objects.create_user("bench-loen2", password=None)
    bookkeeper = User.objects.create_user("bench-bogholder", password=None)
    institutions = []
    per, rest = divmod(n_employees, n_institutions)
    start = date(2026, 1, 1)
    for k in range(n_institutions):
        with transaction.atomic():
            inst = Institution.objects.create(
                name=f"Bench-styrelse {k}", short_name=f"BENCH{k}", kind="agency", cvr="12345674"
            )
            unit = OrgUnit.objects.create(institution=inst, code="100", name="Sekretariat")
            for user in (officer, second):
                Membership.objects.create(institution=inst, user=user, role=PAYROLL_OFFICER)
            Membership.objects.create(institution=inst, user=bookkeeper, role="bookkeeper")
            ledger_services.chart_adopt(actor=bookkeeper, institution=inst)
            ledger_services.fiscal_year_open(actor=bookkeeper, institution=inst, year=2026)
            count = per + (1 if k < rest else 0)
            rows = [
                (
                    f"B{n:06d}",
                    f"Bench Medarbejder {k}-{n}",
                    f"01{n % 12 + 1:02d}{50 + n % 50:02d}{(k * 7919 + n) % 10000:04d}",
                )
                for n in range(count)
            ]
            # CPR numbers repeat across institutions only (unique per institution).
            employees = services.employees_create_bulk(actor=officer, institution=inst, rows=rows)
            employments = []
            for i, e in enumerate(employees):
                profile = PROFILES[i % 4]
                hourly = profile in ("HOURLY", "STUDENT")
                employments.append(
                    Employment(
                        institution=inst,
                        employee=e,
                        org_unit=unit,
                        position=profile,
                        agreement=profile,
                        weekly_hours=Decimal("37.00") if not hourly else Decimal("15.00"),
                        frequency="monthly",
                        start=start,
                        pension_state_ac=profile == "AC",
                        pension_employer_rate=Decimal("15.00") if profile == "HK" else Decimal(0),
                        pension_employee_rate=Decimal("5.00") if profile == "HK" else Decimal(0),
                        atp_family="A",
                        holiday_scheme="holiday_pay" if hourly else "paid_holiday",
                    )
                )
            employments = Employment.objects.bulk_create(employments, batch_size=2000)
            elements, cards, banks = [], [], []
            for i, (e, emp) in enumerate(zip(employees, employments, strict=True)):
                profile = PROFILES[i % 4]
                if profile in ("HOURLY", "STUDENT"):
                    elements.append(
                        PayElement(
                            institution=inst,
                            employment=emp,
                            code="hourly",
                            text="Timeløn",
                            kind="hourly",
                            hours=Decimal(40 + i % 40),
                            rate=Decimal("180.00"),
                            valid_from=start,
                        )
                    )
                else:
                    elements.append(
                        PayElement(
                            institution=inst,
                            employment=emp,
                            code="salary",
                            text="Månedsløn",
                            kind="salary",
                            amount=Decimal(30000 + (i * 37) % 20000),
                            valid_from=start,
                        )
                    )
                if profile == "STUDENT":
                    cards.append(
                        TaxCard(
                            institution=inst,
                            employee=e,
                            type="frikort",
                            rate=Decimal("38.00"),
                            free_amount=Decimal("51600.00"),
                            valid_from=start,
                        )
                    )
                else:
                    cards.append(
                        TaxCard(
                            institution=inst,
                            employee=e,
                            type="hovedkort",
                            rate=Decimal("37.00"),
                            deduction_month=Decimal("5600.00"),
                            deduction_14days=Decimal("2585.00"),
                            valid_from=start,
                        )
                    )
                banks.append(
                    BankAccount(
                        institution=inst,
                        employee=e,
                        reg_no="1234",
                        account_no=f"{i:010d}",
                        valid_from=start,
                    )
                )
            PayElement.objects.bulk_create(elements, batch_size=2000)
            TaxCard.objects.bulk_create(cards, batch_size=2000)
            BankAccount.objects.bulk_create(banks, batch_size=2000)
        institutions.append(inst)
    return institutions, officer, second


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _pay_all(institutions: list, officer: object, second: object, out: Path) -> tuple:
    """The timed part: every institution's monthly run, approved twice, posted and its
    pain.001 and eIndkomst report written."""
    from faelles.payroll import services
    from faelles.payroll.outputs import write_payment_files

    start, end, pay = services.periods_for("monthly", 2026, 5)[0]
    phases = {"create_calculate": 0.0, "approve_post": 0.0, "pain001_eindkomst": 0.0}
    runs = []
    for inst in institutions:
        t = time.perf_counter()
        run = services.run_create(
            actor=officer,
            institution=inst,
            frequency="monthly",
            period_start=start,
            period_end=end,
            payment_date=pay,
        )
        run = services.run_calculate(actor=officer, run=run)
        t2 = time.perf_counter()
        run = services.run_approve(actor=officer, run=run)
        run = services.run_second_approve(actor=second, run=run)
        t3 = time.perf_counter()
        write_payment_files(run, out, actor=officer)
        t4 = time.perf_counter()
        phases["create_calculate"] += t2 - t
        phases["approve_post"] += t3 - t2
        phases["pain001_eindkomst"] += t4 - t3
        runs.append(run)
    return runs, phases


def _pay_slice(args: tuple) -> tuple:
    """``_pay_all`` in a forked process over some of the institutions (``--jobs``): what the
    parent needs back is plain data."""
    from django.db import connections

    from faelles.tenancy.models import Institution, User

    inst_ids, officer_id, second_id, out = args
    connections.close_all()  # the parent's connection is not this process's
    institutions = list(Institution.objects.filter(pk__in=inst_ids).order_by("pk"))
    officer, second = User.objects.get(pk=officer_id), User.objects.get(pk=second_id)
    cpu0 = time.process_time()
    runs, phases = _pay_all(institutions, officer, second, out)
    summary = [(r.refused, str(r.net), r.entry_id is not None) for r in runs]
    return summary, phases, time.process_time() - cpu0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--institutions", type=int, default=150)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the timed part")
    parser.add_argument("--queries", action="store_true", help="count the timed part's SQL")
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes paying the institutions (each its own)"
    )
    args = parser.parse_args()
    if args.database == "postgres":
        if not _fresh_pg():
            print(json.dumps({"error": f"PostgreSQL not reachable at {PG_URL}"}))
            sys.exit(1)
        url = PG_URL
    else:
        url = "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    _setup_django(url)
    from django.conf import settings
    from django.db import connection

    from faelles.payroll.models import Payslip
    from faelles.payroll.services import runs as run_services

    run_services.CHUNK_SIZE = args.chunk
    t0 = time.perf_counter()
    institutions, officer, second = _world(args.employees, args.institutions)
    setup_s = time.perf_counter() - t0
    rss_after_setup = _peak_rss_mb()
    out = Path(tempfile.mkdtemp(prefix="payroll-bench-"))
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    queries: dict[str, list] = {}

    def count(execute, sql, params, many, context):
        head = " ".join(sql.split()[:4])[:80]
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            n_s = queries.setdefault(head, [0, 0.0])
            n_s[0] += 1
            n_s[1] += time.perf_counter() - t

    wrapper = connection.execute_wrapper(count) if args.queries else None
    if wrapper is not None:
        wrapper.__enter__()
    cpu0 = time.process_time()
    t1 = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    if args.jobs > 1:
        import multiprocessing

        from django.db import connections

        connections.close_all()
        slices = [
            ([i.pk for i in institutions[k :: args.jobs]], officer.pk, second.pk, out)
            for k in range(args.jobs)
        ]
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            parts = pool.map(_pay_slice, slices)
        summaries = [row for part in parts for row in part[0]]
        phases = {k: sum(part[1][k] for part in parts) for k in parts[0][1]}
        child_cpu = sum(part[2] for part in parts)
    else:
        runs, phases = _pay_all(institutions, officer, second, out)
        summaries = [(r.refused, str(r.net), r.entry_id is not None) for r in runs]
        child_cpu = 0.0
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    run_s = time.perf_counter() - t1
    cpu_s = time.process_time() - cpu0 + child_cpu
    if wrapper is not None:
        wrapper.__exit__(None, None, None)
    payslips = Payslip.objects.count()
    refused = sum(r[0] for r in summaries)
    result = {
        "bench": "payroll_run",
        "database": args.database,
        "celery": "eager" if settings.CELERY_TASK_ALWAYS_EAGER else settings.CELERY_BROKER_URL,
        "employees": args.employees,
        "institutions": args.institutions,
        "chunk": args.chunk,
        "payslips": payslips,
        "refused": refused,
        "posted": sum(1 for r in summaries if r[2]),
        "jobs": args.jobs,
        "output_mb": round(sum(f.stat().st_size for f in out.iterdir()) / 1e6, 1),
        "setup_s": round(setup_s, 1),
        "seconds": round(run_s, 1),
        "phases_s": {k: round(v, 1) for k, v in phases.items()},
        "process_cpu_s": round(cpu_s, 1),
        "payslips_per_s": round(payslips / run_s, 1) if run_s else None,
        "peak_rss_mb": max(
            _peak_rss_mb(),
            round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        ),
        "rss_after_setup_mb": rss_after_setup,
        "net_total": str(sum((Decimal(r[1]) for r in summaries), Decimal("0.00"))),
        "goal_s": 300,
        "goal_met": run_s <= 300 and payslips == args.employees,
    }
    if args.queries:
        # COPY goes past the wrapper (psycopg's copy); its time is in the phases only.
        result["queries"] = sum(n for n, _s in queries.values())
        result["queries_s"] = round(sum(s for _n, s in queries.values()), 1)
        result["queries_top"] = {
            head: [n, round(s, 2)]
            for head, (n, s) in sorted(queries.items(), key=lambda kv: -kv[1][1])[:12]
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
