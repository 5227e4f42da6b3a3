"""Drive Debian's chromium through Playwright: an invoice goes from upload to paid through
the pages, in the hands of five people (invoice receiver, requester, approver, and two payers:
one makes the payment run, a second one releases it).
Screenshots are kept under artifacts/."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from faelles.payables import demo, services
from faelles.payables.labels import action_label
from faelles.payables.models import Invoice, PaymentRun
from faelles.payables.tests.factories import make_world, member
from faelles.tenancy.models import Role
from faelles.tests.browser import BROWSER_MARKS, login, shot

pytestmark = BROWSER_MARKS


def _shot(page, name):
    shot(page, f"payables-{name}")


def _login(page, base, user):
    login(page, base, user.username, "x")


@pytest.mark.django_db(transaction=True)
def test_an_invoice_goes_from_upload_to_paid_in_five_hands(live_server, page, tmp_path):
    world = make_world()
    services.routing_rule_create(
        actor=world.receiver,
        institution=world.institution,
        requester=world.requester,
        buyer_reference="IT",
    )
    vendor = demo.VENDORS[0]
    xml = tmp_path / "faktura.xml"
    xml.write_bytes(
        demo._document(
            number="PW-1",
            issue=date(2026, 3, 15),
            buyer_gln="5798009811578",
            buyer_name=world.institution.name,
            vendor=vendor,
            lines=[("Kopipapir A4", "14111507", Decimal(10), Decimal("42.50"))],
            buyer_reference="IT",
        )
    )
    base = live_server.url

    # 1. The invoice receiver uploads the document.
    _login(page, base, world.receiver)
    page.goto(f"{base}/payables/upload/")
    page.set_input_files("input[type=file]", str(xml))
    page.click("main button[type=submit].button-primary")
    page.wait_for_selector("#result")
    _shot(page, "01-uploaded")
    invoice = Invoice.objects.get(number="PW-1")
    assert invoice.requester == world.requester

    # 2. The requester codes and attests it from the inbox.
    _login(page, base, world.requester)
    page.goto(f"{base}/payables/")
    assert "PW-1" in page.locator("#invoices").inner_text()
    page.click("#invoices a:has-text('PW-1')")
    page.wait_for_selector("#state")
    page.goto(f"{base}/payables/invoices/{invoice.pk}/code/")
    page.fill("input[name='l1-0-account']", "2210")
    page.fill("input[name='l1-0-org_unit']", "100")
    page.fill("input[name='l1-0-vat_code']", "I25")
    page.fill("input[name='l1-0-amount']", "425.00")
    _shot(page, "02-coding")
    page.click("main form button[type=submit].button-primary")
    page.wait_for_selector("#state")
    page.click(f"form[action$='/invoices/{invoice.pk}/attest/'] button")
    page.wait_for_selector("#state")
    assert Invoice.objects.get(pk=invoice.pk).state == "attested"

    # 3. The approver approves; the invoice is posted at once.
    _login(page, base, world.approver)
    page.goto(f"{base}/payables/")
    assert "PW-1" in page.locator("#invoices").inner_text()
    page.goto(f"{base}/payables/invoices/{invoice.pk}/")
    page.click(f"form[action$='/invoices/{invoice.pk}/approve/'] button")
    page.wait_for_selector("#state")
    _shot(page, "03-approved-and-posted")
    assert Invoice.objects.get(pk=invoice.pk).state == "posted"

    # 4. The payer makes a payment run; a second payer releases and pays it.
    _login(page, base, world.payer)
    page.goto(f"{base}/payables/payment-runs/new/")
    page.fill("#id_execution_date", "2026-04-30")
    page.fill("#id_debtor_iban", "DK5000400440116243")
    page.click("main button[type=submit].button-primary")
    page.wait_for_selector("#state")
    run = PaymentRun.objects.get()
    assert page.locator("#second-payer").count() == 1  # the creator is told who releases
    _login(page, base, member(world.institution, Role.PAYER))
    page.goto(f"{base}/payables/payment-runs/{run.pk}/")
    page.click(f"form[action$='/payment-runs/{run.pk}/release/'] button")
    page.wait_for_selector(f"a[href$='/payment-runs/{run.pk}/file/']")
    page.click(f"form[action$='/payment-runs/{run.pk}/paid/'] button")
    page.wait_for_selector("#state")
    _shot(page, "04-paid")
    page.goto(f"{base}/payables/invoices/{invoice.pk}/")
    _shot(page, "05-invoice-history")
    assert Invoice.objects.get(pk=invoice.pk).state == "paid"
    history = page.locator("#history").inner_text()
    codes = page.locator("#history [title]").evaluate_all("els => els.map(e => e.title)")
    for step in ("coded", "attested", "approved", "posted", "scheduled", "paid"):
        # a human label in Danish on the page, the action's code in its title
        assert f"payables.invoice.{step}" in codes
        with translation.override("da"):
            assert action_label(f"payables.invoice.{step}") in history
    assert "payables.invoice." not in history
