"""Malformed histories and inputs are refused per ticket, with a code, a field and a message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from faelles.sla.clock import compute, compute_many
from faelles.sla.errors import HistoryError, InputError, SlaError
from faelles.sla.io import parse_ticket
from faelles.sla.model import TicketClocks
from faelles.sla.tests.builders import calendar, ev, ticket

OPEN = ev("2026-03-02T09:00:00+01:00", "opened")


def _refusal(data: dict[str, Any]) -> SlaError:
    with pytest.raises(SlaError) as info:
        compute(parse_ticket(data))
    return info.value


@pytest.mark.parametrize(
    ("events", "cls", "code", "field", "message"),
    [
        (
            [OPEN, ev("2026-03-02T10:00:00+01:00", "resumed")],
            HistoryError,
            "history.resumed_without_paused",
            "events[1]",
            "event 1 (resumed at 2026-03-02T10:00:00+01:00): resumed without paused",
        ),
        (
            [
                OPEN,
                ev("2026-03-02T10:00:00+01:00", "responded"),
                ev("2026-03-02T09:30:00+01:00", "resolved"),
            ],
            HistoryError,
            "history.order",
            "events[2].at",
            "event 2 (resolved at 2026-03-02T09:30:00+01:00) is earlier than event 1 (responded "
            "at 2026-03-02T10:00:00+01:00): events must be in time order",
        ),
        (
            [OPEN, ev("2026-03-02T10:00:00+01:00", "closed")],
            HistoryError,
            "history.unknown_type",
            "events[1].type",
            "event 1 has an unknown type 'closed' (allowed: opened, responded, paused, resumed, "
            "resolved, reopened, targets)",
        ),
        (
            [ev("2026-03-02T10:00:00+01:00", "responded")],
            HistoryError,
            "history.no_opened",
            "events",
            "the history has no opened event",
        ),
        (
            [],
            HistoryError,
            "history.no_opened",
            "events",
            "the history has no opened event",
        ),
        (
            [ev("2026-03-02T08:00:00+01:00", "responded"), OPEN],
            HistoryError,
            "history.opened_first",
            "events[1]",
            "opened must be the first event, but event 0 (responded at "
            "2026-03-02T08:00:00+01:00) comes before it",
        ),
        (
            [OPEN, OPEN],
            HistoryError,
            "history.opened_twice",
            "events[1]",
            "event 1 (opened at 2026-03-02T09:00:00+01:00): the ticket was already opened by "
            "event 0 (after resolved, use reopened)",
        ),
        (
            [
                OPEN,
                ev("2026-03-02T10:00:00+01:00", "paused"),
                ev("2026-03-02T11:00:00+01:00", "paused"),
            ],
            HistoryError,
            "history.paused_twice",
            "events[2]",
            "event 2 (paused at 2026-03-02T11:00:00+01:00): already paused since event 1",
        ),
        (
            [
                OPEN,
                ev("2026-03-02T10:00:00+01:00", "resolved"),
                ev("2026-03-02T11:00:00+01:00", "paused"),
            ],
            HistoryError,
            "history.paused_resolved",
            "events[2]",
            "event 2 (paused at 2026-03-02T11:00:00+01:00): the ticket is resolved; reopen it first",
        ),
        (
            [
                OPEN,
                ev("2026-03-02T10:00:00+01:00", "resolved"),
                ev("2026-03-02T11:00:00+01:00", "resolved"),
            ],
            HistoryError,
            "history.resolved_twice",
            "events[2]",
            "event 2 (resolved at 2026-03-02T11:00:00+01:00): already resolved; reopen it first",
        ),
        (
            [OPEN, ev("2026-03-02T10:00:00+01:00", "reopened")],
            HistoryError,
            "history.reopened_without_resolved",
            "events[1]",
            "event 1 (reopened at 2026-03-02T10:00:00+01:00): reopened without resolved",
        ),
        (
            [OPEN, {"at": "2026-03-02T10:00:00+01:00", "type": "targets"}],
            HistoryError,
            "history.targets",
            "events[1].targets",
            "event 1 (targets) has no targets",
        ),
        (
            [{"at": "2026-03-02T09:00:00", "type": "opened"}],
            InputError,
            "input.time",
            "events[0].at",
            "must have a UTC offset (e.g. +01:00 or Z)",
        ),
        (
            [{"at": "yesterday", "type": "opened"}],
            InputError,
            "input.time",
            "events[0].at",
            "must be an ISO 8601 time with a UTC offset",
        ),
        (
            [OPEN, ev("2026-03-02T10:00:00+01:00", "targets", resolution_minutes=-5)],
            InputError,
            "input.targets",
            "events[1].targets.resolution_minutes",
            "must be a whole number of minutes, 0 or more",
        ),
        (
            [{"at": "2026-03-02T09:00:00+01:00", "type": "opened", "by": "x"}],
            InputError,
            "input.unknown_field",
            "events[0].by",
            "unknown field",
        ),
    ],
)
def test_malformed_history_is_refused_with_its_message(
    events: list[dict[str, Any]], cls: type[SlaError], code: str, field: str, message: str
) -> None:
    exc = _refusal(ticket(*events, id_="T-9"))

    assert type(exc) is cls
    assert (exc.code, exc.field, exc.message, exc.ticket) == (code, field, message, "T-9")
    assert str(exc) == f"ticket T-9: {field}: {message} [{code}]"


@pytest.mark.parametrize(
    ("cal", "code", "field", "message"),
    [
        (
            calendar(timezone="Europe/Kobenhavn"),
            "input.timezone",
            "calendar.timezone",
            "unknown time zone 'Europe/Kobenhavn'",
        ),
        (
            calendar(timezone="../../etc/passwd"),
            "input.timezone",
            "calendar.timezone",
            "unknown time zone '../../etc/passwd'",
        ),
        (
            calendar(holidays="XX"),
            "input.holidays",
            "calendar.holidays",
            "unknown holiday calendar 'XX' (a country code such as \"DK\", or a list of dates)",
        ),
        (
            calendar(holidays=None),
            "input.missing",
            "calendar.holidays",
            'is required: "DK" (or another country code) or a list of dates ([] for none)',
        ),
        (
            calendar(hours={"mon": ["16:00", "08:00"]}),
            "input.hours",
            "calendar.hours.mon",
            "the end must come after the start",
        ),
        (
            calendar(hours={"mon": ["8:00", "16:00"]}),
            "input.hours",
            "calendar.hours.mon",
            'must be a time "HH:MM" (00:00–24:00)',
        ),
        (
            calendar(hours={"mon": [["08:00", "12:00"], ["11:00", "16:00"]]}),
            "input.hours",
            "calendar.hours.mon[1]",
            "intervals must be in order and must not overlap",
        ),
        (
            calendar(hours={"monday": ["08:00", "16:00"]}),
            "input.unknown_field",
            "calendar.hours.monday",
            "unknown field",
        ),
        (calendar(hours={}), "input.hours", "calendar.hours", "no weekday has opening hours"),
        (
            calendar(closed=["2026-02-30"]),
            "input.date",
            "calendar.closed[0]",
            "must be an ISO date (YYYY-MM-DD)",
        ),
    ],
)
def test_bad_calendar_is_refused(cal: dict[str, Any], code: str, field: str, message: str) -> None:
    exc = _refusal(ticket(OPEN, cal=cal))

    assert type(exc) is InputError
    assert (exc.code, exc.field, exc.message, exc.ticket) == (code, field, message, "T-1")


@pytest.mark.parametrize(
    ("data", "code", "field", "message", "tid"),
    [
        ([], "input.type", "", "must be a JSON object", None),
        (
            {"calendar": calendar(), "events": []},
            "input.missing",
            "id",
            "is required (a non-empty string or an integer)",
            None,
        ),
        (
            {"id": 7, "calendar": calendar(), "events": []},
            "input.missing",
            "targets",
            "is required",
            7,
        ),
        (
            {**ticket(OPEN), "targets": {"response_minutes": 60, "resolution_minutes": "960"}},
            "input.targets",
            "targets.resolution_minutes",
            "must be a whole number of minutes, 0 or more",
            "T-1",
        ),
        (
            {**ticket(OPEN), "priority": 1},
            "input.unknown_field",
            "priority",
            "unknown field",
            "T-1",
        ),
        ({**ticket(OPEN), "events": {}}, "input.type", "events", "must be a list of events", "T-1"),
    ],
)
def test_bad_ticket_shape_is_refused(
    data: Any, code: str, field: str, message: str, tid: str | int | None
) -> None:
    with pytest.raises(InputError) as info:
        parse_ticket(data)

    assert (info.value.code, info.value.field, info.value.message, info.value.ticket) == (
        code,
        field,
        message,
        tid,
    )


def test_at_before_the_last_event_is_refused() -> None:
    data = parse_ticket(ticket(OPEN, ev("2026-03-02T10:00:00+01:00", "responded")))

    with pytest.raises(InputError) as info:
        compute(data, datetime.fromisoformat("2026-03-02T09:30:00+01:00"))

    assert info.value.code == "input.at"
    assert info.value.message == (
        "2026-03-02T09:30:00+01:00 is before the last event (2026-03-02T10:00:00+01:00)"
    )


def test_time_outside_supported_years_is_refused() -> None:
    exc = _refusal(ticket(ev("1850-01-01T09:00:00+00:00", "opened")))

    assert (exc.code, exc.message) == ("input.time", "times must lie in the years 1900–2199")


def test_a_refused_ticket_does_not_stop_the_others() -> None:
    good1 = parse_ticket(ticket(OPEN, id_="A"))
    bad = parse_ticket(ticket(OPEN, ev("2026-03-02T10:00:00+01:00", "resumed"), id_="B"))
    good2 = parse_ticket(ticket(OPEN, id_="C"))

    out = list(compute_many([good1, bad, good2]))

    assert [type(o) for o in out] == [TicketClocks, HistoryError, TicketClocks]
    assert [o.id if isinstance(o, TicketClocks) else o.ticket for o in out] == ["A", "B", "C"]
