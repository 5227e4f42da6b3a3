import threading

import pytest
from django.db import connection, connections, transaction

from faelles.core.numbering import current_number, next_number, next_numbers
from faelles.core.tests.conftest import make_institution

pytestmark = pytest.mark.django_db


def test_numbers_start_at_one_and_follow_each_other(institution):
    got = [next_number(institution=institution, series="journal", year=2026) for _ in range(3)]
    assert got == [1, 2, 3]
    assert current_number(institution=institution, series="journal", year=2026) == 3


def test_series_years_and_institutions_are_independent(institution, other_institution):
    assert next_number(institution=institution, series="journal", year=2026) == 1
    assert next_number(institution=institution, series="journal", year=2027) == 1
    assert next_number(institution=institution, series="invoice", year=2026) == 1
    assert next_number(institution=other_institution, series="journal", year=2026) == 1
    assert next_number(institution=institution, series="journal", year=2026) == 2


def test_next_numbers_reserves_a_block(institution):
    next_number(institution=institution, series="s", year=2026)
    block = next_numbers(institution=institution, series="s", year=2026, count=5)
    assert block == range(2, 7)
    assert next_number(institution=institution, series="s", year=2026) == 7
    with pytest.raises(ValueError):
        next_numbers(institution=institution, series="s", year=2026, count=0)


@pytest.mark.django_db(transaction=True)
def test_rolled_back_number_is_handed_out_again(institution):
    with transaction.atomic():
        assert next_number(institution=institution, series="s", year=2026) == 1
    with pytest.raises(RuntimeError, match="boom"), transaction.atomic():
        assert next_number(institution=institution, series="s", year=2026) == 2
        raise RuntimeError("boom")
    with transaction.atomic():
        assert next_number(institution=institution, series="s", year=2026) == 2


@pytest.mark.django_db(transaction=True)
def test_numbers_outside_a_transaction_are_refused(institution):
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        next_number(institution=institution, series="s", year=2026)


def _run_threads(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def runner(i):
        try:
            barrier.wait()
            results.extend(work(i))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    return results


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency test needs PostgreSQL (row locks); SQLite serialises whole-database "
            "writes. Run with DATABASE_URL=postgres://…"
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_is_gap_free_on_postgres():
    _needs_postgres()
    institution = make_institution()

    def work(_):
        got = []
        for _ in range(25):
            with transaction.atomic():
                got.append(next_number(institution=institution, series="journal", year=2026))
        return got

    # the sequence row does not exist yet: its creation races too
    numbers = _run_threads(8, work)
    assert sorted(numbers) == list(range(1, 201))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_blocks_do_not_overlap_on_postgres():
    _needs_postgres()
    institution = make_institution()

    def work(i):
        got = []
        for _ in range(10):
            with transaction.atomic():
                got.extend(
                    next_numbers(institution=institution, series="pay", year=2026, count=i + 1)
                )
        return got

    numbers = _run_threads(8, work)
    assert sorted(numbers) == list(range(1, 10 * sum(range(1, 9)) + 1))
