"""Concurrent posting on PostgreSQL: gap-free numbers, one posting per source."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from faelles.ledger import checks, services
from faelles.ledger.models import JournalEntry
from faelles.ledger.tests.factories import expense_spec, make_institution, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_threads(n, target):
    errors = []
    barrier = threading.Barrier(n)

    def worker(i):
        try:
            barrier.wait()
            target(i)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (SQLite serialises writers)")


def test_concurrent_batches_get_gap_free_numbers(postgres_only):
    inst = make_institution()
    actor = make_user()

    def post(i):
        specs = [expense_spec(str(10 + i), source_id=f"t{i}-{k}") for k in range(10)]
        result = services.entries_record_batch(actor=actor, institution=inst, specs=specs)
        assert not result.rejected

    errors = _run_threads(6, post)

    assert errors == []
    numbers = sorted(JournalEntry.objects.for_institution(inst).values_list("number", flat=True))
    assert numbers == list(range(1, 61))
    assert checks.run_all([inst]) == []


def test_the_same_source_posted_concurrently_is_posted_once(postgres_only):
    inst = make_institution()
    actor = make_user()

    def post(_i):
        services.entry_record(actor=actor, institution=inst, spec=expense_spec(source_id="same"))

    errors = _run_threads(8, post)

    assert errors == []
    assert JournalEntry.objects.for_institution(inst).count() == 1
    assert checks.check_balances(inst) == []
    line = JournalEntry.objects.get().lines.get(line_no=1)
    assert line.debit == Decimal("1000.00")
