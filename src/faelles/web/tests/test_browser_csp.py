"""Under the Content-Security-Policy the pages still work in a real browser (Debian's chromium
through Playwright): DKFDS components, htmx filtering, the print link and the Swagger UI of the
API docs, with no policy violation and no console error on the way."""

from __future__ import annotations

import pytest

from faelles.tests.browser import BROWSER_MARKS, allow_orm_beside_playwright, browser_context
from faelles.web.tests.world import PASSWORD, build_world

pytestmark = BROWSER_MARKS

# Recorded by a script the browser itself injects (not subject to the page's policy).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


@pytest.fixture
def watched(monkeypatch):
    """A page, and the console errors and policy violations it collects."""
    allow_orm_beside_playwright(monkeypatch)
    errors: list[str] = []
    with browser_context() as context:
        context.add_init_script(WATCH_VIOLATIONS)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page, errors


def _violations(page):
    return page.evaluate("window.__violations")


def _log_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_url(f"{base}/")


@pytest.mark.django_db(transaction=True)
def test_pages_htmx_and_dkfds_work_under_the_policy(live_server, watched):
    page, errors = watched
    build_world()
    base = live_server.url
    response = page.goto(f"{base}/login/")
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert _violations(page) == []
    _log_in(page, base, "admina")
    assert _violations(page) == []

    # DKFDS ran from its own file: the menu button opens the mobile menu on a narrow screen.
    page.set_viewport_size({"width": 400, "height": 800})
    closed = page.evaluate("document.body.className")
    page.click(".js-menu-open")
    page.wait_for_function(f"() => document.body.className !== {closed!r}", timeout=5000)
    page.set_viewport_size({"width": 1280, "height": 900})

    # htmx swaps the filtered list in place.
    page.goto(f"{base}/administration/org-units/")
    assert "A100" in page.locator("#results").inner_text()
    page.fill("#id_q", "ingen-sådan-enhed")
    page.wait_for_function(
        "() => !document.querySelector('#results').innerText.includes('A100')", timeout=15000
    )
    assert "Ingen enheder passer." in page.locator("#results").inner_text()
    assert _violations(page) == []
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_under_the_policy(live_server, watched):
    page, errors = watched
    build_world()
    _log_in(page, live_server.url, "admina")
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
    assert "Fælles API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert page.locator(".swagger-ui .opblock").count() > 10
    assert _violations(page) == []
    assert errors == []
