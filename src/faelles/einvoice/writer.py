"""Write the model as a Peppol BIS Billing 3 document (UBL 2.1).

Used to convert OIOUBL 2.1 into Peppol BIS 3 and to build test documents. Elements are
written in UBL 2.1 schema order; a term the model does not hold is not written. A document
read from Peppol BIS 3 reads back equal: ``read(to_ubl(doc)) == doc``.
"""

from __future__ import annotations

from decimal import Decimal

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
from faelles.einvoice.profiles import PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE
from faelles.einvoice.xml import CAC, CBC, CREDIT_NOTE_NS, INVOICE_NS

_NSMAP_INVOICE = {None: INVOICE_NS, "cac": CAC, "cbc": CBC}
_NSMAP_CREDIT_NOTE = {None: CREDIT_NOTE_NS, "cac": CAC, "cbc": CBC}


def _amount(value: Decimal) -> str:
    return format(value, "f")


def _cbc(parent: etree._Element, tag: str, value: str | None, **attrs: str | None) -> None:
    if value is None:
        return
    el = etree.SubElement(parent, f"{{{CBC}}}{tag}")
    el.text = value
    for key, attr in attrs.items():
        if attr is not None:
            el.set(key, attr)


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def _money(parent: etree._Element, name: str, value: Decimal | None, currency: str | None) -> None:
    if value is not None:
        _cbc(parent, name, _amount(value), currencyID=currency)


def _number(parent: etree._Element, tag: str, value: Decimal | None, **attrs: str | None) -> None:
    if value is not None:
        _cbc(parent, tag, _amount(value), **attrs)


def _ident(parent: etree._Element, name: str, ident: Identifier | None) -> None:
    if ident is not None:
        _cbc(parent, name, ident.value, schemeID=ident.scheme)


def _date(parent: etree._Element, name: str, value: object) -> None:
    if value is not None:
        _cbc(parent, name, str(value))


def _period(parent: etree._Element, period: Period | None) -> None:
    if period is None:
        return
    el = _cac(parent, "InvoicePeriod")
    _date(el, "StartDate", period.start)
    _date(el, "EndDate", period.end)
    _cbc(el, "DescriptionCode", period.description_code)


def _address(parent: etree._Element, name: str, address: Address | None) -> None:
    if address is None:
        return
    el = _cac(parent, name)
    _cbc(el, "StreetName", address.street)
    _cbc(el, "AdditionalStreetName", address.additional_street)
    _cbc(el, "CityName", address.city)
    _cbc(el, "PostalZone", address.postal_zone)
    _cbc(el, "CountrySubentity", address.subdivision)
    if address.line is not None:
        _cbc(_cac(el, "AddressLine"), "Line", address.line)
    if address.country is not None:
        _cbc(_cac(el, "Country"), "IdentificationCode", address.country)


def _tax_scheme(parent: etree._Element, scheme: str = "VAT") -> None:
    _cbc(_cac(parent, "TaxScheme"), "ID", scheme)


def _party_content(el: etree._Element, party: Party) -> None:
    _ident(el, "EndpointID", party.endpoint)
    for ident in party.identifiers:
        _ident(_cac(el, "PartyIdentification"), "ID", ident)
    if party.trading_name is not None:
        _cbc(_cac(el, "PartyName"), "Name", party.trading_name)
    _address(el, "PostalAddress", party.address)
    if party.vat_id is not None:
        scheme = _cac(el, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party.vat_id)
        _tax_scheme(scheme)
    if party.tax_registration_id is not None:
        scheme = _cac(el, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party.tax_registration_id)
        _tax_scheme(scheme, "TAX")
    if party.name is not None or party.legal_id is not None or party.legal_form is not None:
        legal = _cac(el, "PartyLegalEntity")
        _cbc(legal, "RegistrationName", party.name)
        _ident(legal, "CompanyID", party.legal_id)
        _cbc(legal, "CompanyLegalForm", party.legal_form)
    if party.contact is not None:
        contact = _cac(el, "Contact")
        _cbc(contact, "Name", party.contact.name)
        _cbc(contact, "Telephone", party.contact.telephone)
        _cbc(contact, "ElectronicMail", party.contact.email)


def _allowance_charge(
    parent: etree._Element, ac: AllowanceCharge, currency: str | None, *, with_vat: bool
) -> None:
    el = _cac(parent, "AllowanceCharge")
    _cbc(el, "ChargeIndicator", "true" if ac.charge else "false")
    _cbc(el, "AllowanceChargeReasonCode", ac.reason_code)
    _cbc(el, "AllowanceChargeReason", ac.reason)
    _number(el, "MultiplierFactorNumeric", ac.percent)
    _money(el, "Amount", ac.amount, currency)
    _money(el, "BaseAmount", ac.base_amount, currency)
    if with_vat and (ac.vat_category is not None or ac.vat_rate is not None):
        category = _cac(el, "TaxCategory")
        _cbc(category, "ID", ac.vat_category)
        _number(category, "Percent", ac.vat_rate)
        _tax_scheme(category)


