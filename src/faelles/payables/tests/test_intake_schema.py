"""Intake checks the UBL 2.1 schema first and never invents a date, amount or party."""

import dataclasses
import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from faelles.payables import reading, services
from faelles.payables.models import DocumentStatus, Invoice, ReceivedDocument, Vendor
from faelles.tenancy.models import Endpoint, Institution, OperatorStaff, StaffRole
from faelles.tenancy.tests.factories import OperatorFactory, ServiceAgreementFactory, UserFactory

pytestmark = pytest.mark.django_db

GLN = "5798009811578"

NO_ISSUE_DATE = {
    "rule": "UBL-XSD",
    "flag": "fatal",
    "location": "/Invoice/cbc:InvoiceTypeCode",
    "message": "Element 'cbc:InvoiceTypeCode': This element is not expected. "
    "Expected is ( cbc:IssueDate ).",
}
NO_SELLER_NAME = {
    "rule": "UBL-XSD",
    "flag": "fatal",
    "location": "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyName",
    "message": "Element 'cac:PartyName': Missing child element(s). Expected is ( cbc:Name ).",
}


@pytest.fixture
def receiver():
    inst = Institution.objects.create(name="Modtager", short_name="MOD", kind="agency")
    Endpoint.objects.create(institution=inst, scheme="0088", identifier=GLN)
    return inst


@pytest.fixture
def staff(receiver):
    user = UserFactory(username="integration")
    operator = OperatorFactory()
    OperatorStaff.objects.create(operator=operator, user=user, role=StaffRole.SYSTEM_ADMIN)
    ServiceAgreementFactory(institution=receiver, operator=operator, staff=[user])
    return user


@pytest.fixture
def without_issue_date(oioubl_invoice):
    """The published OIOUBL invoice (addressed to GLN 5798009811578) without its IssueDate."""
    text = oioubl_invoice.decode()
    removed = text.replace("<cbc:IssueDate>2005-11-20</cbc:IssueDate>", "", 1)
    assert removed != text
    return removed.encode()


@pytest.fixture
def without_seller_name(oioubl_invoice):
    text = oioubl_invoice.decode()
    removed = text.replace("<cbc:Name>Tavleverandøren</cbc:Name>", "", 1)
    assert removed != text
    return removed.encode()


def _nothing_created() -> bool:
    return (Invoice.objects.count(), Vendor.objects.count()) == (0, 0)


def test_complete_oioubl_invoice_is_accepted_with_its_own_date(receiver, oioubl_invoice):
    intake = services.document_receive(content=oioubl_invoice, channel="api")

    assert intake.status == "accepted"
    assert intake.invoice.issue_date.isoformat() == "2005-11-20"


def test_oioubl_invoice_without_issue_date_is_rejected_by_import(
    receiver, without_issue_date, tmp_path
):
    (tmp_path / "no-date.xml").write_bytes(without_issue_date)

    out = StringIO()
    call_command("payables", "import", "--json", str(tmp_path), stdout=out)
    record, summary = (json.loads(line) for line in out.getvalue().splitlines())

    assert {k: record[k] for k in ("status", "institution", "findings")} == {
        "status": "rejected",
        "institution": "MOD",
        "findings": [NO_ISSUE_DATE],
    }
    assert summary == {"summary": {"accepted": 0, "rejected": 1, "duplicate": 0, "unroutable": 0}}
    document = ReceivedDocument.objects.get()
    assert (document.status, document.syntax, document.findings) == (
        DocumentStatus.REJECTED,
        "oioubl",
        [NO_ISSUE_DATE],
    )
    assert _nothing_created()


def test_oioubl_invoice_without_issue_date_is_rejected_by_the_api(
    receiver, staff, without_issue_date
):
    api = APIClient()
    api.force_authenticate(staff)

    response = api.post(
        "/api/v1/payables/documents", without_issue_date, content_type="application/xml"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["institution"], body["invoice"]) == ("rejected", "MOD", None)
    assert body["findings"] == [NO_ISSUE_DATE]
    assert _nothing_created()


def test_oioubl_invoice_without_seller_name_is_rejected(receiver, without_seller_name):
    intake = services.document_receive(content=without_seller_name, channel="api")

    assert (intake.status, intake.invoice) == ("rejected", None)
    assert intake.document.findings == [NO_SELLER_NAME]
    assert _nothing_created()


@pytest.mark.parametrize(
    ("fact", "location", "message"),
    [
        ("issue_date", "/cbc:IssueDate", "The document has no issue date."),
        ("currency", "/cbc:DocumentCurrencyCode", "The document has no currency."),
        ("seller_name", "/cac:AccountingSupplierParty", "The document does not name the seller."),
        (
            "net_amount",
            "/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
            "The document has no amount without VAT.",
        ),
        ("vat_amount", "/cac:TaxTotal/cbc:TaxAmount", "The document has no VAT amount."),
        (
            "payable_amount",
            "/cac:LegalMonetaryTotal/cbc:PayableAmount",
            "The document has no amount payable.",
        ),
    ],
)
def test_a_missing_fact_is_never_made_up_even_if_a_document_got_through(
    receiver, oioubl_invoice, monkeypatch, fact, location, message
):
    """The last guard: should a valid document ever lack a fact an invoice needs, it is
    rejected saying so; no upload date, currency, zero amount or placeholder vendor."""
    real = reading.read_facts
    empty = "" if fact in ("currency", "seller_name") else None

    def lacking(content, max_bytes=reading.MAX_DOCUMENT_BYTES):
        facts = real(content, max_bytes)
        assert facts.valid
        return dataclasses.replace(facts, **{fact: empty})

    monkeypatch.setattr(reading, "read_facts", lacking)

    intake = services.document_receive(content=oioubl_invoice, channel="api")

    assert (intake.status, intake.invoice) == ("rejected", None)
    assert intake.document.status == DocumentStatus.REJECTED
    assert intake.document.fatal_findings == [
        {"rule": "FAELLES-INTAKE", "flag": "fatal", "location": location, "message": message}
    ]
    assert _nothing_created()


def test_a_line_without_net_amount_is_never_booked_as_zero(receiver, oioubl_invoice, monkeypatch):
    real = reading.read_facts

    def lacking(content, max_bytes=reading.MAX_DOCUMENT_BYTES):
        facts = real(content, max_bytes)
        first = dataclasses.replace(facts.lines[0], net_amount=None)
        return dataclasses.replace(facts, lines=(first, *facts.lines[1:]))

    monkeypatch.setattr(reading, "read_facts", lacking)

    intake = services.document_receive(content=oioubl_invoice, channel="api")

    assert intake.status == "rejected"
    assert intake.document.fatal_findings == [
        {
            "rule": "FAELLES-INTAKE",
            "flag": "fatal",
            "location": "/line[1]",
            "message": "The line has no net amount.",
        }
    ]
    assert _nothing_created()
