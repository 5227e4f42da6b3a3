"""Pay-run benchmark: calculate the monthly pay runs of many institutions at once.

    .venv/bin/python bench/payroll_run_bench.py [--employees 200000] [--institutions 150]
        [--chunk 500] [--database postgres|sqlite]

Set-up (not timed): a fresh database (PostgreSQL ``faelles_payroll_bench`` at
$BENCH_PG_URL, default the local server; or a SQLite file in a temporary folder), the
institutions with a chart and an open fiscal year, and the employees spread evenly over
them across the AC, HK, hourly and student profiles, with approved master data written by
bulk inserts (the two-person rule is the services' business, not this benchmark's).

Timed: for every institution, ``run_create`` + ``run_calculate`` of May 2026 — the engine's
calculation in chunks of employees (Celery tasks: eager here unless CELERY_BROKER_URL is set,
then on the workers), stored with set-based inserts, and the run's totals. Then, timed
apart, the two approvals of one run (the second posts its journal entry).

The goal (issue 12): 200,000 employees in 150 institutions in at most 5 minutes. The last
line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--institutions", type=int, default=150)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
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

    from faelles.payroll import services
    from faelles.payroll.models import Payslip
    from faelles.payroll.services import runs as run_services

    run_services.CHUNK_SIZE = args.chunk
    t0 = time.perf_counter()
    institutions, officer, second = _world(args.employees, args.institutions)
    setup_s = time.perf_counter() - t0
    start, end, pay = services.periods_for("monthly", 2026, 5)[0]
    t1 = time.perf_counter()
    runs = []
    for inst in institutions:
        run = services.run_create(
            actor=officer,
            institution=inst,
            frequency="monthly",
            period_start=start,
            period_end=end,
            payment_date=pay,
        )
        runs.append(services.run_calculate(actor=officer, run=run))
    run_s = time.perf_counter() - t1
    payslips = Payslip.objects.count()
    refused = sum(r.refused for r in runs)
    t2 = time.perf_counter()
    first = services.run_approve(actor=officer, run=runs[0])
    first = services.run_second_approve(actor=second, run=first)
    approve_s = time.perf_counter() - t2
    result = {
        "bench": "payroll_run",
        "database": args.database,
        "celery": "eager" if settings.CELERY_TASK_ALWAYS_EAGER else settings.CELERY_BROKER_URL,
        "employees": args.employees,
        "institutions": args.institutions,
        "chunk": args.chunk,
        "payslips": payslips,
        "refused": refused,
        "setup_s": round(setup_s, 1),
        "runs_s": round(run_s, 1),
        "payslips_per_s": round(payslips / run_s, 1) if run_s else None,
        "approve_and_post_one_run_s": round(approve_s, 2),
        "net_total": str(sum((r.net for r in runs), Decimal("0.00"))),
        "goal_s": 300,
        "goal_met": run_s <= 300 and payslips == args.employees,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
