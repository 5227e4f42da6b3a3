"""Invoice-handling benchmark on PostgreSQL: intake, attestation, approval with posting.

    .venv/bin/python bench/payables_bench.py [--invoices 100000] [--batch 500] [--workers 1]
        [--single 200] [--analyze-every 10000]

Runs in a subprocess on a fresh database ``faelles_bench_payables`` at $BENCH_PG_URL (default
the local server). Generated Peppol BIS 3 invoices (one to two lines, DKK, from five vendors;
generating them is not timed) are

* received through ``documents_receive`` in batches of ``--batch`` (store and commit the bytes,
  read and validate — in ``--workers`` reader processes while the main process writes the
  previous batch — route, match the vendor, check duplicates and suspected duplicates, route
  to the requester, check the payment details, code automatically by rule, insert):
  ``intake_per_s``;
* attested by the requester with ``invoices_attest_batch``: ``attest_per_s``;
* approved by an approver with ``invoices_approve_batch`` in batches of ``--batch``, every rule
  of segregation of duties and the approval limit checked per invoice, each approved invoice
  posted to the ledger in the same transaction: ``post_per_s`` (approval + posting);
* for comparison, ``--single`` more invoices received, attested and approved one at a time
  through the single-document services (as the API and the pages do): ``single_*_per_s``.

PostgreSQL's statistics: the server on the development machine runs with ``autovacuum`` off,
so tables filled from empty are never analysed and the planner keeps choosing sequential
scans (a 100,000-invoice run then slows down as the tables grow). A production server
analyses on its own (autovacuum, after 10 % of a table changed); the benchmark does what it
would do — ``ANALYZE`` before each phase and after every ``--analyze-every`` invoices of it.
That is the server's background work, not the application's: the rates leave its time out,
and the same rates with it counted are printed too (``*_per_s_with_analyze``, ``analyze_s``).

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import payables_world  # the shared bench institution (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/faelles_bench_payables")


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def run(url: str, invoices: int, batch: int, workers: int, single: int, analyze_every: int) -> dict:
    _setup_django(url)
    from django.db import connection

    from faelles.ledger.models import JournalEntry
    from faelles.payables import services
    from faelles.payables.models import Invoice
    from faelles.payables.reading import worker_reader
    from faelles.tenancy.models import Role, User

    inst, people, document = payables_world.build("Benchstyrelsen", "BENCH")

    started = time.perf_counter()
    documents = [(document(n), f"{n}.xml") for n in range(invoices)]
    generate_s = time.perf_counter() - started

    analyze_s = 0.0

    def analyze() -> None:
        nonlocal analyze_s
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        analyze_s += time.perf_counter() - began

    analyze()
    before_intake = analyze_s
    started = time.perf_counter()
    statuses: dict[str, int] = {}
    received = 0
    with worker_reader(workers) as reader:
        for intake in services.documents_receive(
            sources=documents, channel="import", batch_size=batch, reader=reader
        ):
            statuses[intake.status] = statuses.get(intake.status, 0) + 1
            received += 1
            if received % analyze_every == 0:
                analyze()
    intake_total = time.perf_counter() - started
    intake_s = intake_total - (analyze_s - before_intake)
    del documents

    ids = list(Invoice.objects.for_institution(inst).order_by("pk").values_list("pk", flat=True))
    coded = Invoice.objects.for_institution(inst).filter(state="coded").count()

    def chunks() -> list[list[Invoice]]:
        return [
            # The services lock and read the invoices themselves: ids and institution suffice.
            list(Invoice.objects.filter(pk__in=ids[i : i + batch]).only("institution"))
            for i in range(0, len(ids), batch)
        ]

    def in_batches(step: Callable[..., dict[int, str]], actor: User) -> tuple[float, float, int]:
        """Run a batch step over every invoice: (seconds without ANALYZE, seconds with it,
        invoices refused)."""
        before = analyze_s
        started = time.perf_counter()
        analyze()
        refused = done = 0
        for chunk in chunks():
            refused += len(step(actor=actor, invoices=chunk))
            done += len(chunk)
            if done % analyze_every < len(chunk):
                analyze()
        total = time.perf_counter() - started
        return total - (analyze_s - before), total, refused

    attest_s, attest_total, not_attested = in_batches(
        services.invoices_attest_batch, people[Role.REQUESTER]
    )
    post_s, post_total, not_approved = in_batches(
        services.invoices_approve_batch, people[Role.APPROVER]
    )
    posted = Invoice.objects.for_institution(inst).filter(state="posted").count()
    entries = JournalEntry.objects.filter(institution=inst, source_type="payables.invoice").count()

    single_figures: dict[str, float | None] = {}
    if single:
        contents = [document(invoices + n) for n in range(single)]
        started = time.perf_counter()
        one_by_one = [services.document_receive(content=c, channel="api").invoice for c in contents]
        single_figures["single_intake_per_s"] = round(single / (time.perf_counter() - started), 1)
        started = time.perf_counter()
        for invoice in one_by_one:
            services.invoice_attest(actor=people[Role.REQUESTER], invoice=invoice)
        single_figures["single_attest_per_s"] = round(single / (time.perf_counter() - started), 1)
        started = time.perf_counter()
        for invoice in one_by_one:
            services.invoice_approve(actor=people[Role.APPROVER], invoice=invoice)
        single_figures["single_approve_post_per_s"] = round(
            single / (time.perf_counter() - started), 1
        )

    return {
        "invoices": invoices,
        "batch": batch,
        "workers": workers,
        "generate_s": round(generate_s, 1),
        "intake_statuses": statuses,
        "coded_automatically": coded,
        "intake_s": round(intake_s, 2),
        "intake_per_s": round(invoices / intake_s, 1),
        "intake_per_s_with_analyze": round(invoices / intake_total, 1),
        "attest_s": round(attest_s, 2),
        "attest_per_s": round(len(ids) / attest_s, 1),
        "attest_per_s_with_analyze": round(len(ids) / attest_total, 1),
        "not_attested": not_attested,
        "post_s": round(post_s, 2),
        "post_per_s": round(len(ids) / post_s, 1),
        "post_per_s_with_analyze": round(len(ids) / post_total, 1),
        "not_approved": not_approved,
        "posted": posted,
        "analyze_every": analyze_every,
        "analyze_s": round(analyze_s, 2),
        "journal_entries": entries,
        **single_figures,
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
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--single", type=int, default=200)
    parser.add_argument("--analyze-every", type=int, default=10_000)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        figures = run(
            PG_URL, args.invoices, args.batch, args.workers, args.single, args.analyze_every
        )
        print(json.dumps(figures))
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
            "--workers",
            str(args.workers),
            "--single",
            str(args.single),
            "--analyze-every",
            str(args.analyze_every),
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
