"""Write the model as an OIOUBL 2.1 Invoice or CreditNote (UBL 2.0 with Danish conventions).

The mirror of how :mod:`faelles.einvoice.reader` maps OIOUBL into EN 16931, so that
``read(to_oioubl(doc))`` gives back the document for every term OIOUBL carries:

* identifier schemes 0088/0184/0198/0096/0060/0160 are written as ``GLN``/``DK:CVR``/
  ``DK:SE``/``DK:P``/``DUNS``/``GTIN`` (a CVR number with its ``DK`` prefix); other schemes
  are written as they are;
* VAT categories S/Z/AE become ``StandardRated``/``ZeroRated``/``ReverseCharge`` in the VAT
  tax scheme ``63`` ("Moms"); UNSPSC classifications (list id ``TST``) get list id
  ``UNSPSC``;
* ``LegalMonetaryTotal/TaxExclusiveAmount`` holds the VAT amount, as OIOUBL defines it;
* the buyer reference (BT-10) is the buyer contact's ``ID`` (OIOUBL's person reference,
  mandatory: ``n/a`` is written when the document has none), the due date (BT-9) the
  ``PaymentDueDate`` of the first payment means, the payment terms one ``PaymentTerms`` with
  the note and the amount payable;
* payment means: an IBAN transfer is code 31 on channel ``IBAN`` with the BIC, a Danish bank
  transfer (31/42 with a registration number) code 42 on ``DK:BANK``, FIK (93,
  ``"71#<instruction>"``) ``DK:FIK`` with the creditor number as ``CreditAccount``, giro
  (50) ``DK:GIRO``;
* every line carries its VAT in a line ``TaxTotal`` (the OIOUBL way) computed from the
  line's net amount and rate; a party is named in ``PartyName`` (its trading name, else its
  registration name) and, when it has a legal id (CVR), in ``PartyLegalEntity`` (OIOUBL
  wants a CompanyID there).

Not written, because OIOUBL 2.1 (UBL 2.0) has no place for them or the demo and tests need
none: the credit note type code (OIOUBL reads it as 381), a credit note's payment means
(UBL 2.0 CreditNote has none), line periods and object ids, the invoiced object, the tax
representative, attachments, and the other payment means codes. ``UUID`` is derived from the
seller, kind, number and issue date, so the same document is always written the same bytes.

A pure library like the rest of :mod:`faelles.einvoice`.
"""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from faelles.einvoice.model import (
    Address,
    AllowanceCharge,
    Document,
    Identifier,
    Line,
    Party,
    PaymentMeans,
    Period,
)
from faelles.einvoice.xml import CAC, CBC, CREDIT_NOTE_NS, INVOICE_NS

OIOUBL_CUSTOMIZATION = "OIOUBL-2.1"
OIOUBL_PROFILE = "urn:www.nesubl.eu:profiles:profile5:ver2.0"
PROFILE_SCHEME = "urn:oioubl:id:profileid-1.2"
AGENCY = "320"
TAX_SCHEME = "63"
NO_REFERENCE = "n/a"

#: EN 16931 / ISO 6523 identifier schemes → OIOUBL schemeID (the reader's map, reversed).
SCHEMES = {
    "0088": "GLN",
    "0184": "DK:CVR",
    "0198": "DK:SE",
    "0096": "DK:P",
    "0060": "DUNS",
    "0160": "GTIN",
}
TAX_CATEGORIES = {"S": "StandardRated", "Z": "ZeroRated", "AE": "ReverseCharge"}
CLASSIFICATIONS = {"TST": "UNSPSC"}

_NSMAP_INVOICE = {None: INVOICE_NS, "cac": CAC, "cbc": CBC}
_NSMAP_CREDIT_NOTE = {None: CREDIT_NOTE_NS, "cac": CAC, "cbc": CBC}
_CENT = Decimal("0.01")


def _amount(value: Decimal) -> str:
    return format(value, "f")


