"""The operator's receipt chains: receipts of documents spread over 16 chains by content hash,
each verified like any other chain."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from faelles.core.audit import (
    OPERATOR_CHAIN,
    RECEIPT_SHARDS,
    receipt_chain,
    record_event,
    record_events_bulk,
    verify_chains,
)
from faelles.core.backup import collect_facts
from faelles.core.models import AuditChainHead, AuditEvent
from faelles.core.tests.conftest import make_institution

pytestmark = pytest.mark.django_db


def test_a_content_hash_chooses_one_of_sixteen_receipt_chains():
    chains = {receipt_chain(f"{d:x}" + "0" * 63) for d in range(16)}
    assert len(chains) == RECEIPT_SHARDS == 16
    assert receipt_chain("A" + "0" * 63) == receipt_chain("a" + "0" * 63) == "op:r:a"
    with pytest.raises(ValueError):
        receipt_chain("g" + "0" * 63)
    with pytest.raises(ValueError):
        receipt_chain("")


def test_receipts_go_to_their_chain_and_verify_like_any_chain():
    with transaction.atomic():
        record_events_bulk(
            institution=None,
            chain="op:r:3",
            actor=None,
            events=[{"action": "test.received", "object_id": n} for n in range(3)],
        )
        record_event(institution=None, chain="op:r:c", actor=None, action="test.received")
    assert list(AuditEvent.objects.order_by("pk").values_list("chain", "seq")) == [
        ("op:r:3", 1),
        ("op:r:3", 2),
        ("op:r:3", 3),
        ("op:r:c", 1),
    ]
    assert not AuditChainHead.objects.filter(chain=OPERATOR_CHAIN).exists()
    assert verify_chains() == []

    with connection.cursor() as cursor:  # below the ORM, which refuses to change events
        cursor.execute(
            "UPDATE core_auditevent SET action = 'test.edited' WHERE chain = %s AND seq = 2",
            ["op:r:3"],
        )
    assert verify_chains() == ["op:r:3#2: content does not match its hash (event edited)"]


def test_a_deleted_latest_receipt_is_found_by_its_head():
    with transaction.atomic():
        record_events_bulk(
            institution=None,
            chain="op:r:0",
            actor=None,
            events=[{"action": "test.received"}, {"action": "test.received"}],
        )
    with connection.cursor() as cursor:  # below the ORM, which refuses to delete events
        cursor.execute("DELETE FROM core_auditevent WHERE chain = %s AND seq = 2", ["op:r:0"])
    assert verify_chains() == [
        "op:r:0: the head says #2 but the chain ends at #1 (latest events deleted or edited)"
    ]


def test_an_institutions_event_never_goes_to_a_receipt_chain():
    institution = make_institution()
    with transaction.atomic(), pytest.raises(ValueError):
        record_event(institution=institution, chain="op:r:1", actor=None, action="test.x")
    with transaction.atomic(), pytest.raises(ValueError):
        record_event(institution=None, chain="inst:1", actor=None, action="test.x")
    assert not AuditEvent.objects.exists()


def test_receipt_chains_are_named_for_people_in_verify_and_in_the_backup_manifest():
    institution = make_institution()
    with transaction.atomic():
        record_event(institution=None, chain="op:r:7", actor=None, action="test.received")
        record_event(institution=institution, actor=None, action="test.x")
    heads = collect_facts(connection)["audit_chain_heads"]
    assert heads["op:r:7"]["institution"] == "operator receipts 7"
    assert heads[f"inst:{institution.pk}"]["institution"] == institution.short_name

    with connection.cursor() as cursor:  # below the ORM, which refuses to change events
        cursor.execute("UPDATE core_auditevent SET action = 'test.edited' WHERE chain = 'op:r:7'")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=out)
    assert out.getvalue() == (
        "[operator receipts 7] op:r:7#1: content does not match its hash (event edited)\n"
    )
