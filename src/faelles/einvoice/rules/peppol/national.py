"""The national rules of Peppol BIS Billing 3.0.21: NO, DK, IT, SE, GR, IS, NL and DE.

Each pattern applies only when the schematron's own conditions hold: mostly the supplier's
country (``$supplierCountry``, which prefers the VAT number prefix) or, for DK, IS, NL and DE,
the country code of the postal addresses. The conditions are computed once per document in
``_doc.index``; a document that names no such country costs a few comparisons here.
"""

from __future__ import annotations

import re

from faelles.einvoice.rules.peppol import identifiers
from faelles.einvoice.rules.peppol._doc import Doc
from faelles.einvoice.rules.peppol._xpath import (
    Element,
    cac,
    castable_integer,
    find,
    findall,
    is_number,
    iterfind,
    norm,
    number,
    string,
    text,
    texts,
    to_date,
)

_ID = cac("cbc:ID")
_COMPANY_ID = cac("cbc:CompanyID")
_PARTY_TAX_SCHEME = cac("cac:PartyTaxScheme")
_TAX_SCHEME_ID = cac("cac:TaxScheme/cbc:ID")
_PARTY_LEGAL_ENTITY = cac("cac:PartyLegalEntity")
_LEGAL_COMPANY_ID = cac("cac:PartyLegalEntity/cbc:CompanyID")
_SUPPLIER_LEGAL_COMPANY_ID = cac(
    "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"
)
_POSTAL_ADDRESS = cac("cac:PostalAddress")
_COUNTRY = cac("cac:PostalAddress/cac:Country/cbc:IdentificationCode")
_IDENTIFICATION_CODE = cac("cbc:IdentificationCode")
_COUNTRY_ = cac("cac:Country")
_STREET = cac("cbc:StreetName")
_CITY = cac("cbc:CityName")
_POSTAL_ZONE = cac("cbc:PostalZone")
_PAYMENT_MEANS = cac("cac:PaymentMeans")
_PAYMENT_MEANS_CODE = cac("cbc:PaymentMeansCode")
_PAYMENT_ID = cac("cbc:PaymentID")
_PAYEE_ACCOUNT = cac("cac:PayeeFinancialAccount")
_PAYEE_ACCOUNT_ID = cac("cac:PayeeFinancialAccount/cbc:ID")
_PAYEE_BRANCH_ID = cac("cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")
_MANDATE = cac("cac:PaymentMandate")
_MANDATE_ID = cac("cac:PaymentMandate/cbc:ID")
_PAYER_ACCOUNT_ID = cac("cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID")
_CARD_ACCOUNT = cac("cac:CardAccount")
_ALLOWANCE_CHARGE = cac("cac:AllowanceCharge")
_REASON_CODE = cac("cbc:AllowanceChargeReasonCode")
_REASON = cac("cbc:AllowanceChargeReason")
_CHARGE_INDICATOR = cac("cbc:ChargeIndicator")
_ITEM_CLASSIFICATION = cac("cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode")
_ACCOUNTING_SUPPLIER = cac("cac:AccountingSupplierParty")
_ACCOUNTING_CUSTOMER = cac("cac:AccountingCustomerParty")
_PARTY = cac("cac:Party")
_PARTY_IDENTIFICATION = cac("cac:PartyIdentification")
_PARTY_NAME = cac("cac:PartyName/cbc:Name")
_ENDPOINT_ID = cac("cbc:EndpointID")
_ADDITIONAL_DOCUMENT_REFERENCE = cac("cac:AdditionalDocumentReference")
_DOCUMENT_DESCRIPTION = cac("cbc:DocumentDescription")
_INVOICE_LINE = cac("cac:InvoiceLine")
_CREDIT_NOTE_LINE = cac("cac:CreditNoteLine")
_TAX_REPRESENTATIVE = cac("cac:TaxRepresentativeParty")
_INVOICE_TYPE_CODE = cac("cbc:InvoiceTypeCode")
_CREDIT_NOTE_TYPE_CODE = cac("cbc:CreditNoteTypeCode")
_PAYABLE_AMOUNT = cac("cac:LegalMonetaryTotal/cbc:PayableAmount")
_CONTACT = cac("cac:Contact")
_BILLING_INVOICE_ID = cac("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")


def _find_all(parent: Element | None, path: str) -> list[Element]:
    return findall(parent, path) if parent is not None else []


def _vat_schemes(party: Element, *, normalized: bool) -> list[Element]:
    """``cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']`` (or its normalize-space form)."""
    return [
        scheme
        for scheme in iterfind(party, _PARTY_TAX_SCHEME)
        if (
            norm(text(scheme, _TAX_SCHEME_ID)) == "VAT"
            if normalized
            else "VAT" in texts(scheme, _TAX_SCHEME_ID)
        )
    ]