def _payment_means(
    parent: etree._Element, means: PaymentMeans, due_date: object, credit_note: bool
) -> None:
    el = _cac(parent, "PaymentMeans")
    _cbc(el, "PaymentMeansCode", means.code, name=means.name)
    if credit_note:
        _date(el, "PaymentDueDate", due_date)
    _cbc(el, "PaymentID", means.payment_id)
    if means.card is not None:
        card = _cac(el, "CardAccount")
        _cbc(card, "PrimaryAccountNumberID", means.card.primary_account_number)
        _cbc(card, "NetworkID", means.card.network)
        _cbc(card, "HolderName", means.card.holder)
    if means.account is not None:
        account = _cac(el, "PayeeFinancialAccount")
        _cbc(account, "ID", means.account.id)
        _cbc(account, "Name", means.account.name)
        if means.account.branch_id is not None:
            _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", means.account.branch_id)
    if means.mandate is not None:
        mandate = _cac(el, "PaymentMandate")
        _cbc(mandate, "ID", means.mandate.id)
        if means.mandate.payer_account is not None:
            _cbc(_cac(mandate, "PayerFinancialAccount"), "ID", means.mandate.payer_account)


def _line(parent: etree._Element, line: Line, currency: str | None, credit_note: bool) -> None:
    el = _cac(parent, "CreditNoteLine" if credit_note else "InvoiceLine")
    _cbc(el, "ID", line.id)
    _cbc(el, "Note", line.note)
    _number(
        el,
        "CreditedQuantity" if credit_note else "InvoicedQuantity",
        line.quantity,
        unitCode=line.unit,
    )
    _money(el, "LineExtensionAmount", line.net_amount, currency)
    _cbc(el, "AccountingCost", line.accounting_cost)
    _period(el, line.period)
    if line.order_line_ref is not None:
        _cbc(_cac(el, "OrderLineReference"), "LineID", line.order_line_ref)
    if line.object_id is not None:
        ref = _cac(el, "DocumentReference")
        _ident(ref, "ID", line.object_id)
        _cbc(ref, "DocumentTypeCode", "130")
    for ac in line.allowances_charges:
        _allowance_charge(el, ac, currency, with_vat=False)
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
        _cbc(
            _cac(item_el, "CommodityClassification"),
            "ItemClassificationCode",
            cls.code,
            listID=cls.list_id,
            listVersionID=cls.list_version,
        )
    if item.vat_category is not None or item.vat_rate is not None:
        category = _cac(item_el, "ClassifiedTaxCategory")
        _cbc(category, "ID", item.vat_category)
        _number(category, "Percent", item.vat_rate)
        _tax_scheme(category)
    for name, value in item.attributes:
        prop = _cac(item_el, "AdditionalItemProperty")
        _cbc(prop, "Name", name)
        _cbc(prop, "Value", value)
    price = line.price
    price_el = _cac(el, "Price")
    _money(price_el, "PriceAmount", price.net, currency)
    _number(price_el, "BaseQuantity", price.base_quantity, unitCode=price.base_unit)
    if price.discount is not None or price.gross is not None:
        discount = _cac(price_el, "AllowanceCharge")
        _cbc(discount, "ChargeIndicator", "false")
        _money(discount, "Amount", price.discount, currency)
        _money(discount, "BaseAmount", price.gross, currency)


