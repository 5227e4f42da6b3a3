"""Typed inputs and outputs of the SLA clocks.

A ``Calendar`` is a frozen value (it is the key of the compiled-calendar cache); tickets and
events are plain dataclasses with slots, because a batch builds millions of them and a frozen
dataclass costs several times as much to build. Treat them as values: the library never
mutates its inputs.

Times are aware ``datetime`` values (any offset); the output gives them in the calendar's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Opening hours of one weekday: ``(start, end)`` in minutes after local midnight, ascending
#: and not overlapping; ``end`` may be 1440 ("24:00"). An empty tuple means closed.
DayHours = tuple[tuple[int, int], ...]


class EventType(StrEnum):
    OPENED = "opened"
    RESPONDED = "responded"
    PAUSED = "paused"
    RESUMED = "resumed"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    TARGETS = "targets"


@dataclass(frozen=True, slots=True)
class Calendar:
    """Business hours in local wall-clock time of ``timezone`` (an IANA name).

    ``hours`` has seven entries, Monday first. ``holidays`` is a country code that the
    ``holidays`` package knows ("DK": the Danish public holidays as it gives them) or an
    explicit tuple of dates; ``closed`` adds further closed dates (a moving day, Christmas Eve
    where the operator closes).
    """

    timezone: str
    hours: tuple[DayHours, DayHours, DayHours, DayHours, DayHours, DayHours, DayHours]
    holidays: str | tuple[date, ...] = ()
    closed: tuple[date, ...] = ()


@dataclass(slots=True)
class Targets:
    """Service-level targets in business minutes."""

    response_minutes: int
    resolution_minutes: int


@dataclass(slots=True)
class TargetChange:
    """A ``targets`` event's new targets; a target left ``None`` stays as it was."""

    response_minutes: int | None = None
    resolution_minutes: int | None = None


@dataclass(slots=True)
class Event:
    at: datetime
    type: EventType
    targets: TargetChange | None = None


@dataclass(slots=True)
class Ticket:
    id: str | int
    calendar: Calendar
    targets: Targets
    events: list[Event]


@dataclass(slots=True)
class ResponseClock:
    """``due`` is ``None`` once the clock has stopped; ``met`` is ``None`` while it runs."""

    elapsed_minutes: int
    target_minutes: int
    due: datetime | None
    met: bool | None


@dataclass(slots=True)
class ResolutionClock:
    """``due`` is ``None`` while paused or resolved; ``met`` is ``None`` until resolved."""

    elapsed_minutes: int
    paused_minutes: int
    target_minutes: int
    due: datetime | None
    met: bool | None


@dataclass(slots=True)
class TicketClocks:
    id: str | int
    response: ResponseClock
    resolution: ResolutionClock
