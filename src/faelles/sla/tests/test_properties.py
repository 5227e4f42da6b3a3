"""Hypothesis properties of the clocks (issue 14, item 1) and an oracle for the calendar.

The histories are random but well-formed: a state machine draws each next event from those
allowed after the previous ones, at a random later instant (seconds included), under a
handful of calendars that include daylight saving changes of an hour and of half an hour.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from faelles.sla.calendar import business_calendar, minute_of
from faelles.sla.io import parse_calendar
from faelles.sla.tests.builders import (
    EVERY_DAY_8_16,
    ROUND_THE_CLOCK,
    WEEKDAYS_8_16,
    calendar,
    clocks,
    ticket,
)

CALENDARS = [
    calendar(),
    calendar(hours=EVERY_DAY_8_16, holidays=[], closed=["2026-03-29", "2026-12-24"]),
    calendar(
        hours={
            "mon": [["07:30", "11:45"], ["12:15", "15:30"]],
            "thu": ["02:30", "24:00"],
            "sun": ["00:00", "03:00"],
        },
        holidays=["2026-03-30"],
    ),
    calendar(hours=WEEKDAYS_8_16, holidays="DK", timezone="America/New_York"),
    calendar(hours=ROUND_THE_CLOCK, holidays=[], timezone="Australia/Lord_Howe"),
    calendar(
        hours={"sat": ["01:00", "05:00"], "sun": ["01:00", "05:00"]},
        holidays=[],
        timezone="Asia/Kolkata",
    ),
]

# Around the 2026 changes in Europe (29 March, 25 October) and elsewhere.
_START = datetime(2026, 3, 20, tzinfo=UTC)
_END = datetime(2026, 11, 10, tzinfo=UTC)
_OFFSETS = [timedelta(0), timedelta(hours=1), timedelta(hours=2), timedelta(hours=-5, minutes=-30)]

_NEXT = {
    # state → allowed events; state is (resolution state, responded)
    "running": ["responded", "paused", "resolved", "targets"],
    "paused": ["responded", "resumed", "resolved", "targets"],
    "resolved": ["responded", "reopened", "targets"],
}


def _iso(at: datetime, offset: timedelta) -> str:
    return at.astimezone(timezone(offset)).isoformat()


@st.composite
def histories(draw: st.DrawFn) -> dict[str, Any]:
    cal = draw(st.sampled_from(CALENDARS))
    at = draw(
        st.datetimes(min_value=_START.replace(tzinfo=None), max_value=_END.replace(tzinfo=None))
    ).replace(tzinfo=UTC)
    offset = draw(st.sampled_from(_OFFSETS))
    events = [{"at": _iso(at, offset), "type": "opened"}]
    state = "running"
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        at += timedelta(
            seconds=draw(st.one_of(st.just(0), st.integers(min_value=1, max_value=4 * 86400)))
        )
        kind = draw(st.sampled_from(_NEXT[state]))
        event: dict[str, Any] = {"at": _iso(at, draw(st.sampled_from(_OFFSETS))), "type": kind}
        if kind == "targets":
            keys = draw(
                st.sampled_from(
                    [
                        ("response_minutes",),
                        ("resolution_minutes",),
                        ("response_minutes", "resolution_minutes"),
                    ]
                )
            )
            event["targets"] = {k: draw(st.integers(min_value=0, max_value=3000)) for k in keys}
        state = {
            "paused": "paused",
            "resumed": "running",
            "resolved": "resolved",
            "reopened": "running",
        }.get(kind, state)
        events.append(event)
    return ticket(
        *events,
        response=draw(st.integers(min_value=0, max_value=600)),
        resolution=draw(st.integers(min_value=0, max_value=5000)),
        cal=cal,
    )


def _minute(iso: str) -> int:
    return minute_of(datetime.fromisoformat(iso))


@settings(max_examples=300, deadline=None)
@given(histories())
def test_elapsed_never_exceeds_calendar_time(data: dict[str, Any]) -> None:
    out = clocks(data)
    events = data["events"]
    # Calendar time: every minute whose start lies in [opened, last event), day and night.
    wall = _minute(events[-1]["at"]) - _minute(events[0]["at"])

    assert 0 <= out["response"]["elapsed_minutes"] <= wall
    assert out["resolution"]["elapsed_minutes"] >= 0
    assert out["resolution"]["elapsed_minutes"] + out["resolution"]["paused_minutes"] <= wall
    # And never more than a round-the-clock calendar counts for the same history.
    open_all = clocks({**data, "calendar": calendar(hours=ROUND_THE_CLOCK, holidays=[])})
    assert out["response"]["elapsed_minutes"] <= open_all["response"]["elapsed_minutes"]
    assert out["resolution"]["elapsed_minutes"] <= open_all["resolution"]["elapsed_minutes"]


def _pauses(events: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(index of paused, index of the event that ends it or len(events))."""
    out = []
    for i, e in enumerate(events):
        if e["type"] == "paused":
            j = next(
                (
                    k
                    for k in range(i + 1, len(events))
                    if events[k]["type"] in ("resumed", "resolved")
                ),
                len(events),
            )
            out.append((i, j))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(histories(), st.data())
