import hashlib
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from faelles.core.audit import (
    OPERATOR_CHAIN,
    canonical_json,
    chain_for,
    compute_hash,
    record_event,
    record_events_bulk,
    verify_chains,
)
from faelles.core.models import AuditChainHead, AuditEvent, AuditImmutableError

pytestmark = pytest.mark.django_db


def _record(institution, actor, n, action="thing.change"):
    return [
        record_event(institution=institution, actor=actor, action=action, details={"n": i})
        for i in range(1, n + 1)
    ]


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_canonical_json_is_sorted_compact_and_stringifies_decimals_and_dates():
    value = {"b": Decimal("1.50"), "a": date(2026, 1, 2), "c": [1, "ø"]}
    assert canonical_json(value) == '{"a":"2026-01-02","b":"1.50","c":[1,"ø"]}'


def test_events_form_a_hash_chain(institution, user):
    first, second = _record(institution, user, 2)
    assert (first.chain, first.seq, first.prev_hash) == (chain_for(institution), 1, "")
    assert (second.seq, second.prev_hash) == (2, first.hash)
    payload = {
        "action": "thing.change",
        "actor": user.pk,
        "chain": first.chain,
        "created_at": first.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "details": {"n": 1},
        "institution": institution.pk,
        "object_id": "",
        "object_type": "",
        "on_behalf_of": None,
        "seq": 1,
    }
    assert first.hash == hashlib.sha256(canonical_json(payload).encode()).hexdigest()
    head = AuditChainHead.objects.get(chain=first.chain)
    assert (head.last_seq, head.last_hash) == (2, second.hash)
    assert verify_chains() == []


