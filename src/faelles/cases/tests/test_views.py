"""The pages: the work list, a case, a task's form, documents, the CPR read, case types and
upload, and the public case times. Every object route answers 404 to a stranger and to a
person of another institution, and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from faelles.cases import services
from faelles.cases.models import Case, CaseTask, CaseTaskState, CaseType, CaseTypeVersion
from faelles.cases.shipped import MODELS_DIR
from faelles.cases.tests.factories import T0, complaint_case, make_board, open_task
from faelles.core.models import AuditEvent, PersonalDataAccess
from faelles.tenancy.models import Role
from faelles.tenancy.tests.factories import InstitutionFactory, member

pytestmark = pytest.mark.django_db


def _client(user, institution=None) -> Client:
    """Signed in, working in ``institution`` (the board by default)."""
    from faelles.tenancy.middleware import SESSION_KEY
    from faelles.tenancy.models import Institution

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    institution = institution or Institution.objects.filter(short_name="KLFU").first()
    if institution is not None:
        session = client.session
        session[SESSION_KEY] = institution.pk
        session.save()
    return client


@pytest.fixture
def world():
    world = make_board()
    world.case = complaint_case(world)
    return world


def test_the_worklist_shows_my_lane_tasks(world):
    response = _client(world.worker).get(reverse("cases:worklist"))
    assert response.status_code == 200
    assert b'data-task="register"' in response.content
    # The approver works the case_manager lane only: nothing yet.
    response = _client(world.manager).get(reverse("cases:worklist"))
    assert b'data-task="register"' not in response.content


def test_a_case_worker_completes_a_task_through_the_form(world):
    client = _client(world.worker)
    task = open_task(world.case)
    url = reverse("cases:task-form", kwargs={"pk": task.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"complainant_is_party": "on", "days_since_decision": "3", "minutes": "12"}
    )
    assert response.status_code == 302
    assert open_task(world.case).spec_id == "await_statements"
    assert CaseTask.objects.get(pk=task.pk).minutes == 12
    page = client.get(reverse("cases:case-detail", kwargs={"pk": world.case.pk}))
    assert page.status_code == 200
    assert b'data-kind="hearing_deadline"' in page.content


def test_an_invalid_form_is_shown_again_and_changes_nothing(world):
    client = _client(world.worker)
    task = open_task(world.case)
    response = client.post(
        reverse("cases:task-form", kwargs={"pk": task.pk}), {"days_since_decision": "-4"}
    )
    assert response.status_code == 400
    assert open_task(world.case).pk == task.pk


def test_the_approver_may_not_work_the_case_workers_task(world):
    task = open_task(world.case)
    response = _client(world.manager).post(
        reverse("cases:task-form", kwargs={"pk": task.pk}), {"days_since_decision": "3"}
    )
    assert response.status_code == 403
    assert CaseTask.objects.get(pk=task.pk).state == CaseTaskState.OPEN


def test_showing_a_cpr_number_is_logged_with_its_purpose(world):
    party = world.case.parties.get(role="complainant")
    client = _client(world.worker)
    page = client.get(reverse("cases:case-detail", kwargs={"pk": world.case.pk}))
    assert b"XXXXXX-XXXX" in page.content
    assert b"0101901234" not in page.content and b"010190" not in page.content
    response = client.post(
        reverse("cases:party-cpr", kwargs={"pk": party.pk}), {"purpose": "Partshøring"}
    )
    assert response.status_code == 200
    assert b'data-revealed="1">0101901234' in response.content
    log = PersonalDataAccess.objects.get()
    assert (log.actor, log.purpose, log.fields) == (world.worker, "Partshøring", ["cpr"])
    assert "0101901234" not in str(
        AuditEvent.objects.filter(action="personal_data.read").get().details
    )


def test_a_document_downloads_with_its_hash(world):
    document = world.case.documents.get()
    response = _client(world.worker).get(reverse("cases:document", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response.content == b"Jeg klager."
    assert response["X-Content-SHA256"] == document.sha256


def test_opening_a_case_from_the_page(world):
    client = _client(world.worker)
    response = client.post(
        reverse("cases:case-open"),
        {
            "case_type": world.complaint.pk,
            "title": "Ny klage",
            "party_name": "Jens",
            "party_kind": "citizen",
            "party_number": "0101901234",
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert Case.objects.filter(title="Ny klage").count() == 1


def test_uploading_an_invalid_model_shows_the_reasons(world):
    client = _client(world.admin)
    bpmn = (
        (MODELS_DIR / "complaint.bpmn")
        .read_text()
        .replace('id="appeal_open"', 'id="carrier_pigeon"')
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("cases:case-type-upload"),
        {
            "files": [
                SimpleUploadedFile("complaint.bpmn", bpmn.encode()),
                SimpleUploadedFile("complaint.dmn", (MODELS_DIR / "complaint.dmn").read_bytes()),
            ],
            "code": "complaint",
        },
    )
    assert response.status_code == 400
    assert b'data-code="unknown_service"' in response.content
    assert b"carrier_pigeon" in response.content
    assert CaseTypeVersion.objects.filter(case_type=world.complaint).count() == 1


def test_uploading_a_valid_model_makes_a_new_version(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bpmn = (MODELS_DIR / "complaint.bpmn").read_text().replace('value="5"/>', 'value="7"/>', 1)
    response = _client(world.admin).post(
        reverse("cases:case-type-upload"),
        {
            "files": [
                SimpleUploadedFile("complaint.bpmn", bpmn.encode()),
                SimpleUploadedFile("complaint.dmn", (MODELS_DIR / "complaint.dmn").read_bytes()),
            ],
            "code": "complaint",
        },
    )
    assert response.status_code == 302
    assert world.complaint.versions.count() == 2


def test_a_case_worker_may_not_upload(world):
    assert _client(world.worker).get(reverse("cases:case-type-upload")).status_code == 403


def test_case_times_are_public_and_hold_no_personal_data(world):
    services.case_task_complete(
        actor=world.worker,
        task=open_task(world.case),
        data={"complainant_is_party": False, "days_since_decision": 3},
        now=T0,
    )
    response = Client().get(reverse("cases:case-times") + "?format=json")
    assert response.status_code == 200
    rows = {(r["institution"], r["code"]): r for r in response.json()["case_times"]}
    row = rows[("Klagenævnet for Udbud", "complaint")]
    assert row["closed"] == 1 and row["open"] == 0
    assert b"Hans Hansen" not in response.content and b"KLFU-2026" not in response.content
    assert Client().get(reverse("cases:case-times")).status_code == 200


def test_a_stranger_and_another_institution_get_404_and_nothing_changes(world):
    other = InstitutionFactory(short_name="OTHER")
    stranger = member(other, *Role.values)
    case = world.case
    party = case.parties.first()
    urls = [
        ("get", reverse("cases:case-detail", kwargs={"pk": case.pk})),
        ("get", reverse("cases:task-form", kwargs={"pk": open_task(case).pk})),
        ("post", reverse("cases:task-form", kwargs={"pk": open_task(case).pk})),
        ("get", reverse("cases:document", kwargs={"pk": case.documents.get().pk})),
        ("post", reverse("cases:party-cpr", kwargs={"pk": party.pk})),
        ("get", reverse("cases:case-type-detail", kwargs={"pk": world.complaint.pk})),
    ]
    before = (
        AuditEvent.objects.count(),
        PersonalDataAccess.objects.count(),
        CaseTask.objects.filter(state="open").count(),
    )
    client = _client(stranger, other)
    for method, url in urls:
        response = getattr(client, method)(url, {"days_since_decision": "1", "purpose": "x"})
        assert response.status_code == 404, url
    after = (
        AuditEvent.objects.count(),
        PersonalDataAccess.objects.count(),
        CaseTask.objects.filter(state="open").count(),
    )
    assert after == before
    # The lists of the other institution show nothing of the board.
    response = client.get(reverse("cases:case-list"))
    assert response.status_code == 200 and case.number.encode() not in response.content
    assert client.get(reverse("cases:worklist")).content.count(b"data-task=") == 0
    assert CaseType.objects.count() == 2
