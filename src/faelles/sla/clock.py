"""The two service-level clocks of a ticket, computed from its event history.

Rules (docs/design/servicedesk.md, "SLA clocks"):

- Both clocks count business minutes of the ticket's calendar only (see
  :mod:`faelles.sla.calendar` for which minutes count).
- The **response** clock runs from ``opened`` until the first ``responded``, or the first
  ``resolved`` if that comes first. Pausing does not stop it.
- The **resolution** clock runs from ``opened`` until ``resolved``; it stops while paused and
  while resolved, and runs on after ``reopened``. ``paused_minutes`` counts the business
  minutes it spent paused (a pause ends at ``resumed`` or at ``resolved``).
- A ``targets`` event replaces the targets from then on (one or both); the time already
  elapsed is kept.
- ``due`` is the instant at which a running clock reaches its current target if it keeps
  running from the end of the history (the last event, or ``at`` when given): the end of the
  target-th business minute. When the clock has already reached the target, ``due`` is that
  past instant. ``due`` is ``None`` while the clock is stopped or paused.
- ``met`` is ``elapsed <= target`` (the target in force when the clock stopped) once the clock
  has stopped, and ``None`` while it runs or is paused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from faelles.sla.calendar import BusinessCalendar, business_calendar, minute_of
from faelles.sla.errors import HistoryError, InputError, SlaError
from faelles.sla.model import (
    Event,
    EventType,
    ResolutionClock,
    ResponseClock,
    Ticket,
    TicketClocks,
)

__all__ = ["compute", "compute_many"]

_OPENED = EventType.OPENED
_RESPONDED = EventType.RESPONDED
_PAUSED = EventType.PAUSED
_RESUMED = EventType.RESUMED
_RESOLVED = EventType.RESOLVED
_REOPENED = EventType.REOPENED
_TARGETS = EventType.TARGETS

_RUNNING, _PAUSE, _DONE = 0, 1, 2


def _describe(i: int, ev: Event) -> str:
    return f"event {i} ({ev.type.value} at {ev.at.isoformat()})"


def _check_target(value: int, field: str) -> int:
    if type(value) is not int or value < 0:
        raise InputError("input.targets", field, "must be a whole number of minutes, 0 or more")
    return value


def compute(ticket: Ticket, at: datetime | None = None) -> TicketClocks:
    """Both clocks of ``ticket`` as of its last event (or as of ``at``, which must not lie
    before the last event). Raises ``SlaError`` (with ``ticket`` set) for a malformed
    history or calendar."""
    try:
        return _compute(ticket, at)
    except SlaError as exc:
        exc.ticket = ticket.id
        raise


def compute_many(
    tickets: Iterable[Ticket], at: datetime | None = None
) -> Iterator[TicketClocks | SlaError]:
    """The clocks of each ticket, or the error that refuses it; one bad ticket never stops
    the others."""
    for ticket in tickets:
        try:
            yield compute(ticket, at)
        except SlaError as exc:
            yield exc


def _compute(ticket: Ticket, at: datetime | None) -> TicketClocks:
    cal = business_calendar(ticket.calendar)
    events = ticket.events
    if not events or events[0].type is not _OPENED:
        for i, ev in enumerate(events):
            if ev.type is _OPENED:
                raise HistoryError(
                    "history.opened_first",
                    f"events[{i}]",
                    f"opened must be the first event, but {_describe(0, events[0])} comes "
                    "before it",
                )
        raise HistoryError("history.no_opened", "events", "the history has no opened event")

    resp_target = _check_target(ticket.targets.response_minutes, "targets.response_minutes")
    res_target = _check_target(ticket.targets.resolution_minutes, "targets.resolution_minutes")

    first = events[0].at
    if first.utcoffset() is None:
        raise InputError("input.time", "events[0].at", "must have a UTC offset")
    start = minute_of(first)
    # Response clock: running from ``start``; segments are (from, elapsed before, length).
    resp_on = True
    resp_from = start
    resp_elapsed = 0
    resp_segments: list[tuple[int, int, int]] = []
    resp_stop_target = resp_target
    # Resolution clock.
    res_state = _RUNNING
    res_from = start
    res_elapsed = 0
    res_segments: list[tuple[int, int, int]] = []
    res_stop_target = res_target
    paused_from = 0
    paused_index = 0
    paused = 0

    prev = first
    for i in range(1, len(events)):
        ev = events[i]
        t = ev.at
        if t.utcoffset() is None:
            raise InputError("input.time", f"events[{i}].at", "must have a UTC offset")
        if t < prev:
            raise HistoryError(
                "history.order",
                f"events[{i}].at",
                f"{_describe(i, ev)} is earlier than {_describe(i - 1, events[i - 1])}: "
                "events must be in time order",
            )
        prev = t
        kind = ev.type
        m = minute_of(t)
        if kind is _RESPONDED:
            if resp_on:
                n = cal.between(resp_from, m)
                resp_segments.append((resp_from, resp_elapsed, n))
                resp_elapsed += n
                resp_on = False
                resp_stop_target = resp_target
        elif kind is _PAUSED:
            if res_state != _RUNNING:
                raise HistoryError(
                    "history.paused_twice" if res_state == _PAUSE else "history.paused_resolved",
                    f"events[{i}]",
                    f"{_describe(i, ev)}: already paused since event {paused_index}"
                    if res_state == _PAUSE
                    else f"{_describe(i, ev)}: the ticket is resolved; reopen it first",
                )
            n = cal.between(res_from, m)
            res_segments.append((res_from, res_elapsed, n))
            res_elapsed += n
            res_state = _PAUSE
            paused_from, paused_index = m, i
        elif kind is _RESUMED:
            if res_state != _PAUSE:
                raise HistoryError(
                    "history.resumed_without_paused",
                    f"events[{i}]",
                    f"{_describe(i, ev)}: resumed without paused",
                )
            paused += cal.between(paused_from, m)
            res_state = _RUNNING
            res_from = m
        elif kind is _RESOLVED:
            if res_state == _DONE:
                raise HistoryError(
                    "history.resolved_twice",
                    f"events[{i}]",
                    f"{_describe(i, ev)}: already resolved; reopen it first",
                )
            if res_state == _RUNNING:
                n = cal.between(res_from, m)
                res_segments.append((res_from, res_elapsed, n))
                res_elapsed += n
            else:
                paused += cal.between(paused_from, m)
            res_state = _DONE
            res_stop_target = res_target
            if resp_on:
                n = cal.between(resp_from, m)
                resp_segments.append((resp_from, resp_elapsed, n))
                resp_elapsed += n
                resp_on = False
                resp_stop_target = resp_target
        elif kind is _REOPENED:
            if res_state != _DONE:
                raise HistoryError(
                    "history.reopened_without_resolved",
                    f"events[{i}]",
                    f"{_describe(i, ev)}: reopened without resolved",
                )
            res_state = _RUNNING
            res_from = m
        elif kind is _TARGETS:
            change = ev.targets
            if change is None or (
                change.response_minutes is None and change.resolution_minutes is None
            ):
                raise HistoryError(
                    "history.targets",
                    f"events[{i}].targets",
                    f"{_describe(i, ev)}: a targets event needs response_minutes or "
                    "resolution_minutes",
                )
            if change.response_minutes is not None:
                resp_target = _check_target(
                    change.response_minutes, f"events[{i}].targets.response_minutes"
                )
            if change.resolution_minutes is not None:
                res_target = _check_target(
                    change.resolution_minutes, f"events[{i}].targets.resolution_minutes"
                )
        elif kind is _OPENED:
            raise HistoryError(
                "history.opened_twice",
                f"events[{i}]",
                f"{_describe(i, ev)}: the ticket was already opened by event 0 (after "
                "resolved, use reopened)",
            )
        else:  # pragma: no cover - EventType is closed
            raise HistoryError("history.unknown_type", f"events[{i}].type", "unknown type")

    if at is None:
        end = minute_of(prev)
    else:
        if at.utcoffset() is None:
            raise InputError("input.at", "at", "must have a UTC offset")
        if at < prev:
            raise InputError(
                "input.at", "at", f"{at.isoformat()} is before the last event ({prev.isoformat()})"
            )
        end = minute_of(at)

    # Response clock.
    if resp_on:
        n = cal.between(resp_from, end)
        resp_segments.append((resp_from, resp_elapsed, n))
        resp_elapsed += n
        response = ResponseClock(
            resp_elapsed,
            resp_target,
            cal.to_datetime(_due(cal, resp_segments, resp_elapsed, resp_target, end)),
            None,
        )
    else:
        response = ResponseClock(
            resp_elapsed, resp_stop_target, None, resp_elapsed <= resp_stop_target
        )

    # Resolution clock.
    if res_state == _RUNNING:
        n = cal.between(res_from, end)
        res_segments.append((res_from, res_elapsed, n))
        res_elapsed += n
        resolution = ResolutionClock(
            res_elapsed,
            paused,
            res_target,
            cal.to_datetime(_due(cal, res_segments, res_elapsed, res_target, end)),
            None,
        )
    elif res_state == _PAUSE:
        paused += cal.between(paused_from, end)
        resolution = ResolutionClock(res_elapsed, paused, res_target, None, None)
    else:
        resolution = ResolutionClock(
            res_elapsed, paused, res_stop_target, None, res_elapsed <= res_stop_target
        )
    return TicketClocks(ticket.id, response, resolution)


def _due(
    cal: BusinessCalendar,
    segments: list[tuple[int, int, int]],
    elapsed: int,
    target: int,
    end: int,
) -> int:
    """The minute at which a clock running at ``end`` reaches ``target``."""
    if elapsed < target:
        return cal.after(end, target - elapsed)
    for start, before, length in segments:
        if before + length >= target:
            return cal.after(start, target - before)
    raise AssertionError("unreachable: the segments add up to the elapsed time")