def test_details_are_stored_as_hashed(institution, user):
    event = record_event(
        institution=institution,
        actor=user,
        action="x",
        obj=institution,
        details={"amount": Decimal("10.00"), "on": date(2026, 5, 1)},
        on_behalf_of=user,
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.details == {"amount": "10.00", "on": "2026-05-01"}
    assert (event.object_type, event.object_id) == ("tenancy.institution", str(institution.pk))
    assert event.on_behalf_of_id == user.pk
    assert verify_chains(institution) == []


def test_chains_are_per_institution_and_operator(institution, other_institution, user):
    _record(institution, user, 3)
    _record(other_institution, user, 2)
    record_event(institution=None, actor=None, action="system.start")
    assert AuditEvent.objects.filter(chain=chain_for(institution)).count() == 3
    assert list(
        AuditEvent.objects.filter(chain=chain_for(other_institution)).values_list("seq", flat=True)
    ) == [1, 2]
    assert AuditEvent.objects.get(chain=OPERATOR_CHAIN).institution_id is None


def test_bulk_appends_in_one_go(institution, user):
    _record(institution, user, 1)
    events = record_events_bulk(
        institution=institution,
        actor=user,
        events=[{"action": "line.add", "details": {"i": i}} for i in range(50)],
    )
    assert [e.seq for e in events] == list(range(2, 52))
    assert AuditChainHead.objects.get(chain=chain_for(institution)).last_seq == 51
    assert verify_chains() == []
    big = record_events_bulk(
        institution=institution,
        actor=user,
        events=[{"action": "line.add", "details": {"i": i, "ø": "æ"}} for i in range(150)],
    )
    assert [e.seq for e in big] == list(range(52, 202))
    stored = AuditEvent.objects.get(chain=chain_for(institution), seq=201)
    assert (stored.details, stored.hash) == ({"i": 149, "ø": "æ"}, big[-1].hash)
    assert verify_chains() == []
    with pytest.raises(TypeError):
        record_events_bulk(institution=institution, actor=user, events=[{"actoin": "typo"}])


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused(institution):
    with pytest.raises(RuntimeError):
        record_event(institution=institution, actor=None, action="x")
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_event_rolls_back_with_the_change(institution):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record_event(institution=institution, actor=None, action="x")
        1 / 0
    assert AuditEvent.objects.count() == 0
    with transaction.atomic():
        event = record_event(institution=institution, actor=None, action="y")
    assert event.seq == 1
    assert verify_chains() == []


def test_orm_cannot_change_or_delete_events(institution, user):
    event = _record(institution, user, 1)[0]
    event.action = "forged"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "thing.change"


def test_edited_event_is_detected(institution, user):
    events = _record(institution, user, 3)
    AuditEvent.objects.filter(pk=events[1].pk).update(details={"n": 99})
    problems = verify_chains()
    assert problems == [
        f"{chain_for(institution)}#2: content does not match its hash (event edited)"
    ]


def test_edited_event_with_recomputed_hash_is_detected(institution, user):
    events = _record(institution, user, 3)
    AuditEvent.objects.filter(pk=events[0].pk).update(action="forged", hash="0" * 64)
    chain = chain_for(institution)
    assert verify_chains() == [
        f"{chain}#1: content does not match its hash (event edited)",
        f"{chain}#2: link to the previous event is broken",
    ]


def test_deleted_event_is_detected(institution, user):
    events = _record(institution, user, 3)
    _sql("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    chain = chain_for(institution)
    assert verify_chains() == [
        f"{chain}: expected event #2, found #3 (events deleted or reordered)",
        f"{chain}#3: link to the previous event is broken",
    ]


def test_deleted_last_event_is_detected_by_the_head(institution, user):
    events = _record(institution, user, 3)
    _sql("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    chain = chain_for(institution)
    assert verify_chains() == [
        f"{chain}: the head says #3 but the chain ends at #2 (latest events deleted or edited)"
    ]


def test_reordered_events_are_detected(institution, user):
    events = _record(institution, user, 3)
    # swap #1 and #2 (through a free number, the pair is unique)
    _sql("UPDATE core_auditevent SET seq = 1000 WHERE id = %s", [events[0].pk])
    _sql("UPDATE core_auditevent SET seq = 1 WHERE id = %s", [events[1].pk])
    _sql("UPDATE core_auditevent SET seq = 2 WHERE id = %s", [events[0].pk])
    chain = chain_for(institution)
    assert verify_chains() == [
        f"{chain}#1: link to the previous event is broken",
        f"{chain}#1: content does not match its hash (event edited)",
        f"{chain}#2: link to the previous event is broken",
        f"{chain}#2: content does not match its hash (event edited)",
        f"{chain}#3: link to the previous event is broken",
    ]


def test_verify_one_institution_ignores_others(institution, other_institution, user):
    _record(institution, user, 2)
    events = _record(other_institution, user, 2)
    AuditEvent.objects.filter(pk=events[0].pk).update(action="forged")
    assert verify_chains(institution) == []
    assert len(verify_chains(other_institution)) == 1
    assert len(verify_chains()) == 1


def test_audit_verify_command_clean(institution, user):
    _record(institution, user, 2)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()
    assert "2 events" in out.getvalue()


def test_audit_verify_command_reports_tampering_with_exit_code_1(institution, user):
    events = _record(institution, user, 2)
    AuditEvent.objects.filter(pk=events[0].pk).update(details={"n": 5})
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("audit", "verify", "--institution", institution.short_name, stdout=out)
    assert info.value.returncode == 1
    assert (
        f"[{institution.short_name}] {chain_for(institution)}#1: content does not match its hash"
        in out.getvalue()
    )


def test_audit_verify_command_unknown_institution(db):
    with pytest.raises(CommandError) as info:
        call_command("audit", "verify", "--institution", "NOPE")
    assert info.value.returncode == 2


def test_nul_characters_are_replaced_so_every_database_can_store_them(institution):
    event = record_event(
        institution=institution, actor=None, action="x", details={"a\x00": "b\x00"}
    )
    assert AuditEvent.objects.get(pk=event.pk).details == {"a\ufffd": "b\ufffd"}
    assert verify_chains() == []


@pytest.mark.parametrize(
    "details",
    [
        None,
        {},
        {"state": "posted", "entry": 12},
        {"amount": Decimal("1656.25"), "limit": Decimal("5000.00"), "state": "approved"},
        {"when": date(2026, 3, 15), "nested": {"b": [1, 2], "a": None}, 3: "int key"},
        {"text": "nul\x00inside", "æøå": "ÆØÅ", "flag": True},
    ],
)
def test_the_hash_with_known_details_json_equals_the_canonical_hash(details):
    from datetime import UTC, datetime

    from faelles.core.audit import _build, _EventRow, _hash_with

    event = _build(
        chain="inst:7",
        institution=None,
        actor=None,
        now=datetime(2026, 3, 15, 12, 0, 1, 123456, tzinfo=UTC),
        action="payables.invoice.approved",
        object_type="payables.invoice",
        object_id=42,
        details=details,
        row_class=_EventRow,
    )
    event.seq = 9

    assert _hash_with("ab" * 32, event, event._details_json) == compute_hash("ab" * 32, event)
    assert json.loads(event._details_json) == event.details
