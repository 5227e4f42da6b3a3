"""Errors of the payroll engine: values with a stable code, the field and the employee.

The employee is named by employee number, never by CPR: messages end up in logs and on
terminals, and CPR must never appear there in clear text.
"""

from __future__ import annotations

import re

_CPR_LIKE = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def scrub_cpr(text: str) -> str:
    """``text`` with anything shaped like a CPR number (DDMMYY[-]XXXX) masked.

    A last line of defence for messages built from foreign exceptions; the engine itself never
    puts a CPR number into a message.
    """
    return _CPR_LIKE.sub("XXXXXX-XXXX", text)


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
        return {
            "code": self.code,
            "field": self.field,
            "message": scrub_cpr(self.message),
            "employee_number": self.employee,
        }


class InputError(PayrollError):
    """The input is malformed or out of range (negative hours, unknown ATP family …)."""


class ParameterError(PayrollError):
    """No parameters for the date, or a parameter table that does not load."""
