"""The quality pages as each person uses them: inspections (plan, assess, complete), the
scorecards and the surveys, with a cross-institution case on every endpoint and a check that
a refused action changed nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from faelles.core.models import AuditEvent
from faelles.servicedesk import quality, services
from faelles.servicedesk.quality_models import (
    CleaningInspection,
    RoomType,
    Scorecard,
    SurveyResponse,
)
from faelles.servicedesk.tests.facilities_builders import at, levels, resolved, rooms
from faelles.servicedesk.tests.factories import make_desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def desks():
    a = make_desk("a")
    b = make_desk("b", operator=a.operator)
    return a, b


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _planned(desk, count=5):
    rooms(desk, count, RoomType.OFFICE)
    levels(desk, office=4)
    return quality.inspection_plan(
        actor=desk.agent,
        contract=desk.contract,
        building=desk.building,
        inspected_on=date(2026, 3, 10),
        seed="v",
    )


def test_an_agent_plans_assesses_and_completes_an_inspection_on_the_pages(desks):
    a, _b = desks
    rooms(a, 5, RoomType.OFFICE)
    levels(a, office=4)
    client = _client(a.agent)

    assert client.get(reverse("servicedesk:inspections")).status_code == 200
    response = client.post(
        reverse("servicedesk:inspections"),
        {"contract": a.contract.pk, "building": a.building.pk, "inspected_on": "2026-03-10"},
    )
    inspection = CleaningInspection.objects.get()
    assert response["Location"] == reverse("servicedesk:inspection-detail", args=[inspection.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.content.count(b"data-room=") == inspection.sample_size == 2
    first, second = inspection.rooms.all()
    for room, dust in ((first, "1"), (second, "2")):
        client.post(
            reverse("servicedesk:inspection-action", args=[inspection.pk, "assess"]),
            {"room": room.pk, "dust": dust, "stains": "0"},
        )
    client.post(reverse("servicedesk:inspection-action", args=[inspection.pk, "complete"]))

    inspection.refresh_from_db()
    assert (inspection.state, inspection.not_approved, inspection.approved) == (
        "completed",
        1,
        False,
    )


def test_the_contact_person_reads_inspections_but_cannot_act(desks):
    a, _b = desks
    inspection = _planned(a)
    client = _client(a.contact)
    events = AuditEvent.objects.count()

    assert client.get(reverse("servicedesk:inspections")).status_code == 200
    assert (
        client.get(reverse("servicedesk:inspection-detail", args=[inspection.pk])).status_code
        == 200
    )
    refused = client.post(
        reverse("servicedesk:inspection-action", args=[inspection.pk, "complete"])
    )

    assert refused.status_code == 403
    inspection.refresh_from_db()
    assert inspection.state == "planned"
    assert AuditEvent.objects.count() == events + 1  # the refusal only
    assert client.get(reverse("servicedesk:contracts")).content.count(b"data-contract=") == 0


def test_a_requester_does_not_see_inspections(desks):
    a, _b = desks
    inspection = _planned(a)
    client = _client(a.requester)

    assert client.get(reverse("servicedesk:inspections")).status_code == 403
    assert (
        client.get(reverse("servicedesk:inspection-detail", args=[inspection.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["agent", "contact", "requester"])
def test_another_institutions_inspection_answers_404_and_nothing_changes(desks, who):
    a, b = desks
    inspection = _planned(a)
    room = inspection.rooms.first()
    client = _client(getattr(b, who))
    events = AuditEvent.objects.count()

    assert (
        client.get(reverse("servicedesk:inspection-detail", args=[inspection.pk])).status_code
        == 404
    )
    for action in ("assess", "complete"):
        response = client.post(
            reverse("servicedesk:inspection-action", args=[inspection.pk, action]),
            {"room": room.pk, "dust": "9"},
        )
        assert response.status_code == 404
    planned = client.post(
        reverse("servicedesk:inspections"),
        {"contract": a.contract.pk, "building": a.building.pk, "inspected_on": "2026-03-10"},
    )

    assert planned.status_code in (302, 403)
    assert CleaningInspection.objects.count() == 1
    room.refresh_from_db()
    assert room.defects == {}
    assert (
        AuditEvent.objects.filter(action__startswith="servicedesk.inspection")
        .exclude(action="servicedesk.inspection.planned")
        .count()
        == 0
    )
    assert AuditEvent.objects.count() == events


def test_the_scorecard_page_shows_and_exports_and_issues(desks):
    a, _b = desks
    resolved(a, at(3, 3), 2, domain="facilities", kind="work_order", category=a.fm_category)
    client = _client(a.agent)
    url = reverse("servicedesk:scorecard", args=[a.contract.pk])

    page = client.get(url, {"from": "2026-03-01", "to": "2026-03-31"})
    csv = client.get(url, {"from": "2026-03-01", "to": "2026-03-31", "format": "csv"})

    assert page.status_code == 200
    assert b'id="partial"' in page.content  # b is covered too, and a's agent does not serve it
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert "Service targets met (%);100,0" in csv.content.decode("utf-8-sig")
    assert client.post(url, {"from": "2026-03-01", "to": "2026-03-31"}).status_code == 403
    assert Scorecard.objects.count() == 0


def test_the_scorecard_is_issued_on_the_page_by_someone_serving_every_institution(desks):
    a, b = desks
    b.agreement.staff.add(a.agent)
    client = _client(a.agent)
    url = reverse("servicedesk:scorecard", args=[a.contract.pk])

    response = client.post(url, {"from": "2026-03-01", "to": "2026-03-31"})

    assert response.status_code == 302
    assert Scorecard.objects.get().period_end == date(2026, 3, 31)


def test_a_contract_answers_404_to_who_serves_none_of_its_institutions():
    a = make_desk("a")
    stranger = make_desk("z")  # another operator: its own contract with the same reference
    client = _client(stranger.agent)

    assert client.get(reverse("servicedesk:scorecard", args=[a.contract.pk])).status_code == 404
    assert (
        client.post(
            reverse("servicedesk:scorecard", args=[a.contract.pk]),
            {"from": "2026-03-01", "to": "2026-03-31"},
        ).status_code
        == 404
    )
    assert (
        _client(a.requester).get(reverse("servicedesk:scorecard", args=[a.contract.pk])).status_code
        == 404
    )


def _closed(desk):
    ticket = resolved(desk, at(3, 2), 2)
    services.ticket_transition(
        actor=desk.agent, ticket=ticket, action="close", at=at(3, 2) + timedelta(hours=3)
    )
    return ticket


def test_the_requester_answers_the_survey_on_the_page_and_others_get_404(desks):
    a, b = desks
    ticket = _closed(a)
    url = reverse("servicedesk:ticket-survey", args=[ticket.pk])

    for stranger in (b.requester, b.contact, b.agent):
        assert _client(stranger).get(url).status_code == 404
        assert _client(stranger).post(url, {"score": "1"}).status_code == 404
    client = _client(a.requester)
    assert client.get(url).status_code == 200
    response = client.post(url, {"score": "4", "speed": "5", "comment": "Fint"})

    assert response.status_code == 302
    survey = SurveyResponse.objects.get()
    assert (survey.score, survey.answers, survey.comment) == (4, {"speed": 5}, "Fint")


def test_the_yearly_survey_is_answered_in_the_current_institution(desks):
    a, _b = desks
    client = _client(a.colleague)

    assert client.get(reverse("servicedesk:survey-yearly")).status_code == 200
    client.post(reverse("servicedesk:survey-yearly"), {"score": "3"})
    client.post(reverse("servicedesk:survey-yearly"), {"score": "5"})

    assert list(SurveyResponse.objects.values_list("institution_id", "score")) == [
        (a.institution.pk, 3)
    ]


def test_a_date_that_does_not_exist_is_refused_not_an_error(desks):
    a, _b = desks
    client = _client(a.agent)

    page = client.get(
        reverse("servicedesk:scorecard", args=[a.contract.pk]), {"from": "2026-02-30"}
    )
    planned = client.post(
        reverse("servicedesk:inspections"),
        {"contract": a.contract.pk, "building": a.building.pk, "inspected_on": "2026-02-30"},
    )

    assert page.status_code == 200
    assert planned.status_code == 302
    assert CleaningInspection.objects.count() == 0