def to_ubl(doc: Document, *, pretty: bool = False) -> bytes:
    """The document as Peppol BIS Billing 3 UBL 2.1, UTF-8 with an XML declaration.

    ``pretty`` indents the elements (for people; whitespace between elements is not text).
    """
    credit_note = doc.kind == "CreditNote"
    root = etree.Element(
        f"{{{CREDIT_NOTE_NS}}}CreditNote" if credit_note else f"{{{INVOICE_NS}}}Invoice",
        nsmap=_NSMAP_CREDIT_NOTE if credit_note else _NSMAP_INVOICE,  # type: ignore[arg-type]
    )
    peppol = doc.profile.syntax == "peppol"
    currency = doc.currency
    _cbc(root, "CustomizationID", doc.profile.customization_id if peppol else PEPPOL_CUSTOMIZATION)
    _cbc(root, "ProfileID", doc.profile.profile_id if peppol else PEPPOL_PROFILE)
    _cbc(root, "ID", doc.number)
    _date(root, "IssueDate", doc.issue_date)
    if credit_note:
        _date(root, "TaxPointDate", doc.tax_point_date)
        _cbc(root, "CreditNoteTypeCode", doc.type_code)
    else:
        _date(root, "DueDate", doc.due_date)
        _cbc(root, "InvoiceTypeCode", doc.type_code)
    for note in doc.notes:
        _cbc(root, "Note", note)
    if not credit_note:
        _date(root, "TaxPointDate", doc.tax_point_date)
    _cbc(root, "DocumentCurrencyCode", currency)
    _cbc(root, "TaxCurrencyCode", doc.tax_currency)
    _cbc(root, "AccountingCost", doc.accounting_cost)
    _cbc(root, "BuyerReference", doc.buyer_reference)
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
    ):
        if value is not None:
            _cbc(_cac(root, name), "ID", value)
    if not credit_note:
        for name, value in (
            ("OriginatorDocumentReference", doc.tender_reference),
            ("ContractDocumentReference", doc.contract_reference),
        ):
            if value is not None:
                _cbc(_cac(root, name), "ID", value)
    else:
        if doc.contract_reference is not None:
            _cbc(_cac(root, "ContractDocumentReference"), "ID", doc.contract_reference)
    if doc.invoiced_object is not None:
        ref = _cac(root, "AdditionalDocumentReference")
        _ident(ref, "ID", doc.invoiced_object)
        _cbc(ref, "DocumentTypeCode", "130")
    if credit_note and doc.project_reference is not None:
        ref = _cac(root, "AdditionalDocumentReference")
        _cbc(ref, "ID", doc.project_reference)
        _cbc(ref, "DocumentTypeCode", "50")
    for attachment in doc.attachments:
        ref = _cac(root, "AdditionalDocumentReference")
        _cbc(ref, "ID", attachment.id)
        _cbc(ref, "DocumentTypeCode", attachment.type_code)
        _cbc(ref, "DocumentDescription", attachment.description)
        if attachment.content_base64 is not None or attachment.uri is not None:
            att = _cac(ref, "Attachment")
            _cbc(
                att,
                "EmbeddedDocumentBinaryObject",
                attachment.content_base64,
                mimeCode=attachment.mime_code,
                filename=attachment.filename,
            )
            if attachment.uri is not None:
                _cbc(_cac(att, "ExternalReference"), "URI", attachment.uri)
    if credit_note:
        if doc.tender_reference is not None:
            _cbc(_cac(root, "OriginatorDocumentReference"), "ID", doc.tender_reference)
    elif doc.project_reference is not None:
        _cbc(_cac(root, "ProjectReference"), "ID", doc.project_reference)
    _party_content(_cac(_cac(root, "AccountingSupplierParty"), "Party"), doc.seller)
    _party_content(_cac(_cac(root, "AccountingCustomerParty"), "Party"), doc.buyer)
    if doc.payee is not None:
        _party_content(_cac(root, "PayeeParty"), doc.payee)
    if doc.tax_representative is not None:
        _party_content(_cac(root, "TaxRepresentativeParty"), doc.tax_representative)
    if doc.delivery is not None:
        delivery = _cac(root, "Delivery")
        _date(delivery, "ActualDeliveryDate", doc.delivery.actual_date)
        if doc.delivery.location_id is not None or doc.delivery.address is not None:
            location_el = _cac(delivery, "DeliveryLocation")
            _ident(location_el, "ID", doc.delivery.location_id)
            _address(location_el, "Address", doc.delivery.address)
        if doc.delivery.party_name is not None:
            _cbc(
                _cac(_cac(delivery, "DeliveryParty"), "PartyName"), "Name", doc.delivery.party_name
            )
    for index, means in enumerate(doc.payment_means):
        _payment_means(root, means, doc.due_date if index == 0 else None, credit_note)
    if doc.payment_terms is not None:
        _cbc(_cac(root, "PaymentTerms"), "Note", doc.payment_terms)
    for ac in doc.allowances_charges:
        _allowance_charge(root, ac, currency, with_vat=True)
    totals = doc.totals
    if totals.tax is not None or doc.vat_breakdown:
        tax_total = _cac(root, "TaxTotal")
        _money(tax_total, "TaxAmount", totals.tax or Decimal("0.00"), currency)
        for vat in doc.vat_breakdown:
            sub = _cac(tax_total, "TaxSubtotal")
            _money(sub, "TaxableAmount", vat.taxable_amount, currency)
            _money(sub, "TaxAmount", vat.tax_amount, currency)
            category = _cac(sub, "TaxCategory")
            _cbc(category, "ID", vat.category)
            _number(category, "Percent", vat.rate)
            _cbc(category, "TaxExemptionReasonCode", vat.exemption_reason_code)
            _cbc(category, "TaxExemptionReason", vat.exemption_reason)
            _tax_scheme(category)
    if totals.tax_in_tax_currency is not None:
        _money(_cac(root, "TaxTotal"), "TaxAmount", totals.tax_in_tax_currency, doc.tax_currency)
    lmt = _cac(root, "LegalMonetaryTotal")
    _money(lmt, "LineExtensionAmount", totals.line_extension, currency)
    _money(lmt, "TaxExclusiveAmount", totals.tax_exclusive, currency)
    _money(lmt, "TaxInclusiveAmount", totals.tax_inclusive, currency)
    _money(lmt, "AllowanceTotalAmount", totals.allowance_total, currency)
    _money(lmt, "ChargeTotalAmount", totals.charge_total, currency)
    _money(lmt, "PrepaidAmount", totals.prepaid, currency)
    _money(lmt, "PayableRoundingAmount", totals.rounding, currency)
    _money(lmt, "PayableAmount", totals.payable, currency)
    for line in doc.lines:
        _line(root, line, currency, credit_note)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)
