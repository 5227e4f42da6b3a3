"""Intake addressed only where allowed: a person (or an integration) delivers a document only
to the endpoints of an institution where they receive documents — an invoice receiver there,
also as a substitute, or operator staff serving it; documents no endpoint routes only the
operator's staff. A refused document answers 403 (API) or a form error (upload page) naming
its receiver, is not stored, creates nothing anywhere, and is one audit event
``payables.document.receive.refused`` in the chain of the institution it was addressed to."""

from datetime import date
from hashlib import sha256

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from faelles.core.audit import verify_chains
from faelles.core.models import AuditEvent
from faelles.payables import services
from faelles.payables.models import Invoice, ReceivedDocument
from faelles.payables.tests.factories import make_world, member
from faelles.tenancy.models import Delegation, OperatorStaff, Role, ServiceAgreement, StaffRole
from faelles.tenancy.tests.factories import OperatorFactory, UserFactory

pytestmark = pytest.mark.django_db

GLN_A = "5798009811578"
GLN_B = "5790000000005"
UNKNOWN = "5790000000012"
URL = "/api/v1/payables/documents"


@pytest.fixture
def a():
    return make_world(gln=GLN_A)


@pytest.fixture
def b():
    return make_world(gln=GLN_B)


@pytest.fixture
def operator(a, b):
    operator = OperatorFactory()
    ServiceAgreement.objects.create(
        institution=a.institution,
        operator=operator,
        services=["payables"],
        valid_from=date(2020, 1, 1),
    )
    ServiceAgreement.objects.create(
        institution=b.institution,
        operator=operator,
        services=["payables"],
        valid_from=date(2020, 1, 1),
    )
    return operator


def _staff(operator, institution=None, role=StaffRole.CASE_WORKER, username="casew"):
    user = UserFactory(username=username)
    OperatorStaff.objects.create(operator=operator, user=user, role=role)
    if institution is not None:
        institution.service_agreements.get().staff.add(user)
    return user


def _post(user, content):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(URL, content, content_type="application/xml", HTTP_X_FILENAME="f.xml")


def _nothing_stored():
    return (ReceivedDocument.objects.count(), Invoice.objects.count())


def _refusal():
    event = AuditEvent.objects.get(action="payables.document.receive.refused")
    return event


def test_an_invoice_receiver_of_another_institution_is_refused_and_nothing_is_created(
    a, b, dkk_document
):
    content = dkk_document(receiver=GLN_A)
    events = AuditEvent.objects.count()

    response = _post(b.receiver, content)

    assert response.status_code == 403
    assert response.json() == {
        "detail": f"Du må ikke aflevere dokumenter adresseret til 0088:{GLN_A}: det er ikke et "
        "endepunkt for en institution, du modtager dokumenter for. Dokumentet er ikke modtaget.",
        "code": "receiver_not_yours",
    }
    assert _nothing_stored() == (0, 0)
    assert AuditEvent.objects.count() == events + 1
    event = _refusal()
    assert (event.institution_id, event.actor_id, event.object_id) == (
        a.institution.pk,
        b.receiver.pk,
        "",
    )
    assert event.details == {
        "code": "receiver_not_yours",
        "reason": response.json()["detail"],
        "receiver": f"0088:{GLN_A}",
        "sha256": sha256(content).hexdigest(),
        "size": len(content),
        "filename": "f.xml",
        "channel": "api",
    }
    assert verify_chains() == []


def test_an_invoice_receiver_delivers_to_their_own_institution(a, dkk_document):
    response = _post(a.receiver, dkk_document(receiver=GLN_A))

    assert response.status_code == 201
    assert response.json()["institution"] == a.institution.short_name
    assert Invoice.objects.get().institution == a.institution
    assert not AuditEvent.objects.filter(action__endswith=".refused").exists()


def test_a_substitute_for_an_invoice_receiver_delivers_and_no_one_else_in_the_institution(
    a, dkk_document
):
    substitute = member(a.institution, Role.REQUESTER)
    assert _post(substitute, dkk_document(receiver=GLN_A)).status_code == 403
    Delegation.objects.create(
        institution=a.institution,
        principal=a.receiver,
        substitute=substitute,
        valid_from=date(2020, 1, 1),
        valid_to=date(2099, 12, 31),
    )

    response = _post(substitute, dkk_document(receiver=GLN_A, number="SUB-2"))

    assert response.status_code == 201
    assert ReceivedDocument.objects.get().received_by == substitute
    assert AuditEvent.objects.filter(action="payables.document.receive.refused").count() == 1


