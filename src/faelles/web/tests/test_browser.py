"""Drive Debian's chromium through Playwright: log in, switch institution, open the start page
and the management lists, and keep screenshots under artifacts/."""

from __future__ import annotations

import pytest

from faelles.tenancy.tests.factories import ResponsibilityFactory
from faelles.tests.browser import BROWSER_MARKS, shot
from faelles.web.tests.world import PASSWORD, build_world

pytestmark = BROWSER_MARKS


def _shot(page, name):
    return shot(page, name)


@pytest.mark.django_db(transaction=True)
def test_log_in_switch_institution_and_see_start_page(live_server, page):
    build_world()
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text() == "Log ind i Fælles"
    _shot(page, "01-login")

    page.fill("#id_username", "multi")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Velkommen, Mette Multi"
    assert "Du arbejder i Alfa-styrelsen." in page.locator("main").inner_text()

    page.select_option("#switch-institution", label="Beta-styrelsen")
    page.click("form:has(#switch-institution) button[type=submit]")
    page.wait_for_load_state()
    assert "Du arbejder nu i Beta-styrelsen." in page.locator(".faelles-messages").inner_text()
    assert "Du arbejder i Beta-styrelsen." in page.locator("main").inner_text()
    shot = _shot(page, "02-start-after-switch")
    assert shot.stat().st_size > 10_000


@pytest.mark.django_db(transaction=True)
def test_local_admin_filters_the_endpoint_list_with_htmx(live_server, page):
    world = build_world()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "admina")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_url(f"{live_server.url}/")
    _shot(page, "03-start-local-admin")

    page.goto(f"{live_server.url}/administration/org-units/")
    assert "A100" in page.locator("#results").inner_text()
    page.fill("#id_q", "ingen-sådan-enhed")
    page.wait_for_function(
        "() => !document.querySelector('#results').innerText.includes('A100')", timeout=15000
    )
    assert "Ingen enheder passer." in page.locator("#results").inner_text()
    page.fill("#id_q", "")
    page.wait_for_function(
        "() => document.querySelector('#results').innerText.includes('A100')", timeout=15000
    )
    _shot(page, "04-org-units")

    ResponsibilityFactory(agreement=world.agreement_a, task="Modtagelse af e-faktura")
    ResponsibilityFactory(
        agreement=world.agreement_a, task="Godkendelse (disponering)", owner="institution"
    )
    page.goto(f"{live_server.url}/administration/agreements/{world.agreement_a.pk}/")
    _shot(page, "05-agreement")
    page.goto(f"{live_server.url}/administration/endpoints/new/")
    page.fill("#id_identifier", "5790000000001")
    page.click("main button[type=submit].button-primary")
    page.wait_for_load_state()
    assert page.locator(".form-error-message").count() >= 1
    _shot(page, "06-endpoint-form-error")


@pytest.mark.django_db(transaction=True)
def test_cost_chart_in_danish_draws_its_bars_without_console_errors(live_server, page):
    """The monthly cost chart in Danish: every bar is drawn (its SVG coordinates are numbers,
    not Danish decimals) and the browser reports no error; the CSV link downloads."""
    from datetime import date

    from faelles.ledger import services
    from faelles.ledger.tests.factories import expense_spec, make_bookkeeper, make_institution

    institution = make_institution()
    keeper = make_bookkeeper(institution)
    keeper.set_password(PASSWORD)
    keeper.save()
    services.entry_record(actor=keeper, institution=institution, spec=expense_spec("1234.50"))
    services.entry_record(
        actor=keeper, institution=institution, spec=expense_spec("333.33", on=date(2026, 5, 2))
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", keeper.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/ledger/reports/costs/?year=2026")
    assert page.locator("html").get_attribute("lang") == "da"
    bars = page.locator("#cost-chart rect.segment")
    assert bars.count() == 2
    heights = sorted(round(bars.nth(i).bounding_box()["height"]) for i in range(2))
    assert heights == [65, 240]  # 333.33 of 1234.50 is 64.8 of 240
    assert "1.234,50" in page.locator("#cost-table").inner_text()
    _shot(page, "07-cost-chart-da")
    with page.expect_download() as download:
        page.click("a.export-csv")
    assert download.value.suggested_filename.endswith("-2026.csv")
    assert errors == []
