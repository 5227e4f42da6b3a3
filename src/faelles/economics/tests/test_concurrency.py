"""Two runs charging the same month at the same time on PostgreSQL: one issues, the other
finds the charge (the row lock on the institution, then the unique charge); one number, one
invoice, one entry per institution."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from faelles.economics import services
from faelles.economics.models import Charge
from faelles.economics.tests.factories import MARCH, TODAY, make_world, plant_march
from faelles.ledger.checks import run_all
from faelles.ledger.models import JournalEntry
from faelles.payables.models import Invoice


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_issue_each_charge_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency test needs PostgreSQL (row locks); SQLite serialises writes")
    w = make_world()
    plant_march(w)
    barrier = threading.Barrier(2)
    statuses: list[list[str]] = []
    errors: list[Exception] = []

    def runner() -> None:
        try:
            barrier.wait()
            outcomes = services.charges_run(actor=w.admin, period=MARCH, today=TODAY)
            statuses.append(sorted(o.status for o in outcomes))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    assert sorted(s for run in statuses for s in run) == ["charged", "charged", "issued", "issued"]
    assert sorted(Charge.objects.values_list("number", flat=True)) == [
        "FD-2026-000001",
        "FD-2026-000002",
    ]
    assert Invoice.objects.filter(number__startswith="FD-").count() == 2
    assert JournalEntry.objects.filter(source_type="economics.charge").count() == 2
    assert run_all([w.books]) == []
