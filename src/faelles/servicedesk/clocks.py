"""The SLA clocks of a ticket, computed by ``faelles.sla`` from the ticket's events.

The history is the ticket's :class:`~faelles.servicedesk.models.TicketEvent` rows whose kind
is one of the clock's event types; the targets are those the ``opened`` event recorded (the
service level's targets for the priority at opening), changed by ``targets`` events (a
priority change). Nothing here is stored as truth: :func:`cache_fields` gives the columns that
the list sorts by and the escalation job reads, rewritten after every event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from faelles.servicedesk.models import SlaState, Ticket, TicketEvent
from faelles.sla import (
    Calendar,
    Event,
    EventType,
    TargetChange,
    Targets,
    TicketClocks,
    compute,
    parse_calendar,
)
from faelles.sla import Ticket as SlaTicket

SLA_KINDS = frozenset(e.value for e in EventType)


@lru_cache(maxsize=256)
def _calendar(text: str) -> Calendar:
    return parse_calendar(json.loads(text))


def calendar_of(level: Any) -> Calendar:
    """The ``faelles.sla`` calendar of a service level (parsed once per distinct calendar)."""
    return _calendar(json.dumps(level.calendar, sort_keys=True))


def _scaled(value: int | None, percent: int) -> int | None:
    if value is None:
        return None
    return max(0, (value * percent) // 100)


def history(
    ticket: Ticket, events: Iterable[TicketEvent], *, percent: int = 100
) -> SlaTicket | None:
    """The ticket as ``faelles.sla`` reads it (``None`` without a service level). With
    ``percent`` the targets are that share of the real ones (the warning thresholds)."""
    level = ticket.service_level
    if level is None:
        return None
    sla_events: list[Event] = []
    targets = Targets(0, 0)
    for ev in events:
        if ev.kind not in SLA_KINDS:
            continue
        kind = EventType(ev.kind)
        change = None
        if kind is EventType.OPENED:
            targets = Targets(
                _scaled(int(ev.data["response_minutes"]), percent) or 0,
                _scaled(int(ev.data["resolution_minutes"]), percent) or 0,
            )
        elif kind is EventType.TARGETS:
            change = TargetChange(
                _scaled(ev.data.get("response_minutes"), percent),
                _scaled(ev.data.get("resolution_minutes"), percent),
            )
        sla_events.append(Event(ev.at, kind, change))
    if not sla_events:
        return None
    return SlaTicket(ticket.pk, calendar_of(level), targets, sla_events)


def _events(ticket: Ticket, events: Iterable[TicketEvent] | None) -> list[TicketEvent]:
    if events is not None:
        return list(events)
    return list(ticket.events.order_by("at", "pk"))


def clocks_for(
    ticket: Ticket, events: Iterable[TicketEvent] | None = None, *, at: datetime | None = None
) -> TicketClocks | None:
    """Both clocks as of ``at`` (default: the last event); ``None`` without a service level."""
    sla_ticket = history(ticket, _events(ticket, events))
    if sla_ticket is None:
        return None
    last = sla_ticket.events[-1].at
    return compute(sla_ticket, at if at is not None and at >= last else None)


@dataclass(frozen=True, slots=True)
class Live:
    """The clocks as a person reads them at ``at``: each clock's state and the ticket's."""

    clocks: TicketClocks
    state: str
    response_state: str
    resolution_state: str


def _clock_state(elapsed: int, target: int, due: Any, met: bool | None, warn: int) -> str:
    if met is not None:
        return SlaState.MET if met else SlaState.MISSED
    if elapsed > target:
        return SlaState.BREACHED
    if due is None:
        return SlaState.PAUSED
    if elapsed >= (target * warn) // 100:
        return SlaState.WARNING
    return SlaState.RUNNING


_RANK = {
    SlaState.MISSED: 6,
    SlaState.BREACHED: 5,
    SlaState.WARNING: 4,
    SlaState.RUNNING: 3,
    SlaState.PAUSED: 2,
    SlaState.MET: 1,
}


def live(
    ticket: Ticket, events: Iterable[TicketEvent] | None = None, *, at: datetime
) -> Live | None:
    """The clocks at ``at`` with their states (running, close to breach, breached, paused, met,
    missed); the ticket's state is the worst of its clocks'."""
    clocks = clocks_for(ticket, events, at=at)
    if clocks is None:
        return None
    assert ticket.service_level is not None
    warn = ticket.service_level.warning_percent
    r, s = clocks.response, clocks.resolution
    response = _clock_state(r.elapsed_minutes, r.target_minutes, r.due, r.met, warn)
    resolution = _clock_state(s.elapsed_minutes, s.target_minutes, s.due, s.met, warn)
    state: str
    if resolution in (SlaState.MET, SlaState.MISSED):
        state = SlaState.MISSED if SlaState.MISSED in (response, resolution) else SlaState.MET
    else:
        state = max((response, resolution), key=lambda v: _RANK[SlaState(v)])
    return Live(clocks, str(state), str(response), str(resolution))


def cache_fields(
    ticket: Ticket, events: Iterable[TicketEvent] | None = None, *, at: datetime
) -> dict[str, Any]:
    """The cached columns after the ticket's latest event: the due times of the running
    clocks, when the warning share and the target are reached (for the escalation job), and
    the state at ``at``."""
    evs = _events(ticket, events)
    state = live(ticket, evs, at=at)
    if state is None:
        return {
            "response_due": None,
            "resolution_due": None,
            "warning_at": None,
            "breach_at": None,
            "sla_state": SlaState.NONE,
        }
    clocks = state.clocks
    dues = [d for d in (clocks.response.due, clocks.resolution.due) if d is not None]
    warning_at = None
    assert ticket.service_level is not None
    scaled = history(ticket, evs, percent=ticket.service_level.warning_percent)
    if scaled is not None and dues:
        early = compute(scaled)
        warns = [
            d
            for d, real in (
                (early.response.due, clocks.response.due),
                (early.resolution.due, clocks.resolution.due),
            )
            if d is not None and real is not None
        ]
        warning_at = min(warns) if warns else None
    return {
        "response_due": clocks.response.due,
        "resolution_due": clocks.resolution.due,
        "warning_at": warning_at,
        "breach_at": min(dues) if dues else None,
        "sla_state": state.state,
    }
