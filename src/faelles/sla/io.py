"""JSON in and out: a ticket as a JSON object, its clocks as a JSON object or a text row.

Input (one ticket)::

    {"id": "T-1",
     "calendar": {"timezone": "Europe/Copenhagen",
                  "hours": {"mon": ["08:00", "16:00"], ..., "fri": ["08:00", "15:30"]},
                  "holidays": "DK", "closed": ["2026-12-24"]},
     "targets": {"response_minutes": 60, "resolution_minutes": 960},
     "events": [{"at": "2026-03-02T09:15:00+01:00", "type": "opened"},
                {"at": "2026-03-02T10:00:00+01:00", "type": "targets",
                 "targets": {"resolution_minutes": 480}}, ...]}

A weekday's hours are a pair ``["08:00", "16:00"]`` or a list of pairs (``[["08:00",
"12:00"], ["12:30", "16:00"]]``); an absent, ``null`` or empty weekday is closed; "24:00" may
end a day. ``holidays`` is required: a country code of the ``holidays`` package ("DK") or a
list of ISO dates (``[]`` for none); ``closed`` (optional) lists further closed dates. Event
times are ISO 8601 with a UTC offset. Unknown keys are refused so that typos are caught.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from faelles.sla.calendar import business_calendar, country_codes, zone
from faelles.sla.errors import HistoryError, InputError, SlaError
from faelles.sla.model import (
    WEEKDAYS,
    Calendar,
    DayHours,
    Event,
    EventType,
    TargetChange,
    Targets,
    Ticket,
    TicketClocks,
)

__all__ = [
    "clocks_dict",
    "clocks_json",
    "dumps",
    "error_dict",
    "loads",
    "parse_calendar",
    "parse_ticket",
    "render_header",
    "render_text",
    "ticket_id_of",
]

_TICKET_KEYS = frozenset({"id", "calendar", "targets", "events"})
_CALENDAR_KEYS = frozenset({"timezone", "hours", "holidays", "closed"})
_TARGET_KEYS = frozenset({"response_minutes", "resolution_minutes"})
_EVENT_KEYS = frozenset({"at", "type", "targets"})
_TYPES = {t.value: t for t in EventType}
_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d|24:00")
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

#: Parsed calendars by their frozen JSON form: a batch repeats a handful of calendars, and
#: parsing one (times, dates, the time zone) costs more than computing a ticket.
_CALENDARS: dict[str, Calendar] = {}
_CALENDAR_CACHE_SIZE = 1024


def loads(text: str | bytes) -> Any:
    return json.loads(text)


def dumps(obj: Any) -> str:
    return _ENCODER.encode(obj)


def _fail(field: str, message: str, code: str = "input.invalid") -> InputError:
    return InputError(code, field, message)


def _obj(value: Any, field: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _fail(field, "must be a JSON object", "input.type")
    if not allowed.issuperset(value):
        extra = sorted(str(k) for k in value.keys() - allowed)[0]
        raise _fail(f"{field}.{extra}" if field else extra, "unknown field", "input.unknown_field")
    return value


def _required(data: Mapping[str, Any], key: str, field: str) -> Any:
    value = data.get(key)
    if value is None:
        raise _fail(field, "is required", "input.missing")
    return value


def _minutes(value: Any, field: str) -> int:
    if type(value) is not int or value < 0:
        raise _fail(field, "must be a whole number of minutes, 0 or more", "input.targets")
    return value


def _day(value: Any, field: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(field, "must be an ISO date (YYYY-MM-DD)", "input.date")


def _dates(value: Any, field: str) -> tuple[date, ...]:
    if not isinstance(value, list):
        raise _fail(field, "must be a list of ISO dates", "input.date")
    return tuple(sorted({_day(v, f"{field}[{i}]") for i, v in enumerate(value)}))


def _clock_time(value: Any, field: str) -> int:
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise _fail(field, 'must be a time "HH:MM" (00:00–24:00)', "input.hours")
    return int(value[:2]) * 60 + int(value[3:])


def _day_hours(value: Any, field: str) -> DayHours:
    if value is None or value == []:
        return ()
    if not isinstance(value, list):
        raise _fail(field, 'must be ["HH:MM", "HH:MM"] or a list of such pairs', "input.hours")
    pairs = value if value and isinstance(value[0], list) else [value]
    out: list[tuple[int, int]] = []
    for i, pair in enumerate(pairs):
        where = field if pairs is not value else f"{field}[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise _fail(where, 'must be a pair ["HH:MM", "HH:MM"]', "input.hours")
        start, end = _clock_time(pair[0], where), _clock_time(pair[1], where)
        if start == 1440 or end <= start:
            raise _fail(where, "the end must come after the start", "input.hours")
        if out and start < out[-1][1]:
            raise _fail(where, "intervals must be in order and must not overlap", "input.hours")
        out.append((start, end))
    return tuple(out)


def parse_calendar(data: Any) -> Calendar:
    """A ``Calendar`` from its decoded JSON form; ``InputError`` names the field."""
    cal = _obj(data, "calendar", _CALENDAR_KEYS)
    tz = _required(cal, "timezone", "calendar.timezone")
    if not isinstance(tz, str):
        raise _fail("calendar.timezone", "must be an IANA time zone name", "input.timezone")
    zone(tz)
    hours = _obj(_required(cal, "hours", "calendar.hours"), "calendar.hours", frozenset(WEEKDAYS))
    week = tuple(_day_hours(hours.get(d), f"calendar.hours.{d}") for d in WEEKDAYS)
    if not any(week):
        raise _fail("calendar.hours", "no weekday has opening hours", "input.hours")
    raw_holidays = cal.get("holidays")
    if raw_holidays is None:
        raise _fail(
            "calendar.holidays",
            'is required: "DK" (or another country code) or a list of dates ([] for none)',
            "input.missing",
        )
    holidays: str | tuple[date, ...]
    if isinstance(raw_holidays, str):
        if raw_holidays not in country_codes():
            raise _fail(
                "calendar.holidays",
                f"unknown holiday calendar {raw_holidays[:20]!r} (a country code such as "
                '"DK", or a list of dates)',
                "input.holidays",
            )
        holidays = raw_holidays
    else:
        holidays = _dates(raw_holidays, "calendar.holidays")
    closed = _dates(cal.get("closed", []), "calendar.closed")
    return Calendar(tz, week, holidays, closed)  # type: ignore[arg-type]


def _calendar(data: Any) -> Calendar:
    # The key is the decoded JSON's repr: cheaper than freezing it into tuples, and two
    # decoded values with the same repr are equal (a different key order only misses).
    key = repr(data) if type(data) is dict else None
    if key is not None:
        found = _CALENDARS.get(key)
        if found is not None:
            return found
    cal = parse_calendar(data)
    business_calendar(cal)  # validate what only compiling can (the holiday calendar)
    if key is not None:
        if len(_CALENDARS) >= _CALENDAR_CACHE_SIZE:
            _CALENDARS.clear()
        _CALENDARS[key] = cal
    return cal


def _targets(data: Any, field: str) -> Targets:
    t = _obj(data, field, _TARGET_KEYS)
    return Targets(
        _minutes(
            _required(t, "response_minutes", f"{field}.response_minutes"),
            f"{field}.response_minutes",
        ),
        _minutes(
            _required(t, "resolution_minutes", f"{field}.resolution_minutes"),
            f"{field}.resolution_minutes",
        ),
    )


def _target_change(data: Any, field: str) -> TargetChange:
    t = _obj(data, field, _TARGET_KEYS)
    response = t.get("response_minutes")
    resolution = t.get("resolution_minutes")
    if response is None and resolution is None:
        raise HistoryError(
            "history.targets", field, "a targets event needs response_minutes or resolution_minutes"
        )
    return TargetChange(
        None if response is None else _minutes(response, f"{field}.response_minutes"),
        None if resolution is None else _minutes(resolution, f"{field}.resolution_minutes"),
    )


def _at(value: Any, field: str) -> datetime:
    if isinstance(value, str):
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if at.tzinfo is None:
                raise _fail(field, "must have a UTC offset (e.g. +01:00 or Z)", "input.time")
            return at
    raise _fail(field, "must be an ISO 8601 time with a UTC offset", "input.time")


def _event(data: Any, i: int) -> Event:
    # The common case first: exactly {"at": ..., "type": ...} with a known non-targets type.
    if type(data) is dict and len(data) == 2:
        kind = data.get("type")
        etype = _TYPES.get(kind) if type(kind) is str else None
        raw_at = data.get("at")
        if etype is not None and etype is not EventType.TARGETS and type(raw_at) is str:
            try:
                at = datetime.fromisoformat(raw_at)
            except ValueError:
                pass
            else:
                if at.tzinfo is not None:
                    return Event(at, etype)
    return _event_checked(data, i)


def _event_checked(data: Any, i: int) -> Event:
    field = f"events[{i}]"
    if type(data) is not dict:
        raise _fail(field, "must be a JSON object", "input.type")
    if not _EVENT_KEYS.issuperset(data):
        _obj(data, field, _EVENT_KEYS)
    kind = data.get("type")
    etype = _TYPES.get(kind) if isinstance(kind, str) else None
    if etype is None:
        shown = kind[:20] if isinstance(kind, str) else kind
        if kind is None:
            raise HistoryError("history.unknown_type", f"{field}.type", f"event {i} has no type")
        raise HistoryError(
            "history.unknown_type",
            f"{field}.type",
            f"event {i} has an unknown type {shown!r} (allowed: {', '.join(_TYPES)})",
        )
    at = _at(data.get("at"), f"{field}.at")
    raw = data.get("targets")
    if etype is EventType.TARGETS:
        if raw is None:
            raise HistoryError(
                "history.targets", f"{field}.targets", f"event {i} (targets) has no targets"
            )
        return Event(at, etype, _target_change(raw, f"{field}.targets"))
    if raw is not None:
        raise _fail(f"{field}.targets", "only a targets event has targets", "input.unknown_field")
    return Event(at, etype)


def ticket_id_of(data: Any) -> str | int | None:
    """The ticket's id if the record has a usable one (for error lines)."""
    if isinstance(data, dict):
        tid = data.get("id")
        if isinstance(tid, str) or (type(tid) is int):
            return tid
    return None


