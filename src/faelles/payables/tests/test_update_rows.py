"""``core.bulk.update_rows`` writes what ``save`` would write, for the field types invoices use
(text, JSON list, time, foreign key, decimal, none), on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from faelles.core.bulk import update_rows
from faelles.payables import services
from faelles.payables.models import Invoice
from faelles.payables.tests.factories import make_world

pytestmark = pytest.mark.django_db


def test_update_rows_writes_each_row_its_own_values(dkk_document):
    world = make_world()
    first, second = (
        services.document_receive(content=dkk_document(number=n), channel="api").invoice
        for n in ("U1", "U2")
    )
    untouched = Invoice.objects.get(pk=second.pk).buyer_reference
    when = datetime(2026, 3, 20, 9, 30, tzinfo=UTC)
    first.state, first.attester_ids, first.attested_at = "attested", [3, 1], when
    first.attested_by, first.exchange_rate = world.requester, Decimal("7.460000")
    second.state, second.attester_ids, second.attested_at = "coded", [], None
    second.attested_by, second.exchange_rate = None, None
    second.buyer_reference = "not written"

    update_rows(
        Invoice,
        [first, second],
        ["state", "attester_ids", "attested_at", "attested_by", "exchange_rate"],
    )

    one, two = Invoice.objects.get(pk=first.pk), Invoice.objects.get(pk=second.pk)
    assert (one.state, one.attester_ids, one.attested_at, one.attested_by, one.exchange_rate) == (
        "attested",
        [3, 1],
        when,
        world.requester,
        Decimal("7.460000"),
    )
    assert (two.state, two.attester_ids, two.attested_at, two.attested_by, two.exchange_rate) == (
        "coded",
        [],
        None,
        None,
        None,
    )
    assert two.buyer_reference == untouched