def _vat_number(party: Element | None, *, normalized: bool = True) -> str:
    """The CompanyID of the party's first VAT tax scheme, as written."""
    if party is None:
        return ""
    for scheme in _vat_schemes(party, normalized=normalized):
        return text(scheme, _COMPANY_ID)
    return ""


# Norway --------------------------------------------------------------------------------------

_NO_VAT_TAIL = re.compile(r"[0-9]{9}MVA")


def check_norway(doc: Doc) -> None:
    """NO-R-001, NO-R-002 for suppliers whose ``$supplierCountry`` is NO."""
    if doc.supplier_country != "NO":
        return
    for party in _accounting_parties(doc, _ACCOUNTING_SUPPLIER):
        register = ""
        for scheme in iterfind(party, _PARTY_TAX_SCHEME):
            if norm(text(scheme, _TAX_SCHEME_ID)) == "TAX":
                register = norm(text(scheme, _COMPANY_ID))
                break
        doc.check("NO-R-002", register == "Foretaksregisteret", party)
        vat = _vat_number(party)
        ok = vat[:2] != "NO" or (
            _NO_VAT_TAIL.fullmatch(vat[2:]) is not None and identifiers.mod11(vat[2:11])
        )
        doc.check("NO-R-001", ok, party)


def _accounting_parties(doc: Doc, role: str) -> list[Element]:
    """Every ``role/cac:Party`` in the document (a relative rule context matches anywhere)."""
    parties = []
    for party in doc.all(_PARTY):
        parent = party.getparent()
        if parent is not None and parent.tag == role:
            parties.append(party)
    return parties


# Denmark -------------------------------------------------------------------------------------

_DK_PAYMENT_MEANS = " 1 10 31 42 48 49 50 58 59 93 97 "
_GIRO_ACCOUNT = re.compile(r"[0-9]{7,8}\Z")
_UNSPSC_VERSIONS = frozenset(("19.05.01", "19.0501", "26.08.01", "26.0801"))


def check_denmark(doc: Doc) -> None:
    """DK-R-002 ... DK-R-017 when the supplier (and for most, the customer) is in DK."""
    if doc.dk_supplier_country != "DK":
        return
    root = doc.root
    legal_ids = findall(root, _SUPPLIER_LEGAL_COMPANY_ID)
    doc.check("DK-R-002", norm(legal_ids[0].text or "") != "" if legal_ids else False, root)
    doc.check(
        "DK-R-014",
        not (legal_ids and norm(legal_ids[0].get("schemeID") or "") != "0184"),
        root,
    )
    payable = find(root, _PAYABLE_AMOUNT)
    doc.check(
        "DK-R-016",
        not (
            not doc.is_invoice
            and doc.dk_customer_country == "DK"
            and number((payable.text or "") if payable is not None else "") < 0
        ),
        root,
    )
    if doc.dk_customer_country != "DK":
        return
    for role in (_ACCOUNTING_SUPPLIER, _ACCOUNTING_CUSTOMER):
        for identification in findall(root, f"{role}/{_PARTY}/{_PARTY_IDENTIFICATION}"):
            ids = findall(identification, _ID)
            doc.check(
                "DK-R-013",
                not (ids and norm(ids[0].get("schemeID") or "") == ""),
                identification,
            )
    if doc.is_invoice:
        for means in doc.child_all(_PAYMENT_MEANS):
            _dk_payment_means(doc, means)
    for customer in findall(root, f"{_ACCOUNTING_CUSTOMER}/{_PARTY}"):
        customer_ids = findall(customer, _LEGAL_COMPANY_ID)
        doc.check(
            "DK-R-017",
            not (customer_ids and norm(customer_ids[0].get("schemeID") or "") != "0184"),
            customer,
        )
    for line in doc.child_all(_INVOICE_LINE if doc.is_invoice else _CREDIT_NOTE_LINE):
        codes = findall(line, _ITEM_CLASSIFICATION)
        test_list = any(c.get("listID") == "TST" for c in codes)
        known_version = any(c.get("listVersionID") in _UNSPSC_VERSIONS for c in codes)
        doc.check("DK-R-003", not (test_list and not known_version), line)
    for charge in doc.all(_ALLOWANCE_CHARGE):
        _dk_tax_charge(doc, charge)


