"""INSTA 800 inspections (sampling table, room approval by quality level, the inspection's
acceptance number), surveys and the supplier scorecard with its penalty rules."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from faelles.core.audit import Denied
from faelles.core.models import AuditEvent
from faelles.servicedesk import quality, scorecard, services
from faelles.servicedesk.models import SlaState
from faelles.servicedesk.quality_models import (
    CleaningInspection,
    InspectedRoom,
    PenaltyRule,
    RoomType,
    Scorecard,
    SurveyResponse,
)
from faelles.servicedesk.tests.facilities_builders import at, levels, resolved, rooms
from faelles.servicedesk.tests.factories import make_desk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lot", "sample", "accept"),
    [
        (1, 1, 0),
        (2, 2, 0),
        (8, 2, 0),
        (9, 3, 0),
        (25, 5, 1),
        (26, 8, 1),
        (90, 13, 2),
        (91, 20, 3),
        (280, 32, 5),
        (500, 50, 7),
        (1201, 125, 14),
    ],
)
def test_the_sample_grows_with_the_lot_by_the_sampling_table(lot, sample, accept):
    assert quality.sample_plan(lot) == (sample, accept)


def test_an_empty_lot_has_no_sample():
    with pytest.raises(ValidationError):
        quality.sample_plan(0)


@pytest.mark.parametrize(
    ("level", "defects", "approved"),
    [
        (5, {}, True),
        (5, {"dust": 1}, False),
        (4, {"dust": 1, "stains": 1}, True),
        (4, {"litter": 2}, False),
        (3, {"adhering": 2}, True),
        (3, {"adhering": 3}, False),
        (1, {"dust": 5, "litter": 5}, True),
        (1, {"stains": 6}, False),
    ],
)
def test_a_room_is_approved_when_every_object_group_is_within_its_level(level, defects, approved):
    assert quality.room_approved(level, defects) is approved


def test_planning_draws_the_table_sample_with_each_rooms_level():
    desk = make_desk()
    rooms(desk, 20, RoomType.OFFICE)
    rooms(desk, 6, RoomType.SANITARY)
    levels(desk, office=3, sanitary=4)

    inspection = quality.inspection_plan(
        actor=desk.agent,
        contract=desk.contract,
        building=desk.building,
        inspected_on=date(2026, 3, 10),
        seed="s1",
    )

    assert (inspection.lot_size, inspection.sample_size, inspection.acceptance_number) == (
        26,
        8,
        1,
    )
    sampled = list(inspection.rooms.all())
    assert len(sampled) == 8 == len({r.room_id for r in sampled})
    assert {(r.room_type, r.quality_level) for r in sampled} <= {("office", 3), ("sanitary", 4)}
    again = quality.inspection_plan(
        actor=desk.agent,
        contract=desk.contract,
        building=desk.building,
        inspected_on=date(2026, 3, 11),
        seed="s1",
    )
    assert [r.room_id for r in again.rooms.all()] == [r.room_id for r in sampled]
    assert AuditEvent.objects.filter(action="servicedesk.inspection.planned").count() == 2


def test_planning_needs_a_quality_level_for_every_room_type():
    desk = make_desk()
    rooms(desk, 3, RoomType.OFFICE)
    rooms(desk, 2, RoomType.KITCHEN)
    levels(desk, office=3)

    with pytest.raises(ValidationError) as exc:
        quality.inspection_plan(
            actor=desk.agent,
            contract=desk.contract,
            building=desk.building,
            inspected_on=date(2026, 3, 10),
        )

    assert exc.value.error_dict["contract"][0].code == "no_quality_level"
    assert CleaningInspection.objects.count() == 0


def _inspect(desk, failing: int, total_rooms: int = 26):
    rooms(desk, total_rooms, RoomType.OFFICE)
    levels(desk, office=3)
    inspection = quality.inspection_plan(
        actor=desk.agent,
        contract=desk.contract,
        building=desk.building,
        inspected_on=date(2026, 3, 10),
        seed="x",
    )
    for i, room in enumerate(inspection.rooms.all()):
        defects = {"dust": 3} if i < failing else {"dust": 2, "litter": 1}
        quality.inspection_assess(actor=desk.agent, inspected=room, defects=defects)
    return inspection


def test_an_inspection_is_approved_within_the_acceptance_number():
    desk = make_desk()
    inspection = _inspect(desk, failing=1)

    done = quality.inspection_complete(actor=desk.agent, inspection=inspection)

    assert (done.state, done.not_approved, done.approved) == ("completed", 1, True)
    assert InspectedRoom.objects.filter(inspection=done, approved=False).count() == 1


def test_an_inspection_is_not_approved_beyond_the_acceptance_number():
    desk = make_desk("b")
    inspection = _inspect(desk, failing=2)

    done = quality.inspection_complete(actor=desk.agent, inspection=inspection)

    assert (done.not_approved, done.approved) == (2, False)
    event = AuditEvent.objects.get(action="servicedesk.inspection.completed")
    assert event.details["approved"] is False


def test_a_completed_inspection_does_not_change():
    desk = make_desk()
    inspection = _inspect(desk, failing=0)
    quality.inspection_complete(actor=desk.agent, inspection=inspection)
    room = inspection.rooms.first()

    with pytest.raises(ValidationError):
        quality.inspection_assess(actor=desk.agent, inspected=room, defects={"dust": 9})
    with pytest.raises(ValidationError):
        quality.inspection_complete(actor=desk.agent, inspection=inspection)

    room.refresh_from_db()
    assert room.defects["dust"] == 2


def test_completing_needs_every_room_assessed():
    desk = make_desk()
    rooms(desk, 5, RoomType.OFFICE)
    levels(desk, office=2)
    inspection = quality.inspection_plan(
        actor=desk.agent,
        contract=desk.contract,
        building=desk.building,
        inspected_on=date(2026, 3, 10),
    )

    with pytest.raises(ValidationError) as exc:
        quality.inspection_complete(actor=desk.agent, inspection=inspection)

    assert exc.value.code == "not_assessed"


@pytest.mark.parametrize("defects", [{"dust": -1}, {"dust": "2.5"}, {"smell": 1}])
def test_defects_are_whole_counts_of_known_groups(defects):
    desk = make_desk()
    rooms(desk, 2, RoomType.OFFICE)
    levels(desk, office=3)
    inspection = quality.inspection_plan(
        actor=desk.agent,
        contract=desk.contract,
        building=desk.building,
        inspected_on=date(2026, 3, 10),
    )

    with pytest.raises(ValidationError):
        quality.inspection_assess(
            actor=desk.agent, inspected=inspection.rooms.first(), defects=defects
        )

    assert inspection.rooms.first().approved is None


def test_only_an_agent_of_the_institution_inspects_and_the_refusal_is_kept():
    desk = make_desk()
    other = make_desk("b", operator=desk.operator)
    rooms(desk, 3, RoomType.OFFICE)
    levels(desk, office=3)

    for actor in (desk.requester, desk.contact, other.agent):
        with pytest.raises(Denied):
            quality.inspection_plan(
                actor=actor,
                contract=desk.contract,
                building=desk.building,
                inspected_on=date(2026, 3, 10),
            )

    assert CleaningInspection.objects.count() == 0
    assert AuditEvent.objects.filter(action="servicedesk.inspection.plan.refused").count() == 3


# --- surveys -----------------------------------------------------------------------------------


def _closed(desk):
    ticket = resolved(desk, at(3, 2), 2)
    services.ticket_transition(
        actor=desk.agent, ticket=ticket, action="close", at=at(3, 2) + timedelta(hours=3)
    )
    ticket.refresh_from_db()
    return ticket


def test_the_requester_answers_the_survey_of_a_closed_ticket_once():
    desk = make_desk()
    ticket = _closed(desk)

    response = quality.survey_answer_ticket(
        actor=desk.requester, ticket=ticket, score=4, answers={"speed": 5, "quality": 3}
    )

    assert (response.kind, response.score, response.answers) == (
        "ticket",
        4,
        {"speed": 5, "quality": 3},
    )
    with pytest.raises(ValidationError):
        quality.survey_answer_ticket(actor=desk.requester, ticket=ticket, score=2)
    with pytest.raises(Denied):
        quality.survey_answer_ticket(actor=desk.colleague, ticket=ticket, score=2)
    assert SurveyResponse.objects.count() == 1


def test_no_survey_before_the_ticket_is_closed():
    desk = make_desk()
    ticket = resolved(desk, at(3, 2), 2)

    with pytest.raises(ValidationError):
        quality.survey_answer_ticket(actor=desk.requester, ticket=ticket, score=5)


def test_the_yearly_survey_is_answered_once_per_person_and_not_by_strangers():
    desk = make_desk()
    other = make_desk("b", operator=desk.operator)

    quality.survey_answer_yearly(
        actor=desk.colleague, institution=desk.institution, year=2026, score=3
    )
    with pytest.raises(ValidationError):
        quality.survey_answer_yearly(
            actor=desk.colleague, institution=desk.institution, year=2026, score=4
        )
    with pytest.raises(Denied):
        quality.survey_answer_yearly(
            actor=other.requester, institution=desk.institution, year=2026, score=1
        )
    with pytest.raises(ValidationError):
        quality.survey_answer_yearly(
            actor=desk.requester, institution=desk.institution, year=2026, score=6
        )

    assert SurveyResponse.objects.filter(kind="yearly").count() == 1


# --- scorecard ---------------------------------------------------------------------------------


def _work_orders(desk):
    """Three facility work orders on the contract in March: two met (priority 3, 16 hours),
    one missed (priority 1, 4 hours; resolved after 14 business hours)."""
    made = []
    for day, hours, urgency in ((3, 2, 3), (4, 3, 3), (5, 30, 1)):
        made.append(
            resolved(
                desk,
                at(3, day),
                hours,
                domain="facilities",
                kind="work_order",
                category=desk.fm_category,
                impact=1,
                urgency=urgency,
            )
        )
    return made


def test_the_scorecard_counts_targets_met_inspections_and_satisfaction():
    desk = make_desk()
    tickets = _work_orders(desk)
    assert [t.contract_id for t in tickets] == [desk.contract.pk] * 3
    assert [t.sla_state for t in tickets] == [SlaState.MET, SlaState.MET, SlaState.MISSED]
    done = quality.inspection_complete(actor=desk.agent, inspection=_inspect(desk, failing=2))
    assert done.approved is False
    services.ticket_rate(actor=desk.requester, ticket=tickets[0], rating=2, at=at(3, 20))
    services.ticket_rate(actor=desk.requester, ticket=tickets[1], rating=5, at=at(3, 20))

    figures = scorecard.contract_figures(
        desk.contract, desk.contract.institutions.all(), date(2026, 3, 1), date(2026, 3, 31)
    )

    assert (figures.tickets_resolved, figures.sla_met, figures.sla_met_pct) == (
        3,
        2,
        Decimal("66.7"),
    )
    assert (figures.inspections, figures.inspections_approved, figures.inspections_pct) == (
        1,
        0,
        Decimal("0.0"),
    )
    assert (figures.rooms_inspected, figures.rooms_not_approved) == (8, 2)
    assert (figures.satisfaction_answers, figures.satisfaction) == (2, Decimal("3.50"))


def test_penalties_follow_the_contracts_rules():
    desk = make_desk()
    _work_orders(desk)
    PenaltyRule.objects.create(
        contract=desk.contract,
        metric="sla_met",
        threshold=Decimal("95"),
        basis="per_point",
        amount=Decimal("1000"),
        cap=Decimal("25000"),
    )
    PenaltyRule.objects.create(
        contract=desk.contract,
        metric="sla_met",
        threshold=Decimal("70"),
        basis="once",
        amount=Decimal("5000"),
    )
    PenaltyRule.objects.create(
        contract=desk.contract,
        metric="inspections",
        threshold=Decimal("90"),
        basis="once",
        amount=Decimal("10000"),
    )

    figures = scorecard.contract_figures(
        desk.contract, desk.contract.institutions.all(), date(2026, 3, 1), date(2026, 3, 31)
    )

    # 66.7 % met: 28.3 points below 95 → 29 points × 1,000 capped at 25,000; below 70: 5,000;
    # no inspection in the period: its rule does not apply.
    assert [p["amount"] for p in figures.penalties] == ["25000.00", "5000.00"]
    assert figures.penalty_total == Decimal("30000.00")


def test_a_scorecard_is_issued_once_by_someone_serving_every_institution():
    desk = make_desk()
    _work_orders(desk)
    other = make_desk("b", operator=desk.operator)  # the contract now covers b as well
    assert other.contract == desk.contract

    with pytest.raises(Denied):
        scorecard.scorecard_issue(
            actor=desk.agent, contract=desk.contract, start=date(2026, 3, 1), end=date(2026, 3, 31)
        )
    other.institution.service_agreements.get().staff.add(desk.agent)

    card = scorecard.scorecard_issue(
        actor=desk.agent, contract=desk.contract, start=date(2026, 3, 1), end=date(2026, 3, 31)
    )

    assert card.figures["sla_met_pct"] == "66.7"
    assert card.figures["tickets_resolved"] == 3
    with pytest.raises(ValidationError):
        scorecard.scorecard_issue(
            actor=desk.agent, contract=desk.contract, start=date(2026, 3, 1), end=date(2026, 3, 31)
        )
    assert Scorecard.objects.count() == 1
    assert AuditEvent.objects.filter(action="servicedesk.scorecard.issue.refused").count() == 1


def test_an_agent_sees_the_contract_only_over_the_institutions_they_serve():
    desk = make_desk()
    other = make_desk("b", operator=desk.operator)
    _work_orders(other)

    served = scorecard.contract_institutions(desk.agent, desk.contract)
    figures = scorecard.contract_figures(desk.contract, served, date(2026, 3, 1), date(2026, 3, 31))

    assert list(served) == [desk.institution]
    assert figures.tickets_resolved == 0
