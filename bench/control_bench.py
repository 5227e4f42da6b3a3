"""All five controls of faelles.control over 1,000,000 invoices and 200,000 employees, on
PostgreSQL, timed as one run (``control_run``: load, match, store the hits).

    .venv/bin/python bench/control_bench.py [--invoices 1000000] [--employees 200000]
        [--institutions 100] [--keep] [--reuse]

Database ``faelles_bench_control`` at $BENCH_PG_URL (default
``postgres://postgres@127.0.0.1:5432``), dropped and created afresh unless ``--reuse`` (then
the data of an earlier ``--keep`` run is used and only the run is timed again).

How the data is built (set-based SQL, not timed):

* ``--institutions`` institutions served by one operator; 5,000 vendor companies (CVR), each
  institution with 200 of them in its vendor master (the same CVR in many institutions), each
  with an IBAN in the vendor master and on its invoices;
* ``--invoices`` invoices over a year: own document (a small UBL stub; the newest invoice of
  each vendor carries the seller's postal address), numbers ``INV-<n>``, amounts spread over
  100–5,100 DKK; 40 % paid in weekly payment runs, with audit events "approved" and "paid" by
  two different people (so the segregation-of-duties control reads 800,000 events at 1M);
* planted, 1 per 1,000 invoices: duplicates of existing invoices (number with a leading zero,
  blanks, or ``lNV``/``O`` OCR confusions; a fifth sent to another institution with the same
  CVR; half of them paid in the next run) and near-misses (the same vendor, amount and date
  but another invoice number); 1 per 2,000 invoices: an invoice approved and paid by one
  person;
* ``--employees`` employee records through the control app's employee interface
  (``people.employee_source``: the payroll app's models are being built beside this one),
  with 200 whose salary account is a vendor's account and 100 whose name and address are a
  vendor's.

Printed last: one JSON object with the run's seconds (and per step), the rows read, hits per
control, and whether every planted duplicate was found and no near-miss was on the work list.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB = "faelles_bench_control"
COMPANIES = 5000
PER_INSTITUTION = 200


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(BASE_URL + "/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _insert(cursor: Any, model: Any, source: str, exprs: dict[str, str]) -> None:
    """INSERT … SELECT for ``model``: the given column expressions over ``source``; every
    other NOT NULL column its type's empty value (nullable columns are left out)."""
    from django.db import models

    columns, values = [], []
    for f in model._meta.concrete_fields:
        if f.column in exprs:
            columns.append(f.column)
            values.append(exprs[f.column])
        elif f.null or f.column == "id":
            continue
        else:
            columns.append(f.column)
            if isinstance(f, models.JSONField):
                values.append("'{}'::jsonb" if f.default is dict else "'[]'::jsonb")
            elif isinstance(f, models.BooleanField):
                values.append("false")
            elif isinstance(f, models.DateTimeField):
                values.append("now()")
            elif isinstance(f, (models.DecimalField, models.IntegerField)):
                values.append("0")
            else:
                values.append("''")
    cols = ", ".join(f'"{c}"' for c in columns)
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({cols}) SELECT {', '.join(values)} {source}"
    )


