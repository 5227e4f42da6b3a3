"""Ticket records (decoded JSON) for the SLA tests."""

from __future__ import annotations

from typing import Any

from faelles.sla.clock import compute
from faelles.sla.io import clocks_dict, parse_ticket

WEEKDAYS_8_16 = {d: ["08:00", "16:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
EVERY_DAY_8_16 = {d: ["08:00", "16:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
ROUND_THE_CLOCK = {d: ["00:00", "24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def calendar(
    hours: dict[str, Any] | None = None,
    holidays: Any = "DK",
    closed: list[str] | None = None,
    timezone: str = "Europe/Copenhagen",
) -> dict[str, Any]:
    cal: dict[str, Any] = {
        "timezone": timezone,
        "hours": WEEKDAYS_8_16 if hours is None else hours,
        "holidays": holidays,
    }
    if closed is not None:
        cal["closed"] = closed
    return cal


def ev(at: str, type_: str, **targets: int) -> dict[str, Any]:
    e: dict[str, Any] = {"at": at, "type": type_}
    if targets:
        e["targets"] = targets
    return e


def ticket(
    *events: dict[str, Any],
    response: int = 60,
    resolution: int = 960,
    cal: dict[str, Any] | None = None,
    id_: str | int = "T-1",
) -> dict[str, Any]:
    return {
        "id": id_,
        "calendar": calendar() if cal is None else cal,
        "targets": {"response_minutes": response, "resolution_minutes": resolution},
        "events": list(events),
    }


def clocks(data: dict[str, Any], at: Any = None) -> dict[str, Any]:
    """The JSON output for one ticket record."""
    return clocks_dict(compute(parse_ticket(data), at))
