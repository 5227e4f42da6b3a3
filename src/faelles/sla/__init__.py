"""Service-level clocks computed from a ticket's event history.

A pure library: imports nothing from Django or the rest of faelles. The clocks count business
minutes of a calendar (local wall-clock hours with daylight saving, public holidays from the
``holidays`` package, closed dates) and are always recomputed from the history, never stored.
See docs/design/servicedesk.md for the rules, the design and the measured figures.
"""

from faelles.sla.calendar import BusinessCalendar, business_calendar
from faelles.sla.clock import compute, compute_many
from faelles.sla.errors import HistoryError, InputError, SlaError
from faelles.sla.io import clocks_dict, clocks_json, parse_calendar, parse_ticket, render_text
from faelles.sla.model import (
    WEEKDAYS,
    Calendar,
    Event,
    EventType,
    ResolutionClock,
    ResponseClock,
    TargetChange,
    Targets,
    Ticket,
    TicketClocks,
)

__all__ = [
    "WEEKDAYS",
    "BusinessCalendar",
    "Calendar",
    "Event",
    "EventType",
    "HistoryError",
    "InputError",
    "ResolutionClock",
    "ResponseClock",
    "SlaError",
    "TargetChange",
    "Targets",
    "Ticket",
    "TicketClocks",
    "business_calendar",
    "clocks_dict",
    "clocks_json",
    "compute",
    "compute_many",
    "parse_calendar",
    "parse_ticket",
    "render_text",
]
