"""In Chromium, through the pages only: a requester finds an item in the shop, puts it in
the basket, sends the basket for approval with its coding and delivery address; an approver
approves it, and the Peppol Order lands in the outbox's file drop."""

from __future__ import annotations

from decimal import Decimal

import pytest

from faelles.einvoice.ordering.validate import validate_bytes
from faelles.purchasing.models import PurchaseOrder, Requisition
from faelles.purchasing.tests import builders as b
from faelles.tenancy.models import Membership, Role
from faelles.tenancy.tests.factories import TEST_PASSWORD, UserFactory
from faelles.tests.browser import BROWSER_MARKS, login

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_a_requester_buys_from_the_catalogue_and_an_approver_approves(live_server, page, outbox):
    inst, gln = b.buyer()
    _agreement, items = b.active_agreement(inst, gln)
    pen = next(i for i in items if i.sellers_id == "KP-100")
    # Own user names: the ledger's factory names its system users "user<n>" too.
    requester = UserFactory(username="pw-rekvirent")
    Membership.objects.create(user=requester, institution=inst, role=Role.REQUESTER)
    approver = UserFactory(username="pw-godkender")
    Membership.objects.create(
        user=approver, institution=inst, role=Role.APPROVER, approval_limit=Decimal(10000)
    )
    base = live_server.url

    login(page, base, requester.username, TEST_PASSWORD)
    page.goto(f"{base}/purchasing/")
    page.fill("#q", "kuglepen")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector(f'tr[data-item="{pen.pk}"]')
    assert page.locator("#items tbody tr").count() == 1
    assert "SKI-50.10" in page.inner_text(f'tr[data-item="{pen.pk}"] td.agreement')
    page.fill(f"#qty-{pen.pk}", "12")
    page.click(f'tr[data-item="{pen.pk}"] button[type=submit]')
    page.click("#baskets a")
    page.wait_for_selector("#submit-form")
    assert page.inner_text("#total").strip() == "150,00"
    page.fill("#title", "Kuglepenne til sekretariatet")
    page.select_option("#account", "2210")
    page.select_option("#org_unit", "100")
    page.select_option("#purpose", "P1")
    page.fill("#delivery_name", "Sekretariatet")
    page.fill("#delivery_street", "Slotsholmen 1")
    page.fill("#delivery_postcode", "1216")
    page.fill("#delivery_city", "København K")
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector('#state[data-state="submitted"]')
    requisition = Requisition.objects.get(requester=requester)
    assert (requisition.account, requisition.org_unit, requisition.purpose) == (
        "2210",
        "100",
        "P1",
    )
    # The requester may not approve their own purchase: no approve button for them.
    assert page.locator("#approve-form").count() == 0

    login(page, base, approver.username, TEST_PASSWORD)
    page.goto(f"{base}/purchasing/requisitions/{requisition.pk}/")
    page.click("#approve-form button[type=submit]")
    page.wait_for_selector("#order-link")
    order = PurchaseOrder.objects.get(requisition=requisition)
    assert page.inner_text("#order-link") == order.number
    files = list(outbox.glob(f"{inst.short_name}/*.xml"))
    orders = [f for f in files if order.number.encode() in f.read_bytes()]
    assert len(orders) == 1
    content = orders[0].read_bytes()
    assert b"<Order " in content or b"<Order>" in content
    assert not [f for f in validate_bytes(content).findings if f.flag == "fatal"]