def test_splitting_a_pause_in_two_changes_nothing(
    data: dict[str, Any], pick: st.DataObject
) -> None:
    events = data["events"]
    pauses = _pauses(events)
    assume(pauses)
    i, j = pick.draw(st.sampled_from(pauses))
    # A split point anywhere in the pause, at an event's instant or between two of them.
    k = pick.draw(st.integers(min_value=i, max_value=j - 1))
    lo = datetime.fromisoformat(events[k]["at"])
    hi = datetime.fromisoformat(events[k + 1]["at"]) if k + 1 < len(events) else lo
    split = lo + (hi - lo) * pick.draw(st.floats(min_value=0, max_value=1))
    split = max(lo, min(hi, split))
    at = split.isoformat()
    split_events = [
        *events[: k + 1],
        {"at": at, "type": "resumed"},
        {"at": at, "type": "paused"},
        *events[k + 1 :],
    ]

    before = clocks(data)
    after = clocks({**data, "events": split_events})

    assert after == before


@settings(max_examples=300, deadline=None)
@given(histories(), st.data())
def test_a_target_change_that_keeps_the_target_changes_nothing(
    data: dict[str, Any], pick: st.DataObject
) -> None:
    events = data["events"]
    k = pick.draw(st.integers(min_value=0, max_value=len(events) - 1))
    current = dict(data["targets"])
    for e in events[: k + 1]:
        if e["type"] == "targets":
            current.update(e["targets"])
    keys = pick.draw(
        st.sampled_from(
            [
                ("response_minutes",),
                ("resolution_minutes",),
                ("response_minutes", "resolution_minutes"),
            ]
        )
    )
    lo = datetime.fromisoformat(events[k]["at"])
    hi = datetime.fromisoformat(events[k + 1]["at"]) if k + 1 < len(events) else lo
    at = lo + (hi - lo) * pick.draw(st.floats(min_value=0, max_value=1))
    at = max(lo, min(hi, at))
    same = {"at": at.isoformat(), "type": "targets", "targets": {key: current[key] for key in keys}}
    changed = copy.deepcopy(data)
    changed["events"] = [*events[: k + 1], same, *events[k + 1 :]]

    assert clocks(changed) == clocks(data)


@settings(max_examples=200, deadline=None)
@given(histories())
def test_running_clock_measured_at_its_due_has_reached_its_target(data: dict[str, Any]) -> None:
    out = clocks(data)
    res = out["resolution"]
    assume(res["due"] is not None and res["elapsed_minutes"] < res["target_minutes"])

    at_due = clocks(data, at=datetime.fromisoformat(res["due"]))

    assert at_due["resolution"]["elapsed_minutes"] == res["target_minutes"]
    assert at_due["resolution"]["due"] == res["due"]


# -- the calendar against the rule itself, minute by minute ---------------------------------


def _brute(cal_json: dict[str, Any], a: int, b: int) -> int:
    cal = parse_calendar(cal_json)
    zone = ZoneInfo(cal.timezone)
    closed = set(cal.closed)
    n = 0
    for m in range(a, b):
        local = datetime.fromtimestamp(m * 60, zone)
        day = local.date()
        if day in closed or (isinstance(cal.holidays, tuple) and day in cal.holidays):
            continue
        if isinstance(cal.holidays, str) and day in holidays.country_holidays(
            cal.holidays, years=day.year
        ):
            continue
        t = local.hour * 60 + local.minute
        if any(s <= t < e for s, e in cal.hours[day.weekday()]):
            n += 1
    return n


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(CALENDARS),
    st.datetimes(min_value=_START.replace(tzinfo=None), max_value=_END.replace(tzinfo=None)),
    st.integers(min_value=0, max_value=3 * 1440),
)
def test_business_minutes_equal_the_minute_by_minute_count(
    cal_json: dict[str, Any], start: datetime, length: int
) -> None:
    a = minute_of(start.replace(tzinfo=UTC))
    bc = business_calendar(parse_calendar(cal_json))

    assert bc.between(a, a + length) == _brute(cal_json, a, a + length)


def test_brute_force_oracle_sees_the_change_days() -> None:
    # The oracle itself, on the Copenhagen change days of a round-the-clock calendar.
    cal = calendar(hours=ROUND_THE_CLOCK, holidays=[])
    a = minute_of(datetime(2026, 3, 28, 23, 0, tzinfo=UTC))  # 29 March 00:00 CET
    assert _brute(cal, a, a + 23 * 60) == 23 * 60
    assert business_calendar(parse_calendar(cal)).open_minutes(date(2026, 3, 29)) == 23 * 60
