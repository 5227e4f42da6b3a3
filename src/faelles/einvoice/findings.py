"""Validation findings: the one value that API, UI and CLI all render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Flag = Literal["fatal", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed assert: the official rule id, its flag, where it failed and why."""

    rule: str
    flag: Flag
    location: str
    message: str

    @property
    def is_fatal(self) -> bool:
        return self.flag == "fatal"

    def to_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "flag": self.flag,
            "location": self.location,
            "message": self.message,
        }
