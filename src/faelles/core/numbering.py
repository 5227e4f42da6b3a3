"""Gap-free numbering per institution, series and year (journal entries, invoices, …).

A number is taken by updating (and so locking) the sequence row inside the caller's
transaction: if the caller rolls back, the number is given back with it, so the numbers that
exist are exactly 1..n with no gaps and no duplicates. Concurrent callers of the same series
queue on the row lock; other series and institutions are not blocked.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from faelles.core.models import NumberSequence


def _locked_sequence(institution: Any, series: str, year: int) -> NumberSequence:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers must be taken inside the caller's transaction.atomic block")
    if not series:
        raise ValueError("a number series needs a name")
    if getattr(institution, "pk", None) is None:
        raise ValueError("numbers belong to a saved institution")
    locked = NumberSequence.objects.select_for_update()
    key = {"institution": institution, "series": series, "year": year}
    seq = locked.filter(**key).first()
    if seq is None:
        # INSERT … ON CONFLICT DO NOTHING: two first callers cannot both create the row; the
        # second waits for the first one's insert and then finds (and locks) the row.
        NumberSequence.objects.bulk_create([NumberSequence(**key)], ignore_conflicts=True)
        seq = locked.get(**key)
    return seq


_TAKE = (
    "UPDATE {table} SET last_value = last_value + %s "
    "WHERE institution_id = %s AND series = %s AND year = %s RETURNING last_value"
)


def next_numbers(*, institution: Any, series: str, year: int, count: int) -> range:
    """Reserve ``count`` consecutive numbers of the series and return them as a range.

    One ``UPDATE … RETURNING``: the update locks the row until the caller's transaction ends
    (a concurrent caller waits and then adds to the committed value), and answers the new
    last value. The first number of a series creates the row first (race-free, as above).
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers must be taken inside the caller's transaction.atomic block")
    if not series:
        raise ValueError("a number series needs a name")
    if getattr(institution, "pk", None) is None:
        raise ValueError("numbers belong to a saved institution")
    sql = _TAKE.replace("{table}", NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, institution.pk, series, year])
        row = cursor.fetchone()
    if row is None:
        _locked_sequence(institution, series, year)
        with connection.cursor() as cursor:
            cursor.execute(sql, [count, institution.pk, series, year])
            row = cursor.fetchone()
    assert row is not None
    last = int(row[0])
    return range(last - count + 1, last + 1)


def next_number(*, institution: Any, series: str, year: int) -> int:
    """The next number of the series (1 for the first), gap-free within the transaction."""
    return next_numbers(institution=institution, series=series, year=year, count=1)[0]


def current_number(*, institution: Any, series: str, year: int) -> int:
    """The last number handed out (0 when none); a read, takes no lock."""
    value = (
        NumberSequence.objects.filter(institution=institution, series=series, year=year)
        .values_list("last_value", flat=True)
        .first()
    )
    return int(value or 0)
