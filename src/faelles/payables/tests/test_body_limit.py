"""Oversized bodies are refused with 413 before anything is stored: by the declared length
(any page or API route) and, for a body read without a declared limit, by the intake parser;
the upload page refuses a file over the intake cap as a form error."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from faelles.payables.api.views import DocumentTooLarge, RawXMLParser
from faelles.payables.models import ReceivedDocument
from faelles.payables.reading import MAX_DOCUMENT_BYTES
from faelles.tenancy.models import Endpoint, Institution, OperatorStaff, StaffRole
from faelles.tenancy.tests.factories import OperatorFactory, ServiceAgreementFactory, UserFactory

pytestmark = pytest.mark.django_db

DOCUMENTS = "/api/v1/payables/documents"
UPLOAD = "/payables/upload/"
MIB = 1024 * 1024


@pytest.fixture
def staff():
    inst = Institution.objects.create(name="Modtager", short_name="MOD", kind="agency")
    Endpoint.objects.create(institution=inst, scheme="0088", identifier="5798009811578")
    user = UserFactory(username="integration")
    operator = OperatorFactory()
    OperatorStaff.objects.create(operator=operator, user=user, role=StaffRole.SYSTEM_ADMIN)
    ServiceAgreementFactory(institution=inst, operator=operator, staff=[user])
    return user


def _api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_default_limit_is_the_intake_cap_plus_multipart_overhead():
    assert settings.MAX_REQUEST_BODY_BYTES == MAX_DOCUMENT_BYTES + MIB


def test_a_declared_100_mb_api_post_is_refused_unread_and_unstored(staff):
    response = _api(staff).post(
        DOCUMENTS,
        b"<Invoice/>",
        content_type="application/xml",
        CONTENT_LENGTH=str(100 * MIB),
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "request_too_large"
    assert response.json()["limit_bytes"] == MAX_DOCUMENT_BYTES + MIB
    assert "at most 11 MB" in response.json()["detail"]
    assert ReceivedDocument.objects.count() == 0


def test_a_real_body_over_the_limit_is_refused_and_unstored(staff):
    body = b"<Invoice>" + b"x" * (MAX_DOCUMENT_BYTES + MIB) + b"</Invoice>"
    response = _api(staff).post(DOCUMENTS, body, content_type="application/xml")
    assert response.status_code == 413
    assert ReceivedDocument.objects.count() == 0


@override_settings(MAX_REQUEST_BODY_BYTES=100 * MIB)
def test_the_parser_refuses_a_body_over_the_intake_cap_when_the_length_gets_through(staff):
    body = b"<Invoice>" + b"x" * MAX_DOCUMENT_BYTES + b"</Invoice>"
    response = _api(staff).post(DOCUMENTS, body, content_type="application/xml")
    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"The document is larger than {MAX_DOCUMENT_BYTES} bytes; nothing was stored."
    )
    assert ReceivedDocument.objects.count() == 0


def test_the_parser_stops_reading_a_stream_without_length_at_the_cap():
    class Endless(io.RawIOBase):
        read_total = 0

        def readable(self):
            return True

        def read(self, size=-1):
            size = MIB if size is None or size < 0 else size
            Endless.read_total += size
            return b"x" * size

    with pytest.raises(DocumentTooLarge) as refused:
        RawXMLParser().parse(Endless())
    assert refused.value.status_code == 413
    assert Endless.read_total == MAX_DOCUMENT_BYTES + 1


def test_the_parser_passes_a_body_at_the_cap():
    assert RawXMLParser().parse(io.BytesIO(b"x" * MAX_DOCUMENT_BYTES)) == b"x" * MAX_DOCUMENT_BYTES


def test_a_declared_oversized_upload_page_post_gets_a_413_page(client, staff):
    client.force_login(staff)
    upload = SimpleUploadedFile("big.xml", b"<Invoice/>", content_type="application/xml")
    response = client.post(
        UPLOAD, {"file": upload}, CONTENT_LENGTH=str(100 * MIB), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Request too large" in html
    assert "Nothing was received or stored." in html
    assert ReceivedDocument.objects.count() == 0


@override_settings(MAX_REQUEST_BODY_BYTES=100 * MIB)
def test_an_upload_over_the_intake_cap_is_a_form_error_and_unstored(client, staff):
    client.force_login(staff)
    upload = SimpleUploadedFile(
        "big.xml", b"x" * (MAX_DOCUMENT_BYTES + 1), content_type="application/xml"
    )
    response = client.post(UPLOAD, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The file is too large: at most 10 MB, this one is 10.0 MB." in response.content.decode()
    assert ReceivedDocument.objects.count() == 0
