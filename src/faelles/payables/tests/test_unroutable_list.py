"""The operator's unroutable list shows what is needed to place a document — supplier, buyer,
amount with currency, issue date, receiver, received time — and the institution choice starts
empty and is required, so one click never assigns to whichever institution comes first."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from faelles.payables import services
from faelles.payables.models import DocumentStatus, ReceivedDocument
from faelles.payables.tests.factories import make_world
from faelles.payables.tests.test_views import case_worker  # noqa: F401 (fixture)

UNKNOWN = "5790000000012"


@pytest.fixture
def world(db):
    return make_world()


def _row(html: str) -> str:
    body = html.split('<table class="table table--compact" id="documents">')[1]
    return body.split("<tbody>")[1].split("</tr>")[0]


def test_the_row_names_supplier_buyer_amount_and_date_in_danish(
    world,
    case_worker,  # noqa: F811
    dkk_document,
):
    doc = services.document_receive(content=dkk_document(receiver=UNKNOWN), channel="api").document
    assert doc.status == DocumentStatus.UNROUTABLE
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(case_worker)

    row = _row(client.get(reverse("payables:unroutable")).content.decode())

    cells = [re.sub(r"<[^>]*>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells[1:7] == [
        "SupplierOfficialName Ltd",
        "Buyer Official Name",
        "1.656,25 DKK",
        "15.03.2026",
        f"0088:{UNKNOWN}",
        f"{doc} (nr. Snippet1)",
    ]
    select = re.search(r'<select [^>]*name="institution"[^>]*>', row)
    assert select is not None and " required" in select.group(0)
    options = re.findall(r"<option ([^>]*)>([^<]*)</option>", row)
    assert options[0] == ('value="" selected', "Vælg en institution")
    assert all("selected" not in attrs for attrs, _label in options[1:])


def test_assigning_without_a_choice_changes_nothing(
    world,
    case_worker,  # noqa: F811
    dkk_document,
):
    doc = services.document_receive(content=dkk_document(receiver=UNKNOWN), channel="api").document
    client = Client()
    client.force_login(case_worker)

    response = client.post(reverse("payables:document-assign", args=[doc.pk]), {"institution": ""})

    assert response.status_code == 302
    doc = ReceivedDocument.objects.get(pk=doc.pk)
    assert (doc.status, doc.institution) == (DocumentStatus.UNROUTABLE, None)


def test_an_unreadable_document_still_gets_a_row(
    world,
    case_worker,  # noqa: F811
    dkk_document,
):
    doc = services.document_receive(content=dkk_document(receiver=UNKNOWN), channel="api").document
    ReceivedDocument.objects.filter(pk=doc.pk).update(content=b"<not-xml")
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(case_worker)

    response = client.get(reverse("payables:unroutable"))

    assert response.status_code == 200
    row = _row(response.content.decode())
    assert row.count("<td>–</td>") == 3  # supplier, buyer, issue date
