"""INSTA 800 cleaning inspections and satisfaction surveys (issue 14, item 3).

An inspection follows INSTA 800's control procedure:

1. the **lot** is a building's cleaned rooms (:class:`CleanedRoom`) under a contract;
2. the **sample size** and the **acceptance number** are read from the sampling table
   (:data:`SAMPLING_TABLE`) for the lot's size, and the sample is drawn at random (seeded and
   stored, so the draw can be repeated and checked);
3. each sampled room is assessed: the inspector counts the defects per object group (litter,
   stains, dust, adhering dirt); the room is **approved** when every group is within the
   acceptance limit of the room type's quality level (:data:`ACCEPTANCE_LIMITS`);
4. the inspection is **approved** when the number of rooms not approved is at most the
   acceptance number.

Every write is a service with an audit event; agents (``Area.SERVICE_DESK``) inspect, the
people of the institution answer surveys.
"""

from __future__ import annotations

import random
import secrets
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import Denied, Refused, record_event, refusals_recorded
from faelles.servicedesk import selectors as sel
from faelles.servicedesk.models import FrameworkContract, Location, Status, Ticket
from faelles.servicedesk.quality_models import (
    CleanedRoom,
    CleaningInspection,
    InspectedRoom,
    ObjectGroup,
    QualitySpec,
    RoomType,
    SurveyResponse,
)
from faelles.tenancy.models import Institution, User


@dataclass(frozen=True, slots=True)
class SampleRow:
    """A row of the sampling table: lots of up to ``max_lot`` rooms inspect ``sample`` rooms
    and accept at most ``accept`` rooms not approved."""

    max_lot: int
    sample: int
    accept: int


#: INSTA 800's sampling table (single sampling; built on ISO 2859-1, general inspection
#: level II, with the acceptance numbers of AQL 6.5): the sample grows with the lot. A lot
#: smaller than a row's sample is inspected whole. Data, so a contract's edition can be put in.
SAMPLING_TABLE: tuple[SampleRow, ...] = (
    SampleRow(8, 2, 0),
    SampleRow(15, 3, 0),
    SampleRow(25, 5, 1),
    SampleRow(50, 8, 1),
    SampleRow(90, 13, 2),
    SampleRow(150, 20, 3),
    SampleRow(280, 32, 5),
    SampleRow(500, 50, 7),
    SampleRow(1200, 80, 10),
    SampleRow(3200, 125, 14),
    SampleRow(10_000_000, 200, 21),
)

#: The acceptance limits per quality level: the most defects of one object group a sampled
#: room may have and still be approved (QL 5 the strictest). Data, like the table.
ACCEPTANCE_LIMITS: Mapping[int, int] = {5: 0, 4: 1, 3: 2, 2: 3, 1: 5}

OBJECT_GROUPS = tuple(ObjectGroup.values)


def sample_plan(lot_size: int) -> tuple[int, int]:
    """(sample size, acceptance number) for a lot of ``lot_size`` rooms."""
    if lot_size < 1:
        raise ValidationError(_("The lot has no rooms to inspect."), code="empty_lot")
    index = bisect_left([row.max_lot for row in SAMPLING_TABLE], lot_size)
    row = SAMPLING_TABLE[index]
    return min(row.sample, lot_size), row.accept


def room_approved(quality_level: int, defects: Mapping[str, int]) -> bool:
    """Approved when every object group's defects are within the quality level's limit."""
    limit = ACCEPTANCE_LIMITS[quality_level]
    return all(int(defects.get(group, 0)) <= limit for group in OBJECT_GROUPS)


def _deny(institution: Institution | None, action: str, message: str, obj: Any = None) -> Denied:
    return Denied(
        Refused(message, code="not_allowed", action=action, institution=institution, obj=obj)
    )


def _require_agent(actor: User, institution: Institution, action: str, obj: Any = None) -> None:
    if not sel.is_agent(actor, institution):
        raise _deny(institution, action, _("Only the service desk does this."), obj)


# --- the rooms and their quality levels --------------------------------------------------------


@refusals_recorded
@transaction.atomic
def cleaned_room_set(*, actor: User, room: Location, room_type: str) -> CleanedRoom:
    """Register a room for cleaning with its INSTA 800 room type (or change the type)."""
    institution = room.institution
    _require_agent(actor, institution, "servicedesk.cleaned_room.set", room)
    if room.level != Location.Level.ROOM or room.parent is None or room.parent.parent is None:
        raise ValidationError({"room": [_("Choose a room.")]})
    existing = CleanedRoom.objects.select_for_update().filter(room=room).first()
    before = existing.room_type if existing else None
    obj = existing or CleanedRoom(institution=institution, room=room)
    obj.building = room.parent.parent
    obj.room_type = room_type
    obj.full_clean()
    obj.save()
    if before != room_type:
        record_event(
            institution=institution,
            actor=actor,
            action="servicedesk.cleaned_room.set",
            obj=obj,
            details={"room": room.code, "before": before, "after": room_type},
        )
    return obj


