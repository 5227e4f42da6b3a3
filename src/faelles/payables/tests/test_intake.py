import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from faelles.core.models import AuditEvent
from faelles.payables import intake as intake_module
from faelles.payables import services
from faelles.payables.models import (
    DocumentStatus,
    Invoice,
    InvoiceState,
    ReceivedDocument,
    Vendor,
)
from faelles.tenancy.models import Endpoint, Institution, OperatorStaff, StaffRole
from faelles.tenancy.tests.factories import (
    OperatorFactory,
    ServiceAgreementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GLN = "5798009811578"


@pytest.fixture
def receiver():
    inst = Institution.objects.create(name="Modtager", short_name="MOD", kind="agency")
    Endpoint.objects.create(institution=inst, scheme="0088", identifier=GLN)
    return inst


@pytest.fixture
def staff(receiver):
    """The operator's access-point integration, named by the receiver's service agreement."""
    user = UserFactory(username="integration")
    operator = OperatorFactory()
    OperatorStaff.objects.create(operator=operator, user=user, role=StaffRole.SYSTEM_ADMIN)
    ServiceAgreementFactory(institution=receiver, operator=operator, staff=[user])
    return user


def test_a_valid_document_is_stored_routed_and_becomes_an_invoice(receiver, peppol_invoice):
    content = peppol_invoice()

    intake = services.document_receive(content=content, channel="import", filename="a.xml")

    doc = intake.document
    assert intake.status == "accepted"
    assert bytes(doc.content) == content
    assert (doc.size, doc.institution, doc.syntax, doc.document_type) == (
        len(content),
        receiver,
        "peppol",
        "Invoice",
    )
    invoice = intake.invoice
    assert (invoice.number, invoice.currency, str(invoice.payable_amount)) == (
        "Snippet1",
        "EUR",
        "1656.25",
    )
    assert invoice.state == InvoiceState.RECEIVED
    # Two lines and the document-level charge (insurance, 25.00) as a line of its own.
    assert [(line.line_id, str(line.net_amount)) for line in invoice.lines.all()] == [
        ("1", "2800.00"),
        ("2", "-1500.00"),
        ("DOC", "25.00"),
    ]
    assert (invoice.next_role, invoice.assigned_to, invoice.requester) == (
        "invoice_receiver",
        None,
        None,
    )
    assert (invoice.vendor.name, invoice.vendor.is_verified) == ("SupplierOfficialName Ltd", False)
    assert invoice.payment_means == [{"code": "30", "kind": "account", "account": "IBAN32423940"}]
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "payables.document.received",
        "payables.vendor.created",
        "payables.document.accepted",
    ]


def test_the_same_bytes_twice_are_one_document_and_one_invoice(receiver, peppol_invoice):
    first = services.document_receive(content=peppol_invoice(), channel="api")
    second = services.document_receive(content=peppol_invoice(), channel="import")
    assert (first.status, second.status) == ("accepted", "duplicate")
    assert second.document.pk == first.document.pk
    assert ReceivedDocument.objects.count() == Invoice.objects.count() == 1


def test_an_unknown_receiver_goes_to_the_unroutable_queue(receiver, peppol_invoice):
    intake = services.document_receive(
        content=peppol_invoice(receiver="5790000000005"), channel="api"
    )
    assert intake.status == "unroutable"
    assert intake.document.institution is None
    assert (intake.document.receiver_scheme, intake.document.receiver_id) == (
        "0088",
        "5790000000005",
    )
    assert Invoice.objects.count() == 0


def test_unreadable_bytes_are_kept_and_rejected_with_the_reason(receiver):
    intake = services.document_receive(content=b"<not-xml", channel="api", filename="bad.xml")
    doc = ReceivedDocument.objects.get(pk=intake.document.pk)
    assert intake.status == "rejected"
    assert bytes(doc.content) == b"<not-xml"
    assert doc.findings[0]["rule"] == "READ"
    assert "not well-formed XML" in doc.findings[0]["message"]


def test_fatal_findings_reject_the_document_and_keep_them(receiver, peppol_invoice):
    broken = peppol_invoice().replace(
        b"<cbc:DocumentCurrencyCode>EUR", b"<cbc:DocumentCurrencyCode>XXQ"
    )
    intake = services.document_receive(content=broken, channel="api")
    assert intake.status == "rejected"
    assert intake.document.institution == receiver
    assert "BR-CL-04" in {f["rule"] for f in intake.document.fatal_findings}
    assert Invoice.objects.count() == 0


def test_the_same_vendor_invoice_number_and_date_is_a_duplicate_never_payable(
    receiver, peppol_invoice
):
    first = services.document_receive(content=peppol_invoice(), channel="api")
    again = peppol_invoice().replace(b"<cbc:Note>", b"<cbc:Note>Resent. ", 1)
    if again == peppol_invoice():
        again = peppol_invoice() + b"\n"
    second = services.document_receive(content=again, channel="api")
    assert second.status == "accepted"
    assert second.invoice.duplicate_of_id == first.invoice.pk
    assert second.invoice.state == InvoiceState.REJECTED
    assert Vendor.objects.count() == 1


def test_numbers_differing_in_punctuation_or_leading_zeros_are_suspected(receiver, peppol_invoice):
    first = services.document_receive(content=peppol_invoice(number="INV-0012"), channel="api")
    second = services.document_receive(
        content=peppol_invoice(number="INV12", issue="2017-11-16"), channel="api"
    )
    far = services.document_receive(
        content=peppol_invoice(number="INV 12", issue="2017-12-30"), channel="api"
    )
    assert second.invoice.suspected_duplicate_of_id == first.invoice.pk
    assert second.invoice.duplicate_of_id is None
    assert far.invoice.suspected_duplicate_of_id is None


