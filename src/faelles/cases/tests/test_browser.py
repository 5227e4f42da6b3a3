"""A case worker takes a complaint to a decision letter in Chromium, through the pages only:
opens the case, registers it, closes the hearing, drafts the decision; the board's chair
approves it; the decision with reasons and complaint guidance is on the case and the decision
letter is a PDF among its documents. Screenshots are kept under artifacts/."""

from __future__ import annotations

import pytest

from faelles.cases.models import Case, CaseDocument
from faelles.cases.tests.factories import make_board
from faelles.tenancy.models import ServiceAgreement
from faelles.tenancy.tests.factories import TEST_PASSWORD
from faelles.tests.browser import BROWSER_MARKS, login, shot

pytestmark = BROWSER_MARKS


def _login(tab, base, user):
    login(tab, base, user.username, TEST_PASSWORD)


def _shot(tab, name):
    shot(tab, f"cases-{name}")


@pytest.mark.django_db(transaction=True)
def test_a_case_worker_takes_a_complaint_to_a_decision_letter(live_server, page):
    world = make_board()
    # The case worker serves the board only here, so the board is the institution they work in.
    ServiceAgreement.objects.get(institution=world.appeals).staff.remove(world.worker)
    base = live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    _login(page, base, world.worker)
    page.goto(f"{base}/cases/")
    page.click("#open-case")
    page.select_option("#id_case_type", str(world.complaint.pk))
    page.fill("#id_title", "Klage over tildeling af rammeaftale")
    page.fill("#id_party_name", "Rent & Co ApS")
    page.select_option("#id_party_kind", "company")
    page.fill("#id_party_number", "13585628")
    page.click("#case-open button[type=submit]")
    page.wait_for_selector("#task-register")
    case = Case.objects.get(title="Klage over tildeling af rammeaftale")

    page.click("#task-register")
    page.check("#id_complainant_is_party")
    page.fill("#id_days_since_decision", "6")
    page.fill("#id_minutes", "25")
    page.click("#complete")
    page.wait_for_selector("#task-await_statements")
    assert page.locator('#deadlines tr[data-kind="hearing_deadline"]').count() == 1

    page.click("#task-await_statements")
    page.fill("#id_statements", "Indklagede har ingen bemærkninger.")
    page.click("#complete")
    page.wait_for_selector("#task-draft_decision")

    page.click("#task-draft_decision")
    page.select_option("#id_outcome", "not_upheld")
    page.fill("#id_reasons", "Ordregiver har overholdt udbudsloven § 159.")
    page.fill("#id_legal_basis", "Udbudsloven § 159, stk. 1")
    page.fill("#id_minutes", "120")
    page.click("#complete")
    page.wait_for_selector('#open-tasks li[data-task="approve_decision"]')
    # The case worker drafted: the approval is not theirs to open.
    assert page.locator("#task-approve_decision").count() == 0
    _shot(page, "drafted")

    _login(page, base, world.manager)
    page.goto(f"{base}/cases/")
    page.click(f'#worklist tr[data-case="{case.number}"] a.button')
    page.check("#id_approved")
    page.click("#complete")
    page.wait_for_selector("#decision")
    assert page.get_attribute("#decision", "data-outcome") == "not_upheld"
    assert "Erhvervsankenævnet" in page.inner_text("#decision")
    assert page.locator('#open-tasks li[data-task="appeal_period"]').count() == 1
    _shot(page, "decided")

    # The letter's title is stored in the case's language (Danish, "Afgørelse").
    letter = CaseDocument.objects.filter(case=case, direction="out", title="Afgørelse").get()
    with page.expect_download() as download:
        page.click(f"#documents a[href='/cases/documents/{letter.pk}/']")
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(7) == b"%PDF-1."
    assert errors == []