def _dk_payment_means(doc: Doc, means: Element) -> None:
    codes = texts(means, _PAYMENT_MEANS_CODE)
    first_code = codes[0] if codes else ""
    doc.check("DK-R-005", f" {first_code} " in _DK_PAYMENT_MEANS, means)
    account = norm(text(means, _PAYEE_ACCOUNT_ID))
    branch = norm(text(means, _PAYEE_BRANCH_ID))
    doc.check(
        "DK-R-006",
        not (("31" in codes or "42" in codes) and not (account != "" and branch != "")),
        means,
    )
    mandate = norm(text(means, _MANDATE_ID))
    payer = norm(text(means, _PAYER_ACCOUNT_ID))
    doc.check("DK-R-007", not ("49" in codes and not (mandate != "" and payer != "")), means)
    payment_id = text(means, _PAYMENT_ID)
    prefix = payment_id[:3]
    raw_account = text(means, _PAYEE_ACCOUNT_ID)
    doc.check(
        "DK-R-008",
        not (
            "50" in codes
            and not (
                prefix in ("01#", "04#", "15#") and _GIRO_ACCOUNT.match(raw_account) is not None
            )
        ),
        means,
    )
    doc.check(
        "DK-R-009",
        not ("50" in codes and prefix in ("04#", "15#") and len(payment_id) != 19),
        means,
    )
    account_el = find(means, _PAYEE_ACCOUNT_ID)
    account_text = (account_el.text or "") if account_el is not None else ""
    doc.check(
        "DK-R-010",
        not ("93" in codes and not (prefix in ("71#", "73#", "75#") and len(account_text) == 8)),
        means,
    )
    doc.check(
        "DK-R-011",
        not ("93" in codes and prefix in ("71#", "75#") and len(payment_id) not in (18, 19)),
        means,
    )


def _dk_tax_charge(doc: Doc, charge: Element) -> None:
    """DK-R-004: a non-VAT tax (reason code ZZZ) names its Danish tax category."""
    if "ZZZ" not in texts(charge, _REASON_CODE):
        return
    reason_el = find(charge, _REASON)
    reason = string(reason_el)
    value = number(reason)
    four_digits = len(norm(reason_el.text or "") if reason_el is not None else "") == 4 and (
        0 <= value <= 9999
    )
    hashed = (
        reason_el is not None
        and "#" in reason
        and not reason.startswith("#")
        and not reason.endswith("#")
    )
    doc.check("DK-R-004", four_digits or hashed, charge)


# Italy ---------------------------------------------------------------------------------------

_IT_TAX_ID = re.compile(r"[A-Z0-9]{11,16}")


def check_italy(doc: Doc) -> None:
    """IT-R-001 ... IT-R-004 for suppliers whose ``$supplierCountry`` is IT."""
    if doc.supplier_country != "IT":
        return
    for party in _accounting_parties(doc, _ACCOUNTING_SUPPLIER):
        for scheme in iterfind(party, _PARTY_TAX_SCHEME):
            if norm(text(scheme, _TAX_SCHEME_ID)) != "VAT":
                company_id = norm(text(scheme, _COMPANY_ID))
                doc.check("IT-R-001", _IT_TAX_ID.fullmatch(company_id) is not None, scheme)
        address = findall(party, _POSTAL_ADDRESS)
        doc.check("IT-R-002", any(find(a, _STREET) is not None for a in address), party)
        doc.check("IT-R-003", any(find(a, _CITY) is not None for a in address), party)
        doc.check("IT-R-004", any(find(a, _POSTAL_ZONE) is not None for a in address), party)


# Sweden --------------------------------------------------------------------------------------


def _country_codes(party: Element) -> list[str]:
    return texts(party, _COUNTRY)


def check_sweden(doc: Doc) -> None:
    """SE-R-001 ... SE-R-013 for suppliers with a Swedish postal address."""
    if not any(
        string(el) == "SE" and _under(el, _ACCOUNTING_SUPPLIER, _PARTY, _POSTAL_ADDRESS, _COUNTRY_)
        for el in doc.all(_IDENTIFICATION_CODE)
    ):
        return
    suppliers = _accounting_parties(doc, _ACCOUNTING_SUPPLIER)
    swedish = [p for p in suppliers if "SE" in _country_codes(p)]
    if not swedish:
        return
    swedish_vat = [
        p
        for p in swedish
        if any(text(s, _COMPANY_ID)[:2] == "SE" for s in _vat_schemes(p, normalized=False))
    ]
    for party in swedish_vat:
        vat = _vat_number(party, normalized=False)
        doc.check("SE-R-001", len(norm(vat)) == 14, party)
        doc.check("SE-R-002", is_number(vat[2:14]), party)
    for party in swedish:
        for entity in iterfind(party, _PARTY_LEGAL_ENTITY):
            if find(entity, _COMPANY_ID) is None:
                continue
            company_id = text(entity, _COMPANY_ID)
            doc.check("SE-R-003", is_number(company_id), entity)
            doc.check("SE-R-004", len(norm(company_id)) == 10, entity)
            doc.check("SE-R-013", identifiers.swedish_org_number(norm(company_id)), entity)
        if find(party, _LEGAL_COMPANY_ID) is not None:
            for scheme in iterfind(party, _PARTY_TAX_SCHEME):
                if norm(text(scheme, _TAX_SCHEME_ID).upper()) == "VAT":
                    continue
                for company_id_el in iterfind(scheme, _COMPANY_ID):
                    doc.check(
                        "SE-R-005",
                        norm(string(company_id_el).upper()) == "GODKÄND FÖR F-SKATT",
                        company_id_el,
                    )
    if swedish_vat:
        for tag in (cac("cac:TaxCategory"), cac("cac:ClassifiedTaxCategory")):
            for category in doc.all(tag):
                if "S" in texts(category, _ID):
                    percent = number(text(category, cac("cbc:Percent")))
                    doc.check("SE-R-006", percent in (25, 12, 6), category)
    customer_swedish = any(
        "SE" in _country_codes(p) for p in _accounting_parties(doc, _ACCOUNTING_CUSTOMER)
    )
    for means in doc.all(_PAYMENT_MEANS):
        code = norm(text(means, _PAYMENT_MEANS_CODE))
        codes = texts(means, _PAYMENT_MEANS_CODE)
        branch = norm(text(means, _PAYEE_BRANCH_ID))
        if code == "30" and branch in ("SE:PLUSGIRO", "SE:BANKGIRO"):
            for account in _find_all(find(means, _PAYEE_ACCOUNT), _ID):
                value = norm(string(account))
                if branch == "SE:PLUSGIRO":
                    doc.check("SE-R-007", is_number(value), account)
                    doc.check("SE-R-010", 2 <= len(value) <= 8, account)
                else:
                    doc.check("SE-R-008", is_number(value), account)
                    doc.check("SE-R-009", len(value) in (7, 8), account)
        if "50" in codes or "56" in codes:
            doc.fire("SE-R-011", means)
        elif customer_swedish and "31" in codes:
            doc.fire("SE-R-012", means)


