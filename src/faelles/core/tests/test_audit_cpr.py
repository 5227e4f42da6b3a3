"""The audit trail never holds a CPR number in clear text: details are masked on write, and the
chain (which covers the masked details) still verifies."""

import json
from decimal import Decimal

import pytest
from django.db import connection, transaction

from faelles.core.audit import BULK_THRESHOLD, record_event, record_events_bulk, verify_chains
from faelles.core.models import AuditEvent

pytestmark = pytest.mark.django_db

FORMS = ["0101901234", "010190-1234", "010190 1234", "010190–1234", "010190—1234", "010190‑1234"]


def _table_text():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuditEvent._meta.db_table}")
        return json.dumps(cursor.fetchall(), default=str, ensure_ascii=False)


def test_a_cpr_in_any_form_is_masked_in_details_and_object_id(institution, user):
    with transaction.atomic():
        event = record_event(
            institution=institution,
            actor=user,
            action="test.cpr",
            object_type="test.thing",
            object_id="0101901234",
            details={
                "notes": [f"note {form}" for form in FORMS],
                "nested": {"010190-1234": 101901234, "number": 3101901234},
                "amount": Decimal("3101901234.50"),
                "gln": "5790000123456",
            },
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.object_id == "XXXXXX-XXXX"
    assert stored.details == {
        "notes": ["note XXXXXX-XXXX"] * len(FORMS),
        "nested": {"XXXXXX-XXXX": 101901234, "number": "XXXXXX-XXXX"},
        "amount": "3101901234.50",
        "gln": "5790000123456",
    }
    assert "010190" not in _table_text()
    assert verify_chains(institution) == []


def test_details_without_a_cpr_are_stored_as_given(institution, user):
    details = {"number": "INV-0101", "amount": "1234.00", "ids": [1, 2]}
    with transaction.atomic():
        event = record_event(institution=institution, actor=user, action="t", details=details)
    assert AuditEvent.objects.get(pk=event.pk).details == details


def test_the_batch_path_masks_too(institution, user):
    events = [
        {"action": "test.batch", "object_id": i, "details": {"filename": f"cpr 010190 1234 {i}"}}
        for i in range(BULK_THRESHOLD)
    ]
    with transaction.atomic():
        record_events_bulk(institution=institution, actor=user, events=events)
    details = list(
        AuditEvent.objects.filter(action="test.batch")
        .order_by("seq")
        .values_list("details", flat=True)
    )
    assert details == [{"filename": f"cpr XXXXXX-XXXX {i}"} for i in range(BULK_THRESHOLD)]
    assert "010190" not in _table_text()
    assert verify_chains(institution) == []
