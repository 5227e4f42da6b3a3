"""The business counters on /metrics: a scrape after a demo import finds the documents received
and rejected counted exactly, and the invoices waiting per state equal to the database's;
payment runs are counted; work that is rolled back or refused is not counted."""

from __future__ import annotations

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings

from faelles.core.tests.observe import scrape, total, value
from faelles.payables import demo, services
from faelles.payables.metrics import WAITING_STATES
from faelles.payables.models import DocumentStatus, Invoice, ReceivedDocument
from faelles.payables.payments import (
    payment_run_create,
    payment_run_mark_paid,
    payment_run_release,
)
from faelles.payables.tests.factories import make_world, member
from faelles.payables.tests.test_payments import posted
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db

WAITING = [str(s) for s in WAITING_STATES]


class _Scraper:
    def __init__(self, client):
        self.client = client

    def __call__(self):
        with override_settings(METRICS_DB_CACHE_SECONDS=0):
            return scrape(self.client)


@pytest.fixture
def metrics(client):
    return _Scraper(client)


def _moved(before, after, name, **labels):
    return value(after, name, **labels) - value(before, name, **labels)


def test_a_scrape_after_the_demo_import_finds_the_counters_moved(
    monkeypatch, metrics, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(demo, "PER_INSTITUTION", 40)
    world = make_world()
    before = metrics()

    with django_capture_on_commit_callbacks(execute=True):
        demo.load_demo(stdout=StringIO(), today=date(2026, 6, 30))
        # And one document that is not XML at all.
        services.document_receive(content=b"not an invoice", channel="upload")

    after = metrics()
    # 40 invoices, 3 duplicates, 1 bank change, 3 invalid, 3 unroutable, all by import.
    assert _moved(before, after, "faelles_documents_received_total", channel="import") == 50
    assert _moved(before, after, "faelles_documents_received_total", channel="upload") == 1
    processed = {
        status: _moved(before, after, "faelles_documents_processed_total", status=status)
        for status in ("accepted", "rejected", "unroutable")
    }
    assert processed == {"accepted": 44, "rejected": 4, "unroutable": 3}
    assert processed == dict(Counter(ReceivedDocument.objects.values_list("status", flat=True)))
    rejected = {
        reason: _moved(before, after, "faelles_documents_rejected_total", reason=reason)
        for reason in ("unreadable", "invalid", "refused")
    }
    assert rejected == {"unreadable": 1, "invalid": 3, "refused": 0}
    assert ReceivedDocument.objects.filter(status=DocumentStatus.REJECTED).count() == 4

    in_db = Counter(
        Invoice.objects.for_institution(world.institution).values_list("state", flat=True)
    )
    waiting = {state: value(after, "faelles_invoices_waiting", state=state) for state in WAITING}
    assert waiting == {state: in_db.get(state, 0) for state in WAITING}
    assert sum(waiting.values()) > 0
    assert waiting["posted"] > 0 and waiting["received"] > 0
    # Paid and rejected invoices wait for nobody.
    assert value(after, "faelles_invoices_waiting", state="paid") == 0
    assert in_db["paid"] > 0


def test_the_same_bytes_again_are_not_counted_as_received_again(
    metrics, peppol_invoice, django_capture_on_commit_callbacks
):
    make_world()
    content = peppol_invoice()
    before = metrics()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.document_receive(content=content, channel="api")
        again = services.document_receive(content=content, channel="api")
    after = metrics()
    assert (first.status, again.status) == ("accepted", "duplicate")
    assert _moved(before, after, "faelles_documents_received_total", channel="api") == 1
    assert (
        total(after, "faelles_documents_processed_total")
        - total(before, "faelles_documents_processed_total")
        == 1
    )


def test_intake_rolled_back_is_not_counted(
    metrics, peppol_invoice, django_capture_on_commit_callbacks
):
    make_world()
    before = metrics()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.document_receive(content=peppol_invoice(), channel="api")
        raise RuntimeError("the caller's transaction fails after the intake")
    after = metrics()
    assert callbacks == []
    assert ReceivedDocument.objects.count() == 0
    assert _moved(before, after, "faelles_documents_received_total", channel="api") == 0
    assert total(after, "faelles_documents_processed_total") == total(
        before, "faelles_documents_processed_total"
    )


def test_payment_runs_are_counted_when_created_released_and_paid_and_not_when_refused(
    metrics, django_capture_on_commit_callbacks
):
    world = make_world()
    world.payer2 = member(world.institution, Role.PAYER)
    posted(world, "M1")
    before = metrics()

    with django_capture_on_commit_callbacks(execute=True):
        run = payment_run_create(
            actor=world.payer,
            institution=world.institution,
            execution_date=date(2026, 4, 30),
            debtor_iban="DK5000400440116243",
        )
        with pytest.raises(ValidationError):  # nothing left to pay: refused, not counted
            payment_run_create(
                actor=world.payer,
                institution=world.institution,
                execution_date=date(2026, 4, 30),
                debtor_iban="DK5000400440116243",
            )
        with pytest.raises(ValidationError):  # the creator may not release it
            payment_run_release(actor=world.payer, run=run)
    middle = metrics()
    with django_capture_on_commit_callbacks(execute=True):
        run = payment_run_release(actor=world.payer2, run=run)
        payment_run_mark_paid(actor=world.payer, run=run)
    after = metrics()

    assert [
        _moved(before, middle, "faelles_payment_runs_total", event=e)
        for e in ("created", "released", "paid")
    ] == [1, 0, 0]
    assert [
        _moved(middle, after, "faelles_payment_runs_total", event=e)
        for e in ("created", "released", "paid")
    ] == [0, 1, 1]
    # The invoice waited as posted, then as scheduled in the draft run, then for nobody.
    waiting = [
        (
            value(s, "faelles_invoices_waiting", state="posted"),
            value(s, "faelles_invoices_waiting", state="scheduled"),
        )
        for s in (before, middle, after)
    ]
    assert waiting == [(1, 0), (0, 1), (0, 0)]