def _cbc(
    parent: etree._Element, tag: str, value: str | None, **attrs: str | None
) -> etree._Element | None:
    if value is None:
        return None
    el = etree.SubElement(parent, f"{{{CBC}}}{tag}")
    el.text = value
    for key, attr in attrs.items():
        if attr is not None:
            el.set(key, attr)
    return el


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def _money(parent: etree._Element, name: str, value: Decimal | None, currency: str | None) -> None:
    if value is not None:
        _cbc(parent, name, _amount(value), currencyID=currency)


def _date(parent: etree._Element, name: str, value: object) -> None:
    if value is not None:
        _cbc(parent, name, str(value))


def _ident(parent: etree._Element, name: str, ident: Identifier | None) -> None:
    if ident is None:
        return
    scheme = SCHEMES.get(ident.scheme or "", ident.scheme)
    value = ident.value
    if scheme == "DK:CVR" and value.isdigit():
        value = f"DK{value}"
    _cbc(parent, name, value, schemeID=scheme, schemeAgencyID="9" if scheme == "GLN" else None)


def _tax_scheme(parent: etree._Element) -> None:
    scheme = _cac(parent, "TaxScheme")
    _cbc(
        scheme,
        "ID",
        TAX_SCHEME,
        schemeAgencyID=AGENCY,
        schemeID="urn:oioubl:id:taxschemeid-1.1",
    )
    _cbc(scheme, "Name", "Moms")


def _tax_category(parent: etree._Element, category: str | None, rate: Decimal | None) -> None:
    el = _cac(parent, "TaxCategory")
    _cbc(
        el,
        "ID",
        TAX_CATEGORIES.get(category or "", category),
        schemeAgencyID=AGENCY,
        schemeID="urn:oioubl:id:taxcategoryid-1.1",
    )
    if rate is not None:
        _cbc(el, "Percent", _amount(rate))
    _tax_scheme(el)


def _period(parent: etree._Element, period: Period | None) -> None:
    if period is None:
        return
    el = _cac(parent, "InvoicePeriod")
    _date(el, "StartDate", period.start)
    _date(el, "EndDate", period.end)


def _address(parent: etree._Element, name: str, address: Address | None) -> None:
    if address is None:
        return
    el = _cac(parent, name)
    structured = any((address.street, address.additional_street, address.city, address.postal_zone))
    _cbc(
        el,
        "AddressFormatCode",
        "StructuredLax" if structured or address.line is None else "Unstructured",
        listAgencyID=AGENCY,
        listID="urn:oioubl:codelist:addressformatcode-1.1",
    )
    if structured or address.line is None:
        _cbc(el, "StreetName", address.street)
        _cbc(el, "AdditionalStreetName", address.additional_street)
        _cbc(el, "CityName", address.city)
        _cbc(el, "PostalZone", address.postal_zone)
        _cbc(el, "CountrySubentity", address.subdivision)
    else:
        _cbc(_cac(el, "AddressLine"), "Line", address.line)
    if address.country is not None:
        _cbc(_cac(el, "Country"), "IdentificationCode", address.country)


def _party(el: etree._Element, party: Party, *, buyer_reference: str | None = None) -> None:
    _ident(el, "EndpointID", party.endpoint)
    for ident in party.identifiers:
        _ident(_cac(el, "PartyIdentification"), "ID", ident)
    name = party.trading_name or party.name
    if name is not None:
        _cbc(_cac(el, "PartyName"), "Name", name)
    _address(el, "PostalAddress", party.address)
    if party.vat_id is not None:
        scheme = _cac(el, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party.vat_id, schemeID="DK:SE")
        _tax_scheme(scheme)
    if party.legal_id is not None:
        legal = _cac(el, "PartyLegalEntity")
        _cbc(legal, "RegistrationName", party.name or name)
        _ident(legal, "CompanyID", party.legal_id)
    contact = party.contact
    if contact is not None or buyer_reference is not None:
        contact_el = _cac(el, "Contact")
        _cbc(contact_el, "ID", buyer_reference)
        if contact is not None:
            _cbc(contact_el, "Name", contact.name)
            _cbc(contact_el, "Telephone", contact.telephone)
            _cbc(contact_el, "ElectronicMail", contact.email)