@pytest.mark.parametrize(
    ("number", "key"),
    [("INV-0012", "INV12"), ("0012345", "12345"), ("2024/100", "2024100"), ("a-0-1", "A1")],
)
def test_number_key(number, key):
    assert services.number_key(number) == key


def test_a_document_stored_but_not_processed_is_processed_when_it_comes_again(
    receiver, peppol_invoice, monkeypatch
):
    content = peppol_invoice()

    def crash(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(intake_module, "process_documents", crash)
    with pytest.raises(RuntimeError):
        services.document_receive(content=content, channel="import")
    stored = ReceivedDocument.objects.get()
    assert stored.status == DocumentStatus.RECEIVED
    monkeypatch.undo()

    again = services.document_receive(content=content, channel="import")

    assert again.status == "accepted"
    assert again.document.pk == stored.pk
    assert Invoice.objects.count() == 1


def test_oioubl_invoices_route_by_their_gln(receiver, oioubl_invoice):
    intake = services.document_receive(content=oioubl_invoice, channel="api")
    assert intake.document.syntax == "oioubl"
    assert (intake.document.receiver_scheme, intake.document.receiver_id) == ("0088", GLN)
    assert (intake.status, intake.document.fatal_findings) == ("accepted", [])
    assert intake.invoice.vendor.cvr == "16356706"


def test_api_intake_answers_201_then_200_with_the_same_id(receiver, staff, peppol_invoice):
    api = APIClient()
    api.force_authenticate(staff)
    first = api.post("/api/v1/payables/documents", peppol_invoice(), content_type="application/xml")
    second = api.post(
        "/api/v1/payables/documents", peppol_invoice(), content_type="application/xml"
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["status"] == "accepted"
    assert first.json()["institution"] == "MOD"


def test_api_intake_is_for_staff_and_integrations_only(receiver, peppol_invoice):
    api = APIClient()
    api.force_authenticate(UserFactory(username="someone"))
    response = api.post(
        "/api/v1/payables/documents", peppol_invoice(), content_type="application/xml"
    )
    assert response.status_code == 403
    assert ReceivedDocument.objects.count() == 0


def test_api_document_detail_is_hidden_from_other_institutions(receiver, staff, peppol_invoice):
    intake = services.document_receive(content=peppol_invoice(), channel="api")
    case_worker = UserFactory(username="casew")
    agreement = receiver.service_agreements.get()
    OperatorStaff.objects.create(
        operator=agreement.operator, user=case_worker, role=StaffRole.CASE_WORKER
    )
    api = APIClient()
    api.force_authenticate(UserFactory(username="outsider"))
    assert api.get(f"/api/v1/payables/documents/{intake.document.pk}").status_code == 404
    # The integration delivers for the institution but sees no invoices (system administrator).
    api.force_authenticate(staff)
    assert api.get(f"/api/v1/payables/documents/{intake.document.pk}").status_code == 404
    api.force_authenticate(case_worker)  # not named by the agreement
    assert api.get(f"/api/v1/payables/documents/{intake.document.pk}").status_code == 404
    agreement.staff.add(case_worker)
    assert (
        api.get(f"/api/v1/payables/documents/{intake.document.pk}").json()["status"] == "accepted"
    )


def test_import_command_reports_json_lines_and_a_summary(receiver, peppol_invoice, tmp_path):
    (tmp_path / "a.xml").write_bytes(peppol_invoice())
    (tmp_path / "b.xml").write_bytes(peppol_invoice(receiver="5790000000005", number="X2"))
    (tmp_path / "c.xml").write_bytes(b"garbage")

    out = StringIO()
    call_command("payables", "import", "--json", str(tmp_path), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]

    assert [(r["file"].rsplit("/", 1)[1], r["status"], r["institution"]) for r in lines[:3]] == [
        ("a.xml", "accepted", "MOD"),
        ("b.xml", "unroutable", None),
        ("c.xml", "rejected", None),
    ]
    assert lines[3] == {"summary": {"accepted": 1, "rejected": 1, "duplicate": 0, "unroutable": 1}}

    again = StringIO()
    call_command("payables", "import", "--json", str(tmp_path), stdout=again)
    assert json.loads(again.getvalue().splitlines()[-1]) == {
        "summary": {"accepted": 0, "rejected": 0, "duplicate": 3, "unroutable": 0}
    }


def test_documents_left_unprocessed_by_a_crash_are_processed_by_the_sweep(
    receiver, peppol_invoice, monkeypatch
):
    def crash(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(intake_module, "process_documents", crash)
    for number in ("S1", "S2"):
        with pytest.raises(RuntimeError):
            services.document_receive(content=peppol_invoice(number=number), channel="api")
    monkeypatch.undo()
    assert ReceivedDocument.objects.filter(status=DocumentStatus.RECEIVED).count() == 2
    out = StringIO()

    call_command("payables", "process-waiting", stdout=out)

    assert json.loads(out.getvalue()) == {"processed": {"accepted": 2}}
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["S1", "S2"]
    again = StringIO()
    call_command("payables", "process-waiting", stdout=again)
    assert json.loads(again.getvalue()) == {"processed": {}}
