"""Set-based inserts for the posting path, below the ORM.

``bulk_create`` spends about 150 µs per row building model instances and SQL; posting
thousands of entries a second needs plain multi-row statements: ``COPY`` on PostgreSQL and
``executemany`` on SQLite. Values are adapted by the backend's own ``ops`` so they are stored
exactly as the ORM would store them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Field, Model

_MAX_PARAMS = 30000


def adapter() -> Callable[[Any], Any]:
    """A function giving a Python value in the form the current backend stores it."""
    ops = connection.ops
    sqlite = connection.vendor == "sqlite"
    adapt_datetime = ops.adapt_datetimefield_value
    adapt_date = ops.adapt_datefield_value

    def adapt(value: Any) -> Any:
        if isinstance(value, datetime):
            return adapt_datetime(value)
        if isinstance(value, date):
            return adapt_date(value)
        if sqlite and isinstance(value, Decimal):
            return str(value)
        return value

    return adapt


def _quoted(columns: Sequence[str]) -> str:
    qn = connection.ops.quote_name
    return ", ".join(qn(c) for c in columns)


def insert_returning(
    table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], returning: Sequence[str]
) -> list[tuple[Any, ...]]:
    """Multi-row INSERT … RETURNING (PostgreSQL, SQLite ≥ 3.35), chunked under the
    parameter limit. Returns the ``returning`` columns of every inserted row."""
    if not rows:
        return []
    width = len(columns)
    per_chunk = max(1, _MAX_PARAMS // width)
    group = "(" + ", ".join(["%s"] * width) + ")"
    head = f"INSERT INTO {connection.ops.quote_name(table)} ({_quoted(columns)}) VALUES "  # noqa: S608
    tail = f" RETURNING {_quoted(returning)}"
    out: list[tuple[Any, ...]] = []
    adapt = adapter()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_chunk):
            chunk = rows[start : start + per_chunk]
            params = [adapt(v) for row in chunk for v in row]
            cursor.execute(head + ", ".join([group] * len(chunk)) + tail, params)
            out.extend(tuple(r) for r in cursor.fetchall())
    return out


def insert_many(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows without returning anything: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None
        # Errors surface as Django's (IntegrityError for a unique key), like the ORM's.
        with connection.wrap_database_errors, raw.cursor() as cursor:  # psycopg 3 COPY
            sql = f"COPY {connection.ops.quote_name(table)} ({_quoted(columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({_quoted(columns)}) VALUES ({placeholders})"  # noqa: S608
    adapt = adapter()
    # Adapt only the columns that need it (dates, datetimes, decimals), judged by the first
    # row: a column holds one type.
    needs = [i for i, v in enumerate(rows[0]) if adapt(v) is not v]
    if needs:
        prepared: list[Sequence[Any]] = []
        for row in rows:
            out = list(row)
            for i in needs:
                out[i] = adapt(out[i])
            prepared.append(out)
        rows = prepared
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def reserve_ids(table: str, count: int) -> list[int] | None:
    """On PostgreSQL, ``count`` new primary keys from the table's sequence (so the rows can be
    written with COPY); ``None`` elsewhere."""
    if connection.vendor != "postgresql" or count == 0:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def update_rows(model: type[Model], objects: Sequence[Model], fields: Sequence[str]) -> None:
    """Write ``fields`` of many saved model instances: one ``UPDATE … WHERE pk = %s`` run with
    ``executemany`` (pipelined by psycopg on PostgreSQL). ``QuerySet.bulk_update`` builds a
    ``CASE WHEN`` expression per field and row, which costs milliseconds per row in Python;
    this costs microseconds. Values are prepared by each field as the ORM's ``save`` would."""
    if not objects:
        return
    meta = model._meta
    qn = connection.ops.quote_name
    columns: list[Field[Any, Any]] = []
    for name in fields:
        field = meta.get_field(name)
        assert isinstance(field, Field) and field.column, name
        columns.append(field)
    pk = meta.pk
    assert pk is not None and pk.column
    sql = (
        f"UPDATE {qn(meta.db_table)} SET "  # noqa: S608 - names from the model, values bound
        + ", ".join(f"{qn(str(f.column))} = %s" for f in columns)
        + f" WHERE {qn(pk.column)} = %s"
    )
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
