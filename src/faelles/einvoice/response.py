"""Answers to a received invoice: a Peppol Invoice Response or an OIOUBL ApplicationResponse.

The buyer (the institution that received the document) sends the answer to the seller.
Without a ``code``, a document with a fatal finding is rejected and every fatal finding is
given as a reason ("[rule] message"); a document without one is accepted. :func:`respond`
picks the form that matches the syntax the document came in.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Sequence
from datetime import date

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.model import Document, Identifier, Party
from faelles.einvoice.xml import CAC, CBC

APPLICATION_RESPONSE_NS = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
INVOICE_RESPONSE_CUSTOMIZATION = "urn:fdc:peppol.eu:poacc:trns:invoice_response:3"
INVOICE_RESPONSE_PROFILE = "urn:fdc:peppol.eu:poacc:bis:invoice_response:3"
OIOUBL_RESPONSE_CUSTOMIZATION = "OIOUBL-2.02"

# UNCL 4343 subset used by Peppol Invoice Response.
PEPPOL_RESPONSE_CODES = frozenset({"AB", "IP", "UQ", "CA", "RE", "AP", "PD"})
# OIOUBL code list urn:oioubl:codelist:responsecode-1.1.
OIOUBL_RESPONSE_CODES = frozenset(
    {
        "BusinessAccept",
        "BusinessReject",
        "ProfileAccept",
        "ProfileReject",
        "TechnicalAccept",
        "TechnicalReject",
    }
)

_NSMAP = {None: APPLICATION_RESPONSE_NS, "cac": CAC, "cbc": CBC}
_OIOUBL_SCHEMES = {"0088": "GLN", "0184": "DK:CVR", "0198": "DK:SE", "0096": "DK:P"}


def _cbc(parent: etree._Element, tag: str, value: str | None, **attrs: str | None) -> None:
    if value is None:
        return
    el = etree.SubElement(parent, f"{{{CBC}}}{tag}")
    el.text = value
    for key, attr in attrs.items():
        if attr is not None:
            el.set(key, attr)


def _cac(parent: etree._Element, tag: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{tag}")


def _reasons(findings: Sequence[Finding]) -> list[str]:
    return [f"[{f.rule}] {f.message}" for f in findings if f.is_fatal]


def _peppol_party(parent: etree._Element, tag: str, party: Party) -> None:
    el = _cac(parent, tag)
    if party.endpoint is not None:
        _cbc(el, "EndpointID", party.endpoint.value, schemeID=party.endpoint.scheme)
    for ident in party.identifiers[:1]:
        _cbc(_cac(el, "PartyIdentification"), "ID", ident.value, schemeID=ident.scheme)
    name = party.name or party.trading_name
    if name is not None:
        _cbc(_cac(el, "PartyLegalEntity"), "RegistrationName", name)


def invoice_response(
    doc: Document,
    findings: Sequence[Finding],
    *,
    response_id: str,
    issue_date: date,
    code: str | None = None,
    note: str | None = None,
) -> bytes:
    """A Peppol BIS Invoice Response 3 (T111) for ``doc``.

    ``code`` is a UNCL 4343 response code (RE rejected, AP accepted, AB, IP, UQ, CA, PD);
    by default RE when a finding is fatal, else AP. Each fatal finding becomes a status with
    reason code OTH and the finding as reason.
    """
    reasons = _reasons(findings)
    code = code or ("RE" if reasons else "AP")
    if code not in PEPPOL_RESPONSE_CODES:
        raise ValueError(f"response code {code!r} is not one of {sorted(PEPPOL_RESPONSE_CODES)}")
    root = etree.Element(f"{{{APPLICATION_RESPONSE_NS}}}ApplicationResponse", nsmap=_NSMAP)  # type: ignore[arg-type]
    _cbc(root, "CustomizationID", INVOICE_RESPONSE_CUSTOMIZATION)
    _cbc(root, "ProfileID", INVOICE_RESPONSE_PROFILE)
    _cbc(root, "ID", response_id)
    _cbc(root, "IssueDate", issue_date.isoformat())
    _cbc(root, "Note", note)
    _peppol_party(root, "SenderParty", doc.buyer)
    _peppol_party(root, "ReceiverParty", doc.seller)
    document_response = _cac(root, "DocumentResponse")
    response = _cac(document_response, "Response")
    _cbc(response, "ResponseCode", code, listID="UNCL4343OpSubset")
    _cbc(response, "EffectiveDate", issue_date.isoformat())
    for reason in reasons:
        status = _cac(response, "Status")
        _cbc(status, "StatusReasonCode", "OTH", listID="OPStatusReason")
        _cbc(status, "StatusReason", reason)
    reference = _cac(document_response, "DocumentReference")
    _cbc(reference, "ID", doc.number or "")
    _cbc(reference, "IssueDate", doc.issue_date.isoformat() if doc.issue_date else None)
    _cbc(
        reference,
        "DocumentTypeCode",
        doc.type_code or ("381" if doc.kind == "CreditNote" else "380"),
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _oioubl_id(ident: Identifier) -> tuple[str, str | None]:
    scheme = _OIOUBL_SCHEMES.get(ident.scheme or "", ident.scheme)
    value = ident.value
    if scheme == "DK:CVR" and value.isdigit():
        value = f"DK{value}"
    return value, scheme


def _oioubl_party(parent: etree._Element, tag: str, party: Party) -> None:
    el = _cac(parent, tag)
    if party.endpoint is not None:
        value, scheme = _oioubl_id(party.endpoint)
        _cbc(el, "EndpointID", value, schemeID=scheme)
    for ident in party.identifiers[:1]:
        value, scheme = _oioubl_id(ident)
        _cbc(_cac(el, "PartyIdentification"), "ID", value, schemeID=scheme)
    name = party.trading_name or party.name
    if name is not None:
        _cbc(_cac(el, "PartyName"), "Name", name)


def application_response(
    doc: Document,
    findings: Sequence[Finding],
    *,
    response_id: str,
    issue_date: date,
    code: str | None = None,
    uuid: str | None = None,
) -> bytes:
    """An OIOUBL ApplicationResponse (OIOUBL-2.02) for ``doc``.

    ``code`` comes from the OIOUBL response code list; by default BusinessReject when a
    finding is fatal (each one a Description), else BusinessAccept.
    """
    reasons = _reasons(findings)
    code = code or ("BusinessReject" if reasons else "BusinessAccept")
    if code not in OIOUBL_RESPONSE_CODES:
        raise ValueError(f"response code {code!r} is not one of {sorted(OIOUBL_RESPONSE_CODES)}")
    root = etree.Element(f"{{{APPLICATION_RESPONSE_NS}}}ApplicationResponse", nsmap=_NSMAP)  # type: ignore[arg-type]
    _cbc(root, "UBLVersionID", "2.0")
    _cbc(root, "CustomizationID", OIOUBL_RESPONSE_CUSTOMIZATION)
    _cbc(
        root,
        "ProfileID",
        doc.profile.profile_id or "Procurement-BilSim-1.0",
        schemeAgencyID="320",
        schemeID="urn:oioubl:id:profileid-1.2",
    )
    _cbc(root, "ID", response_id)
    _cbc(root, "UUID", uuid or str(uuid_module.uuid4()))
    _cbc(root, "IssueDate", issue_date.isoformat())
    _oioubl_party(root, "SenderParty", doc.buyer)
    _oioubl_party(root, "ReceiverParty", doc.seller)
    document_response = _cac(root, "DocumentResponse")
    response = _cac(document_response, "Response")
    _cbc(response, "ReferenceID", doc.number or "")
    _cbc(
        response,
        "ResponseCode",
        code,
        listAgencyID="320",
        listID="urn:oioubl:codelist:responsecode-1.1",
    )
    for reason in reasons:
        _cbc(response, "Description", reason)
    reference = _cac(document_response, "DocumentReference")
    _cbc(reference, "ID", doc.number or "")
    _cbc(
        reference,
        "DocumentTypeCode",
        doc.kind,
        listAgencyID="320",
        listID="urn:oioubl:codelist:responsedocumenttypecode-1.1",
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def respond(
    doc: Document,
    findings: Sequence[Finding],
    *,
    response_id: str,
    issue_date: date,
    accept: bool | None = None,
) -> bytes:
    """The response in the document's own syntax: OIOUBL for OIOUBL, Peppol otherwise.

    ``accept`` forces acceptance (True) or rejection (False); by default the findings decide.
    """
    oioubl = doc.profile.syntax == "oioubl"
    code = None
    if accept is not None:
        code = (
            ("BusinessAccept" if accept else "BusinessReject")
            if oioubl
            else ("AP" if accept else "RE")
        )
    if oioubl:
        return application_response(
            doc, findings, response_id=response_id, issue_date=issue_date, code=code
        )
    return invoice_response(
        doc, findings, response_id=response_id, issue_date=issue_date, code=code
    )