@refusals_recorded
@transaction.atomic
def quality_spec_set(
    *,
    actor: User,
    contract: FrameworkContract,
    institution: Institution,
    room_type: str,
    quality_level: int,
) -> QualitySpec:
    """The quality level the contract cleans a room type to at the institution."""
    _require_agent(actor, institution, "servicedesk.quality_spec.set", contract)
    if not contract.institutions.filter(pk=institution.pk).exists():
        raise ValidationError({"contract": [_("The contract does not cover the institution.")]})
    if room_type not in RoomType.values:
        raise ValidationError({"room_type": [_("Unknown room type.")]})
    spec = (
        QualitySpec.objects.select_for_update()
        .filter(contract=contract, institution=institution, room_type=room_type)
        .first()
    )
    before = spec.quality_level if spec else None
    spec = spec or QualitySpec(contract=contract, institution=institution, room_type=room_type)
    spec.quality_level = quality_level
    spec.full_clean()
    spec.save()
    if before != quality_level:
        record_event(
            institution=institution,
            actor=actor,
            action="servicedesk.quality_spec.set",
            obj=spec,
            details={"room_type": room_type, "before": before, "after": quality_level},
        )
    return spec


# --- inspections -------------------------------------------------------------------------------


@refusals_recorded
@transaction.atomic
def inspection_plan(
    *,
    actor: User,
    contract: FrameworkContract,
    building: Location,
    inspected_on: date,
    seed: str | None = None,
) -> CleaningInspection:
    """Draw an inspection's sample from the building's cleaned rooms (the lot) by the
    sampling table. Every room type of the lot needs a quality level in the contract."""
    institution = building.institution
    _require_agent(actor, institution, "servicedesk.inspection.plan", building)
    if building.level != Location.Level.BUILDING:
        raise ValidationError({"building": [_("Choose a building.")]})
    if not contract.institutions.filter(pk=institution.pk).exists():
        raise ValidationError({"contract": [_("The contract does not cover the institution.")]})
    lot = list(CleanedRoom.objects.filter(building=building).order_by("room_id"))
    sample_size, accept = sample_plan(len(lot))
    levels = dict(
        QualitySpec.objects.filter(contract=contract, institution=institution).values_list(
            "room_type", "quality_level"
        )
    )
    missing = sorted({r.room_type for r in lot} - set(levels))
    if missing:
        message = _("The contract gives no quality level for: %(types)s.") % {
            "types": ", ".join(str(RoomType(t).label) for t in missing)
        }
        raise ValidationError({"contract": [ValidationError(message, code="no_quality_level")]})
    seed = seed or secrets.token_hex(8)
    sample = random.Random(seed).sample(lot, sample_size)
    inspection = CleaningInspection(
        institution=institution,
        contract=contract,
        building=building,
        inspected_on=inspected_on,
        inspector=actor,
        lot_size=len(lot),
        sample_size=sample_size,
        acceptance_number=accept,
        seed=seed,
    )
    inspection.full_clean()
    inspection.save()
    InspectedRoom.objects.bulk_create(
        [
            InspectedRoom(
                institution=institution,
                inspection=inspection,
                room_id=r.room_id,
                room_type=r.room_type,
                quality_level=levels[r.room_type],
            )
            for r in sorted(sample, key=lambda r: r.room_id)
        ]
    )
    record_event(
        institution=institution,
        actor=actor,
        action="servicedesk.inspection.planned",
        obj=inspection,
        details={
            "building": building.code,
            "lot_size": len(lot),
            "sample_size": sample_size,
            "acceptance_number": accept,
        },
    )
    return inspection


def _clean_defects(defects: Mapping[str, Any]) -> dict[str, int]:
    unknown = sorted(set(defects) - set(OBJECT_GROUPS))
    if unknown:
        raise ValidationError({"defects": [_("Unknown object group: %(g)s.") % {"g": unknown[0]}]})
    out: dict[str, int] = {}
    for group in OBJECT_GROUPS:
        value = defects.get(group, 0)
        try:
            count = int(value)
        except (TypeError, ValueError):
            count = -1
        if count < 0 or str(count) != str(value).strip():
            raise ValidationError(
                {"defects": [_("Count the defects as whole numbers of 0 or more.")]}
            )
        out[group] = count
    return out


@refusals_recorded
@transaction.atomic
def inspection_assess(
    *,
    actor: User,
    inspected: InspectedRoom,
    defects: Mapping[str, Any],
    note: str = "",
) -> InspectedRoom:
    """Record the defects found in a sampled room; approved when within its quality level's
    limits. A completed inspection is not changed."""
    inspection = CleaningInspection.objects.select_for_update().get(pk=inspected.inspection_id)
    institution = inspection.institution
    _require_agent(actor, institution, "servicedesk.inspection.assess", inspection)
    if inspection.state != CleaningInspection.State.PLANNED:
        raise ValidationError(_("The inspection is completed."), code="completed")
    counts = _clean_defects(defects)
    room = InspectedRoom.objects.select_for_update().get(pk=inspected.pk)
    room.defects = counts
    room.approved = room_approved(room.quality_level, counts)
    room.note = note[:300]
    room.save(update_fields=["defects", "approved", "note"])
    record_event(
        institution=institution,
        actor=actor,
        action="servicedesk.inspection.assessed",
        obj=inspection,
        details={"room": room.room.code, "defects": counts, "approved": room.approved},
    )
    return room


