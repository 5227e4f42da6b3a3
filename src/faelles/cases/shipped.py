"""The case types shipped with the platform (BPMN and DMN files under ``models_bpmn/``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent / "models_bpmn"


@dataclass(frozen=True)
class Shipped:
    code: str
    name: str
    files: tuple[str, ...]
    task_code: str
    kle: str

    def read(self) -> dict[str, bytes]:
        return {name: (MODELS_DIR / name).read_bytes() for name in self.files}


SHIPPED: dict[str, Shipped] = {
    s.code: s
    for s in (
        Shipped(
            "complaint",
            "Klage til et nævn",
            ("complaint.bpmn", "complaint.dmn"),
            task_code="03.02.10",
            kle="00.01.10 G01",
        ),
        Shipped(
            "grant-pool",
            "Tilskudspulje",
            ("grant_pool.bpmn", "grant_pool.dmn"),
            task_code="05.01.03",
            kle="00.22.00 G01",
        ),
        Shipped(
            "benefit",
            "Ydelse med løbende udbetalinger",
            ("benefit.bpmn",),
            task_code="32.01.00",
            kle="32.18.00 G01",
        ),
    )
}


def available() -> dict[str, Shipped]:
    """The shipped case types whose files are present."""
    return {
        code: s for code, s in SHIPPED.items() if all((MODELS_DIR / f).is_file() for f in s.files)
    }
