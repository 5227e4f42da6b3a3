"""Events recorded inside ``events_batched`` are appended at its end with one lock, one insert
and one head update per chain, in the order they were recorded; an exception discards them;
an event inside a savepoint opened in the block is written at once."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from faelles.core.audit import events_batched, record_event, record_events_bulk, verify_chains
from faelles.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _actions(institution):
    return list(
        AuditEvent.objects.filter(institution=institution)
        .order_by("seq")
        .values_list("seq", "action")
    )


def test_the_events_of_a_block_are_appended_once_in_their_order(institution, user):
    record_event(institution=institution, actor=user, action="before")
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries, events_batched():
            record_events_bulk(
                institution=institution,
                actor=user,
                events=[{"action": "ledger.one"}, {"action": "ledger.two"}],
            )
            record_event(institution=institution, actor=user, action="invoice.three")
            inside = len(queries)
        assert inside == 0
        assert len(queries) == 3  # head lock, one insert, head update

    assert _actions(institution) == [
        (1, "before"),
        (2, "ledger.one"),
        (3, "ledger.two"),
        (4, "invoice.three"),
    ]
    times = list(
        AuditEvent.objects.filter(institution=institution)
        .order_by("seq")
        .values_list("created_at", flat=True)
    )
    assert times == sorted(times)
    assert verify_chains(institution) == []


def test_an_exception_in_the_block_records_nothing(institution, user):
    with pytest.raises(RuntimeError), transaction.atomic(), events_batched():
        record_event(institution=institution, actor=user, action="lost")
        raise RuntimeError("boom")
    assert _actions(institution) == []
    assert verify_chains(institution) == []


def test_an_event_inside_a_savepoint_of_the_block_is_written_at_once(institution, user):
    with transaction.atomic(), events_batched():
        record_event(institution=institution, actor=user, action="kept")
        try:
            with transaction.atomic():
                record_event(institution=institution, actor=user, action="rolled.back")
                assert AuditEvent.objects.filter(action="rolled.back").count() == 1
                raise RuntimeError("undo the savepoint")
        except RuntimeError:
            pass
        record_event(institution=institution, actor=user, action="after")

    assert _actions(institution) == [(1, "kept"), (2, "after")]
    assert verify_chains(institution) == []


@pytest.mark.django_db(transaction=True)
def test_the_block_needs_a_transaction():
    with pytest.raises(RuntimeError), events_batched():
        pass
