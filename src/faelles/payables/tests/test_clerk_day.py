"""A new clerk's day in Danish, in Chromium, through the pages only: the invoice receiver logs
in and uploads a Peppol invoice; the operator's case worker uploads a document no endpoint
routes and assigns it from the unroutable queue; the requester codes the invoice with the
picker and attests it; the approver approves it (which posts it); one payer makes the payment
run and is told a second payer must release it; the second payer releases it and downloads the
pain.001 file, which carries the invoice's amount and the supplier's IBAN.

Every page on the way is read as the clerk reads it: the test fails on any English status or
action word in a page's main content (naming the page and the word), and on any error the
browser reports (console errors and uncaught page errors)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from lxml import etree

from faelles.payables import demo, services
from faelles.payables.models import Invoice, PaymentRun, ReceivedDocument
from faelles.payables.tests.factories import make_world, member
from faelles.payables.tests.test_browser import _shot
from faelles.tenancy.models import OperatorStaff, Role, ServiceAgreement, StaffRole
from faelles.tenancy.tests.factories import OperatorFactory, UserFactory
from faelles.tests.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS

UNKNOWN_GLN = "5790000000012"  # an endpoint no institution receives at
PAIN001 = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

# English words a Danish clerk must never meet on these pages. Status words in any case
# (none of them is also a Danish word); action and object words as written in the English UI
# (capitalised); and English function words that give away an untranslated sentence.
_ANY_CASE = [
    "received",
    "accepted",
    "rejected",
    "unroutable",
    "duplicate",
    "coded",
    "attested",
    "approved",
    "posted",
    "scheduled",
    "paid",
    "draft",
    "released",
    "the",
    "you",
    "must",
    "please",
]
_AS_WRITTEN = ["Payment", "Invoice", "Approve", "Reject", "Code", "Attest", "Release", "Assign"]
ENGLISH = re.compile(
    r"\b(?:(?i:" + "|".join(_ANY_CASE) + r")|(?:" + "|".join(_AS_WRITTEN) + r")s?)\b",
)


class Clerk:
    """The browser as the clerks use it, reading every page they reach."""

    def __init__(self, tab, base: str) -> None:
        self.page = tab
        self.base = base
        self.errors: list[str] = []
        self.english: list[str] = []
        self.visited: list[str] = []
        tab.on(
            "console",
            lambda m: self.errors.append(f"{tab.url}: {m.text}") if m.type == "error" else None,
        )
        tab.on("pageerror", lambda e: self.errors.append(f"{tab.url}: {e}"))

    def read(self, name: str) -> str:
        """The visible text of the page's main content, checked for English words."""
        self.page.wait_for_load_state()
        text = self.page.inner_text("main")
        self.visited.append(name)
        for match in ENGLISH.finditer(text):
            start, end = max(match.start() - 40, 0), match.end() + 40
            context = text[start:end].replace("\n", " ")
            self.english.append(f"{name} ({self.page.url}): {match.group(0)!r} in …{context}…")
        return text

    def open(self, path: str, name: str) -> str:
        self.page.goto(f"{self.base}{path}")
        return self.read(name)

    def log_in(self, user, name: str) -> str:
        self.page.context.clear_cookies()
        self.page.goto(f"{self.base}/login/")
        self.read(f"login ({name})")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", "x")
        self.page.get_by_role("button", name="Log ind").click()
        self.page.wait_for_url(f"{self.base}/")
        return self.read(f"start page ({name})")

    def upload(self, path, name: str) -> str:
        # The menu offers the upload page ("Upload e-faktura").
        assert self.page.locator("a[href='/payables/upload/']").count() >= 1
        self.open("/payables/upload/", f"upload ({name})")
        self.page.set_input_files("main input[type=file]", str(path))
        self.page.click("main button[type=submit].button-primary")
        self.page.wait_for_selector("#result")
        return self.read(f"upload result ({name})")

    def press(self, label: str, name: str) -> str:
        """Press the button named ``label`` in the main content and read the next page."""
        with self.page.expect_navigation():
            self.page.locator("main").get_by_role("button", name=label, exact=True).click()
        return self.read(name)


def _document(tmp_path, filename: str, *, number: str, buyer_gln: str, buyer_name: str) -> tuple:
    vendor = demo.VENDORS[0]
    path = tmp_path / filename
    path.write_bytes(
        demo._document(
            number=number,
            issue=date(2026, 3, 15),
            buyer_gln=buyer_gln,
            buyer_name=buyer_name,
            vendor=vendor,
            lines=[("Kopipapir A4", "14111507", Decimal(10), Decimal("42.50"))],
            buyer_reference="IT",
        )
    )
    return path, vendor


