"""Chromium codes an invoice as a clerk would: the picker finds an account by its name, a
line grows to four split rows with "add row", and the coding is saved; no console errors."""

from __future__ import annotations

import pytest

from faelles.payables import services
from faelles.payables.models import InvoiceAllocation
from faelles.payables.tests.factories import make_world
from faelles.payables.tests.test_browser import _login, _shot
from faelles.tests.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_the_picker_finds_an_account_by_name_and_a_fourth_split_row_is_added(
    live_server,
    page,
    dkk_document,
):
    world = make_world()
    services.routing_rule_create(
        actor=world.receiver,
        institution=world.institution,
        requester=world.requester,
        buyer_reference="0150abc",
    )
    invoice = services.document_receive(content=dkk_document(), channel="api").invoice
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url
    _login(page, base, world.requester)
    page.goto(f"{base}/payables/invoices/{invoice.pk}/code/")

    # The picker: the account field offers the chart; typing part of a name finds the code.
    account = page.locator('input[name="l1-0-account"]')
    assert account.get_attribute("list") == "coding-accounts"
    found = page.eval_on_selector_all(
        "#coding-accounts option",
        "(options, q) => options.filter(o => o.textContent.toLowerCase().includes(q))"
        ".map(o => o.value)",
        "kontorartikler",
    )
    assert found == ["2210"]

    # Two rows to begin with; "add row" twice gives four.
    assert page.locator('input[name^="l1-"][name$="-account"]').count() == 2
    page.click('button[name="add_row"][value="1"]')
    page.click('button[name="add_row"][value="1"]')
    assert page.locator('input[name^="l1-"][name$="-account"]').count() == 4

    for i, (code, amount) in enumerate([("2210", "1.000,00"), ("2220", "900"), ("2210", "500"),
                                        ("2220", "400,00")]):  # fmt: skip
        page.fill(f'input[name="l1-{i}-account"]', code)
        page.fill(f'input[name="l1-{i}-org_unit"]', "100")
        page.fill(f'input[name="l1-{i}-vat_code"]', "I25")
        page.fill(f'input[name="l1-{i}-amount"]', amount)
    for line in (2, 3):  # their amounts are filled in already
        page.fill(f'input[name="l{line}-0-account"]', "2210")
        page.fill(f'input[name="l{line}-0-org_unit"]', "100")
    _shot(page, "coding-four-rows")
    page.click('button[name="save"]')
    page.wait_for_url(f"{base}/payables/invoices/{invoice.pk}/")

    assert InvoiceAllocation.objects.filter(invoice=invoice, line__line_no=1).count() == 4
    assert errors == []