def build(n_invoices: int, n_institutions: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from faelles.core.models import AuditEvent
    from faelles.payables.models import (
        Invoice,
        PaymentRun,
        ReceivedDocument,
        Vendor,
        VendorPaymentDetails,
    )
    from faelles.tenancy.models import Institution, Operator, ServiceAgreement, User

    started = time.perf_counter()
    operator = Operator.objects.create(name="Bench-driftsherre", cvr="12345674")
    insts = Institution.objects.bulk_create(
        [
            Institution(name=f"Bench {i}", short_name=f"B{i:03d}", kind="agency")
            for i in range(n_institutions)
        ]
    )
    ServiceAgreement.objects.bulk_create(
        [
            ServiceAgreement(
                institution=i, operator=operator, services=["payables"], valid_from="2020-01-01"
            )
            for i in insts
        ]
    )
    approver = User.objects.create_user("bench-approver", password=None)
    payer = User.objects.create_user("bench-payer", password=None)
    first = insts[0].pk
    n_inst = n_institutions
    plant_every = 1000
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "CREATE TEMP TABLE company AS SELECT g AS c, 'DK00' || lpad(g::text, 14, '0') AS iban, "
            "'Firma ' || g || ' ApS' AS name, 'Industrivej ' || g || ', ' || (1000 + g % 8000) || ' By' AS address "
            f"FROM generate_series(0, {COMPANIES - 1}) g",
        )
        # vendor k of institution i is company (i * 37 + k * 13) % COMPANIES
        _insert(
            c,
            Vendor,
            f"FROM generate_series(0, {n_inst - 1}) i, generate_series(0, {PER_INSTITUTION - 1}) k "
            "JOIN LATERAL (SELECT (i * 37 + k * 13) % {COMPANIES} AS c) x ON true".replace(
                "{COMPANIES}", str(COMPANIES)
            ),
            {
                "institution_id": f"{first} + i",
                "name": "'Firma ' || x.c || ' ApS'",
                "cvr": "lpad((40000000 + x.c)::text, 8, '0')",
                "created_at": "now()",
            },
        )
        c.execute(
            "CREATE TEMP TABLE vmap AS SELECT v.id AS vendor_id, v.institution_id, "
            "(v.cvr::int - 40000000) AS c, row_number() OVER (PARTITION BY v.institution_id ORDER BY v.id) - 1 AS k "
            "FROM payables_vendor v"
        )
        c.execute("CREATE INDEX ON vmap (institution_id, k)")
        _insert(
            c,
            VendorPaymentDetails,
            "FROM vmap m JOIN company co ON co.c = m.c",
            {
                "institution_id": "m.institution_id",
                "vendor_id": "m.vendor_id",
                "key": "'iban:' || co.iban",
                "created_at": "now()",
            },
        )
        # payment runs: one per institution and week
        _insert(
            c,
            PaymentRun,
            f"FROM generate_series(0, {n_inst - 1}) i, generate_series(0, 55) w",
            {
                "institution_id": f"{first} + i",
                "execution_date": "date '2025-01-20' + 7 * w",
                "debtor_iban": "'DK5000400440116243'",
                "state": "'paid'",
                "total": "0",
                "created_by_id": str(payer.pk),
                "created_at": "now()",
            },
        )
        c.execute(
            "CREATE TEMP TABLE runs AS SELECT id, institution_id, "
            "((execution_date - date '2025-01-20') / 7) AS w FROM payables_paymentrun"
        )
        c.execute("CREATE INDEX ON runs (institution_id, w)")
        # the invoices: g = 1..n; planted duplicates and near-misses are extra rows below
        c.execute(
            f"""CREATE TEMP TABLE spec AS
            SELECT g, {first} + g % {n_inst} AS inst, (g / {n_inst}) % {PER_INSTITUTION} AS k,
                   'INV-' || g AS number, date '2025-01-01' + (g * 7) % 365 AS issued,
                   (10000 + (g::bigint * 7919) % 500000) AS cents,
                   CASE WHEN g % 5 < 2 THEN 'paid' ELSE 'posted' END AS state, 0 AS kind
            FROM generate_series(1, {n_invoices}) g"""
        )
        # duplicates: of every plant_every-th invoice; kind 1 same institution, 2 another
        c.execute(
            f"""INSERT INTO spec
            SELECT {n_invoices} + p.n, CASE WHEN p.n % 5 = 0 THEN {first} + (s.inst - {first} + 1) % {n_inst} ELSE s.inst END,
                   s.k,
                   CASE p.n % 4 WHEN 0 THEN 'INV-0' || s.g WHEN 1 THEN 'INV ' || s.g
                              WHEN 2 THEN 'lNV-' || s.g ELSE 'INV-' || replace(s.g::text, '0', 'O') END,
                   s.issued + 3, s.cents, CASE WHEN p.n % 2 = 0 THEN 'paid' ELSE 'posted' END,
                   CASE WHEN p.n % 5 = 0 THEN 2 ELSE 1 END
            FROM generate_series(1, {n_invoices // plant_every}) p(n)
            JOIN spec s ON s.g = p.n * {plant_every} - 19"""
        )
        # near-misses: the same vendor, amount and date, another number
        c.execute(
            f"""INSERT INTO spec
            SELECT {2 * n_invoices} + p.n, s.inst, s.k, 'INV-' || (s.g + 7), s.issued, s.cents,
                   'posted', 3
            FROM generate_series(1, {n_invoices // plant_every}) p(n)
            JOIN spec s ON s.g = p.n * {plant_every} - 501"""
        )
        # a cross-institution duplicate is the same company in the other institution
        c.execute("""CREATE TEMP TABLE spec2 AS
            SELECT s.*, COALESCE(m2.vendor_id, m.vendor_id) AS vendor_id, m.c
            FROM spec s JOIN vmap m ON m.institution_id = s.inst AND m.k = s.k
            LEFT JOIN vmap m2 ON false""")
        c.execute(
            f"""UPDATE spec2 SET vendor_id = v.id
            FROM payables_vendor v, spec o
            WHERE spec2.kind = 2 AND o.g = (spec2.g - {n_invoices}) * {plant_every} - 19
              AND v.institution_id = spec2.inst
              AND v.cvr = lpad((40000000 + (SELECT c FROM vmap WHERE institution_id = o.inst AND k = o.k))::text, 8, '0')"""
        )
        # a cross-institution duplicate whose company the other institution does not buy from
        # gets a vendor row there
        _insert(
            c,
            Vendor,
            f"""FROM (SELECT DISTINCT s.inst, m.c FROM spec2 s JOIN spec o
                      ON o.g = (s.g - {n_invoices}) * {plant_every} - 19
                    JOIN vmap m ON m.institution_id = o.inst AND m.k = o.k
                    WHERE s.kind = 2 AND NOT EXISTS (
                      SELECT 1 FROM payables_vendor v WHERE v.institution_id = s.inst
                        AND v.cvr = lpad((40000000 + m.c)::text, 8, '0'))) z""",
            {
                "institution_id": "z.inst",
                "name": "'Firma ' || z.c || ' ApS'",
                "cvr": "lpad((40000000 + z.c)::text, 8, '0')",
                "created_at": "now()",
            },
        )
        c.execute(
            f"""UPDATE spec2 SET vendor_id = v.id, c = m.c
            FROM spec o, vmap m, payables_vendor v
            WHERE spec2.kind = 2 AND o.g = (spec2.g - {n_invoices}) * {plant_every} - 19
              AND m.institution_id = o.inst AND m.k = o.k
              AND v.institution_id = spec2.inst AND v.cvr = lpad((40000000 + m.c)::text, 8, '0')"""
        )
        _insert(
            c,
            ReceivedDocument,
            "FROM spec2 s",
            {
                "sha256": "md5('d' || s.g) || md5('e' || s.g)",
                "content": "convert_to('<Invoice/>', 'UTF8')",
                "size": "10",
                "channel": "CASE WHEN s.g % 4 = 0 THEN 'upload' ELSE 'api' END",
                "received_at": "now()",
                "status": "'accepted'",
                "institution_id": "s.inst",
                "syntax": "'peppol'",
                "document_type": "'Invoice'",
                "filename": "s.g::text",
            },
        )
        c.execute(
            "CREATE TEMP TABLE docs AS SELECT id, filename::bigint AS g FROM payables_receiveddocument"
        )
        c.execute("CREATE INDEX ON docs (g)")
        _insert(
            c,
            Invoice,
            "FROM spec2 s JOIN docs d ON d.g = s.g JOIN company co ON co.c = s.c "
            "LEFT JOIN runs r ON s.state = 'paid' AND r.institution_id = s.inst "
            "AND r.w = LEAST(55, GREATEST(0, ((s.issued + 20) - date '2025-01-20') / 7))",
            {
                "institution_id": "s.inst",
                "document_id": "d.id",
                "vendor_id": "s.vendor_id",
                "kind": "'Invoice'",
                "number": "s.number",
                "number_key": "upper(s.number)",
                "issue_date": "s.issued",
                "currency": "'DKK'",
                "net_amount": "round(s.cents * 0.8) / 100.0",
                "vat_amount": "(s.cents - round(s.cents * 0.8)) / 100.0",
                "payable_amount": "s.cents / 100.0",
                "state": "s.state",
                "received_at": "now()",
                "payment_run_id": "r.id",
                "payment_means": "jsonb_build_array(jsonb_build_object('kind', 'iban', 'iban', co.iban))",
            },
        )
        # the newest document of each vendor names the seller's postal address
        c.execute(
            """UPDATE payables_receiveddocument d SET content = convert_to(
                 '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
                 || 'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
                 || 'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
                 || '<cac:AccountingSupplierParty><cac:Party><cac:PostalAddress><cbc:StreetName>'
                 || split_part(co.address, ', ', 1) || '</cbc:StreetName><cbc:PostalZone>'
                 || split_part(split_part(co.address, ', ', 2), ' ', 1)
                 || '</cbc:PostalZone><cbc:CityName>By</cbc:CityName></cac:PostalAddress>'
                 || '</cac:Party></cac:AccountingSupplierParty></Invoice>', 'UTF8')
               FROM (SELECT vendor_id, max(document_id) AS doc FROM payables_invoice GROUP BY vendor_id) n
               JOIN payables_vendor v ON v.id = n.vendor_id
               JOIN company co ON co.c = v.cvr::int - 40000000
               WHERE d.id = n.doc"""
        )
        # audit events of the paid invoices: approved by one person, paid by another (every
        # 2,000th: the same person). Rows for the controls only (their chain hashes are
        # placeholders: this database is never audited).
        c.execute("SELECT id FROM payables_invoice WHERE state = 'paid' ORDER BY id")
        _insert(
            c,
            AuditEvent,
            """FROM (SELECT i.id, i.institution_id, e.step,
                        row_number() OVER (ORDER BY i.id, e.step) AS seq
                      FROM payables_invoice i, (VALUES (0), (1)) e(step)
                      WHERE i.state = 'paid') x""",
            {
                "chain": "'bench'",
                "seq": "x.seq",
                "institution_id": "x.institution_id",
                "actor_id": f"CASE WHEN x.step = 0 OR x.id % 2000 = 0 THEN {approver.pk} ELSE {payer.pk} END",
                "action": "CASE WHEN x.step = 0 THEN 'payables.invoice.approved' ELSE 'payables.invoice.paid' END",
                "object_type": "'payables.invoice'",
                "object_id": "x.id::text",
                "details": "'{}'::jsonb",
                "created_at": "now()",
                "prev_hash": "''",
                "hash": "md5(x.seq::text)",
            },
        )
        c.execute("ANALYZE")
    counts = {}
    with connection.cursor() as c:
        for table in (
            "payables_invoice",
            "payables_vendor",
            "payables_paymentrun",
            "core_auditevent",
        ):
            c.execute(f"SELECT count(*) FROM {table}")
            counts[table] = c.fetchone()[0]
    return {
        "build_seconds": round(time.perf_counter() - started, 1),
        "rows": counts,
        "operator": operator.pk,
    }


