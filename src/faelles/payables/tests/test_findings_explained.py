"""Findings as a clerk reads them: a Danish explanation per rule or rule family, the official
text (without its duplicated ``[RULE-ID]-`` prefix) as the detail, and identical findings once
with their count and locations — on the invoice page, the rejected queue, the upload result
and, next to the unchanged raw findings, in the API."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from faelles.payables import services
from faelles.payables.findings import detail, explanation, grouped
from faelles.payables.models import DocumentStatus, ReceivedDocument
from faelles.payables.tests.factories import make_world
from faelles.payables.tests.test_views import case_worker  # noqa: F401 (fixture)

ZZZ = "ZZZ"  # not an ISO 4217 currency: BR-CL-03 on every amount, BR-CL-04 once


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def bad_currency(dkk_document):
    return dkk_document().replace(b"DKK", ZZZ.encode())


def _visible(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", fragment)).strip()


# --- the presentation -----------------------------------------------------------------------


def test_detail_strips_the_duplicated_rule_prefix_only():
    assert detail("BR-CL-03", "[BR-CL-03]-currencyID MUST be coded") == "currencyID MUST be coded"
    assert detail("BR-CL-03", "[BR-CL-04]-other") == "[BR-CL-04]-other"
    assert detail("UBL-XSD", "Element 'cbc:X': not expected.") == "Element 'cbc:X': not expected."


def test_explanations_per_rule_family_and_generic_in_danish():
    with translation.override("da"):
        assert explanation("BR-CL-03") == "Valutaen er ikke en gyldig valutakode efter ISO 4217."
        assert explanation("BR-CL-99") == (
            "En kode i dokumentet står ikke på den kodeliste, standarden tillader."
        )
        assert explanation("BR-CO-99") == (
            "Beløb eller felter i dokumentet stemmer ikke overens med hinanden."
        )
        assert explanation("PEPPOL-EN16931-R120") == (
            "Dokumentet overholder ikke en regel i Peppol BIS Billing 3.0."
        )
        assert explanation("DK-R-002") == (
            "Dokumentet overholder ikke en dansk national regel for e-fakturaer."
        )
        assert explanation("UBL-XSD").startswith("Dokumentet følger ikke XML-skemaet for UBL 2.1")
        assert explanation("READ") == (
            "Dokumentet kunne ikke læses som en faktura eller kreditnota."
        )
        assert explanation("XY-1") == "Dokumentet overholder ikke reglen XY-1."
    with translation.override("en"):
        assert explanation("BR-CL-03") == "The currency is not a valid ISO 4217 currency code."


def test_identical_findings_become_one_group_with_count_and_locations():
    findings = [
        {"rule": "BR-CL-03", "flag": "fatal", "location": "/a", "message": "[BR-CL-03]-x"},
        {"rule": "W-1", "flag": "warning", "location": "/w", "message": "w"},
        {"rule": "BR-CL-03", "flag": "fatal", "location": "/b", "message": "[BR-CL-03]-x"},
        {"rule": "BR-CL-03", "flag": "fatal", "location": "/c", "message": "[BR-CL-03]-y"},
    ]

    groups = grouped(findings)

    assert [(g.rule, g.flag, g.detail, g.count, g.locations) for g in groups] == [
        ("BR-CL-03", "fatal", "x", 2, ["/a", "/b"]),
        ("BR-CL-03", "fatal", "y", 1, ["/c"]),
        ("W-1", "warning", "w", 1, ["/w"]),
    ]
    assert [g.rule for g in grouped(findings, fatal_only=True)] == ["BR-CL-03", "BR-CL-03"]


# --- the pages ------------------------------------------------------------------------------


def test_the_upload_result_explains_each_finding_once_in_danish(world, bad_currency):
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(world.receiver)

    response = client.post(
        reverse("payables:upload"), {"file": SimpleUploadedFile("bad.xml", bad_currency)}
    )

    assert response.status_code == 200
    html = response.content.decode()
    result = _visible(html.split('id="result"')[1].split("</form>")[0])
    assert "— Afvist" in result
    assert result.count("Valutaen er ikke en gyldig valutakode efter ISO 4217. (13 gange)") == 1
    assert result.count("Fakturavalutaen er ikke en gyldig valutakode efter ISO 4217.") == 1
    assert "BR-CL-03: currencyID MUST be coded using ISO code list 4217 alpha-3" in result
    assert "[BR-CL-03]" not in html
    assert html.count('<li class="finding finding--fatal">') == 3
    assert "<details><summary>BR-CL-03:" in html
    assert html.count("<li><code>/Invoice/") == 27


def test_the_rejected_queue_groups_the_findings(world, case_worker, bad_currency):  # noqa: F811
    services.document_receive(content=bad_currency, channel="api")
    assert ReceivedDocument.objects.get().status == DocumentStatus.REJECTED
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(case_worker)

    html = client.get(reverse("payables:rejected")).content.decode()

    text = _visible(html)
    assert text.count("Fejl: Valutaen er ikke en gyldig valutakode efter ISO 4217. (13 gange)") == 1
    assert "[BR-CL-03]" not in html


def test_the_invoice_page_lists_findings_once_with_their_count(world, dkk_document):
    # a schema-valid, rule-valid document has no fatal findings: give it repeated warnings
    invoice = services.document_receive(content=dkk_document(), channel="api").invoice
    document = invoice.document
    warning = {
        "rule": "PEPPOL-EN16931-R008",
        "flag": "warning",
        "message": "[PEPPOL-EN16931-R008]-Document MUST not contain empty elements.",
    }
    document.findings = [{**warning, "location": f"/Invoice/cbc:Note[{i}]"} for i in (1, 2)]
    document.save(update_fields=["findings"])
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(world.receiver)

    html = client.get(reverse("payables:invoice-detail", args=[invoice.pk])).content.decode()

    findings = html.split('id="findings">')[1].split("</ul></details></li></ul>")[0]
    assert _visible(findings) == (
        "Advarsel: Dokumentet indeholder tomme elementer. (2 gange) "
        "PEPPOL-EN16931-R008: Document MUST not contain empty elements. "
        "/Invoice/cbc:Note[1] /Invoice/cbc:Note[2]"
    )


def test_the_invoice_page_in_english_through_i18n(world, dkk_document):
    invoice = services.document_receive(content=dkk_document(), channel="api").invoice
    document = invoice.document
    document.findings = [
        {"rule": "BR-CL-03", "flag": "warning", "location": "/x", "message": "[BR-CL-03]-m"}
    ]
    document.save(update_fields=["findings"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.receiver)

    html = client.get(reverse("payables:invoice-detail", args=[invoice.pk])).content.decode()

    assert "Warning:</strong> The currency is not a valid ISO 4217 currency code." in html
    assert "<summary>BR-CL-03: m</summary>" in html


# --- the API --------------------------------------------------------------------------------


def test_the_api_keeps_the_raw_findings_and_adds_the_grouped_ones(world, bad_currency):
    document = services.document_receive(content=bad_currency, channel="api").document
    client = APIClient(HTTP_ACCEPT_LANGUAGE="da")
    client.force_authenticate(world.receiver)

    body = client.get(reverse("payables-api:document-detail", args=[document.pk])).json()

    assert len(body["findings"]) == 27
    assert body["findings"][0]["message"].startswith("[BR-CL-")
    grouped_rules = [(g["rule"], g["count"]) for g in body["findings_grouped"]]
    assert grouped_rules == [("BR-CL-04", 1), ("BR-CL-03", 13), ("PEPPOL-EN16931-CL007", 13)]
    first_03 = body["findings_grouped"][1]
    assert first_03["explanation"] == "Valutaen er ikke en gyldig valutakode efter ISO 4217."
    assert first_03["detail"] == "currencyID MUST be coded using ISO code list 4217 alpha-3"
    assert first_03["flag"] == "fatal"
    assert len(first_03["locations"]) == 13
