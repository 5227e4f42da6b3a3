"""The cases API under /api/v1/cases/: case types, cases (list, filter, read, open), the work
list and completing a task, documents. Every endpoint answers another institution's objects
with 404 (and opens nothing there), through the access gate."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from faelles.cases.models import Case, CaseTask, CaseTaskState
from faelles.cases.tests.factories import CITIZEN_CPR, complaint_case, make_board
from faelles.core.models import AuditEvent
from faelles.tenancy.models import Role
from faelles.tenancy.tests.factories import InstitutionFactory, member

pytestmark = pytest.mark.django_db

API = "/api/v1/cases"


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict) -> object:
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def world():
    world = make_board()
    world.case = complaint_case(world)
    other = InstitutionFactory(name="Andet nævn", short_name="AN")
    world.outsider = member(other, Role.LOCAL_ADMIN, username="admin-an")
    return world


def test_case_types_are_those_of_the_callers_institutions(world):
    body = _client(world.worker).get(f"{API}/case-types").json()
    assert [(t["institution"], t["code"], t["version"]) for t in body["results"]] == [
        ("EAN", "complaint", 1),
        ("KLFU", "complaint", 1),
    ]
    assert body["results"][1]["user_tasks"][0] == {
        "id": "register",
        "name": "Register the complaint",
        "form": "complaint_register",
        "role": "case_worker",
    }
    only = _client(world.worker).get(f"{API}/case-types?institution=KLFU").json()["results"]
    assert [t["id"] for t in only] == [world.complaint.pk]
    outsider = _client(world.outsider)
    assert outsider.get(f"{API}/case-types").json()["results"] == []
    assert outsider.get(f"{API}/case-types/{world.complaint.pk}").status_code == 404


def test_cases_are_listed_filtered_and_read_with_the_cpr_masked(world):
    client = _client(world.worker)
    body = client.get(f"{API}/cases?status=open&institution=KLFU").json()
    assert [c["number"] for c in body["results"]] == ["KLFU-2026-00001"]
    case = client.get(f"{API}/cases/{world.case.pk}").json()
    assert (case["case_type"], case["version"], case["status"], case["decision"]) == (
        "complaint",
        1,
        "open",
        None,
    )
    assert [(p["role"], p["name"], p["cpr"], p["cvr"]) for p in case["parties"]] == [
        ("complainant", "Hans Hansen", "XXXXXX-XXXX", ""),
        ("party", "Byg A/S", "", "13585628"),
    ]
    assert CITIZEN_CPR not in json.dumps(case)
    assert client.get(f"{API}/cases?status=closed").json()["results"] == []
    assert client.get(f"{API}/cases?case_type=grant-pool").json()["results"] == []
    outsider = _client(world.outsider)
    assert outsider.get(f"{API}/cases").json()["results"] == []
    assert outsider.get(f"{API}/cases/{world.case.pk}").status_code == 404
    assert outsider.get(f"{API}/cases/x").status_code == 404


def test_a_case_worker_opens_a_case_and_no_one_opens_one_elsewhere(world):
    body = {
        "institution": "KLFU",
        "case_type": "complaint",
        "title": "Klage over udbud",
        "parties": [
            {"kind": "company", "role": "complainant", "name": "Byg A/S", "cvr": "13585628"}
        ],
    }
    created = _post(_client(world.worker), f"{API}/cases", body)
    assert created.status_code == 201, created.content
    assert created.json()["number"] == "KLFU-2026-00002"
    assert created.json()["parties"][0]["name"] == "Byg A/S"
    cases = Case.objects.count()
    events = AuditEvent.objects.count()
    outsider = _post(_client(world.outsider), f"{API}/cases", body)
    assert outsider.status_code == 400
    assert outsider.json() == {"institution": ["unknown institution"]}
    approver = _post(_client(world.manager), f"{API}/cases", body)
    assert approver.status_code == 400  # an approver does not open cases
    unknown = _post(_client(world.worker), f"{API}/cases", {**body, "case_type": "telex"})
    assert unknown.json() == {"case_type": ["unknown case type"]}
    assert (Case.objects.count(), AuditEvent.objects.count()) == (cases, events)


def test_the_work_list_and_completing_a_task(world):
    worker = _client(world.worker)
    tasks = worker.get(f"{API}/tasks").json()["results"]
    assert [(t["case_number"], t["spec_id"], t["role"]) for t in tasks] == [
        ("KLFU-2026-00001", "register", "case_worker")
    ]
    assert [f["name"] for f in tasks[0]["fields"]][:2] == [
        "complainant_is_party",
        "days_since_decision",
    ]
    assert _client(world.manager).get(f"{API}/tasks").json()["results"] == []
    task_id = tasks[0]["id"]
    refused = _post(_client(world.manager), f"{API}/tasks/{task_id}/complete", {"data": {}})
    assert refused.status_code == 403
    invalid = _post(
        worker, f"{API}/tasks/{task_id}/complete", {"data": {"days_since_decision": -4}}
    )
    assert invalid.status_code == 400
    assert CaseTask.objects.get(pk=task_id).state == CaseTaskState.OPEN
    done = _post(
        worker,
        f"{API}/tasks/{task_id}/complete",
        {"data": {"complainant_is_party": True, "days_since_decision": 3}, "minutes": 15},
    )
    assert done.status_code == 200, done.content
    assert done.json()["number"] == "KLFU-2026-00001"
    row = CaseTask.objects.get(pk=task_id)
    assert (row.state, row.completed_by, row.minutes) == (CaseTaskState.DONE, world.worker, 15)
    assert [t["spec_id"] for t in worker.get(f"{API}/tasks").json()["results"]] == [
        "await_statements"
    ]
    assert worker.get(f"{API}/tasks/{task_id}").json()["state"] == "done"
    again = _post(worker, f"{API}/tasks/{task_id}/complete", {"data": {}})
    assert again.status_code == 400


def test_another_institutions_tasks_answer_404_and_nothing_changes(world):
    task = CaseTask.objects.get(case=world.case)
    outsider = _client(world.outsider)
    events = AuditEvent.objects.count()
    assert outsider.get(f"{API}/tasks").json()["results"] == []
    assert outsider.get(f"{API}/tasks/{task.pk}").status_code == 404
    response = _post(
        outsider,
        f"{API}/tasks/{task.pk}/complete",
        {"data": {"complainant_is_party": True, "days_since_decision": 3}},
    )
    assert response.status_code == 404
    assert CaseTask.objects.get(pk=task.pk).state == CaseTaskState.OPEN
    assert AuditEvent.objects.count() == events


def test_documents_are_listed_and_downloaded_with_their_hash(world):
    client = _client(world.worker)
    [doc] = client.get(f"{API}/documents?case={world.case.pk}").json()["results"]
    row = world.case.documents.get()
    assert (doc["title"], doc["filename"], doc["sha256"], doc["size"]) == (
        "Klage",
        "klage.txt",
        row.sha256,
        len(b"Jeg klager."),
    )
    content = client.get(f"{API}/documents/{row.pk}/content")
    assert content.status_code == 200
    assert content.content == b"Jeg klager."
    assert content["X-Content-SHA256"] == row.sha256
    assert client.get(f"{API}/documents?case=x").json()["results"] == []
    outsider = _client(world.outsider)
    assert outsider.get(f"{API}/documents").json()["results"] == []
    assert outsider.get(f"{API}/documents?case={world.case.pk}").json()["results"] == []
    assert outsider.get(f"{API}/documents/{row.pk}").status_code == 404
    assert outsider.get(f"{API}/documents/{row.pk}/content").status_code == 404


def test_the_api_needs_a_signed_in_caller(world):
    anonymous = Client()
    for url in ("case-types", "cases", "tasks", "documents"):
        assert anonymous.get(f"{API}/{url}").status_code in (401, 403)