def test_operator_staff_deliver_only_for_institutions_they_serve(a, b, operator, dkk_document):
    other = _staff(operator, b.institution, username="casew-b")
    serving = _staff(operator, a.institution, username="casew-a")
    content = dkk_document(receiver=GLN_A)

    refused = _post(other, content)

    assert refused.status_code == 403
    assert refused.json()["code"] == "receiver_not_yours"
    assert _nothing_stored() == (0, 0)
    accepted = _post(serving, content)
    assert accepted.status_code == 201
    assert Invoice.objects.get().institution == a.institution


def test_a_system_user_serving_no_institution_delivers_nothing_routable(a, operator, dkk_document):
    system = _staff(operator, role=StaffRole.SYSTEM_ADMIN, username="system")

    assert _post(system, dkk_document(receiver=GLN_A)).status_code == 403
    assert _nothing_stored() == (0, 0)
    a.institution.service_agreements.get().staff.add(system)
    assert _post(system, dkk_document(receiver=GLN_A)).status_code == 201


def test_documents_no_endpoint_routes_come_only_from_the_operator_staff(a, operator, dkk_document):
    refused = _post(a.receiver, dkk_document(receiver=UNKNOWN))

    assert refused.status_code == 403
    assert refused.json()["code"] == "receiver_unknown"
    assert f"0088:{UNKNOWN}" in refused.json()["detail"]
    assert _refusal().institution_id is None  # the operator's chain
    assert _nothing_stored() == (0, 0)
    accepted = _post(_staff(operator), dkk_document(receiver=UNKNOWN))
    assert (accepted.status_code, accepted.json()["status"]) == (201, "unroutable")


def test_an_unreadable_document_from_an_institution_user_is_refused_with_the_reason(a):
    response = _post(a.receiver, b"<not-xml")

    assert response.status_code == 403
    assert response.json()["code"] == "receiver_unreadable"
    assert _nothing_stored() == (0, 0)


def test_bytes_delivered_before_are_not_disclosed_to_a_foreign_sender(a, b, dkk_document):
    content = dkk_document(receiver=GLN_A)
    first = services.document_receive(content=content, channel="import")
    before = ReceivedDocument.objects.values_list("pk", "status", "received_by").get()

    response = _post(b.receiver, content)

    assert response.status_code == 403
    assert "id" not in response.json()
    assert ReceivedDocument.objects.values_list("pk", "status", "received_by").get() == before
    assert Invoice.objects.get().pk == first.invoice.pk


# --- the upload page --------------------------------------------------------------------------


def _upload(user, content, name="u.xml"):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    upload = SimpleUploadedFile(name, content, content_type="application/xml")
    return client.post(reverse("payables:upload"), {"file": upload})


def test_the_upload_page_refuses_a_document_for_another_institution_with_a_form_error(
    a, b, dkk_document
):
    response = _upload(b.receiver, dkk_document(receiver=GLN_A))

    assert response.status_code == 403
    html = response.content.decode()
    assert f"You may not deliver documents addressed to 0088:{GLN_A}" in html
    assert _nothing_stored() == (0, 0)
    event = _refusal()
    assert (event.institution_id, event.details["channel"], event.details["filename"]) == (
        a.institution.pk,
        "upload",
        "u.xml",
    )


def test_the_upload_page_accepts_a_substitutes_document_for_the_principals_institution(
    a, dkk_document
):
    substitute = member(a.institution, Role.REQUESTER)
    Delegation.objects.create(
        institution=a.institution,
        principal=a.receiver,
        substitute=substitute,
        valid_from=date(2020, 1, 1),
        valid_to=date(2099, 12, 31),
    )

    response = _upload(substitute, dkk_document(receiver=GLN_A))

    assert response.status_code == 200
    document = ReceivedDocument.objects.get()
    assert (document.channel, document.status, document.institution) == (
        "upload",
        "accepted",
        a.institution,
    )


def test_the_upload_page_refuses_operator_staff_who_do_not_serve_the_institution(
    a, b, operator, dkk_document
):
    other = _staff(operator, b.institution)

    response = _upload(other, dkk_document(receiver=GLN_A))

    assert response.status_code == 403
    assert f"0088:{GLN_A}" in response.content.decode()
    assert _nothing_stored() == (0, 0)
    assert AuditEvent.objects.filter(action="payables.document.receive.refused").count() == 1


def test_the_import_command_has_no_sender_and_routes_by_the_receiver(a, dkk_document):
    """The server's own import (no actor) is not narrowed: it is run by the operator on the
    server, and every document goes where its receiver routes it."""
    intake = services.document_receive(content=dkk_document(receiver=GLN_A), channel="import")

    assert (intake.status, intake.document.institution) == ("accepted", a.institution)
