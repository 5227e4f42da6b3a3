"""What the controls read, pulled once per run into DuckDB tables (set-based, no per-row ORM).

Each source is one SQL query built with the ORM (so it follows the models) and copied into an
in-process DuckDB database: on PostgreSQL with ``COPY … TO STDOUT`` (CSV, streamed to a
temporary file DuckDB reads in parallel), elsewhere through one cursor. Amounts travel as
integer øre (``cents``) and become Decimal again only for the hits.

Tables (all narrowed to the institutions of the run):

* ``vendors(id, institution_id, name, vendor_key)`` — ``vendor_key`` is the vendor's identity
  across institutions: its CVR, else GLN, else VAT id, else its normalised name;
* ``invoices(id, institution_id, vendor_id, document_id, number, issue_date, cents, state,
  payment_run_id)`` — invoices (not credit notes) that may be paid (not rejected, not stored
  as an exact duplicate at intake);
* ``payments(id, institution_id, vendor_id, number, cents, pay_date, run_id, account,
  payment_id)`` — invoices in payment runs, with the account the run pays to;
* ``vendor_accounts(vendor_id, institution_id, account)`` — every account a vendor master
  has held (current and history);
* ``duties(institution_id, invoice_id, run_id, person_id, duty)`` — who did what,
  from the audit trail;
* ``employees(institution_id, id, name, address, account)`` — from :mod:`faelles.control.people`.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from typing import Any

import duckdb
import pandas as pd
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import MD5, Cast, Round

from faelles.control import normalize
from faelles.core.models import AuditEvent
from faelles.payables.models import (
    Invoice,
    InvoiceState,
    PaymentRun,
    Vendor,
    VendorPaymentDetails,
)

#: Audit actions and the duty they stand for (segregation of duties).
DUTY_ACTIONS: dict[str, str] = {
    "payables.document.received": "create",
    "payables.invoice.coded": "create",
    "payables.invoice.first_approved": "approve",
    "payables.invoice.approved": "approve",
    "payables.invoice.scheduled": "pay",
    "payables.invoice.paid": "pay",
    "payables.payment_run.created": "create_run",
    "payables.payment_run.released": "release_run",
}


def _copy_to_file(sql: str, params: Sequence[Any]) -> str:
    """``COPY (sql) TO STDOUT`` (CSV) into a temporary file; answers its path."""
    fd, path = tempfile.mkstemp(prefix="faelles-control-", suffix=".csv")
    with os.fdopen(fd, "wb") as out, connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for chunk in copy:
                out.write(chunk)
    return path


#: Files already copied by :func:`prefetch`, by table name (this run's thread only).
_PREFETCHED: ContextVar[dict[str, str] | None] = ContextVar("faelles_control_files", default=None)


def _copy_in_thread(sql: str, params: Sequence[Any]) -> str:
    try:
        return _copy_to_file(sql, params)
    finally:
        connection.close()  # the thread's own connection


@contextlib.contextmanager
def prefetch(querysets: dict[str, QuerySet[Any]]) -> Iterator[None]:
    """Copy the big sources out of PostgreSQL at the same time (one server process and one
    connection each); :func:`load_query` then reads the files instead of asking again. A
    no-op elsewhere (SQLite reads through one cursor anyway)."""
    # Inside a transaction the other connections would not see its rows: read in this one.
    if connection.vendor != "postgresql" or not querysets or connection.in_atomic_block:
        yield
        return
    statements = {n: qs.query.sql_with_params() for n, qs in querysets.items()}
    with ThreadPoolExecutor(max_workers=len(statements)) as pool:
        futures = {n: pool.submit(_copy_in_thread, sql, p) for n, (sql, p) in statements.items()}
        files = {n: f.result() for n, f in futures.items()}
    token = _PREFETCHED.set(files)
    try:
        yield
    finally:
        _PREFETCHED.reset(token)
        for path in files.values():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def _copy_pg(
    con: duckdb.DuckDBPyConnection,
    name: str,
    sql: str,
    params: Sequence[Any],
    columns: dict[str, str],
) -> None:
    files = _PREFETCHED.get() or {}
    path = files.get(name) or _copy_to_file(sql, params)
    try:
        if os.path.getsize(path) == 0:
            # DuckDB cannot sniff an empty file: no rows, an empty table of the columns.
            cols = ", ".join(f"{c} {t}" for c, t in columns.items())
            con.execute(f"CREATE OR REPLACE TABLE {name} ({cols})")
            return
        spec = ", ".join(f"'{c}': '{t}'" for c, t in columns.items())
        con.execute(
            f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_csv(?, header=false, "  # noqa: S608 - names are this module's own
            f"columns={{{spec}}}, quote='\"', escape='\"', nullstr='')",
            [path],
        )
    finally:
        os.unlink(path)


def _copy_cursor(
    con: duckdb.DuckDBPyConnection,
    name: str,
    sql: str,
    params: Sequence[Any],
    columns: dict[str, str],
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    _table(con, name, rows, columns)


def _table(
    con: duckdb.DuckDBPyConnection,
    name: str,
    rows: Iterable[Sequence[Any]],
    columns: dict[str, str],
) -> None:
    """A DuckDB table ``name`` from Python rows, typed by ``columns``."""
    names = list(columns)
    frame = pd.DataFrame.from_records(list(rows), columns=names)
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series([], dtype="object") for c in names})
    else:
        frame = frame.astype("object")
    view = f"_src_{name}"
    con.register(view, frame)
    casts = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in columns.items())
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {casts} FROM {view}")  # noqa: S608 - names are this module's own
    con.unregister(view)


def load_query(
    con: duckdb.DuckDBPyConnection, name: str, queryset: QuerySet[Any], columns: dict[str, str]
) -> None:
    """Copy ``queryset`` (a ``values_list`` of exactly ``columns``, in order) into ``name``."""
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":
        _copy_pg(con, name, sql, params, columns)
    else:
        _copy_cursor(con, name, sql, params, columns)


def _cents(field: str) -> Cast:
    return Cast(Round(F(field) * 100), BigIntegerField())


def load_vendors(con: duckdb.DuckDBPyConnection, institutions: list[int]) -> None:
    load_query(
        con,
        "vendors_raw",
        Vendor.objects.filter(institution_id__in=institutions)
        .order_by()
        .values_list("id", "institution_id", "name", "cvr", "gln", "vat_id"),
        {
            "id": "BIGINT",
            "institution_id": "BIGINT",
            "name": "VARCHAR",
            "cvr": "VARCHAR",
            "gln": "VARCHAR",
            "vat_id": "VARCHAR",
        },
    )
    names = con.execute("SELECT DISTINCT coalesce(name, '') FROM vendors_raw").fetchall()
    _table(
        con,
        "vendor_names",
        [(n, normalize.name_key(n)) for (n,) in names],
        {"name": "VARCHAR", "name_key": "VARCHAR"},
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE vendors AS
        SELECT v.id, v.institution_id, v.name,
               CASE WHEN coalesce(v.cvr, '') <> '' THEN 'cvr:' || v.cvr
                    WHEN coalesce(v.gln, '') <> '' THEN 'gln:' || v.gln
                    WHEN coalesce(v.vat_id, '') <> '' THEN 'vat:' || upper(v.vat_id)
                    ELSE 'name:' || n.name_key END AS vendor_key
        FROM vendors_raw v JOIN vendor_names n ON n.name = coalesce(v.name, '')
        """
    )


