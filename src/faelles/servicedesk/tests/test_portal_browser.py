"""In Chromium, through the pages only: a person of the institution raises a request in the
self-service portal; the service desk's agent finds it in the ticket list, starts work,
answers and resolves it; the person sees the answer and the resolution and rates it, which
closes the ticket. Fails on any error the browser reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from faelles.servicedesk.models import Status, Ticket
from faelles.servicedesk.tests.factories import make_desk

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page():
    """Debian's chromium, headless, in Danish (no browser download at run time)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
        yield context.new_page()
        context.close()
        browser.close()


def _login(tab, base, user):
    tab.context.clear_cookies()
    tab.goto(f"{base}/login/")
    tab.fill("#id_username", user.username)
    tab.fill("#id_password", "x")
    tab.click("button[type=submit].button-primary")
    tab.wait_for_url(f"{base}/")


@pytest.mark.django_db(transaction=True)
def test_a_user_raises_a_request_and_an_agent_resolves_it(live_server, page):
    desk = make_desk()
    base = live_server.url
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    # 1. The requester asks in the portal (the menu offers it).
    _login(page, base, desk.requester)
    assert page.locator("a[href='/servicedesk/']").count() >= 1
    page.goto(f"{base}/servicedesk/")
    page.click("#new-request")
    page.select_option("#id_kind", "incident")
    page.select_option("#id_category", str(desk.category.pk))
    page.fill("#id_title", "Printeren på 2. sal virker ikke")
    page.fill("#id_description", "Den viser fejl 49.")
    page.select_option("#id_urgency", "2")
    with page.expect_navigation():
        page.click("#request-form button[type=submit]")
    reference = page.inner_text("#reference")
    ticket = Ticket.objects.get(reference=reference)
    assert ticket.requester == desk.requester
    assert page.get_attribute("#status", "data-status") == "new"
    assert page.get_attribute("#clocks", "data-sla-state") == "running"

    # 2. The agent finds it in the list, starts, answers and resolves.
    _login(page, base, desk.agent)
    page.goto(f"{base}/servicedesk/tickets/")
    row = page.locator(f"tr[data-ticket='{reference}']")
    assert row.count() == 1
    with page.expect_navigation():
        row.locator("a").click()
    with page.expect_navigation():
        page.click("button[data-action=start]")
    assert page.get_attribute("#status", "data-status") == "in_progress"
    page.fill("#id_body", "Vi skifter fuseren i dag.")
    with page.expect_navigation():
        page.click("#reply-form button[type=submit]")
    page.fill("#id_reason", "Fuser skiftet, testudskrift ok.")
    with page.expect_navigation():
        page.click("button[data-action=resolve]")
    assert page.get_attribute("#status", "data-status") == "resolved"
    assert page.get_attribute("#clocks", "data-sla-state") == "met"

    # 3. The requester reads the answer and rates it; the ticket closes.
    _login(page, base, desk.requester)
    page.goto(f"{base}/servicedesk/my/{ticket.pk}/")
    assert "Vi skifter fuseren i dag." in page.inner_text("#conversation")
    assert "Fuser skiftet" in page.inner_text("#resolution")
    page.select_option("#id_rating", "5")
    with page.expect_navigation():
        page.click("#rate-form button[type=submit]")
    assert page.get_attribute("#status", "data-status") == "closed"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating, ticket.assignee) == (Status.CLOSED, 5, None)
    assert ticket.responded_at is not None and ticket.resolved_at is not None
    assert errors == []
