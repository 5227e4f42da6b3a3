"""Invoice pages: the inbox per role (htmx fragment, filters, bulk approve), the invoice page,
the coding editor, actions, the original XML, and the operator's queues. Another institution's
invoice answers exactly like a missing one (404), and a refused action changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from faelles.payables import services
from faelles.payables.coding import AllocationSpec
from faelles.payables.models import (
    CodingRule,
    DocumentStatus,
    Invoice,
    InvoiceAllocation,
    ReceivedDocument,
    RoutingRule,
)
from faelles.payables.tests.factories import make_world, member
from faelles.tenancy.models import OperatorStaff, Role, ServiceAgreement, StaffRole
from faelles.tenancy.tests.factories import OperatorFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal
CODING = [
    AllocationSpec(1, "2210", D("2800.00"), "100", vat_code="I25"),
    AllocationSpec(2, "2210", D("-1500.00"), "100", vat_code="I25"),
    AllocationSpec(3, "2210", D("25.00"), "100", vat_code="I25"),
]


@pytest.fixture
def client():
    """Pages in English (the msgids), whatever translations are compiled."""
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


@pytest.fixture
def invoice(world, dkk_document):
    return services.document_receive(content=dkk_document(), channel="api").invoice


def attested(world, invoice):
    services.invoice_code(actor=world.receiver, invoice=invoice, allocations=CODING)
    services.invoice_attest(actor=world.requester, invoice=invoice)
    return Invoice.objects.get(pk=invoice.pk)


# --- inbox ----------------------------------------------------------------------------------


def test_the_inbox_shows_where_each_person_must_act(client, world, invoice):
    client.force_login(world.requester)
    assert invoice.number in client.get(reverse("payables:inbox")).content.decode()
    client.force_login(world.approver)
    html = client.get(reverse("payables:inbox")).content.decode()
    assert "0 invoices" in html
    attested(world, invoice)
    html = client.get(reverse("payables:inbox")).content.decode()
    assert "1 invoice" in html and f'value="{invoice.pk}"' in html


def test_the_inbox_filters_with_htmx_fragments(client, world, invoice):
    client.force_login(world.controller)
    url = reverse("payables:inbox")
    response = client.get(url, {"scope": "all", "q": "SupplierOfficial"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "1 invoice" in html
    html = client.get(
        url, {"scope": "all", "state": "paid"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "0 invoices" in html


def test_invoices_are_found_for_a_batch_through_the_gate_in_queries_not_growing_with_it(
    world, other, invoice, dkk_document
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from faelles.payables import selectors

    second = services.document_receive(content=dkk_document(number="F2"), channel="api").invoice
    given = [str(invoice.pk), "abc", "999999", str(second.pk)]
    with CaptureQueriesContext(connection) as one:
        selectors.access_invoices(world.approver, given[:1])
    with CaptureQueriesContext(connection) as all_four:
        mine = selectors.access_invoices(world.approver, given)
    assert len(all_four) == len(one)
    assert mine == {str(invoice.pk): invoice, str(second.pk): second}
    assert selectors.access_invoices(other.approver, given) == {}


def test_bulk_approve_approves_each_and_reports_refusals(client, world, invoice, dkk_document):
    first = attested(world, invoice)
    second = services.document_receive(content=dkk_document(number="F2"), channel="api").invoice
    second = attested(world, second)
    waiting = services.document_receive(content=dkk_document(number="F3"), channel="api").invoice
    client.force_login(world.approver)
    foreign_pk = 999999

    response = client.post(
        reverse("payables:bulk-approve"),
        {"ids": [first.pk, second.pk, waiting.pk, foreign_pk]},
        follow=True,
    )

    assert {i.state for i in Invoice.objects.filter(pk__in=[first.pk, second.pk])} == {"posted"}
    assert Invoice.objects.get(pk=waiting.pk).state == "received"
    html = response.content.decode()
    assert "2 invoice(s) approved." in html
    assert f"Invoice {foreign_pk} was not found." in html
    assert (
        f"Invoice {waiting.pk}: The invoice is received; only an attested invoice can be "
        "approved." in html
    )


# --- the invoice page -----------------------------------------------------------------------


def test_the_invoice_page_renders_the_document(client, world, invoice):
    client.force_login(world.receiver)
    html = client.get(reverse("payables:invoice-detail", args=[invoice.pk])).content.decode()
    for text in [
        "SupplierOfficialName Ltd",  # supplier
        "GB1232434",  # supplier VAT id
        "item name 2",  # a line
        "Allowances and charges on the document",
        "1,656.25",  # amount payable
        "IBAN32423940",  # payment details
        "payables.document.accepted",  # history
        reverse("payables:invoice-xml", args=[invoice.pk]),
        reverse("payables:invoice-code", args=[invoice.pk]),
    ]:
        assert text in html, text


def test_the_original_xml_is_returned_byte_for_byte(client, world, invoice):
    client.force_login(world.controller)
    response = client.get(reverse("payables:invoice-xml", args=[invoice.pk]))
    assert response.status_code == 200
    assert response.content == bytes(invoice.document.content)
    assert response["Content-Type"] == "application/xml"


def test_actions_run_the_flow_and_refusals_change_nothing(client, world, invoice):
    services.invoice_code(actor=world.receiver, invoice=invoice, allocations=CODING)
    url = lambda action: reverse("payables:invoice-action", args=[invoice.pk, action])  # noqa: E731
    client.force_login(world.requester)
    client.post(url("attest"))
    assert Invoice.objects.get(pk=invoice.pk).state == "attested"
    response = client.post(url("approve"), follow=True)
    assert "You are not an approver in this institution." in response.content.decode()
    assert Invoice.objects.get(pk=invoice.pk).state == "attested"
    client.force_login(world.approver)
    client.post(url("approve"))
    assert Invoice.objects.get(pk=invoice.pk).state == "posted"
    assert client.post(url("nonsense")).status_code == 404


def test_reject_with_a_reason_from_the_page(client, world, invoice):
    client.force_login(world.requester)
    client.post(
        reverse("payables:invoice-action", args=[invoice.pk, "reject"]), {"reason": "Ikke bestilt"}
    )
    invoice.refresh_from_db()
    assert (invoice.state, invoice.rejection_reason) == ("rejected", "Ikke bestilt")


# --- coding editor ------------------------------------------------------------------------------


def test_the_coding_editor_saves_a_split_line(client, world, invoice):
    client.force_login(world.requester)
    url = reverse("payables:invoice-code", args=[invoice.pk])
    assert client.get(url).status_code == 200
    data = {
        "l1-0-account": "2210", "l1-0-org_unit": "100", "l1-0-vat_code": "I25", "l1-0-amount": "2000,00",
        "l1-1-account": "2220", "l1-1-org_unit": "200", "l1-1-vat_code": "I25", "l1-1-amount": "800",
        "l2-0-account": "2210", "l2-0-org_unit": "100", "l2-0-amount": "-1500.00",
        "l3-0-account": "2210", "l3-0-org_unit": "100", "l3-0-amount": "25",
    }  # fmt: skip

    response = client.post(url, data)

    assert response.status_code == 302
    rows = list(
        InvoiceAllocation.objects.filter(invoice=invoice).values_list(
            "line__line_no", "account", "org_unit", "amount"
        )
    )
    assert rows == [
        (1, "2210", "100", D("2000.00")),
        (1, "2220", "200", D("800.00")),
        (2, "2210", "100", D("-1500.00")),
        (3, "2210", "100", D("25.00")),
    ]


def test_the_coding_editor_shows_errors_and_saves_nothing(client, world, invoice):
    client.force_login(world.requester)
    url = reverse("payables:invoice-code", args=[invoice.pk])
    response = client.post(
        url, {"l1-0-account": "2210", "l1-0-org_unit": "100", "l1-0-amount": "1"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "the coded amounts add up to 1.00" in html and "Line 2 is not coded." in html
    assert InvoiceAllocation.objects.count() == 0


def test_the_coding_editor_is_for_coders_only(client, world, invoice):
    client.force_login(world.approver)
    assert client.get(reverse("payables:invoice-code", args=[invoice.pk])).status_code == 403


# --- isolation ------------------------------------------------------------------------------


def _invoice_urls(pk):
    return [
        ("get", reverse("payables:invoice-detail", args=[pk])),
        ("get", reverse("payables:invoice-xml", args=[pk])),
        ("get", reverse("payables:invoice-response", args=[pk])),
        ("get", reverse("payables:invoice-code", args=[pk])),
        ("post", reverse("payables:invoice-code", args=[pk])),
        *[
            ("post", reverse("payables:invoice-action", args=[pk, a]))
            for a in ("attest", "approve", "post", "schedule", "paid", "reject", "confirm-payment")
        ],
    ]


def test_another_institutions_invoice_is_404_like_a_missing_one(client, world, other, invoice):
    invoice = attested(world, invoice)
    before = Invoice.objects.values().get(pk=invoice.pk)
    client.force_login(other.approver)
    for method, url in _invoice_urls(invoice.pk) + _invoice_urls(999999):
        assert getattr(client, method)(url, {"reason": "x"}).status_code == 404, url
    assert Invoice.objects.values().get(pk=invoice.pk) == before
    html = client.get(reverse("payables:inbox"), {"scope": "all"}).content.decode()
    assert "0 invoices" in html
    client.post(reverse("payables:bulk-approve"), {"ids": [invoice.pk]})
    assert Invoice.objects.values().get(pk=invoice.pk) == before


def test_pages_need_a_login(client, invoice):
    response = client.get(reverse("payables:invoice-detail", args=[invoice.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


# --- operator queues --------------------------------------------------------------------------


@pytest.fixture
def case_worker(world):
    user = UserFactory(username="sagsbehandler")
    operator = OperatorFactory()
    OperatorStaff.objects.create(operator=operator, user=user, role=StaffRole.CASE_WORKER)
    agreement = ServiceAgreement.objects.create(
        institution=world.institution,
        operator=operator,
        services=["payables"],
        valid_from=date(2020, 1, 1),
    )
    agreement.staff.add(user)
    return user


def test_operator_staff_assign_an_unroutable_document(
    client, world, other, case_worker, dkk_document
):
    doc = services.document_receive(
        content=dkk_document(receiver="5790000000012"), channel="api"
    ).document
    assert doc.status == DocumentStatus.UNROUTABLE
    client.force_login(case_worker)
    assert "5790000000012" in client.get(reverse("payables:unroutable")).content.decode()

    refused = client.post(
        reverse("payables:document-assign", args=[doc.pk]), {"institution": other.institution.pk}
    )
    assert refused.status_code == 302
    assert ReceivedDocument.objects.get(pk=doc.pk).status == DocumentStatus.UNROUTABLE

    client.post(
        reverse("payables:document-assign", args=[doc.pk]), {"institution": world.institution.pk}
    )

    doc.refresh_from_db()
    assert (doc.status, doc.institution) == (DocumentStatus.ACCEPTED, world.institution)
    assert doc.invoice.requester == world.requester


def test_operator_staff_reject_an_unroutable_document_with_a_reason(
    client, case_worker, dkk_document
):
    doc = services.document_receive(
        content=dkk_document(receiver="5790000000012"), channel="api"
    ).document
    client.force_login(case_worker)
    client.post(reverse("payables:document-reject", args=[doc.pk]), {"reason": "Ukendt modtager"})
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.REJECTED
    assert doc.findings[-1]["message"] == "Ukendt modtager"
    assert "Ukendt modtager" in client.get(reverse("payables:rejected")).content.decode()


def test_the_operator_queues_are_for_operator_staff_only(client, world, dkk_document):
    doc = services.document_receive(
        content=dkk_document(receiver="5790000000012"), channel="api"
    ).document
    client.force_login(world.receiver)
    assert client.get(reverse("payables:unroutable")).status_code == 403
    assert client.get(reverse("payables:rejected")).status_code == 403
    response = client.post(reverse("payables:document-reject", args=[doc.pk]), {"reason": "x"})
    assert response.status_code == 404  # the queue's documents are not theirs to find
    assert ReceivedDocument.objects.get(pk=doc.pk).status == DocumentStatus.UNROUTABLE


def test_operator_staff_see_overdue_invoices_of_served_institutions(
    client, world, other, case_worker, dkk_document
):
    mine = services.document_receive(content=dkk_document(number="O1"), channel="api").invoice
    foreign = services.document_receive(
        content=dkk_document(receiver="5790000000005", number="O2"), channel="api"
    ).invoice
    assert (mine.due_date, foreign.institution) == (date(2017, 12, 1), other.institution)
    client.force_login(case_worker)
    html = client.get(reverse("payables:overdue")).content.decode()
    assert ">O1</a>" in html and ">O2</a>" not in html
    client.force_login(world.receiver)
    assert client.get(reverse("payables:overdue")).status_code == 403


# --- rules ------------------------------------------------------------------------------------


def test_rules_page_lists_only_the_institutions_rules(client, world, other):
    services.routing_rule_create(
        actor=other.receiver,
        institution=other.institution,
        requester=other.requester,
        order_reference="OTHER-PO",
    )
    client.force_login(world.controller)
    html = client.get(reverse("payables:rules")).content.decode()
    assert "0150abc" in html and "OTHER-PO" not in html
    assert reverse("payables:routing-rule-create") not in html


def test_an_invoice_receiver_adds_a_routing_rule(client, world):
    client.force_login(world.receiver)
    url = reverse("payables:routing-rule-create")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"priority": "5", "order_reference": "PO-9", "requester": world.requester.pk}
    )
    assert response.status_code == 302
    assert (
        RoutingRule.objects.filter(institution=world.institution, order_reference="PO-9").count()
        == 1
    )


def test_a_bookkeeper_adds_a_coding_rule_and_errors_save_nothing(client, world):
    client.force_login(world.bookkeeper)
    url = reverse("payables:coding-rule-create")
    bad = client.post(url, {"priority": "1", "text_contains": "kaffe", "account": "9999"})
    assert bad.status_code == 200
    assert "Account 9999 does not exist in the chart of accounts." in bad.content.decode()
    assert CodingRule.objects.count() == 0
    good = client.post(
        url, {"priority": "1", "text_contains": "kaffe", "account": "2210", "org_unit": "100"}
    )
    assert good.status_code == 302
    assert CodingRule.objects.get().account == "2210"


@pytest.mark.parametrize(
    ("who", "url_name"),
    [("requester", "payables:routing-rule-create"), ("receiver", "payables:coding-rule-create")],
)
def test_rule_forms_are_for_their_roles_only(client, world, who, url_name):
    client.force_login(getattr(world, who))
    assert client.get(reverse(url_name)).status_code == 403
    assert client.post(reverse(url_name), {"priority": "1", "account": "2210"}).status_code == 403


# --- key figures ------------------------------------------------------------------------------


def test_key_figures(client, world, invoice, dkk_document):
    from faelles.payables.selectors import kpis

    services.coding_rule_create(
        actor=world.bookkeeper,
        institution=world.institution,
        text_contains="item",
        account="2210",
        org_unit="100",
    )
    services.coding_rule_create(
        actor=world.bookkeeper,
        institution=world.institution,
        text_contains="charges",
        account="2210",
        org_unit="100",
    )
    auto = services.document_receive(content=dkk_document(number="K2"), channel="api").invoice
    assert auto.coded_automatically
    done = attested(world, invoice)
    services.invoice_approve(actor=world.approver, invoice=done)
    Invoice.objects.filter(pk=done.pk).update(
        payment_means=[{"kind": "iban", "iban": "DK5000400440116243"}]
    )  # details a payment run can pay
    services.invoice_schedule(actor=world.payer, invoice=done)
    services.invoice_mark_paid(actor=world.payer, invoice=done, paid_on=date(2026, 4, 10))

    figures = kpis(world.institution)

    # Paid today, but due 2017-12-01: late. One of two invoices coded automatically.
    assert (figures.in_process, figures.paid, figures.paid_on_time_share) == (1, 1, D("0.0"))
    assert figures.coded_automatically_share == D("50.0")
    assert figures.median_hours_to_approval == D("0.0")
    assert (figures.months[-1].received, figures.months[-1].coded_automatically) == (2, 1)
    client.force_login(world.controller)
    html = client.get(reverse("payables:kpis")).content.decode()
    assert 'id="kpi-auto">50.0 %' in html
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("payables:kpis")).status_code == 403


def test_a_rejected_invoice_has_a_response_to_the_supplier(client, world, invoice):
    url = reverse("payables:invoice-response", args=[invoice.pk])
    client.force_login(world.requester)
    assert client.get(url).status_code == 404  # not rejected
    services.invoice_reject(actor=world.requester, invoice=invoice, reason="Ikke bestilt")
    response = client.get(url)
    assert response.status_code == 200
    xml = response.content.decode()
    assert "ApplicationResponse" in xml and "Ikke bestilt" in xml and ">RE<" in xml
    assert (
        reverse("payables:invoice-response", args=[invoice.pk])
        in client.get(reverse("payables:invoice-detail", args=[invoice.pk])).content.decode()
    )


def test_an_invoice_receiver_uploads_a_document(client, world, dkk_document):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.receiver)
    url = reverse("payables:upload")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("u.xml", dkk_document(number="U1"), content_type="application/xml")
    html = client.post(url, {"file": upload}).content.decode()
    doc = ReceivedDocument.objects.get(filename="u.xml")
    assert (doc.channel, doc.status, doc.received_by) == ("upload", "accepted", world.receiver)
    assert reverse("payables:invoice-detail", args=[doc.invoice.pk]) in html
    client.force_login(world.approver)
    assert client.get(url).status_code == 403


def test_forward_from_the_invoice_page(client, world, invoice):
    other = member(world.institution, Role.REQUESTER)
    client.force_login(world.requester)
    client.post(
        reverse("payables:invoice-action", args=[invoice.pk, "forward"]),
        {"requester": other.pk, "note": "Ikke min"},
    )
    invoice.refresh_from_db()
    assert invoice.requester == other
    html = client.get(reverse("payables:invoice-detail", args=[invoice.pk])).content.decode()
    assert "payables.invoice.forwarded" in html and "Ikke min" in html


def test_a_bookkeeper_records_an_exchange_rate_on_the_page(client, world, peppol_invoice):
    eur = services.document_receive(
        content=peppol_invoice(issue="2026-03-15", number="EURV"), channel="api"
    ).invoice
    url = reverse("payables:invoice-action", args=[eur.pk, "rate"])
    client.force_login(world.bookkeeper)
    assert (
        'name="rate"'
        in client.get(reverse("payables:invoice-detail", args=[eur.pk])).content.decode()
    )
    client.post(url, {"rate": "7,46"})
    assert Invoice.objects.get(pk=eur.pk).exchange_rate == D("7.46")
    response = client.post(url, {"rate": "abc"}, follow=True)
    assert "Give the rate as a number." in response.content.decode()
