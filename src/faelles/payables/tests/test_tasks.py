"""Work that leaves the request: the pain.001 file of a released run is made by a task queued
on commit, once; documents stored but not processed are processed by a task, once."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from faelles.core.models import AuditEvent
from faelles.payables import intake as intake_module
from faelles.payables import services, tasks
from faelles.payables.models import DocumentStatus, Invoice, PaymentRun, ReceivedDocument
from faelles.payables.payments import payment_run_file_make, payment_run_release
from faelles.payables.tests.test_payments import assert_valid_pain001, new_run, posted
from faelles.payables.tests.test_payments import world as world

pytestmark = pytest.mark.django_db


def test_release_queues_the_file_task_on_commit_and_the_file_is_stored_with_its_hash(
    world, django_capture_on_commit_callbacks
):
    posted(world, "T1")
    run = new_run(world)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        payment_run_release(actor=world.payer2, run=run)
    assert (PaymentRun.objects.get(pk=run.pk).file, len(callbacks)) == (None, 2)

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    stored = PaymentRun.objects.get(pk=run.pk)
    content = bytes(stored.file)
    assert_valid_pain001(content)
    assert stored.file_sha256 == hashlib.sha256(content).hexdigest()
    assert stored.file_made_at is not None
    event = AuditEvent.objects.get(action="payables.payment_run.file_made")
    assert (event.actor_id, event.object_id) == (None, str(run.pk))
    assert event.details == {"sha256": stored.file_sha256, "bytes": len(content)}


def test_the_file_task_is_idempotent_and_leaves_drafts_alone(
    world, django_capture_on_commit_callbacks
):
    posted(world, "T2")
    run = new_run(world)
    assert tasks.payment_run_file_make.delay(run.pk).get() == "skipped"
    assert PaymentRun.objects.get(pk=run.pk).file is None
    with django_capture_on_commit_callbacks(execute=True):
        payment_run_release(actor=world.payer2, run=run)
    first = PaymentRun.objects.get(pk=run.pk)

    assert tasks.payment_run_file_make.delay(run.pk).get() == "skipped"
    assert payment_run_file_make(run_id=999999) is None

    again = PaymentRun.objects.get(pk=run.pk)
    assert (bytes(again.file), again.file_sha256) == (bytes(first.file), first.file_sha256)
    assert AuditEvent.objects.filter(action="payables.payment_run.file_made").count() == 1


def test_a_refused_release_queues_no_file(world, django_capture_on_commit_callbacks):
    posted(world, "T3")
    run = new_run(world)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        payment_run_release(actor=world.payer, run=run)

    assert callbacks == []
    assert (PaymentRun.objects.get(pk=run.pk).state, PaymentRun.objects.get(pk=run.pk).file) == (
        "draft",
        None,
    )


def test_stored_documents_are_processed_by_the_task_once(
    world, dkk_document, monkeypatch, django_capture_on_commit_callbacks
):
    def crash(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(intake_module, "process_documents", crash)
    for number in ("P1", "P2", "P3"):
        with pytest.raises(RuntimeError):
            services.document_receive(content=dkk_document(number=number), channel="api")
    monkeypatch.undo()
    waiting = list(
        ReceivedDocument.objects.filter(status=DocumentStatus.RECEIVED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(waiting) == 3

    assert tasks.documents_process.delay(waiting[:2]).get() == {"accepted": 2}
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["P1", "P2"]
    assert tasks.documents_process.delay(waiting[:2]).get() == {}
    assert tasks.documents_process_waiting.delay().get() == {"accepted": 1}
    assert tasks.documents_process_waiting.delay().get() == {}
    assert Invoice.objects.count() == 3
    assert date(2026, 3, 15) == Invoice.objects.get(number="P3").issue_date
