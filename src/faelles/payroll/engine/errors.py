"""Errors of the payroll engine: values with a stable code, the field and the employee.

The employee is named by employee number, never by CPR: messages end up in logs and on
terminals, and CPR must never appear there in clear text.
"""

from __future__ import annotations

from faelles.redact import scrub_cpr

__all__ = ["InputError", "ParameterError", "PayrollError", "scrub_cpr"]


class PayrollError(Exception):
    """A calculation that cannot be done, with the input field that prevents it."""

    def __init__(self, code: str, field: str, message: str, employee: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message
        self.employee = employee

    def __str__(self) -> str:
        who = f"employee {self.employee}: " if self.employee else ""
        where = f"{self.field}: " if self.field else ""
        return scrub_cpr(f"{who}{where}{self.message} [{self.code}]")

    def as_dict(self) -> dict[str, str]:
        """The error as JSON output shows it; the field (which may be an unknown key from the
        input), the message and the employee number are scrubbed of CPR numbers."""
        return {
            "code": self.code,
            "field": scrub_cpr(self.field),
            "message": scrub_cpr(self.message),
            "employee_number": scrub_cpr(self.employee),
        }


class InputError(PayrollError):
    """The input is malformed or out of range (negative hours, unknown ATP family …)."""


class ParameterError(PayrollError):
    """No parameters for the date, or a parameter table that does not load."""