# Greece --------------------------------------------------------------------------------------

_GREEK_DATE = re.compile(
    r"(0?[1-9]|[12][0-9]|3[01])[-\\/ ]?(0?[1-9]|1[0-2])[-\\/ ]?(19|20)[0-9]{2}"
)
_GREEK_DOCUMENT_TYPES = frozenset(("1.1", "1.6", "2.1", "2.4", "5.1", "5.2"))
_MARK = "##M.AR.K##"
_INVOICE_URL = "##INVOICE|URL##"
_POSITIVE_INTEGER = re.compile(r"[1-9]")


def _greek(country: str) -> bool:
    return country in ("GR", "EL")


def _greek_vat_ok(party: Element) -> bool:
    """The party has one VAT number, ``EL`` followed by a valid TIN (GR-S-011, GR-R-006)."""
    numbers = [el for s in _vat_schemes(party, normalized=True) for el in iterfind(s, _COMPANY_ID)]
    if len(numbers) != 1:
        return False
    value = string(numbers[0])
    return value[:2] == "EL" and identifiers.greek_tin(value[2:])


def check_greece_sender(doc: Doc) -> None:
    """GR-R-001 ... GR-R-009 and GR-S-* when the supplier is Greek."""
    root = doc.root
    greek_sender = _greek(doc.supplier_country)
    if greek_sender:
        for el in doc.child_all(_ID):
            _greek_invoice_id(doc, el)
        for supplier in _find_all(root, f".//{_ACCOUNTING_SUPPLIER}/{_PARTY}"):
            doc.check("GR-R-002", len(text(supplier, _PARTY_NAME)) > 0, supplier)
            doc.check("GR-S-011", _greek_vat_ok(supplier), supplier)
            for scheme in _vat_schemes(supplier, normalized=True):
                for company_id in iterfind(scheme, _COMPANY_ID):
                    value = string(company_id)
                    doc.check(
                        "GR-R-003",
                        value[:2] == "EL" and identifiers.greek_tin(value[2:]),
                        company_id,
                    )
        supplier_in_gr = "GR" in texts(root, f"{_ACCOUNTING_SUPPLIER}/{_PARTY}/{_COUNTRY}")
        if supplier_in_gr:
            references = doc.child_all(_ADDITIONAL_DOCUMENT_REFERENCE)
            marks = [r for r in references if _MARK in texts(r, _DOCUMENT_DESCRIPTION)]
            urls = [r for r in references if _INVOICE_URL in texts(r, _DOCUMENT_DESCRIPTION)]
            doc.check("GR-R-004-1", len(marks) == 1, root)
            doc.check("GR-S-008-1", len(urls) == 1, root)
            doc.check("GR-R-008-2", len(urls) <= 1, root)
        for reference in doc.all(_ADDITIONAL_DOCUMENT_REFERENCE):
            descriptions = texts(reference, _DOCUMENT_DESCRIPTION)
            if supplier_in_gr and _MARK in descriptions:
                for mark in iterfind(reference, _ID):
                    doc.check("GR-R-004-2", _POSITIVE_INTEGER.match(string(mark)) is not None, mark)
            if _INVOICE_URL in descriptions:
                uri = text(reference, cac("cac:Attachment/cac:ExternalReference/cbc:URI"))
                doc.check("GR-R-008-3", len(norm(uri)) > 0, reference)
        for customer in _find_all(root, f".//{_ACCOUNTING_CUSTOMER}/{_PARTY}"):
            doc.check("GR-R-005", len(text(customer, _PARTY_NAME)) > 0, customer)
    if _greek(doc.accounting_supplier_country):
        for party in _accounting_parties(doc, _ACCOUNTING_SUPPLIER):
            for endpoint in iterfind(party, _ENDPOINT_ID):
                doc.check(
                    "GR-R-009",
                    endpoint.get("schemeID") == "9933" and identifiers.greek_tin(string(endpoint)),
                    endpoint,
                )