def employees(n: int, n_institutions: int, first: int) -> list[Any]:
    """The employee records: every 1,000th has a vendor company's IBAN as salary account
    (200 at 200,000), every 2,000th the name and address of a vendor company (100)."""
    from faelles.control import normalize
    from faelles.control.people import EmployeeRecord

    out = []
    for e in range(n):
        inst = first + e % n_institutions
        name, address = f"Person {e} Jensen", f"Boligvej {e}, {1000 + (e * 7) % 8000} By"
        account = normalize.account_key("dk", str(e), reg="9" + str(e % 1000).zfill(3))
        if e % 1000 == 0:
            company = (inst - first) * 37 % COMPANIES
            account = normalize.account_key("iban", "DK00" + str(company).zfill(14))
        if e % 2000 == 1:
            company = ((inst - first) * 37 + 13) % COMPANIES
            name = f"Firma {company}"
            address = f"Industrivej {company}, {1000 + company % 8000} By"
        out.append(EmployeeRecord(inst, 10_000_000 + e, name, address, account))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--institutions", type=int, default=100)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()

    if not args.reuse:
        _admin(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{DB}"')
    os.environ["DATABASE_URL"] = f"{BASE_URL}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from faelles.control.models import WORK_LIST_THRESHOLD, Hit
    from faelles.control.people import employee_source
    from faelles.control.services import control_run
    from faelles.tenancy.models import Institution, Operator

    result: dict[str, Any] = {
        "bench": "control",
        "invoices": args.invoices,
        "employees": args.employees,
        "institutions": args.institutions,
    }
    if not args.reuse:
        call_command("migrate", verbosity=0, interactive=False)
        result.update(build(args.invoices, args.institutions))
    operator = Operator.objects.get(name="Bench-driftsherre")
    first = Institution.objects.filter(short_name="B000").values_list("pk", flat=True).get()
    staff = employees(args.employees, args.institutions, first)
    load = os.getloadavg()
    started = time.perf_counter()
    with employee_source(lambda institutions: staff):
        run = control_run(actor=None, operator=operator)
    seconds = time.perf_counter() - started

    from faelles.payables.models import Invoice

    n = args.invoices
    on_list = Hit.objects.filter(last_run=run, score__gte=WORK_LIST_THRESHOLD)
    dup_groups = [
        {o["id"] for o in objs}
        for objs in on_list.filter(control="duplicate_invoices").values_list(
            "objects_involved", flat=True
        )
    ]
    flagged = set().union(*dup_groups) if dup_groups else set()
    numbers = dict(Invoice.objects.filter(pk__in=flagged).values_list("pk", "number"))
    planted = n // 1000
    found_numbers = {numbers[i] for i in flagged}
    near_numbers = {f"INV-{g * 1000 - 501 + 7}" for g in range(1, planted + 1)}
    dup_numbers_found = sum(1 for g in dup_groups if len(g) >= 2)
    result.update(
        {
            "seconds": round(seconds, 2),
            "goal_seconds": 60,
            "within_goal": seconds <= 60,
            "steps": run.summary.get("seconds", {}),
            "hits": {k: v["hits"] for k, v in run.summary["controls"].items()},
            "work_list": {k: v["work_list"] for k, v in run.summary["controls"].items()},
            "planted_duplicates": planted,
            "duplicate_groups_on_work_list": dup_groups and dup_numbers_found,
            "all_planted_duplicates_found": dup_numbers_found >= planted,
            "near_misses_on_work_list": len(found_numbers & near_numbers),
            "load_average_before": [round(x, 2) for x in load],
            "cpus": os.cpu_count(),
        }
    )
    if not args.keep:
        from django.db import connections

        connections.close_all()
        _admin(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
