"""Fixtures every test module may ask for."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from faelles.tests.browser import allow_orm_beside_playwright, browser_context


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A page of Debian's chromium (headless, Danish); see :mod:`faelles.tests.browser`."""
    allow_orm_beside_playwright(monkeypatch)
    with browser_context() as context:
        yield context.new_page()
