"""The start page per role: the invoices waiting for the person per step (count, the five
oldest, overdue marked and first), their own uploads with what became of each, the
bookkeeper's open periods, the payer's next payment run and the runs to release, the pending
bank-account changes; each section one query, whatever the number of invoices."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from faelles.payables import services, start_panels
from faelles.payables.models import (
    DocumentStatus,
    Invoice,
    PaymentRun,
    ReceivedDocument,
    VendorBankChange,
)
from faelles.payables.tests.factories import make_world
from faelles.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def world():
    w = make_world()
    services.routing_rule_create(
        actor=w.receiver,
        institution=w.institution,
        requester=w.requester,
        buyer_reference="0150abc",
    )
    return w


@pytest.fixture
def other():
    return make_world(gln="5790000000005")


def _receive(dkk_document, number, due, actor=None, receiver="5798009811578"):
    invoice = services.document_receive(
        content=dkk_document(number=number, receiver=receiver), channel="upload", actor=actor
    ).invoice
    Invoice.objects.filter(pk=invoice.pk).update(due_date=due)
    return invoice


def _section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)]


def test_the_requester_sees_invoices_to_code_oldest_and_overdue_first(
    client, world, other, dkk_document
):
    today = timezone.localdate()
    later = _receive(dkk_document, "LATER", today + timedelta(days=20))
    overdue = _receive(dkk_document, "OVERDUE", today - timedelta(days=3))
    soon = _receive(dkk_document, "SOON", today + timedelta(days=2))
    _receive(dkk_document, "FOREIGN", today - timedelta(days=9), receiver="5790000000005")

    client.force_login(world.requester)
    html = client.get(reverse("web:home")).content.decode()

    work = _section(html, "start-work")
    assert "To code" in work
    assert 'data-count="3">3</span>' in work
    assert "1 overdue" in work
    # Overdue first, then by due date; another institution's invoice is not there.
    assert work.index("OVERDUE") < work.index("SOON") < work.index("LATER")
    assert "FOREIGN" not in html
    assert work.count("Overdue</span>") == 1
    row = work[work.index("OVERDUE") - 200 : work.index("OVERDUE")]
    assert 'class="faelles-overdue"' in row
    detail = reverse("payables:invoice-detail", args=[overdue.pk])
    assert f'<a href="{detail}">OVERDUE</a>' in work
    assert f'<a href="{reverse("payables:invoice-detail", args=[soon.pk])}">SOON</a>' in work
    assert f'<a href="{reverse("payables:invoice-detail", args=[later.pk])}">LATER</a>' in work


def test_the_approver_has_no_work_until_an_invoice_is_attested(client, world, dkk_document):
    _receive(dkk_document, "A1", date(2026, 4, 1))
    client.force_login(world.approver)
    html = client.get(reverse("web:home")).content.decode()
    assert "No invoices are waiting for you." in _section(html, "start-work")
    assert "start-payment" not in html and "start-uploads" not in html


def test_a_step_lists_five_and_links_to_the_rest(client, world, dkk_document):
    today = timezone.localdate()
    for n in range(7):
        _receive(dkk_document, f"N{n}", today + timedelta(days=n + 1))
    client.force_login(world.requester)
    work = _section(client.get(reverse("web:home")).content.decode(), "start-work")
    assert 'data-count="7">7</span>' in work
    assert [f"N{n}" in work for n in range(7)] == [True] * 5 + [False] * 2
    assert "See all 7" in work


def test_each_section_is_one_query_whatever_the_number_of_invoices(world, dkk_document):
    today = timezone.localdate()
    _receive(dkk_document, "Q1", today)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            steps = start_panels.waiting_steps(world.requester, world.institution, today=today)
            [i.vendor.name for s in steps for i in s["invoices"]]
        on_invoices = [q for q in queries if 'FROM "payables_invoice"' in q["sql"]]
        assert len(on_invoices) == 1
        return len(queries)

    one = cost()
    for n in range(6):
        _receive(dkk_document, f"Q{n + 2}", today + timedelta(days=n))
    assert cost() == one
    # The inbox reads the person's roles and delegations (4 queries), then one for the rows.
    assert one == 5

    sections = [
        (
            "payables_invoice",
            lambda: [
                i.vendor.name
                for i in start_panels.ready_for_payment(world.institution, today=today)
            ],
        ),
        (
            "payables_paymentrun",
            lambda: start_panels.runs_to_release(world.payer, world.institution),
        ),
        (
            "payables_receiveddocument",
            lambda: [
                d.invoice
                for d in start_panels.my_uploads(world.receiver, world.institution)
                if d.status == "accepted"
            ],
        ),
        (
            "ledger_period",
            lambda: [
                p.fiscal_year.year
                for p in start_panels.open_periods(world.bookkeeper, world.institution)
            ],
        ),
        (
            "payables_vendorbankchange",
            lambda: [
                c.vendor.name
                for c in start_panels.pending_bank_changes(world.bookkeeper, world.institution)
            ],
        ),
    ]
    for table, read in sections:
        with CaptureQueriesContext(connection) as queries:
            read()
        # One query reads the section's rows (the others are the gate's look-ups of roles).
        assert [q for q in queries if f'FROM "{table}"' in q["sql"]].__len__() == 1, table


def test_the_uploader_sees_what_became_of_each_upload_also_unroutable_and_rejected(
    client, world, other, dkk_document
):
    accepted = _receive(dkk_document, "UP1", date(2026, 4, 1), actor=world.receiver)
    ReceivedDocument.objects.create(
        sha256="a" * 64,
        content=b"<x/>",
        size=4,
        filename="ukendt.xml",
        channel="upload",
        received_by=world.receiver,
        status=DocumentStatus.UNROUTABLE,
    )
    ReceivedDocument.objects.create(
        sha256="b" * 64,
        content=b"<x/>",
        size=4,
        filename="afvist.xml",
        channel="upload",
        received_by=world.receiver,
        status=DocumentStatus.REJECTED,
        institution=world.institution,
        findings=[
            {"rule": "BR-CL-03", "flag": "fatal", "location": "/a", "message": "Bad currency"},
            {"rule": "BR-CL-03", "flag": "fatal", "location": "/b", "message": "Bad currency"},
            {"rule": "BR-05", "flag": "warning", "location": "/c", "message": "Only a warning"},
        ],
    )
    # Someone else's upload is not "mine", nor another institution's.
    ReceivedDocument.objects.create(
        sha256="c" * 64,
        content=b"<x/>",
        size=4,
        filename="andres.xml",
        channel="upload",
        received_by=world.requester,
        status=DocumentStatus.UNROUTABLE,
    )

    client.force_login(world.receiver)
    uploads = _section(client.get(reverse("web:home")).content.decode(), "start-uploads")

    detail = reverse("payables:invoice-detail", args=[accepted.pk])
    assert f'<a href="{detail}">Invoice UP1</a>' in uploads
    assert "ukendt.xml" in uploads and "Waiting for the operations centre" in uploads
    assert "afvist.xml" in uploads and "Bad currency (2 times)" in uploads
    assert "Only a warning" not in uploads
    assert "andres.xml" not in uploads
    assert uploads.count("<tr data-status=") == 3


def test_the_bookkeeper_sees_the_open_periods(client, world):
    client.force_login(world.bookkeeper)
    html = client.get(reverse("web:home")).content.decode()
    periods = _section(html, "start-bookkeeping")
    assert periods.count('<span class="badge badge-small">') == 12
    assert "January 2026" in periods and "December 2026" in periods


def test_the_payer_sees_what_the_next_run_takes_and_the_runs_a_second_payer_releases(
    client, world, dkk_document
):
    today = timezone.localdate()
    first = _receive(dkk_document, "P1", today + timedelta(days=5))
    second = _receive(dkk_document, "P2", today - timedelta(days=1))
    blocked = _receive(dkk_document, "P3", today)
    Invoice.objects.filter(pk__in=[first.pk, second.pk, blocked.pk]).update(state="posted")
    Invoice.objects.filter(pk=blocked.pk).update(payment_blocked=True)
    other_payer = Membership.objects.create(
        user=world.approver, institution=world.institution, role=Role.PAYER
    ).user
    mine = PaymentRun.objects.create(
        institution=world.institution,
        execution_date=today,
        debtor_iban="DK5000400440116243",
        created_by=world.payer,
        creator_ids=[world.payer.pk],
        total=Decimal("10.00"),
    )
    theirs = PaymentRun.objects.create(
        institution=world.institution,
        execution_date=today,
        debtor_iban="DK5000400440116243",
        created_by=other_payer,
        creator_ids=[other_payer.pk],
        total=Decimal("20.00"),
    )

    client.force_login(world.payer)
    payment = _section(client.get(reverse("web:home")).content.decode(), "start-payment")

    assert "2 invoices, 3,312.50 in all." in payment
    assert payment.index("P2") < payment.index("P1") and "P3" not in payment
    assert "1 overdue" in payment
    assert reverse("payables:payment-run-detail", args=[theirs.pk]) in payment
    assert reverse("payables:payment-run-detail", args=[mine.pk]) not in payment


def test_the_local_admin_sees_bank_changes_awaiting_confirmation(client, world, other):
    from faelles.payables.models import Vendor

    admin = Membership.objects.create(
        user=world.controller, institution=world.institution, role=Role.LOCAL_ADMIN
    ).user
    vendor = Vendor.objects.create(institution=world.institution, name="Leverandør A/S")
    foreign_vendor = Vendor.objects.create(institution=other.institution, name="Fremmed A/S")
    VendorBankChange.objects.create(institution=world.institution, vendor=vendor, key="DK1")
    VendorBankChange.objects.create(institution=other.institution, vendor=foreign_vendor, key="DK2")
    client.force_login(admin)
    changes = _section(client.get(reverse("web:home")).content.decode(), "start-bank-changes")
    assert "Leverandør A/S" in changes and "Fremmed A/S" not in changes
    assert '<span class="badge badge-small">1</span>' in changes


def test_the_local_admin_sees_the_approval_limit_requests_waiting(client, world, other):
    from faelles.tenancy.models import ApprovalLimitRequest

    admin = Membership.objects.create(
        user=world.controller, institution=world.institution, role=Role.LOCAL_ADMIN
    ).user
    membership = Membership.objects.get(user=world.approver, institution=world.institution)
    ApprovalLimitRequest.objects.create(
        institution=world.institution,
        membership=membership,
        requested_limit=Decimal("2500000.00"),
        ceiling=Decimal("1000000.00"),
        requested_by=admin,
    )
    ApprovalLimitRequest.objects.create(
        institution=other.institution,
        membership=Membership.objects.get(user=other.approver, institution=other.institution),
        requested_limit=Decimal("7777777.00"),
        ceiling=Decimal("1000000.00"),
    )
    client.force_login(admin)
    html = client.get(reverse("web:home")).content.decode()
    pending = _section(html, "start-limit-requests")
    assert f"{world.approver}: 2,500,000.00 DKK" in pending
    assert "7,777,777.00" not in pending
    assert '<span class="badge badge-small">1</span>' in pending
    client.force_login(world.approver)
    assert "start-limit-requests" not in client.get(reverse("web:home")).content.decode()
