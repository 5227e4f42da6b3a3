"""Validation findings: the one value that API, UI and CLI all render."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Finding:
        """The finding :meth:`to_dict` wrote (e.g. stored as JSON with a received document)."""
        flag = data["flag"]
        if flag not in ("fatal", "warning"):
            raise ValueError(f"flag {flag!r} is neither 'fatal' nor 'warning'")
        return cls(
            data["rule"],
            "fatal" if flag == "fatal" else "warning",
            data["location"],
            data["message"],
        )


def findings_to_json(findings: Iterable[Finding]) -> list[dict[str, str]]:
    """The one JSON form of findings for API, UI and CLI: a list of rule/flag/location/message."""
    return [f.to_dict() for f in findings]