def _allowance_charge(
    parent: etree._Element, ac: AllowanceCharge, currency: str | None, *, with_vat: bool
) -> None:
    el = _cac(parent, "AllowanceCharge")
    _cbc(el, "ChargeIndicator", "true" if ac.charge else "false")
    _cbc(el, "AllowanceChargeReasonCode", ac.reason_code)
    _cbc(el, "AllowanceChargeReason", ac.reason)
    if ac.percent is not None:
        _cbc(el, "MultiplierFactorNumeric", _amount(ac.percent))
    _money(el, "Amount", ac.amount, currency)
    _money(el, "BaseAmount", ac.base_amount, currency)
    if with_vat and (ac.vat_category is not None or ac.vat_rate is not None):
        _tax_category(el, ac.vat_category, ac.vat_rate)


def _payment_means(
    parent: etree._Element, index: int, means: PaymentMeans, due_date: object
) -> None:
    el = _cac(parent, "PaymentMeans")
    _cbc(el, "ID", str(index))
    fik, giro, iban, bank = means.fik, means.giro, means.iban, means.danish_bank_account
    if fik is not None:
        code, channel = "93", "DK:FIK"
    elif giro is not None:
        code, channel = "50", "DK:GIRO"
    elif iban is not None:
        code, channel = "31", "IBAN"
    elif bank is not None:
        code, channel = "42", "DK:BANK"
    else:
        code, channel = means.code, None
    _cbc(el, "PaymentMeansCode", code)
    _date(el, "PaymentDueDate", due_date)
    _cbc(
        el,
        "PaymentChannelCode",
        channel,
        listAgencyID=AGENCY if channel else None,
        listID="urn:oioubl:codelist:paymentchannelcode-1.1" if channel else None,
    )
    if fik is not None:
        _cbc(el, "InstructionID", fik.payment_id or None)
        _cbc(el, "PaymentID", fik.card_type)
    elif giro is not None:
        _cbc(el, "InstructionID", giro.payment_id or None)
        _cbc(el, "PaymentID", giro.card_type)
    elif means.payment_id is not None:
        _cbc(el, "InstructionID", means.payment_id)
    if fik is not None:
        _cbc(_cac(el, "CreditAccount"), "AccountID", fik.creditor)
        return
    account = means.account
    if account is None:
        return
    payee = _cac(el, "PayeeFinancialAccount")
    _cbc(payee, "ID", iban if iban is not None else account.id)
    _cbc(payee, "Name", account.name)
    if iban is not None:
        if account.branch_id is not None:
            branch = _cac(payee, "FinancialInstitutionBranch")
            _cbc(_cac(branch, "FinancialInstitution"), "ID", account.branch_id)
    elif account.branch_id is not None:
        _cbc(_cac(payee, "FinancialInstitutionBranch"), "ID", account.branch_id)


