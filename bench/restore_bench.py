"""The restore drill on PostgreSQL: build a database of N invoices, back it up with
``faelles backup``, restore it into an empty database with ``faelles restore`` (which checks the
manifest and runs ``faelles audit verify`` and ``faelles ledger check``), and time each step.

    .venv/bin/python bench/restore_bench.py [--invoices 20000] [--seed 2000] [--jobs 2]
        [--keep] [--copy-batch 100000]

The 1,000,000-invoice drill of docs/design/operations.md is ``--invoices 1000000``.

Databases ``faelles_bench_restore_src`` and ``faelles_bench_restore_dst`` at $BENCH_PG_URL
(default ``postgres://postgres@127.0.0.1:5432``), dropped and created afresh (and dropped at
the end unless ``--keep``); the backup file is written under ``var/bench/``.

How the database is built (not timed as part of the drill):

* ``--seed`` invoices go through the real services, as in bench/payables_bench.py: received
  (Peppol BIS 3 documents, one or two lines, five vendors) with ``documents_receive``, coded
  automatically by rule, attested with ``invoices_attest_batch``;
* the rest are set-based copies of those attested seed invoices (SQL ``INSERT … SELECT`` over
  ``generate_series``): each copy has its own received document (the seed's bytes plus an XML
  comment ``<!-- copy k -->``, so its own sha256 and size), its own invoice (number suffixed
  ``-k``), lines and codings. The copies stay attested (no journal entries); each gets its
  seed's institution-chain audit events ("document accepted", "invoice attested") pointing at
  the copy, appended through ``record_events_bulk`` (``--no-copy-audit``: none). The seed's
  operator-chain "document received" event is not copied;
* finally the seed invoices are approved and posted with ``invoices_approve_batch`` (journal
  entries, balances, audit events), so ``faelles ledger check`` has real postings to check.

Timed: ``faelles backup`` and ``faelles restore`` as separate processes (what an operator
runs), with the restore's own steps (checksums, pg_restore + ANALYZE, manifest comparison,
audit verify and ledger check); then, outside the restore, a comparison of every document's
bytes: the sha256 of each restored document's content equals its stored hash and the source's.

The last line printed is one JSON object; the exit code is non-zero when the drill cannot run
or a step fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import payables_world  # the shared bench institution (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
SRC = "faelles_bench_restore_src"
DST = "faelles_bench_restore_dst"
MAIN_TABLES = (
    "payables_receiveddocument",
    "payables_invoice",
    "payables_invoiceline",
    "payables_invoiceallocation",
    "ledger_journalentry",
    "ledger_journalline",
    "core_auditevent",
)


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(BASE_URL + "/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _fresh(name: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')


# --- building the database (in a child process with Django set up on SRC) -----------------------


def _audit_copies(inst: Any, requester: Any, page: int = 10_000) -> int:
    """For every copied invoice, the audit events its seed has (document received and
    accepted, invoice attested), pointing at the copy, appended through the audit API."""
    from django.db import connection, transaction

    from faelles.core.audit import chain_for, record_events_bulk
    from faelles.core.models import AuditEvent

    actions = ("payables.document.received", "payables.document.accepted")
    seed: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for ev in (
        AuditEvent.objects.filter(
            chain=chain_for(inst), action__in=(*actions, "payables.invoice.attested")
        )
        .order_by("seq")
        .values("action", "object_type", "object_id", "details")
    ):
        seed.setdefault((ev["object_type"], ev["object_id"]), []).append(ev)
    written = 0
    last = 0
    while True:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT dm.new_inv, dm.old_inv, dm.new_doc, dm.old_doc, i.number, d.sha256, "
                "d.size FROM drill_map dm JOIN payables_invoice i ON i.id = dm.new_inv "
                "JOIN payables_receiveddocument d ON d.id = dm.new_doc "
                "WHERE dm.new_inv > %s ORDER BY dm.new_inv LIMIT %s",
                [last, page],
            )
            rows = cur.fetchall()
        if not rows:
            return written
        intake: list[dict[str, Any]] = []
        attest: list[dict[str, Any]] = []
        for new_inv, old_inv, new_doc, old_doc, number, sha256, size in rows:
            for ev in seed.get(("payables.receiveddocument", str(old_doc)), []):
                details = dict(ev["details"])
                for key, value in (
                    ("invoice", new_inv),
                    ("number", number),
                    ("sha256", sha256),
                    ("size", size),
                ):
                    if key in details:
                        details[key] = value
                intake.append(
                    {
                        "action": ev["action"],
                        "object_type": ev["object_type"],
                        "object_id": str(new_doc),
                        "details": details,
                    }
                )
            for ev in seed.get(("payables.invoice", str(old_inv)), []):
                attest.append(
                    {
                        "action": ev["action"],
                        "object_type": ev["object_type"],
                        "object_id": str(new_inv),
                        "details": ev["details"],
                    }
                )
        with transaction.atomic():
            record_events_bulk(institution=inst, actor=None, events=intake)
            record_events_bulk(institution=inst, actor=requester, events=attest)
        written += len(intake) + len(attest)
        last = rows[-1][0]
        print(f"audit events for copies: {written}", flush=True)


def build(invoices: int, seed: int, copy_batch: int, audit_copies: bool) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = f"{BASE_URL}/{SRC}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from faelles.payables import services
    from faelles.payables.models import Invoice, InvoiceAllocation, InvoiceLine, ReceivedDocument
    from faelles.tenancy.models import Role

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    inst, people, document = payables_world.build("Drillstyrelsen", "DRILL")

    sources = [(document(n), f"{n}.xml") for n in range(seed)]
    for _ in services.documents_receive(sources=sources, channel="import", batch_size=500):
        pass
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ids = list(Invoice.objects.filter(institution=inst).order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), 500):
        chunk = list(Invoice.objects.filter(pk__in=ids[i : i + 500]).only("institution"))
        services.invoices_attest_batch(actor=people[Role.REQUESTER], invoices=chunk)
    attested = Invoice.objects.filter(institution=inst, state="attested").count()
    seed_s = time.perf_counter() - started

    # Set-based copies of the attested seed invoices, in rounds of at most copy_batch.
    started = time.perf_counter()
    copies = max(0, invoices - attested)
    per_round = max(1, copy_batch // max(1, attested))
    k_done = 0

    def cols(model: Any) -> list[str]:
        return [f.column for f in model._meta.concrete_fields if f.column != "id"]

    def select(model: Any, alias: str, overrides: dict[str, str]) -> tuple[str, str]:
        names = cols(model)
        exprs = [overrides.get(c, f'{alias}."{c}"') for c in names]
        return "id, " + ", ".join(f'"{c}"' for c in names), ", ".join(exprs)

    marked = "({d}.content || convert_to(format('<!-- copy %s -->', m.k), 'UTF8'))"
    doc_cols, doc_exprs = select(
        ReceivedDocument,
        "d",
        {
            "content": marked.format(d="d"),
            "sha256": f"encode(sha256({marked.format(d='d')}), 'hex')",
            "size": f"length({marked.format(d='d')})",
        },
    )
    inv_cols, inv_exprs = select(
        Invoice,
        "i",
        {
            "document_id": "m.new_doc",
            "number": "i.number || '-' || m.k",
            "number_key": "i.number_key || '-' || m.k",
        },
    )
    line_cols, line_exprs = select(InvoiceLine, "l", {"invoice_id": "ml.new_inv"})
    alloc_cols, alloc_exprs = select(
        InvoiceAllocation, "a", {"invoice_id": "ml.new_inv", "line_id": "ml.new_line"}
    )
    with connection.cursor() as cur:
        cur.execute(
            "CREATE UNLOGGED TABLE drill_map (new_inv bigint PRIMARY KEY, old_inv bigint, "
            "new_doc bigint, old_doc bigint)"
        )
    while k_done * attested < copies:
        k_to = min(k_done + per_round, -(-copies // attested))
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "CREATE TEMP TABLE m ON COMMIT DROP AS "
                "SELECT i.id AS old_inv, i.document_id AS old_doc, k, "
                "nextval(pg_get_serial_sequence('payables_invoice', 'id')) AS new_inv, "
                "nextval(pg_get_serial_sequence('payables_receiveddocument', 'id')) AS new_doc "
                "FROM payables_invoice i CROSS JOIN generate_series(%s, %s) AS k "
                "WHERE i.id = ANY(%s) AND i.state = 'attested' "
                "ORDER BY k, i.id LIMIT %s",
                [k_done + 1, k_to, ids, copies - k_done * attested],
            )
            cur.execute("INSERT INTO drill_map SELECT new_inv, old_inv, new_doc, old_doc FROM m")
            cur.execute(
                "CREATE TEMP TABLE ml ON COMMIT DROP AS SELECT l.id AS old_line, m.new_inv, "
                "nextval(pg_get_serial_sequence('payables_invoiceline', 'id')) AS new_line "
                "FROM m JOIN payables_invoiceline l ON l.invoice_id = m.old_inv"
            )
            cur.execute(
                f"INSERT INTO payables_receiveddocument ({doc_cols}) SELECT m.new_doc, "
                f"{doc_exprs} FROM m JOIN payables_receiveddocument d ON d.id = m.old_doc"
            )
            cur.execute(
                f"INSERT INTO payables_invoice ({inv_cols}) SELECT m.new_inv, {inv_exprs} "
                "FROM m JOIN payables_invoice i ON i.id = m.old_inv"
            )
            cur.execute(
                f"INSERT INTO payables_invoiceline ({line_cols}) SELECT ml.new_line, "
                f"{line_exprs} FROM ml JOIN payables_invoiceline l ON l.id = ml.old_line"
            )
            cur.execute(
                f"INSERT INTO payables_invoiceallocation ({alloc_cols}) SELECT "
                f"nextval(pg_get_serial_sequence('payables_invoiceallocation', 'id')), "
                f"{alloc_exprs} FROM ml JOIN payables_invoiceallocation a "
                "ON a.line_id = ml.old_line"
            )
        k_done = k_to
        print(f"copies up to round {k_done}: {time.perf_counter() - started:.0f} s", flush=True)
    copy_s = time.perf_counter() - started
    started = time.perf_counter()
    copy_events = _audit_copies(inst, people[Role.REQUESTER]) if audit_copies else 0
    with connection.cursor() as cur:
        cur.execute("DROP TABLE drill_map")
    audit_copies_s = time.perf_counter() - started

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seed_ids = ids
    for i in range(0, len(seed_ids), 500):
        chunk = list(Invoice.objects.filter(pk__in=seed_ids[i : i + 500]).only("institution"))
        services.invoices_approve_batch(actor=people[Role.APPROVER], invoices=chunk)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    post_s = time.perf_counter() - started
    return {
        "seed_invoices": seed,
        "seed_attested": attested,
        "seed_s": round(seed_s, 1),
        "copy_s": round(copy_s, 1),
        "copy_audit_events": copy_events,
        "copy_audit_s": round(audit_copies_s, 1),
        "post_and_vacuum_s": round(post_s, 1),
    }


# --- the drill ------------------------------------------------------------------------------------


def _db_facts(name: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(f"{BASE_URL}/{name}") as conn:
        rows = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in MAIN_TABLES}
        posted = conn.execute(
            "SELECT count(*) FROM payables_invoice WHERE state = 'posted'"
        ).fetchone()[0]
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        content = conn.execute(
            "SELECT coalesce(sum(octet_length(content)), 0) FROM payables_receiveddocument"
        ).fetchone()[0]
    return {
        "rows": rows,
        "posted_invoices": posted,
        "document_bytes": int(content),
        "database_bytes": int(size),
    }


def _documents_digest(name: str, check_content: bool) -> tuple[str, int]:
    """A digest over every document's (id, stored sha256); with ``check_content``, also the
    number of documents whose content does not hash to the stored sha256."""
    import psycopg

    with psycopg.connect(f"{BASE_URL}/{name}") as conn:
        digest = conn.execute(
            "SELECT md5(string_agg(id::text || ':' || sha256, ',' ORDER BY id)) "
            "FROM payables_receiveddocument"
        ).fetchone()[0]
        bad = 0
        if check_content:
            bad = conn.execute(
                "SELECT count(*) FROM payables_receiveddocument "
                "WHERE encode(sha256(content), 'hex') <> sha256"
            ).fetchone()[0]
    return str(digest), int(bad)


def _faelles(args: list[str], db: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "DATABASE_URL": f"{BASE_URL}/{db}", "FAELLES_ENV": "development"}
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "faelles", *args], env=env, capture_output=True, text=True
    )
    return proc, time.perf_counter() - started


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def drill(args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {"bench": "restore", "invoices": args.invoices}
    result["load_before"] = _load()
    _fresh(SRC)
    started = time.perf_counter()
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--invoices",
            str(args.invoices),
            "--seed",
            str(args.seed),
            "--copy-batch",
            str(args.copy_batch),
            *(["--no-copy-audit"] if args.no_copy_audit else []),
        ],
        capture_output=True,
        text=True,
    )
    if child.returncode != 0:
        raise RuntimeError("building the database failed: " + child.stderr.strip()[-2000:])
    result["build"] = json.loads(child.stdout.strip().splitlines()[-1])
    result["build"]["total_s"] = round(time.perf_counter() - started, 1)
    result["source"] = _db_facts(SRC)
    if result["source"]["rows"]["payables_invoice"] != args.invoices:
        raise RuntimeError(f"built {result['source']['rows']['payables_invoice']} invoices")

    out = ROOT / "var" / "bench" / f"restore-{args.invoices}.tar"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    result["load_at_backup"] = _load()
    proc, backup_s = _faelles(["backup", "--out", str(out)], SRC)
    if proc.returncode != 0:
        raise RuntimeError("faelles backup failed: " + (proc.stderr or proc.stdout)[-2000:])
    result["backup"] = {"s": round(backup_s, 1), "file_bytes": out.stat().st_size}

    _fresh(DST)
    result["load_at_restore"] = _load()
    proc, restore_s = _faelles(["restore", "--jobs", str(args.jobs), str(out)], DST)
    if proc.returncode != 0:
        raise RuntimeError("faelles restore failed: " + (proc.stderr or proc.stdout)[-2000:])
    steps = re.search(r"\(([\d.]+) s: (.*)\)\s*$", proc.stdout.strip())
    result["restore"] = {
        "s": round(restore_s, 1),
        "jobs": args.jobs,
        "steps_s": (
            {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s", steps.group(2))}
            if steps
            else {}
        ),
        "output": proc.stdout.strip().splitlines()[1:-1],
    }
    result["backup_plus_restore_verified_s"] = round(backup_s + restore_s, 1)

    started = time.perf_counter()
    src_digest, _ = _documents_digest(SRC, check_content=False)
    dst_digest, bad = _documents_digest(DST, check_content=True)
    result["documents_check"] = {
        "s": round(time.perf_counter() - started, 1),
        "same_ids_and_hashes_as_source": src_digest == dst_digest,
        "content_not_matching_hash": bad,
    }
    result["restored"] = _db_facts(DST)
    result["load_after"] = _load()
    if src_digest != dst_digest or bad or result["restored"]["rows"] != result["source"]["rows"]:
        raise RuntimeError("the restored documents or rows differ from the source")
    if not args.keep:
        out.unlink(missing_ok=True)
        _admin(f'DROP DATABASE IF EXISTS "{SRC}" WITH (FORCE)')
        _admin(f'DROP DATABASE IF EXISTS "{DST}" WITH (FORCE)')
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invoices", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2_000)
    parser.add_argument("--copy-batch", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2, help="pg_restore jobs")
    parser.add_argument("--keep", action="store_true", help="keep the databases and the file")
    parser.add_argument(
        "--no-copy-audit", action="store_true", help="no audit events for the copied invoices"
    )
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    args.seed = min(args.seed, args.invoices)
    if args.child:
        print(json.dumps(build(args.invoices, args.seed, args.copy_batch, not args.no_copy_audit)))
        return 0
    try:
        _admin("SELECT 1")
    except Exception as exc:
        print(json.dumps({"bench": "restore", "error": f"no PostgreSQL at {BASE_URL}: {exc}"}))
        return 1
    try:
        result = drill(args)
    except Exception as exc:
        print(json.dumps({"bench": "restore", "invoices": args.invoices, "error": str(exc)}))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
