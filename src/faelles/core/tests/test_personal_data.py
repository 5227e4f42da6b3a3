import json

import pytest
from django.db import connection

from faelles.core.models import AuditEvent, PersonalDataAccess
from faelles.core.personal_data import cpr_ref, log_personal_data_access

pytestmark = pytest.mark.django_db

CPR = "0101901234"


def _all_text(model):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return json.dumps(cursor.fetchall(), default=str)


def test_access_is_logged_without_the_cpr_value(institution, user):
    entry = log_personal_data_access(
        actor=user,
        institution=institution,
        subject_type="payroll.employee",
        subject_id=42,
        purpose="Lønkørsel april",
        fields=["cpr", "nemkonto"],
        cpr="010190-1234",
    )
    assert entry.subject_ref == cpr_ref(CPR)
    assert (entry.purpose, entry.fields, entry.subject_id) == (
        "Lønkørsel april",
        ["cpr", "nemkonto"],
        "42",
    )
    event = AuditEvent.objects.get(action="personal_data.read")
    assert event.details == {
        "fields": ["cpr", "nemkonto"],
        "purpose": "Lønkørsel april",
        "subject_ref": cpr_ref(CPR),
    }
    for model in (PersonalDataAccess, AuditEvent):
        text = _all_text(model)
        assert CPR not in text
        assert "010190-1234" not in text
        assert "010190" not in text


def test_cpr_ref_is_keyed_and_stable(settings):
    first = cpr_ref("0101901234")
    assert cpr_ref("010190-1234") == first
    settings.SECRET_KEY = "another-key-" + "y" * 40
    assert cpr_ref("0101901234") != first


def test_purpose_is_required(institution, user):
    with pytest.raises(ValueError):
        log_personal_data_access(
            actor=user,
            institution=institution,
            subject_type="x",
            subject_id=1,
            purpose=" ",
            fields=[],
        )
    assert PersonalDataAccess.objects.count() == 0
