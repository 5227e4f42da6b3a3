"""Refused attempts are audit events of their own, kept although the refused change rolls back."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from faelles.core.audit import Refused, refusals_recorded, verify_chains
from faelles.core.models import AuditEvent
from faelles.core.tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _service(institution):
    @refusals_recorded
    @transaction.atomic
    def thing_change(*, actor, value):
        AuditEvent.objects.none()  # a change would happen here
        if value < 0:
            raise Refused(
                "Not you.",
                code="self_grant",
                action="thing.change",
                institution=institution,
                obj=actor,
                field="value",
                details={"value": value},
            )
        return value

    return thing_change


def test_a_refusal_is_recorded_with_code_reason_and_details_and_reraised(institution):
    actor = make_user()
    thing_change = _service(institution)

    with pytest.raises(ValidationError) as raised:
        thing_change(actor=actor, value=-1)

    assert raised.value.message_dict == {"value": ["Not you."]}
    assert raised.value.error_dict["value"][0].code == "self_grant"
    event = AuditEvent.objects.get()
    assert event.action == "thing.change.refused"
    assert event.institution_id == institution.pk
    assert event.actor_id == actor.pk
    assert event.object_id == str(actor.pk)
    assert event.details == {"code": "self_grant", "reason": "Not you.", "value": -1}
    assert verify_chains() == []


def test_an_allowed_call_records_no_refusal(institution):
    thing_change = _service(institution)

    assert thing_change(actor=make_user(), value=1) == 1
    assert AuditEvent.objects.count() == 0
