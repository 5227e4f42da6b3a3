from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from faelles.ledger import checks, services
from faelles.ledger.models import JournalLine
from faelles.ledger.tests.factories import (
    expense_spec,
    make_bookkeeper,
    make_institution,
    make_user,
)

pytestmark = pytest.mark.django_db


def _ledger_check() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("ledger", "check", stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def _populated():
    inst = make_institution()
    bookkeeper = make_bookkeeper(inst)
    entries = [
        services.entry_record(
            actor=bookkeeper, institution=inst, spec=expense_spec(str(n), source_id=str(n))
        )
        for n in (100, 200, 300)
    ]
    services.entry_reverse(actor=bookkeeper, entry=entries[1])
    return inst, entries


def _tamper(sql: str, params: list) -> None:
    """Change rows behind the application's back. On PostgreSQL the immutability trigger
    would refuse, so this acts as someone with the rights to switch triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_a_clean_ledger_passes_every_check():
    _populated()
    code, out = _ledger_check()
    assert code == 0
    assert "all invariants hold" in out


def test_editing_a_posted_line_with_plain_sql_is_caught():
    inst, entries = _populated()
    line = JournalLine.objects.filter(entry=entries[0], line_no=1).get()
    _tamper("UPDATE ledger_journalline SET debit = %s WHERE id = %s", ["90.00", line.pk])

    code, out = _ledger_check()

    assert code == 1
    assert f"{inst.short_name}: entry 2026-1 does not balance (debit 115.00, credit 125.00)" in out
    assert f"{inst.short_name}: entry 2026-1 differs from its posted hash" in out
    assert "balance for account id" in out


def test_a_deleted_entry_breaks_the_numbering_check():
    inst, entries = _populated()
    _tamper("DELETE FROM ledger_journalline WHERE entry_id = %s", [entries[2].pk])
    _tamper("DELETE FROM ledger_journalentry WHERE id = %s", [entries[2].pk])
    problems = checks.check_numbering(inst)
    assert problems == [
        f"{inst.short_name}: numbering of 2026 is not gap-free (3 entries numbered 1..4)"
    ]


@pytest.mark.postgres
def test_the_database_refuses_changes_to_posted_rows_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the immutability trigger exists on PostgreSQL only")
    inst = make_institution()
    entry = services.entry_record(
        actor=make_user(), institution=inst, spec=expense_spec(source_id="1")
    )
    with pytest.raises(DatabaseError, match="posted"), transaction.atomic():
        JournalLine.objects.filter(entry=entry).update(debit=1)
    with (
        pytest.raises(DatabaseError, match="posted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM ledger_journalentry WHERE id = %s", [entry.pk])


def test_the_line_record_equals_the_generic_field_form():
    from decimal import Decimal

    from faelles.ledger.hashing import LINE_FIELDS, _line_text, _text

    line = {
        "line_no": 3,
        "account_number": "2210",
        "org_unit_id": None,
        "purpose_id": 7,
        "vat_code_id": None,
        "debit": Decimal("10.00"),
        "credit": Decimal("0.00"),
        "currency": "EUR",
        "currency_amount": Decimal("-1.34"),
        "rate": Decimal("7.460000"),
        "text": "a\x1fb 'quoted'",
    }
    assert _line_text(line) == "\x1f".join(_text(line[k]) for k in LINE_FIELDS)
