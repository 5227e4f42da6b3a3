"""What every browser test shares: Debian's chromium driven by Playwright (never a downloaded
browser), headless and offline, in Danish; the marks that skip the tests where chromium is
absent; the page fixture; and screenshots under ``artifacts/``.

A test module marks itself with ``pytestmark = BROWSER_MARKS`` and asks for the ``page``
fixture (``src/faelles/conftest.py``), or opens its own :func:`browser_context`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@contextmanager
def browser_context(**options: Any) -> Iterator[Any]:
    """A fresh browser context (1280×900, Danish) on Debian's chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            **{"viewport": {"width": 1280, "height": 900}, "locale": "da-DK", **options}
        )
        try:
            yield context
        finally:
            context.close()
            browser.close()


def allow_orm_beside_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    """Playwright's sync API runs an event loop in the test's thread; the ORM calls the test
    itself makes (building data) are synchronous and safe there."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def login(tab: Any, base: str, username: str, password: str) -> None:
    """Log in through the login page and land on the start page."""
    tab.context.clear_cookies()
    tab.goto(f"{base}/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", password)
    tab.click("button[type=submit].button-primary")
    tab.wait_for_url(f"{base}/")


def shot(tab: Any, name: str) -> Path:
    """A full-page screenshot as ``artifacts/<name>.png``."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
