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


@pytest.mark.parametrize(
    "written", ["0101901234", "010190-1234", "010190 1234", "010190–1234", "010190—1234"]
)
def test_cpr_ref_reads_every_written_form_alike(written):
    assert cpr_ref(written) == cpr_ref(CPR)


@pytest.mark.parametrize("bad", ["01019012345", "320190-1234", "011390-1234", "12345", ""])
def test_cpr_ref_refuses_what_is_no_cpr_without_repeating_it(bad):
    with pytest.raises(ValueError) as caught:
        cpr_ref(bad)
    assert str(caught.value) == "not a CPR number (DDMMYY-XXXX)"


def test_a_cpr_in_the_purpose_or_subject_id_is_masked(institution, user):
    entry = log_personal_data_access(
        actor=user,
        institution=institution,
        subject_type="payroll.employee",
        subject_id="010190-1234",
        purpose="Opslag på 010190 1234",
        fields=["cpr"],
    )
    assert (entry.purpose, entry.subject_id) == ("Opslag på XXXXXX-XXXX", "XXXXXX-XXXX")
    event = AuditEvent.objects.get(action="personal_data.read")
    assert (event.object_id, event.details["purpose"]) == ("XXXXXX-XXXX", "Opslag på XXXXXX-XXXX")
    for model in (PersonalDataAccess, AuditEvent):
        assert "010190" not in _all_text(model)
