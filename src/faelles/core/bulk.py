"""Set-based inserts for the posting path, below the ORM.

``bulk_create`` spends about 150 µs per row building model instances and SQL; posting
thousands of entries a second needs plain multi-row statements: ``COPY`` on PostgreSQL and
``executemany`` on SQLite. Values are adapted by the backend's own ``ops`` so they are stored
exactly as the ORM would store them.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models
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
    plain = [_is_plain(f) for f in columns]
    rows = [
        [
            getattr(obj, f.attname)
            if p
            else f.get_db_prep_save(getattr(obj, f.attname), connection)
            for f, p in zip(columns, plain, strict=True)
        ]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement for all rows: a column of values per field, typed by the column.
            names = [f"c{n}" for n in range(len(columns))]
            types = [str(f.db_type(connection)) for f in columns]
            pk_type = str(pk.db_type(connection)).replace("serial", "integer")
            sql = (
                f"UPDATE {qn(meta.db_table)} AS t SET "  # noqa: S608 - names from the model
                + ", ".join(
                    f"{qn(str(f.column))} = v.{n}::{t}"
                    for f, n, t in zip(columns, names, types, strict=True)
                )
                + " FROM (SELECT unnest(%s::"
                + pk_type
                + "[]) AS pk, "
                + ", ".join(f"unnest(%s::text[]) AS {n}" for n in names)
                + f") AS v WHERE t.{qn(pk.column)} = v.pk"
            )
            params: list[Any] = [[row[-1] for row in rows]]
            params.extend([_text(row[i]) for row in rows] for i in range(len(columns)))
            cursor.execute(sql, params)
            return
        cursor.executemany(sql, rows)


#: Fields whose Python value PostgreSQL's driver stores as it is (no ``pre_save`` hook).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BigIntegerField,
    models.BooleanField,
    models.DecimalField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def _is_plain(field: Field[Any, Any]) -> bool:
    """Whether the field's attribute value can be written as it is on PostgreSQL: plain
    types, and dates and times that no ``auto_now`` sets (the ORM adapts them unchanged)."""
    if isinstance(field, (models.DateTimeField, models.DateField)):
        return not (field.auto_now or field.auto_now_add)
    return isinstance(field, _PLAIN) and not isinstance(field, models.JSONField)


def _text(value: Any) -> str | None:
    """A value as PostgreSQL's text input for its column type (``unnest`` of ``text[]``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    obj = getattr(value, "obj", _MISSING)  # psycopg's Json/Jsonb wrappers
    if obj is not _MISSING:
        dumps = getattr(value, "dumps", None) or json.dumps
        return str(dumps(obj))
    if isinstance(value, (bytes, memoryview)):
        raise TypeError("update_rows does not write binary columns")
    return str(value)


_MISSING = object()


def create_objects(model: type[Model], objects: Sequence[Model]) -> None:
    """Insert new model instances and give them their primary keys, like ``bulk_create``.

    On PostgreSQL the keys come from the table's sequence (:func:`reserve_ids`) and the rows
    go in with one ``COPY``: ``bulk_create`` spends most of its time building a large
    ``INSERT … RETURNING``, this only prepares each value as the ORM's ``save`` would
    (``pre_save`` for ``auto_now_add``, ``get_db_prep_save``). Elsewhere it is ``bulk_create``.
    """
    if not objects:
        return
    meta = model._meta
    ids = reserve_ids(meta.db_table, len(objects))
    if ids is None:
        model._default_manager.bulk_create(objects)
        return
    fields = [f for f in meta.concrete_fields if f.column]
    plain = [_is_plain(f) for f in fields]
    rows = []
    for obj, pk in zip(objects, ids, strict=True):
        obj._prepare_related_fields_for_save(operation_name="create_objects")  # type: ignore[attr-defined]
        obj.pk = pk
        rows.append(
            [
                getattr(obj, f.attname)
                if p
                else f.get_db_prep_save(f.pre_save(obj, True), connection)
                for f, p in zip(fields, plain, strict=True)
            ]
        )
        obj._state.adding = False
        obj._state.db = connection.alias
    insert_many(meta.db_table, [str(f.column) for f in fields], rows)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one bounded batch of work.

    A batch of hundreds of invoices allocates tens of thousands of objects, which triggers
    full collections that walk every object of the process (the whole ORM and its caches)
    — about 8 % of a batch approval's time. Reference counting still frees what the batch
    drops; the cycles it leaves are collected when the collector resumes. Nesting and
    threads are safe: only the outermost pause resumes it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