def _greek_invoice_id(doc: Doc, el: Element) -> None:
    """GR-R-001-*: the six ``|``-separated segments of a Greek invoice number."""
    value = string(el)
    segments = value.split("|") if value else []

    def segment(n: int) -> str:
        return segments[n - 1] if len(segments) >= n else ""

    doc.check("GR-R-001-1", len(segments) == 6, el)
    first = segment(1)
    tins = [
        vat[2:11]
        for party in findall(doc.root, f"{_ACCOUNTING_SUPPLIER}/{_PARTY}")
        + doc.child_all(_TAX_REPRESENTATIVE)
        for vat in (text(s, _COMPANY_ID) for s in _vat_schemes(party, normalized=False))
    ]
    doc.check(
        "GR-R-001-2",
        len(norm(first)) == 9 and identifiers.greek_tin(first) and first in tins,
        el,
    )
    second = segment(2)
    id_date = second.split("/") if second else []
    issue_date = text(doc.root, cac("cbc:IssueDate"))
    issue = issue_date.split("-") if issue_date else []
    ok = (
        len(norm(second)) > 0
        and _GREEK_DATE.match(second) is not None
        and len(id_date) >= 3
        and len(issue) >= 3
        and id_date[0] == issue[2]
        and id_date[1] == issue[1]
        and id_date[2] == issue[0]
    )
    doc.check("GR-R-001-3", ok, el)
    third = segment(3)
    doc.check(
        "GR-R-001-4",
        len(norm(third)) > 0 and is_number(third) and castable_integer(third) and int(third) >= 0,
        el,
    )
    fourth = segment(4)
    doc.check("GR-R-001-5", len(norm(fourth)) > 0 and fourth in _GREEK_DOCUMENT_TYPES, el)
    doc.check("GR-R-001-6", len(segment(5)) > 0, el)
    doc.check("GR-R-001-7", len(segment(6)) > 0, el)


def check_greece_receiver(doc: Doc) -> None:
    """GR-R-006, GR-R-010 when supplier and customer are both Greek."""
    if not (_greek(doc.supplier_country) and _greek(doc.customer_country)):
        return
    for customer in _find_all(doc.root, f".//{_ACCOUNTING_CUSTOMER}/{_PARTY}"):
        doc.check("GR-R-006", _greek_vat_ok(customer), customer)
        for endpoint in iterfind(customer, _ENDPOINT_ID):
            doc.check(
                "GR-R-010",
                endpoint.get("schemeID") == "9933" and identifiers.greek_tin(string(endpoint)),
                endpoint,
            )


# Iceland -------------------------------------------------------------------------------------

_EINDAGI = "EINDAGI"


def _type_code_ok(value: str) -> bool:
    value = norm(value)
    return " " not in value and f" {value} " in " 380 381 "


def check_iceland(doc: Doc) -> None:
    """IS-R-001 ... IS-R-010 when the supplier's postal address is in IS."""
    if doc.dk_supplier_country != "IS":
        return
    root = doc.root
    doc.check(
        "IS-R-001",
        _type_code_ok(text(root, _INVOICE_TYPE_CODE))
        or _type_code_ok(text(root, _CREDIT_NOTE_TYPE_CODE)),
        root,
    )
    legal_ids = findall(root, _SUPPLIER_LEGAL_COMPANY_ID)
    doc.check("IS-R-002", any(el.get("schemeID") == "0196" for el in legal_ids), root)
    addresses = findall(root, f"{_ACCOUNTING_SUPPLIER}/{_PARTY}/{_POSTAL_ADDRESS}")
    doc.check(
        "IS-R-003",
        any(find(a, _STREET) is not None for a in addresses)
        and any(find(a, _POSTAL_ZONE) is not None for a in addresses),
        root,
    )
    for rule, code in (("IS-R-006", "9"), ("IS-R-007", "42")):
        means = [m for m in doc.child_all(_PAYMENT_MEANS) if code in texts(m, _PAYMENT_MEANS_CODE)]
        accounts = [a for m in means for a in iterfind(m, _PAYEE_ACCOUNT_ID)]
        doc.check(
            rule, not means or (bool(accounts) and len(norm(string(accounts[0]))) == 12), root
        )
    eindagi = [
        r
        for r in doc.child_all(_ADDITIONAL_DOCUMENT_REFERENCE)
        if _EINDAGI in texts(r, _DOCUMENT_DESCRIPTION)
    ]
    if eindagi:
        eindagi_ids = [string(el) for r in eindagi for el in iterfind(r, _ID)]
        first_id = eindagi_ids[0] if eindagi_ids else ""
        doc.check(
            "IS-R-008",
            len(first_id) == 10 and to_date(first_id) is not None and "T" not in first_id,
            root,
        )
        due_dates = texts(root, cac("cbc:DueDate"))
        doc.check("IS-R-009", bool(due_dates), root)
        doc.check(
            "IS-R-010",
            any(due <= eindagi_id for due in due_dates for eindagi_id in eindagi_ids),
            root,
        )
    if doc.dk_customer_country == "IS":
        for customer in doc.child_all(_ACCOUNTING_CUSTOMER):
            legal = findall(customer, f"{_PARTY}/{_LEGAL_COMPANY_ID}")
            doc.check("IS-R-004", any(el.get("schemeID") == "0196" for el in legal), customer)
            addresses = findall(customer, f"{_PARTY}/{_POSTAL_ADDRESS}")
            doc.check(
                "IS-R-005",
                any(find(a, _STREET) is not None for a in addresses)
                and any(find(a, _POSTAL_ZONE) is not None for a in addresses),
                customer,
            )


