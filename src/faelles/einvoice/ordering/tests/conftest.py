"""Where the official post-award material is: ``../shared/data/ordering`` beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from faelles.einvoice.tests.conftest import SHARED_DIR

ORDERING_DATA = SHARED_DIR / "data" / "ordering"


def require_ordering() -> Path:
    """The post-award data folder, or skip the test saying where it was looked for."""
    if not ORDERING_DATA.is_dir():
        pytest.skip(f"official Peppol post-award test data not found at {ORDERING_DATA}")
    return ORDERING_DATA