@refusals_recorded
@transaction.atomic
def inspection_complete(
    *, actor: User, inspection: CleaningInspection, at: datetime | None = None
) -> CleaningInspection:
    """Close the inspection: every sampled room assessed; approved when the rooms not
    approved are within the acceptance number."""
    inspection = CleaningInspection.objects.select_for_update().get(pk=inspection.pk)
    institution = inspection.institution
    _require_agent(actor, institution, "servicedesk.inspection.complete", inspection)
    if inspection.state != CleaningInspection.State.PLANNED:
        raise ValidationError(_("The inspection is completed."), code="completed")
    results = list(inspection.rooms.values_list("approved", flat=True))
    if any(value is None for value in results):
        raise ValidationError(_("Assess every sampled room first."), code="not_assessed")
    failed = sum(1 for value in results if value is False)
    inspection.not_approved = failed
    inspection.approved = failed <= inspection.acceptance_number
    inspection.state = CleaningInspection.State.COMPLETED
    inspection.completed_at = at or timezone.now()
    inspection.full_clean()
    inspection.save()
    record_event(
        institution=institution,
        actor=actor,
        action="servicedesk.inspection.completed",
        obj=inspection,
        details={
            "not_approved": failed,
            "acceptance_number": inspection.acceptance_number,
            "approved": inspection.approved,
        },
    )
    return inspection


# --- surveys -----------------------------------------------------------------------------------

QUESTIONS = ("speed", "quality", "communication")


def _clean_answers(answers: Mapping[str, Any] | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in (answers or {}).items():
        if key not in QUESTIONS or type(value) is not int or not 1 <= value <= 5:
            raise ValidationError({"answers": [_("Answer each question from 1 to 5.")]})
        out[key] = value
    return out


def _clean_score(score: Any) -> int:
    if type(score) is not int or not 1 <= score <= 5:
        raise ValidationError({"score": [_("Give a score from 1 to 5.")]})
    return int(score)


@refusals_recorded
@transaction.atomic
def survey_answer_ticket(
    *,
    actor: User,
    ticket: Ticket,
    score: int,
    answers: Mapping[str, Any] | None = None,
    comment: str = "",
    at: datetime | None = None,
) -> SurveyResponse:
    """The requester's answer to the survey after their ticket is closed (once)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.requester_id != actor.pk or not sel.may_use_portal(actor, ticket.institution):
        raise _deny(
            ticket.institution,
            "servicedesk.survey.answer",
            _("Only the person who asked answers the survey."),
            ticket,
        )
    if ticket.status != Status.CLOSED:
        raise ValidationError(_("The survey opens when the ticket is closed."), code="open")
    if SurveyResponse.objects.filter(ticket=ticket).exists():
        raise ValidationError(_("The survey is already answered."), code="answered")
    response = SurveyResponse(
        institution=ticket.institution,
        kind=SurveyResponse.Kind.TICKET,
        ticket=ticket,
        respondent=actor,
        score=_clean_score(score),
        answers=_clean_answers(answers),
        comment=comment,
        answered_at=at or timezone.now(),
    )
    response.full_clean()
    response.save()
    record_event(
        institution=ticket.institution,
        actor=actor,
        action="servicedesk.survey.answered",
        obj=response,
        details={"reference": ticket.reference, "score": response.score},
    )
    return response


@refusals_recorded
@transaction.atomic
def survey_answer_yearly(
    *,
    actor: User,
    institution: Institution,
    year: int,
    score: int,
    answers: Mapping[str, Any] | None = None,
    comment: str = "",
    at: datetime | None = None,
) -> SurveyResponse:
    """A person's answer to the institution's yearly satisfaction survey (once a year)."""
    if not sel.may_use_portal(actor, institution):
        raise _deny(
            institution, "servicedesk.survey.answer", _("You are not a user of this institution.")
        )
    if SurveyResponse.objects.filter(
        institution=institution, kind=SurveyResponse.Kind.YEARLY, year=year, respondent=actor
    ).exists():
        raise ValidationError(_("You have answered this year's survey."), code="answered")
    response = SurveyResponse(
        institution=institution,
        kind=SurveyResponse.Kind.YEARLY,
        year=year,
        respondent=actor,
        score=_clean_score(score),
        answers=_clean_answers(answers),
        comment=comment,
        answered_at=at or timezone.now(),
    )
    response.full_clean()
    response.save()
    record_event(
        institution=institution,
        actor=actor,
        action="servicedesk.survey.answered",
        obj=response,
        details={"year": year, "score": response.score},
    )
    return response
