from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids), whatever translations are compiled."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def outbox(settings, tmp_path):
    """Every test's outbox is its own folder (the file drop writes there)."""
    settings.FAELLES_OUTBOX = str(tmp_path / "outbox")
    settings.FAELLES_OUTBOX_TRANSPORT = ""
    return tmp_path / "outbox"