# Netherlands ---------------------------------------------------------------------------------

_NL_PAYMENT_MEANS = frozenset(("30", "48", "49", "57", "58", "59"))


def _kvk_or_oin(company_id: Element) -> bool:
    schemes = f" {company_id.get('schemeID') or ''} "
    return (" 0106 " in schemes or " 0190 " in schemes) and norm(string(company_id)) != ""


def _has_address_lines(address: Element) -> bool:
    return all(find(address, tag) is not None for tag in (_STREET, _CITY, _POSTAL_ZONE))


def _under(el: Element, *tags: str) -> bool:
    """``el`` sits at ``tags[0]/tags[1]/.../el`` (nearest ancestor last)."""
    node: Element | None = el
    for tag in reversed(tags):
        node = node.getparent() if node is not None else None
        if node is None or node.tag != tag:
            return False
    return True


def check_netherlands(doc: Doc) -> None:
    """NL-R-001 ... NL-R-009 for suppliers with a Dutch postal address."""
    if doc.supplier_postal_country != "NL":
        return
    customer_nl = doc.customer_postal_country == "NL"
    representative = doc.child(_TAX_REPRESENTATIVE)
    representative_nl = (
        representative is not None and norm(text(representative, _COUNTRY)).upper() == "NL"
    )
    has_invoice_reference = find(doc.root, _BILLING_INVOICE_ID) is not None
    for el in doc.all(_CREDIT_NOTE_TYPE_CODE):
        doc.check("NL-R-001", has_invoice_reference, el)
    for address in doc.all(_POSTAL_ADDRESS):
        if _under(address, _ACCOUNTING_SUPPLIER, _PARTY):
            doc.check("NL-R-002", _has_address_lines(address), address)
        elif customer_nl and _under(address, _ACCOUNTING_CUSTOMER, _PARTY):
            doc.check("NL-R-004", _has_address_lines(address), address)
        elif representative_nl and _under(address, _TAX_REPRESENTATIVE):
            doc.check("NL-R-006", _has_address_lines(address), address)
    for company_id in doc.all(_COMPANY_ID):
        if _under(company_id, _ACCOUNTING_SUPPLIER, _PARTY, _PARTY_LEGAL_ENTITY):
            doc.check("NL-R-003", _kvk_or_oin(company_id), company_id)
        elif customer_nl and _under(company_id, _ACCOUNTING_CUSTOMER, _PARTY, _PARTY_LEGAL_ENTITY):
            doc.check("NL-R-005", _kvk_or_oin(company_id), company_id)
    has_payment_means = bool(doc.all(_PAYMENT_MEANS))
    for total in doc.all(cac("cac:LegalMonetaryTotal")):
        payable = find(total, cac("cbc:PayableAmount"))
        value = number(string(payable)) if payable is not None else float("nan")
        doc.check(
            "NL-R-007",
            (doc.is_invoice and value <= 0)
            or (not doc.is_invoice and value >= 0)
            or has_payment_means,
            total,
        )
    if customer_nl:
        for means in doc.all(_PAYMENT_MEANS):
            code = norm(text(means, _PAYMENT_MEANS_CODE))
            doc.check("NL-R-008", code in _NL_PAYMENT_MEANS, means)
    has_order = find(doc.root, cac("cac:OrderReference/cbc:ID")) is not None
    for line_id in doc.all(cac("cbc:LineID")):
        if _under(line_id, cac("cac:OrderLineReference")):
            doc.check("NL-R-009", has_order, line_id)


# Germany -------------------------------------------------------------------------------------