def invoices_query(institutions: list[int]) -> QuerySet[Any]:
    return (
        Invoice.objects.filter(
            institution_id__in=institutions,
            kind=Invoice.Kind.INVOICE,
            duplicate_of__isnull=True,
        )
        .exclude(state=InvoiceState.REJECTED)
        .order_by()
        .annotate(cents=_cents("payable_amount"))
        .values_list(
            "id",
            "institution_id",
            "vendor_id",
            "document_id",
            "number",
            "issue_date",
            "cents",
            "payment_run_id",
        )
    )


def load_invoices(con: duckdb.DuckDBPyConnection, institutions: list[int]) -> None:
    qs = invoices_query(institutions)
    load_query(
        con,
        "invoices",
        qs,
        {
            "id": "BIGINT",
            "institution_id": "BIGINT",
            "vendor_id": "BIGINT",
            "document_id": "BIGINT",
            "number": "VARCHAR",
            "issue_date": "DATE",
            "cents": "BIGINT",
            "payment_run_id": "BIGINT",
        },
    )


def _paid(institutions: list[int]) -> QuerySet[Invoice]:
    return Invoice.objects.filter(
        institution_id__in=institutions, kind=Invoice.Kind.INVOICE, payment_run__isnull=False
    ).order_by()


def paid_means_query(institutions: list[int]) -> QuerySet[Any]:
    digest = MD5(Cast("payment_means", TextField()))
    return _paid(institutions).annotate(digest=digest).values_list("id", "digest")