def parse_ticket(data: Any) -> Ticket:
    """A ``Ticket`` from one decoded JSON record; ``SlaError`` names the field and ticket."""
    tid = ticket_id_of(data)
    try:
        top = _obj(data, "", _TICKET_KEYS)
        if tid is None or tid == "":
            raise _fail("id", "is required (a non-empty string or an integer)", "input.missing")
        calendar = _calendar(_required(top, "calendar", "calendar"))
        targets = _targets(_required(top, "targets", "targets"), "targets")
        raw_events = top.get("events")
        if not isinstance(raw_events, list):
            raise _fail("events", "must be a list of events", "input.type")
        events = [_event(e, i) for i, e in enumerate(raw_events)]
    except SlaError as exc:
        exc.ticket = tid
        raise
    return Ticket(tid, calendar, targets, events)


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def clocks_dict(c: TicketClocks) -> dict[str, Any]:
    r, s = c.response, c.resolution
    return {
        "id": c.id,
        "response": {
            "elapsed_minutes": r.elapsed_minutes,
            "due": _iso(r.due),
            "met": r.met,
            "target_minutes": r.target_minutes,
        },
        "resolution": {
            "elapsed_minutes": s.elapsed_minutes,
            "paused_minutes": s.paused_minutes,
            "due": _iso(s.due),
            "met": s.met,
            "target_minutes": s.target_minutes,
        },
    }


def clocks_json(c: TicketClocks) -> str:
    return _ENCODER.encode(clocks_dict(c))


def error_dict(exc: SlaError, record: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": exc.ticket, "error": exc.as_dict()}
    if record is not None:
        out = {"record": record, **out}
    return out


_ROW = "{:<16} {:>9} {:<22} {:<4} {:>9} {:>7} {:<22} {:<4}"


def render_header() -> str:
    return _ROW.format(
        "ticket", "response", "response due", "met", "resolve", "paused", "resolution due", "met"
    ).rstrip()


def _when(at: datetime | None) -> str:
    return "-" if at is None else at.isoformat(sep=" ", timespec="minutes")


def _met(met: bool | None) -> str:
    return "-" if met is None else ("yes" if met else "no")


def render_text(c: TicketClocks) -> str:
    """One row of the text table: elapsed/target minutes, due, met for both clocks."""
    r, s = c.response, c.resolution
    return _ROW.format(
        str(c.id),
        f"{r.elapsed_minutes}/{r.target_minutes}",
        _when(r.due),
        _met(r.met),
        f"{s.elapsed_minutes}/{s.target_minutes}",
        s.paused_minutes,
        _when(s.due),
        _met(s.met),
    ).rstrip()
