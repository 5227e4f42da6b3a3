"""Invoice responses: parse what we write and check every field that matters."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.profiles import profile_for
from faelles.einvoice.response import (
    APPLICATION_RESPONSE_NS,
    application_response,
    invoice_response,
    respond,
)
from faelles.einvoice.tests import builders

NS = {
    "ar": APPLICATION_RESPONSE_NS,
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
FATAL = Finding("BR-CO-15", "fatal", "/Invoice", "Invoice total amount with VAT is wrong")
WARNING = Finding("PEPPOL-EN16931-R005", "warning", "/Invoice/cbc:TaxCurrencyCode", "Hint")
DAY = date(2026, 11, 23)


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def _texts(root: etree._Element, path: str) -> list[str]:
    return [el.text or "" for el in root.findall(path, NS)]


def test_peppol_rejection_lists_each_fatal_finding_as_a_reason() -> None:
    doc = builders.invoice(3, number="INV-9")

    root = _parse(invoice_response(doc, [FATAL, WARNING], response_id="R-1", issue_date=DAY))

    assert root.tag == f"{{{APPLICATION_RESPONSE_NS}}}ApplicationResponse"
    assert _texts(root, "cbc:CustomizationID") == [
        "urn:fdc:peppol.eu:poacc:trns:invoice_response:3"
    ]
    assert _texts(root, "cbc:ProfileID") == ["urn:fdc:peppol.eu:poacc:bis:invoice_response:3"]
    assert _texts(root, "cbc:ID") == ["R-1"]
    assert _texts(root, "cbc:IssueDate") == ["2026-11-23"]
    code = root.find("cac:DocumentResponse/cac:Response/cbc:ResponseCode", NS)
    assert code is not None and (code.text, code.get("listID")) == ("RE", "UNCL4343OpSubset")
    assert _texts(root, "cac:DocumentResponse/cac:Response/cac:Status/cbc:StatusReasonCode") == [
        "OTH"
    ]
    assert _texts(root, "cac:DocumentResponse/cac:Response/cac:Status/cbc:StatusReason") == [
        "[BR-CO-15] Invoice total amount with VAT is wrong"
    ]
    assert _texts(root, "cac:DocumentResponse/cac:DocumentReference/cbc:ID") == ["INV-9"]
    assert _texts(root, "cac:DocumentResponse/cac:DocumentReference/cbc:DocumentTypeCode") == [
        "380"
    ]


def test_peppol_response_goes_from_buyer_to_seller() -> None:
    doc = builders.invoice(1)

    root = _parse(invoice_response(doc, [], response_id="R-2", issue_date=DAY))

    sender = root.find("cac:SenderParty/cbc:EndpointID", NS)
    receiver = root.find("cac:ReceiverParty/cbc:EndpointID", NS)
    assert sender is not None and (sender.text, sender.get("schemeID")) == ("5798009811578", "0088")
    assert receiver is not None and (receiver.text, receiver.get("schemeID")) == (
        "12345674",
        "0184",
    )
    assert _texts(root, "cac:SenderParty/cac:PartyLegalEntity/cbc:RegistrationName") == [
        "Den Lille Skole"
    ]


def test_peppol_acceptance_without_fatal_findings_has_no_status() -> None:
    root = _parse(invoice_response(builders.invoice(1), [WARNING], response_id="R", issue_date=DAY))

    assert _texts(root, "cac:DocumentResponse/cac:Response/cbc:ResponseCode") == ["AP"]
    assert root.findall("cac:DocumentResponse/cac:Response/cac:Status", NS) == []


def test_peppol_response_code_is_checked() -> None:
    with pytest.raises(ValueError, match="response code 'XX' is not one of"):
        invoice_response(builders.invoice(1), [], response_id="R", issue_date=DAY, code="XX")


def test_oioubl_rejection_references_the_invoice() -> None:
    invoice = builders.invoice(2, number="A00095678")
    doc = dataclasses.replace(
        invoice, profile=profile_for("Invoice", "OIOUBL-2.1", "Procurement-BilSim-1.0")
    )

    root = _parse(
        application_response(doc, [FATAL], response_id="AR-1", issue_date=DAY, uuid="u-1")
    )

    assert _texts(root, "cbc:CustomizationID") == ["OIOUBL-2.02"]
    assert _texts(root, "cbc:ProfileID") == ["Procurement-BilSim-1.0"]
    assert _texts(root, "cbc:UUID") == ["u-1"]
    code = root.find("cac:DocumentResponse/cac:Response/cbc:ResponseCode", NS)
    assert code is not None
    assert (code.text, code.get("listID")) == (
        "BusinessReject",
        "urn:oioubl:codelist:responsecode-1.1",
    )
    assert _texts(root, "cac:DocumentResponse/cac:Response/cbc:ReferenceID") == ["A00095678"]
    assert _texts(root, "cac:DocumentResponse/cac:Response/cbc:Description") == [
        "[BR-CO-15] Invoice total amount with VAT is wrong"
    ]
    assert _texts(root, "cac:DocumentResponse/cac:DocumentReference/cbc:ID") == ["A00095678"]
    assert _texts(root, "cac:DocumentResponse/cac:DocumentReference/cbc:DocumentTypeCode") == [
        "Invoice"
    ]
    sender = root.find("cac:SenderParty/cbc:EndpointID", NS)
    receiver = root.find("cac:ReceiverParty/cbc:EndpointID", NS)
    assert sender is not None and (sender.text, sender.get("schemeID")) == ("5798009811578", "GLN")
    assert receiver is not None and (receiver.text, receiver.get("schemeID")) == (
        "DK12345674",
        "DK:CVR",
    )


def test_respond_answers_in_the_documents_own_syntax() -> None:
    peppol = builders.invoice(1)
    oioubl = dataclasses.replace(peppol, profile=profile_for("Invoice", "OIOUBL-2.1", ""))

    peppol_root = _parse(respond(peppol, [FATAL], response_id="R", issue_date=DAY, accept=True))
    oioubl_root = _parse(respond(oioubl, [], response_id="R", issue_date=DAY))

    assert _texts(peppol_root, "cac:DocumentResponse/cac:Response/cbc:ResponseCode") == ["AP"]
    assert _texts(oioubl_root, "cac:DocumentResponse/cac:Response/cbc:ResponseCode") == [
        "BusinessAccept"
    ]