def load_payments(con: duckdb.DuckDBPyConnection, institutions: list[int]) -> None:
    """The invoices in payment runs (from ``invoices``, loaded first), each with the account
    its run pays to. The payment details travel once per distinct value (most invoices of a
    vendor name the same), keyed by their md5; each invoice brings only that key."""
    load_query(
        con,
        "runs",
        PaymentRun.objects.filter(institution_id__in=institutions)
        .order_by()
        .values_list("id", "execution_date"),
        {"run_id": "BIGINT", "pay_date": "DATE"},
    )
    paid = _paid(institutions)
    digest = MD5(Cast("payment_means", TextField()))
    load_query(
        con, "paid_means", paid_means_query(institutions), {"id": "BIGINT", "digest": "VARCHAR"}
    )
    distinct = (
        paid.annotate(digest=digest, text=Cast("payment_means", TextField()))
        .values_list("digest", "text")
        .distinct()
    )
    mapped = []
    for key, text in distinct:
        try:
            means = json.loads(text) if text else []
        except (TypeError, ValueError):
            means = []
        account, payment_id = normalize.paid_account(means if isinstance(means, list) else [])
        mapped.append((key, account, payment_id))
    _table(
        con,
        "means_map",
        mapped,
        {"digest": "VARCHAR", "account": "VARCHAR", "payment_id": "VARCHAR"},
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE payments AS
        SELECT i.id, i.institution_id, i.vendor_id, i.number, i.cents, r.pay_date, r.run_id,
               m.account, m.payment_id
        FROM invoices i
        JOIN runs r ON r.run_id = i.payment_run_id
        JOIN paid_means p ON p.id = i.id
        JOIN means_map m ON m.digest = p.digest
        WHERE m.account <> ''
        """
    )


def load_vendor_accounts(con: duckdb.DuckDBPyConnection, institutions: list[int]) -> None:
    rows = (
        VendorPaymentDetails.objects.filter(institution_id__in=institutions)
        .order_by()
        .values_list("vendor_id", "institution_id", "key")
        .distinct()
    )
    _table(
        con,
        "vendor_accounts",
        {(v, i, a) for v, i, key in rows for a in normalize.master_accounts(key)},
        {"vendor_id": "BIGINT", "institution_id": "BIGINT", "account": "VARCHAR"},
    )


def events_query(institutions: list[int]) -> QuerySet[Any]:
    # The action travels as a small number (its place in DUTY_ACTIONS), not as text.
    code = Case(
        *(When(action=a, then=Value(i)) for i, a in enumerate(DUTY_ACTIONS)),
        output_field=IntegerField(),
    )
    return (
        AuditEvent.objects.filter(institution_id__in=institutions, action__in=list(DUTY_ACTIONS))
        .filter(Q(actor__isnull=False) | Q(on_behalf_of__isnull=False))
        .order_by()
        .annotate(code=code)
        .values_list("institution_id", "actor_id", "on_behalf_of_id", "code", "object_id")
    )


def load_duties(con: duckdb.DuckDBPyConnection, institutions: list[int]) -> None:
    """Who did what from the audit trail: actor and on-behalf-of both count as the person."""
    qs = events_query(institutions)
    load_query(
        con,
        "events",
        qs,
        {
            "institution_id": "BIGINT",
            "actor_id": "BIGINT",
            "on_behalf_of_id": "BIGINT",
            "code": "INTEGER",
            "object_id": "VARCHAR",
        },
    )
    _table(
        con,
        "duty_actions",
        [(i, a, d) for i, (a, d) in enumerate(DUTY_ACTIONS.items())],
        {"code": "INTEGER", "action": "VARCHAR", "duty": "VARCHAR"},
    )
    # Document events name the document: find its invoice.
    con.execute(
        """
        CREATE OR REPLACE TABLE duties AS
        WITH e AS (
            SELECT e.institution_id, d.duty, d.action,
                   TRY_CAST(e.object_id AS BIGINT) AS object_id,
                   unnest(list_distinct(list_filter([e.actor_id, e.on_behalf_of_id],
                                                    x -> x IS NOT NULL))) AS person_id
            FROM events e JOIN duty_actions d USING (code)
        )
        SELECT e.institution_id, i.id AS invoice_id, NULL::BIGINT AS run_id, e.person_id,
               e.duty
        FROM e JOIN invoices i ON i.document_id = e.object_id
        WHERE e.action LIKE 'payables.document.%'
        UNION ALL
        SELECT e.institution_id, e.object_id, NULL, e.person_id, e.duty
        FROM e
        WHERE e.object_id IS NOT NULL AND e.action NOT LIKE 'payables.document.%'
          AND e.duty NOT IN ('create_run', 'release_run')
        UNION ALL
        SELECT e.institution_id, NULL, e.object_id, e.person_id, e.duty
        FROM e
        WHERE e.object_id IS NOT NULL AND e.duty IN ('create_run', 'release_run')
        """
    )
