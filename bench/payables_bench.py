"""Invoice-handling benchmark on PostgreSQL: intake, approval with posting, batch posting.

    .venv/bin/python bench/payables_bench.py [--invoices 2000] [--batch 500]

Runs in a subprocess on a fresh database ``faelles_bench_payables`` at $BENCH_PG_URL (default
the local server). Generated Peppol BIS 3 invoices (one to two lines, DKK, from five vendors)
are

* received one by one through ``document_receive`` (store, read, validate, route, match the
  vendor, check duplicates, route to the requester, code automatically by rule):
  ``intake_per_s``;
* attested, then half of them approved one by one in an open period — each approval posts
  its ledger entry in the same transaction: ``approve_post_per_s``;
* the other half approved while the period is closed (the postings wait), then, after the
  period is reopened, posted by a bookkeeper with ``invoices_post_batch`` in batches of
  ``--batch``: ``post_per_s``.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/faelles_bench_payables")
GLN = "5798009811578"


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def run(url: str, invoices: int, batch: int) -> dict:
    _setup_django(url)
    from faelles.ledger import services as ledger
    from faelles.ledger.models import Period
    from faelles.payables import demo, services
    from faelles.payables.models import Invoice
    from faelles.tenancy.models import Endpoint, Institution, Membership, OrgUnit, Role, User

    inst = Institution.objects.create(name="Benchstyrelsen", short_name="BENCH", kind="agency")
    OrgUnit.objects.create(institution=inst, code="100", name="Sekretariat")
    Endpoint.objects.create(institution=inst, scheme="0088", identifier=GLN)
    people = {}
    for role in (Role.INVOICE_RECEIVER, Role.REQUESTER, Role.APPROVER, Role.BOOKKEEPER):
        user = User.objects.create_user(f"bench-{role}", password=None)
        Membership.objects.create(
            user=user,
            institution=inst,
            role=role,
            approval_limit=Decimal("1000000000") if role == Role.APPROVER else None,
        )
        people[role] = user
    ledger.chart_adopt(actor=people[Role.BOOKKEEPER], institution=inst)
    ledger.fiscal_year_open(actor=people[Role.BOOKKEEPER], institution=inst, year=2026)
    services.routing_rule_create(
        actor=people[Role.INVOICE_RECEIVER],
        institution=inst,
        requester=people[Role.REQUESTER],
        buyer_reference="BENCH",
    )
    for vendor in demo.VENDORS:
        for _text, unspsc, _price in vendor[3]:
            services.coding_rule_create(
                actor=people[Role.BOOKKEEPER],
                institution=inst,
                classification=unspsc,
                account="2210",
                org_unit="100",
                vat_code="I25",
            )
    documents = []
    for n in range(invoices):
        vendor = demo.VENDORS[n % len(demo.VENDORS)]
        items = vendor[3][: 1 + n % 2]
        documents.append(
            demo._document(
                number=f"B-{n:07d}",
                issue=date(2026, 3, 15),
                buyer_gln=GLN,
                buyer_name=inst.name,
                vendor=vendor,
                lines=[(t, u, Decimal(1 + n % 5), Decimal(p)) for t, u, p in items],
                buyer_reference="BENCH",
            )
        )

    started = time.perf_counter()
    statuses: dict[str, int] = {}
    for n, content in enumerate(documents):
        intake = services.document_receive(content=content, channel="import", filename=f"{n}.xml")
        statuses[intake.status] = statuses.get(intake.status, 0) + 1
    intake_s = time.perf_counter() - started

    all_invoices = list(Invoice.objects.for_institution(inst).order_by("pk"))
    coded = sum(1 for i in all_invoices if i.state == "coded")
    for invoice in all_invoices:
        services.invoice_attest(actor=people[Role.REQUESTER], invoice=invoice)
    half = len(all_invoices) // 2
    first, second = all_invoices[:half], all_invoices[half:]

    started = time.perf_counter()
    for invoice in first:
        services.invoice_approve(actor=people[Role.APPROVER], invoice=invoice)
    approve_s = time.perf_counter() - started

    march = Period.objects.get(institution=inst, start=date(2026, 3, 1))
    ledger.period_set_state(actor=people[Role.BOOKKEEPER], period=march, state="closed")
    for invoice in second:
        services.invoice_approve(actor=people[Role.APPROVER], invoice=invoice)
    ledger.period_set_state(actor=people[Role.BOOKKEEPER], period=march, state="open")
    waiting = list(Invoice.objects.filter(pk__in=[i.pk for i in second], state="approved"))

    started = time.perf_counter()
    refused = 0
    for i in range(0, len(waiting), batch):
        chunk = waiting[i : i + batch]
        refused += len(services.invoices_post_batch(actor=people[Role.BOOKKEEPER], invoices=chunk))
    post_s = time.perf_counter() - started

    posted = Invoice.objects.for_institution(inst).filter(state="posted").count()
    return {
        "invoices": invoices,
        "intake_statuses": statuses,
        "coded_automatically": coded,
        "intake_s": round(intake_s, 2),
        "intake_per_s": round(invoices / intake_s, 1),
        "approve_post_invoices": len(first),
        "approve_post_s": round(approve_s, 2),
        "approve_post_per_s": round(len(first) / approve_s, 1) if first else None,
        "batch_post_invoices": len(waiting),
        "batch": batch,
        "post_s": round(post_s, 2),
        "post_per_s": round(len(waiting) / post_s, 1) if waiting else None,
        "post_refused": refused,
        "posted_in_all": posted,
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
    parser.add_argument("--invoices", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(PG_URL, args.invoices, args.batch)))
        return
    result: dict = {"bench": "payables"}
    if not _fresh_pg():
        result["postgres"] = f"skipped: no server at {PG_URL}"
        print(json.dumps(result))
        return
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--invoices",
            str(args.invoices),
            "--batch",
            str(args.batch),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        result["error"] = proc.stderr.strip().splitlines()[-3:]
    else:
        result.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
