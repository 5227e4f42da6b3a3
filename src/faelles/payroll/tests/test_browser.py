"""In Chromium, through the pages only: a payroll officer approves a calculated run, a second
officer gives the second approval (which posts the run's journal entry), and an employee
logs in, finds their payslip under "My payslips" and opens it (HTML, CPR masked) and its PDF."""

from __future__ import annotations

import pytest

from faelles.payroll.models import PayRun, Payslip
from faelles.payroll.tests.factories import monthly_run, payroll_setup
from faelles.tenancy.roles import PAYROLL_EMPLOYEE
from faelles.tenancy.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from faelles.tests.browser import BROWSER_MARKS, login

pytestmark = BROWSER_MARKS


def _login(tab, base, user):
    login(tab, base, user.username, TEST_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_an_officer_approves_a_run_and_an_employee_opens_their_payslip(live_server, page):
    s = payroll_setup()
    me = UserFactory(username="medarbejder")
    MembershipFactory(institution=s.institution, user=me, role=PAYROLL_EMPLOYEE)
    mine = s.employee("HK", user=me, cpr="0101801234")
    s.employee("AC")
    run = monthly_run(s, 5)
    base = live_server.url

    _login(page, base, s.officer)
    page.goto(f"{base}/payroll/runs/")
    page.click(f'tr[data-run="{run.pk}"] a')
    page.click('button[data-action="approve"]')
    page.wait_for_selector('#state[data-state="approved"]')
    assert PayRun.objects.get(pk=run.pk).state == PayRun.State.APPROVED
    # The first approver is offered the second approval, and refused it.
    page.click('button[data-action="second_approve"]')
    page.wait_for_selector('#state[data-state="approved"]')

    _login(page, base, s.second)
    page.goto(f"{base}/payroll/runs/{run.pk}/")
    page.click('button[data-action="second_approve"]')
    page.wait_for_selector('#state[data-state="second_approved"]')
    run.refresh_from_db()
    assert run.state == PayRun.State.SECOND_APPROVED and run.entry_id is not None

    _login(page, base, me)
    page.goto(f"{base}/payroll/my/")
    slip = Payslip.objects.get(run=run, employee=mine)
    rows = page.locator("tr[data-payslip]")
    assert rows.count() == 1
    page.click(f'tr[data-payslip="{slip.pk}"] a[data-open="html"]')
    page.wait_for_selector("article.payslip")
    text = page.inner_text("article.payslip")
    assert "XXXXXX-1234" in text and "0101801234" not in text
    assert page.get_attribute('[data-total="net"] td.amount', "class") == "amount"
    response = page.request.get(f"{base}/payroll/payslips/{slip.pk}/pdf/")
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    other = Payslip.objects.exclude(pk=slip.pk).get(run=run)
    assert page.request.get(f"{base}/payroll/payslips/{other.pk}/").status == 404
