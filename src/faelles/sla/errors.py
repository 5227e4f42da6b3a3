"""Errors of the SLA library: values with a stable code, the field and the ticket.

Two families: ``InputError`` for input that does not have the documented shape (a missing
field, a bad time, an unknown time zone) and ``HistoryError`` for an event history that is
well-formed JSON but cannot have happened (resumed without paused, events out of order, an
unknown event type, no opened event). Both are refused for that one ticket; a batch goes on.
"""

from __future__ import annotations

__all__ = ["HistoryError", "InputError", "SlaError"]


class SlaError(Exception):
    """A ticket whose clocks cannot be computed, with the field that prevents it."""

    def __init__(self, code: str, field: str, message: str, ticket: str | int | None = None):
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message
        self.ticket = ticket

    def __str__(self) -> str:
        who = f"ticket {self.ticket}: " if self.ticket is not None else ""
        where = f"{self.field}: " if self.field else ""
        return f"{who}{where}{self.message} [{self.code}]"

    def as_dict(self) -> dict[str, str]:
        """The error as the JSON output shows it."""
        return {"code": self.code, "field": self.field, "message": self.message}


class InputError(SlaError):
    """The input does not have the documented shape or a value is out of range."""


class HistoryError(SlaError):
    """The event history is malformed: it describes something that cannot have happened."""