def _case_worker(institution):
    user = UserFactory()
    user.set_password("x")
    user.save()
    operator = OperatorFactory()
    OperatorStaff.objects.create(operator=operator, user=user, role=StaffRole.CASE_WORKER)
    agreement = ServiceAgreement.objects.create(
        institution=institution,
        operator=operator,
        services=["payables"],
        valid_from=date(2020, 1, 1),
    )
    agreement.staff.add(user)
    return user


@pytest.mark.django_db(transaction=True)
def test_a_clerks_day_from_upload_to_the_payment_file_in_danish(
    live_server,
    page,
    tmp_path,
):
    # The world: an institution with its endpoint, and a person in each role.
    world = make_world()
    second_payer = member(world.institution, Role.PAYER)
    case_worker = _case_worker(world.institution)
    services.routing_rule_create(
        actor=world.receiver,
        institution=world.institution,
        requester=world.requester,
        buyer_reference="IT",
    )
    invoice_xml, vendor = _document(
        tmp_path,
        "faktura.xml",
        number="DAG-1",
        buyer_gln="5798009811578",
        buyer_name=world.institution.name,
    )
    stray_xml, _vendor = _document(
        tmp_path,
        "ukendt-modtager.xml",
        number="DAG-2",
        buyer_gln=UNKNOWN_GLN,
        buyer_name=world.institution.name,
    )
    clerk = Clerk(page, live_server.url)

    # 1. The invoice receiver uploads the invoice addressed to the institution.
    clerk.log_in(world.receiver, "invoice receiver")
    result = clerk.upload(invoice_xml, "invoice receiver")
    assert "Accepteret" in page.locator("#result").inner_text(), result
    invoice = Invoice.objects.get(number="DAG-1")
    assert (invoice.institution, invoice.requester) == (world.institution, world.requester)
    payable = invoice.payable_amount
    assert payable == Decimal("531.25")

    # 2. The case worker uploads a document no endpoint routes, and assigns it from the queue.
    clerk.log_in(case_worker, "case worker")
    clerk.upload(stray_xml, "case worker")
    stray = ReceivedDocument.objects.get(receiver_id=UNKNOWN_GLN)
    clerk.open("/payables/operator/unroutable/", "unroutable queue")
    row = page.locator("#documents tbody tr", has_text="DAG-2")
    assert row.count() == 1
    row.locator("select[name=institution]").select_option(label=str(world.institution))
    with page.expect_navigation():
        row.get_by_role("button", name="Tildel").click()
    queue = clerk.read("unroutable queue after assigning")
    assert "DAG-2" not in page.locator("#documents").inner_text(), queue
    stray.refresh_from_db()
    assert stray.institution == world.institution
    assert Invoice.objects.get(number="DAG-2").institution == world.institution

    # 3. The requester finds the invoice in the inbox, codes it with the picker, attests it.
    clerk.log_in(world.requester, "requester")
    clerk.open("/payables/", "inbox (requester)")
    assert "DAG-2" in page.locator("#invoices").inner_text()
    page.locator("#invoices").get_by_role("link", name="DAG-1").first.click()
    page.wait_for_selector("#state")
    clerk.read("invoice (requester, received)")
    page.locator("main").get_by_role("link", name="Kontér", exact=True).click()
    page.wait_for_selector("#coding-form")
    clerk.read("coding")
    for field, datalist, typed, expected in (
        ("account", "coding-accounts", "kontorart", "2210"),
        ("org_unit", "coding-org-units", "sekretar", "100"),
    ):
        box = page.locator(f'input[name="l1-0-{field}"]')
        assert box.get_attribute("list") == datalist
        box.press_sequentially(typed)
        # What the browser offers for the typed text: the datalist's options whose label
        # contains it; the clerk chooses the one offered.
        offered = page.eval_on_selector_all(
            f"#{datalist} option",
            "(options, q) => options.filter(o => o.textContent.toLowerCase().includes(q))"
            ".map(o => o.value)",
            typed,
        )
        assert offered == [expected], (field, offered)
        box.fill(offered[0])
    page.fill('input[name="l1-0-vat_code"]', "I25")
    page.fill('input[name="l1-0-amount"]', "425,00")
    _shot(page, "clerk-day-01-coding")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Gem kontering").click()
    page.wait_for_selector("#state")
    clerk.read("invoice (requester, coded)")
    clerk.press("Attestér (varer eller ydelser modtaget)", "invoice (requester, attested)")
    assert Invoice.objects.get(pk=invoice.pk).state == "attested"

    # 4. The approver, another person, approves it; approving posts it.
    clerk.log_in(world.approver, "approver")
    clerk.open("/payables/", "inbox (approver)")
    page.locator("#invoices").get_by_role("link", name="DAG-1").first.click()
    page.wait_for_selector("#state")
    clerk.read("invoice (approver, attested)")
    clerk.press("Godkend", "invoice (approver, posted)")
    _shot(page, "clerk-day-02-posted")
    assert Invoice.objects.get(pk=invoice.pk).state == "posted"

    # 5. The first payer sends it to payment if the page offers that, and makes the run.
    clerk.log_in(world.payer, "payer")
    clerk.open(f"/payables/invoices/{invoice.pk}/", "invoice (payer, posted)")
    send = page.locator("main").get_by_role("button", name="Send til betaling", exact=True)
    if send.count():
        clerk.press("Send til betaling", "invoice (payer, sent to payment)")
    clerk.open("/payables/payment-runs/", "payment runs (payer)")
    page.locator("main").get_by_role("link", name="Ny betalingskørsel").click()
    page.wait_for_selector("#id_execution_date")
    clerk.read("new payment run")
    due = Invoice.objects.get(pk=invoice.pk).due_date or date.today()
    page.fill("#id_execution_date", (max(due, date.today()) + timedelta(days=1)).isoformat())
    page.fill("#id_debtor_iban", "DK5000400440116243")
    with page.expect_navigation():
        page.click("main button[type=submit].button-primary")
    made = clerk.read("payment run (payer, draft)")
    # A dead end shows here: the invoice sent to payment is not in the run.
    assert page.locator("#state").count() == 1, made
    run = PaymentRun.objects.get()
    assert list(run.invoices.values_list("number", flat=True)) == ["DAG-1"]
    told = page.locator("#second-payer")
    assert told.count() == 1
    assert "anden betaler" in told.inner_text()
    assert page.locator("main").get_by_role("button", name="Frigiv").count() == 0

    # 6. The second payer releases it; the payment file is made after the release commits.
    clerk.log_in(second_payer, "second payer")
    clerk.open("/payables/payment-runs/", "payment runs (second payer)")
    page.locator("#runs").get_by_role("link", name=str(run.pk), exact=True).click()
    page.wait_for_selector("#state")
    clerk.read("payment run (second payer, draft)")
    clerk.press("Frigiv (dan betalingsfilen)", "payment run (released)")
    file_link = page.locator("main").get_by_role("link", name="pain.001-fil")
    for _attempt in range(10):
        if file_link.count():
            break
        page.wait_for_timeout(500)
        page.reload()
        clerk.read("payment run (released, file pending)")
    assert file_link.count() == 1
    _shot(page, "clerk-day-03-released")
    page.locator("#invoices").get_by_role("link", name="DAG-1").click()
    page.wait_for_selector("#state")
    clerk.read("invoice (in the released run)")
    page.go_back()
    page.wait_for_selector("#state")
    clerk.read("payment run (released, again)")
    with page.expect_download() as download_info:
        file_link.click()
    download = download_info.value
    assert download.suggested_filename == f"pain001-{run.pk}.xml"
    root = etree.parse(download.path()).getroot()

    # The file is a pain.001 paying the invoice's amount to the supplier's IBAN.
    assert root.tag == f"{{{PAIN001}}}Document"
    ns = {"p": PAIN001}
    transfers = root.findall(".//p:CdtTrfTxInf", ns)
    assert len(transfers) == 1
    assert Decimal(transfers[0].findtext("p:Amt/p:InstdAmt", namespaces=ns)) == payable
    assert transfers[0].find("p:Amt/p:InstdAmt", ns).get("Ccy") == "DKK"
    assert transfers[0].findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=ns) == vendor[2]
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=ns) == "1"
    assert Decimal(root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=ns)) == payable

    # Every page read in Danish, and the browser never reported an error.
    assert len(clerk.visited) >= 20, clerk.visited
    assert clerk.english == [], "\n".join(clerk.english)
    assert clerk.errors == [], "\n".join(clerk.errors)
