"""Builders for the quality and chargeback tests (issue 14, items 3 and 4): a desk (from
``factories.make_desk``) with cleaned rooms in a building, quality levels, a ledger, and
helpers to take a ticket to resolved/closed at a given time."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from faelles.ledger import services as ledger_services
from faelles.servicedesk import quality, services
from faelles.servicedesk.models import Location, Ticket
from faelles.servicedesk.quality_models import CleanedRoom, RoomType
from faelles.servicedesk.tests.factories import Desk, member
from faelles.tenancy.models import OrgUnit, Role

CET = timezone(timedelta(hours=1))


def at(month: int, day: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(2026, month, day, hh, mm, tzinfo=CET)


def rooms(desk: Desk, count: int, room_type: str = RoomType.OFFICE) -> list[CleanedRoom]:
    """``count`` cleaned rooms on a new floor of the desk's building."""
    n = Location.objects.filter(institution=desk.institution).count()
    floor = Location.objects.create(
        institution=desk.institution,
        level=Location.Level.FLOOR,
        code=f"{desk.building.code}-F{n}",
        name=f"Etage {n}",
        parent=desk.building,
    )
    out = []
    for i in range(count):
        room = Location.objects.create(
            institution=desk.institution,
            level=Location.Level.ROOM,
            code=f"{floor.code}-{i:03d}",
            name=f"Rum {i}",
            parent=floor,
        )
        out.append(quality.cleaned_room_set(actor=desk.agent, room=room, room_type=room_type))
    return out


def levels(desk: Desk, **per_type: int) -> None:
    for room_type, level in per_type.items():
        quality.quality_spec_set(
            actor=desk.agent,
            contract=desk.contract,
            institution=desk.institution,
            room_type=room_type,
            quality_level=level,
        )


def resolved(desk: Desk, opened: datetime, hours: float, **kw) -> Ticket:
    """A ticket opened at ``opened`` and resolved ``hours`` later (clock time)."""
    values = {
        "actor": desk.requester,
        "institution": desk.institution,
        "title": "Lampen er gået",
        "at": opened,
    }
    values.update(kw)
    ticket = services.ticket_open(**values)
    services.ticket_transition(
        actor=desk.agent, ticket=ticket, action="start", at=opened + timedelta(minutes=10)
    )
    services.ticket_transition(
        actor=desk.agent,
        ticket=ticket,
        action="resolve",
        reason="Skiftet",
        at=opened + timedelta(hours=hours),
    )
    ticket.refresh_from_db()
    return ticket


def ledger(desk: Desk, year: int = 2026) -> None:
    """The common chart, an open year and the cost centre 300 for the desk's institution."""
    bookkeeper = member(desk.institution, Role.BOOKKEEPER, f"{desk.institution.short_name}-bk")
    OrgUnit.objects.get_or_create(
        institution=desk.institution, code="300", defaults={"name": "Drift og service"}
    )
    ledger_services.chart_adopt(actor=bookkeeper, institution=desk.institution)
    ledger_services.fiscal_year_open(actor=bookkeeper, institution=desk.institution, year=year)


__all__ = ["CET", "at", "date", "ledger", "levels", "resolved", "rooms"]
