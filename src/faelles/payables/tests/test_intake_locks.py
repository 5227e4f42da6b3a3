"""Intake does not queue on one lock for the whole operator: a document's receipt goes to one
of the operator's 16 receipt chains (by its content hash), its outcome to its institution's
chain, and the audit trail verifies as before."""

import hashlib
import threading

import pytest
from django.db import close_old_connections, connection, transaction

from faelles.core.audit import OPERATOR_CHAIN, receipt_chain, record_event, verify_chains
from faelles.core.models import AuditChainHead, AuditEvent
from faelles.payables import services
from faelles.payables.models import Invoice
from faelles.payables.tests.factories import make_world


@pytest.mark.django_db
def test_a_receipt_goes_to_its_receipt_chain_and_the_outcome_to_the_institution(dkk_document):
    world = make_world()
    content = dkk_document(number="R1")
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    intake = services.document_receive(content=content, channel="api", actor=world.receiver)

    assert intake.status == "accepted"
    shard = receipt_chain(hashlib.sha256(content).hexdigest())
    events = AuditEvent.objects.filter(pk__gt=before).order_by("pk")
    assert list(events.values_list("chain", "action")) == [
        (shard, "payables.document.received"),
        (f"inst:{world.institution.pk}", "payables.vendor.created"),
        (f"inst:{world.institution.pk}", "payables.document.accepted"),
    ]
    assert not AuditChainHead.objects.filter(chain=OPERATOR_CHAIN).exists()
    assert verify_chains() == []


@pytest.mark.django_db
def test_a_batch_takes_the_receipt_chain_of_its_first_document(dkk_document):
    world = make_world()
    sources = [(dkk_document(number=f"B{n}"), "") for n in range(5)]

    results = list(services.documents_receive(sources=sources, channel="import"))

    assert {r.status for r in results} == {"accepted"}
    first = receipt_chain(hashlib.sha256(sources[0][0]).hexdigest())
    receipts = AuditEvent.objects.filter(action="payables.document.received")
    assert list(receipts.order_by("seq").values_list("chain", "seq")) == [
        (first, n) for n in range(1, 6)
    ]
    assert Invoice.objects.filter(institution=world.institution).count() == 5
    assert verify_chains() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_intake_goes_on_while_the_operator_chain_is_locked(dkk_document):
    """Before, every intake appended its receipt to the operator chain and queued behind any
    transaction holding that chain's head; now an intake finishes while another transaction
    holds it."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers)")
    world = make_world()
    holding = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def hold_operator_chain() -> None:
        try:
            with transaction.atomic():
                record_event(institution=None, actor=None, action="test.hold")
                holding.set()
                release.wait(timeout=60)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    holder = threading.Thread(target=hold_operator_chain)
    holder.start()
    try:
        assert holding.wait(timeout=30)
        finished: list[str] = []

        def receive() -> None:
            try:
                intake = services.document_receive(
                    content=dkk_document(number="L1"), channel="api", actor=world.receiver
                )
                finished.append(intake.status)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connection.close()

        worker = threading.Thread(target=receive)
        worker.start()
        worker.join(timeout=30)
        assert not worker.is_alive(), "the intake waited for the operator chain's lock"
        assert finished == ["accepted"]
    finally:
        release.set()
        holder.join(timeout=30)
    assert errors == []
    assert verify_chains() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_keep_every_chain_linear(dkk_document):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers)")
    world = make_world()
    threads_n, per_thread = 6, 5
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []
    statuses: list[str] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            for n in range(per_thread):
                intake = services.document_receive(
                    content=dkk_document(number=f"C{i}-{n}"), channel="api", actor=world.receiver
                )
                statuses.append(intake.status)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert statuses == ["accepted"] * threads_n * per_thread
    assert Invoice.objects.filter(institution=world.institution).count() == threads_n * per_thread
    assert verify_chains() == []