_SKONTO = re.compile(
    r"(^|\r?\n)#(SKONTO)#TAGE=([0-9]+#PROZENT=[0-9]+\.[0-9]{2})(#BASISBETRAG=-?[0-9]+\.[0-9]{2})?#\Z"
)
_EMAIL = re.compile(r"^[^@ \t\n\r]+@([^@. \t\n\r]+\.)+[^@. \t\n\r]+\Z")
_DIGITS = frozenset("0123456789")  # XR-TELEPHONE-REGEX: at least three digits
_URL = re.compile(r"^([a-zA-Z])([a-zA-Z0-9+.-])+:.*")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{0,30}\Z")
_SEPARATOR = re.compile(r"#[^\n\r]+#")  # XPath "." matches neither \n nor \r
_LINE_BREAK = re.compile(r"\r?\n")
_XML_SPACE = re.compile(r"[ \n\r\t]")
_DE_VAT_CODES = frozenset(("S", "Z", "E", "AE", "K", "G", "L", "M"))
_DE_TYPE_CODES = frozenset(("326", "380", "384", "389", "381", "875", "876", "877"))


def _iban_ok(value: str) -> bool:
    """DE-R-019/020: an IBAN pattern and the ISO 7064 mod 97 check, as the stylesheet does it."""
    value = norm(_XML_SPACE.sub("", value))
    if _IBAN.match(value) is None:
        return False
    rearranged = value[4:] + value[:2].upper() + value[2:4]
    digits = "".join(str(ord(c) - 55) if ord(c) > 64 else str(ord(c) - 48) for c in rearranged)
    return int(digits) % 97 == 1


def _skonto_ok(root: Element) -> bool:
    """DE-R-018: every ``#`` line of the first payment terms note is a valid Skonto entry."""
    notes = [find(terms, cac("cbc:Note")) for terms in iterfind(root, cac("cac:PaymentTerms"))]
    first_notes = [string(n) for n in notes if n is not None]
    lines = [
        line
        for note in first_notes
        for line in (_LINE_BREAK.split(note) if note else [])
        if norm(line).startswith("#")
    ]
    if not lines:
        return True
    tails = []
    for note in first_notes:
        tokens = _SEPARATOR.split(note) if note else []
        if tokens:
            tails.append(tokens[-1])
    tail_ok = len(tails) == 1 and re.match(r"[ \t\n\r]*\n", tails[0]) is not None
    return all(_SKONTO.search(norm(line)) is not None for line in lines) and tail_ok


def _nonblank(parent: Element, tag: str) -> bool:
    """``tag[boolean(normalize-space(.))]``."""
    return any(norm(string(el)) for el in iterfind(parent, tag))


def check_germany(doc: Doc) -> None:
    """DE-R-001 ... DE-R-031 when supplier and customer both have a German postal address."""
    if not doc.both_de:
        return
    root = doc.root
    _german_document(doc)
    for reference in doc.child_all(_ADDITIONAL_DOCUMENT_REFERENCE):
        for external in iterfind(reference, cac("cac:Attachment/cac:ExternalReference")):
            uri = text(external, cac("cbc:URI"))
            doc.check("DE-R-T02", _URL.match(uri) is not None, external)
    for supplier in doc.child_all(_ACCOUNTING_SUPPLIER):
        doc.check("DE-R-002", find(supplier, f"{_PARTY}/{_CONTACT}") is not None, supplier)
        for address in iterfind(supplier, f"{_PARTY}/{_POSTAL_ADDRESS}"):
            doc.check("DE-R-003", _nonblank(address, _CITY), address)
            doc.check("DE-R-004", _nonblank(address, _POSTAL_ZONE), address)
        for contact in iterfind(supplier, f"{_PARTY}/{_CONTACT}"):
            doc.check("DE-R-005", _nonblank(contact, cac("cbc:Name")), contact)
            doc.check("DE-R-006", _nonblank(contact, cac("cbc:Telephone")), contact)
            doc.check("DE-R-007", _nonblank(contact, cac("cbc:ElectronicMail")), contact)
            telephone = norm(text(contact, cac("cbc:Telephone")))
            doc.check("DE-R-027", sum(c in _DIGITS for c in telephone) >= 3, contact)
            email = norm(text(contact, cac("cbc:ElectronicMail")))
            doc.check("DE-R-028", _EMAIL.search(email) is not None, contact)
    for address in iterfind(root, f"{_ACCOUNTING_CUSTOMER}/{_PARTY}/{_POSTAL_ADDRESS}"):
        doc.check("DE-R-008", _nonblank(address, _CITY), address)
        doc.check("DE-R-009", _nonblank(address, _POSTAL_ZONE), address)
    for address in iterfind(root, cac("cac:Delivery/cac:DeliveryLocation/cac:Address")):
        doc.check("DE-R-010", _nonblank(address, _CITY), address)
        doc.check("DE-R-011", _nonblank(address, _POSTAL_ZONE), address)
    for means in doc.child_all(_PAYMENT_MEANS):
        code = norm(text(means, _PAYMENT_MEANS_CODE))
        has_account = find(means, _PAYEE_ACCOUNT) is not None
        has_card = find(means, _CARD_ACCOUNT) is not None
        has_mandate = find(means, _MANDATE) is not None
        if code in ("30", "58"):
            doc.check("DE-R-019", code != "58" or _iban_ok(text(means, _PAYEE_ACCOUNT_ID)), means)
            doc.check("DE-R-023-1", has_account, means)
            doc.check("DE-R-023-2", not has_card and not has_mandate, means)
        elif code in ("48", "54", "55"):
            doc.check("DE-R-024-1", has_card, means)
            doc.check("DE-R-024-2", not has_account and not has_mandate, means)
        elif code == "59":
            doc.check("DE-R-020", _iban_ok(text(means, _PAYER_ACCOUNT_ID)), means)
            doc.check("DE-R-025-1", has_mandate, means)
            doc.check("DE-R-025-2", not has_account and not has_card, means)
    for subtotal in iterfind(root, cac("cac:TaxTotal/cac:TaxSubtotal")):
        doc.check("DE-R-014", _nonblank(subtotal, cac("cac:TaxCategory/cbc:Percent")), subtotal)


