"""Where the official e-invoice material is: ``../shared/data/einvoice`` beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[4]
SHARED_DIR = Path(os.environ.get("FAELLES_SHARED", PROJECT_DIR.parent / "shared"))
EINVOICE_DATA = SHARED_DIR / "data" / "einvoice"


def require_shared() -> Path:
    """The e-invoice data folder, or skip the test saying where it was looked for."""
    if not EINVOICE_DATA.is_dir():
        pytest.skip(f"official e-invoice test data not found at {EINVOICE_DATA}")
    return EINVOICE_DATA