def _line_tax(parent: etree._Element, line: Line, currency: str | None) -> None:
    item = line.item
    if item.vat_category is None and item.vat_rate is None:
        return
    net = line.net_amount or Decimal(0)
    rate = item.vat_rate or Decimal(0)
    tax = (net * rate / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    total = _cac(parent, "TaxTotal")
    _money(total, "TaxAmount", tax, currency)
    sub = _cac(total, "TaxSubtotal")
    _money(sub, "TaxableAmount", net, currency)
    _money(sub, "TaxAmount", tax, currency)
    _tax_category(sub, item.vat_category, item.vat_rate)


def _line(parent: etree._Element, line: Line, currency: str | None, credit_note: bool) -> None:
    el = _cac(parent, "CreditNoteLine" if credit_note else "InvoiceLine")
    _cbc(el, "ID", line.id)
    _cbc(el, "Note", line.note)
    if line.quantity is not None:
        _cbc(
            el,
            "CreditedQuantity" if credit_note else "InvoicedQuantity",
            _amount(line.quantity),
            unitCode=line.unit,
        )
    _money(el, "LineExtensionAmount", line.net_amount, currency)
    _cbc(el, "AccountingCost", line.accounting_cost)
    if line.order_line_ref is not None:
        _cbc(_cac(el, "OrderLineReference"), "LineID", line.order_line_ref)
    for ac in line.allowances_charges:
        _allowance_charge(el, ac, currency, with_vat=False)
    _line_tax(el, line, currency)
    item = line.item
    item_el = _cac(el, "Item")
    _cbc(item_el, "Description", item.description)
    _cbc(item_el, "Name", item.name)
    if item.buyer_id is not None:
        _cbc(_cac(item_el, "BuyersItemIdentification"), "ID", item.buyer_id)
    if item.seller_id is not None:
        _cbc(_cac(item_el, "SellersItemIdentification"), "ID", item.seller_id)
    if item.standard_id is not None:
        _ident(_cac(item_el, "StandardItemIdentification"), "ID", item.standard_id)
    if item.origin_country is not None:
        _cbc(_cac(item_el, "OriginCountry"), "IdentificationCode", item.origin_country)
    for cls in item.classifications:
        list_id = CLASSIFICATIONS.get(cls.list_id or "", cls.list_id)
        _cbc(
            _cac(item_el, "CommodityClassification"),
            "ItemClassificationCode",
            cls.code,
            listID=list_id,
            listAgencyID="113" if list_id == "UNSPSC" else None,
            listVersionID=cls.list_version,
        )
    for name, value in item.attributes:
        prop = _cac(item_el, "AdditionalItemProperty")
        _cbc(prop, "Name", name)
        _cbc(prop, "Value", value)
    price = line.price
    price_el = _cac(el, "Price")
    _money(price_el, "PriceAmount", price.net, currency)
    if price.base_quantity is not None:
        _cbc(price_el, "BaseQuantity", _amount(price.base_quantity), unitCode=price.base_unit)
    if price.discount is not None or price.gross is not None:
        discount = _cac(price_el, "AllowanceCharge")
        _cbc(discount, "ChargeIndicator", "false")
        _money(discount, "Amount", price.discount, currency)
        _money(discount, "BaseAmount", price.gross, currency)


def document_uuid(doc: Document) -> str:
    """A UUID that names the document (the same document always gets the same one)."""
    seller = doc.seller.legal_id or doc.seller.endpoint
    key = "/".join(
        str(part)
        for part in (
            seller.value if seller else "",
            doc.kind,
            doc.number or "",
            doc.issue_date or "",
        )
    )
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:faelles:oioubl:{key}"))


def to_oioubl(doc: Document, *, pretty: bool = False) -> bytes:
    """The document as an OIOUBL 2.1 Invoice or CreditNote, UTF-8 with an XML declaration."""
    credit_note = doc.kind == "CreditNote"
    root = etree.Element(
        f"{{{CREDIT_NOTE_NS}}}CreditNote" if credit_note else f"{{{INVOICE_NS}}}Invoice",
        nsmap=_NSMAP_CREDIT_NOTE if credit_note else _NSMAP_INVOICE,  # type: ignore[arg-type]
    )
    oioubl = doc.profile.syntax == "oioubl"
    currency = doc.currency
    _cbc(root, "UBLVersionID", "2.0")
    _cbc(root, "CustomizationID", OIOUBL_CUSTOMIZATION)
    _cbc(
        root,
        "ProfileID",
        doc.profile.profile_id if oioubl and doc.profile.profile_id else OIOUBL_PROFILE,
        schemeAgencyID=AGENCY,
        schemeID=PROFILE_SCHEME,
    )
    _cbc(root, "ID", doc.number)
    _cbc(root, "CopyIndicator", "false")
    _cbc(root, "UUID", document_uuid(doc))
    _date(root, "IssueDate", doc.issue_date)
    if credit_note:
        _date(root, "TaxPointDate", doc.tax_point_date)
        for note in doc.notes:
            _cbc(root, "Note", note)
    else:
        _cbc(
            root,
            "InvoiceTypeCode",
            doc.type_code or "380",
            listAgencyID=AGENCY,
            listID="urn:oioubl:codelist:invoicetypecode-1.1",
        )
        for note in doc.notes:
            _cbc(root, "Note", note)
        _date(root, "TaxPointDate", doc.tax_point_date)
    _cbc(root, "DocumentCurrencyCode", currency)
    _cbc(root, "AccountingCost", doc.accounting_cost)
    _period(root, doc.period)
    if doc.order_reference is not None or doc.sales_order_reference is not None:
        order = _cac(root, "OrderReference")
        _cbc(order, "ID", doc.order_reference)
        _cbc(order, "SalesOrderID", doc.sales_order_reference)
    for preceding in doc.preceding_invoices:
        ref = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(ref, "ID", preceding.id)
        _date(ref, "IssueDate", preceding.issue_date)
    for name, value in (
        ("DespatchDocumentReference", doc.despatch_advice_reference),
        ("ReceiptDocumentReference", doc.receiving_advice_reference),
        ("OriginatorDocumentReference", None if credit_note else doc.tender_reference),
        ("ContractDocumentReference", doc.contract_reference),
    ):
        if value is not None:
            _cbc(_cac(root, name), "ID", value)
    _party(_cac(_cac(root, "AccountingSupplierParty"), "Party"), doc.seller)
    _party(
        _cac(_cac(root, "AccountingCustomerParty"), "Party"),
        doc.buyer,
        buyer_reference=doc.buyer_reference or NO_REFERENCE,
    )
    if doc.payee is not None:
        _party(_cac(root, "PayeeParty"), doc.payee)
    if doc.delivery is not None and doc.delivery.actual_date is not None:
        _date(_cac(root, "Delivery"), "ActualDeliveryDate", doc.delivery.actual_date)
    totals = doc.totals
    if not credit_note:
        for index, means in enumerate(doc.payment_means, start=1):
            _payment_means(root, index, means, doc.due_date if index == 1 else None)
        if doc.payment_terms is not None:
            terms = _cac(root, "PaymentTerms")
            _cbc(terms, "ID", "1")
            _cbc(terms, "Note", doc.payment_terms)
            _money(terms, "Amount", totals.payable, currency)
    for ac in doc.allowances_charges:
        _allowance_charge(root, ac, currency, with_vat=True)
    tax_total = _cac(root, "TaxTotal")
    _money(tax_total, "TaxAmount", totals.tax or Decimal("0.00"), currency)
    for vat in doc.vat_breakdown:
        sub = _cac(tax_total, "TaxSubtotal")
        _money(sub, "TaxableAmount", vat.taxable_amount, currency)
        _money(sub, "TaxAmount", vat.tax_amount, currency)
        _tax_category(sub, vat.category, vat.rate)
    lmt = _cac(root, "LegalMonetaryTotal")
    _money(lmt, "LineExtensionAmount", totals.line_extension, currency)
    # OIOUBL: TaxExclusiveAmount is the VAT amount.
    _money(lmt, "TaxExclusiveAmount", totals.tax or Decimal("0.00"), currency)
    _money(lmt, "TaxInclusiveAmount", totals.tax_inclusive, currency)
    _money(lmt, "AllowanceTotalAmount", totals.allowance_total, currency)
    _money(lmt, "ChargeTotalAmount", totals.charge_total, currency)
    _money(lmt, "PrepaidAmount", totals.prepaid, currency)
    _money(lmt, "PayableRoundingAmount", totals.rounding, currency)
    _money(lmt, "PayableAmount", totals.payable, currency)
    for line in doc.lines:
        _line(root, line, currency, credit_note)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)