def _german_document(doc: Doc) -> None:
    root = doc.root
    doc.check("DE-R-001", doc.child(_PAYMENT_MEANS) is not None, root)
    doc.check("DE-R-015", _nonblank(root, cac("cbc:BuyerReference")), root)
    allowance_codes = []
    charge_codes = []
    for charge in doc.child_all(_ALLOWANCE_CHARGE):
        indicators = texts(charge, _CHARGE_INDICATOR)
        category_ids = texts(charge, cac("cac:TaxCategory/cbc:ID"))
        if "false" in indicators:
            allowance_codes.extend(category_ids)
        if "true" in indicators:
            charge_codes.extend(category_ids)
    line_codes = [
        string(el)
        for tag in (_INVOICE_LINE, _CREDIT_NOTE_LINE)
        for line in doc.child_all(tag)
        for el in iterfind(line, cac("cac:Item/cac:ClassifiedTaxCategory/cbc:ID"))
    ]
    uses_vat = any(c in _DE_VAT_CODES for c in allowance_codes + charge_codes + line_codes)
    supplier_tax_ids = [
        el
        for el in iterfind(
            root, f"{_ACCOUNTING_SUPPLIER}/{_PARTY}/{_PARTY_TAX_SCHEME}/{_COMPANY_ID}"
        )
        if norm(string(el))
    ]
    doc.check(
        "DE-R-016",
        not uses_vat or doc.child(_TAX_REPRESENTATIVE) is not None or bool(supplier_tax_ids),
        root,
    )
    type_code = norm(text(root, _INVOICE_TYPE_CODE))
    credit_type_code = norm(text(root, _CREDIT_NOTE_TYPE_CODE))
    doc.check("DE-R-017", type_code in _DE_TYPE_CODES or credit_type_code in _DE_TYPE_CODES, root)
    doc.check("DE-R-018", _skonto_ok(root), root)
    seen: set[str] = set()
    unique = True
    for reference in doc.child_all(_ADDITIONAL_DOCUMENT_REFERENCE):
        names = {
            el.get("filename") or ""
            for el in iterfind(reference, cac("cac:Attachment/cbc:EmbeddedDocumentBinaryObject"))
            if el.get("filename") is not None
        }
        if names & seen:
            unique = False
        seen |= names
    doc.check("DE-R-022", unique, root)
    doc.check(
        "DE-R-026",
        "384" not in (type_code, credit_type_code)
        or find(root, cac("cac:BillingReference/cac:InvoiceDocumentReference")) is not None,
        root,
    )
    has_mandate = find(root, f"{_PAYMENT_MEANS}/{_MANDATE}") is not None
    creditor_ids = [
        el
        for path in (
            f"{_ACCOUNTING_SUPPLIER}/{_PARTY}/{_PARTY_IDENTIFICATION}/{_ID}",
            f"{cac('cac:PayeeParty')}/{_PARTY_IDENTIFICATION}/{_ID}",
        )
        for el in iterfind(root, path)
        if el.get("schemeID") == "SEPA"
    ]
    doc.check("DE-R-030", not has_mandate or bool(creditor_ids), root)
    doc.check(
        "DE-R-031",
        not has_mandate or find(root, f"{_PAYMENT_MEANS}/{_PAYER_ACCOUNT_ID}") is not None,
        root,
    )


__all__ = [
    "check_denmark",
    "check_germany",
    "check_greece_receiver",
    "check_greece_sender",
    "check_iceland",
    "check_italy",
    "check_netherlands",
    "check_norway",
    "check_sweden",
]
