"""Read a UBL document (Peppol BIS 3, other EN 16931 UBL, or OIOUBL 2.1) into the model.

Reading is separate from validation: the rules run on the element tree, this module builds
the :class:`~faelles.einvoice.model.Document` a workflow needs. It reads what is there and
does not judge it; an amount or date that cannot be read at all is a :class:`ReadError`
naming where it is.

OIOUBL 2.1 is UBL 2.0 with Danish conventions, mapped into EN 16931 the way the Danish
Peppol BIS DK rules express the same facts:

* identifiers with ``schemeID`` ``GLN``/``DK:CVR``/``DK:SE``/``DK:P``/``GTIN`` get the ISO 6523
  codes 0088/0184/0198/0096/0160; a CVR number loses its ``DK`` prefix and an SE number
  gets one, as Peppol writes them;
* tax categories ``StandardRated``/``ZeroRated``/``ReverseCharge`` become S/Z/AE, and only
  subtotals of the VAT scheme (``63``/``VAT``) make the VAT breakdown (excise duties do not);
* ``TaxExclusiveAmount`` holds the VAT amount in OIOUBL, so BT-109 is computed from the line
  total, allowances and charges;
* payment means: FIK (93, ``DK:FIK``) becomes ``payment_id`` ``"<card type>#<InstructionID>"``
  with the creditor number (``CreditAccount/AccountID``) as account; giro (50, ``DK:GIRO``)
  likewise with the giro account; bank transfers keep the account and the registration number
  (``FinancialInstitutionBranch/ID``), or for ``IBAN`` the BIC;
* the due date (BT-9) is the first ``PaymentMeans/PaymentDueDate``; the buyer reference
  (BT-10) is the buyer contact's ``ID``; the credit note type code is 381;
* an address's ``BuildingNumber`` is appended to its street, and a party without
  ``PartyLegalEntity/RegistrationName`` takes its ``PartyName`` as name.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from lxml import etree

from faelles.einvoice.model import (
    Address,
    AllowanceCharge,
    Attachment,
    CardAccount,
    Classification,
    Contact,
    Delivery,
    Document,
    DocumentReference,
    FinancialAccount,
    Identifier,
    Item,
    Line,
    Mandate,
    Party,
    PaymentMeans,
    Period,
    Price,
    Totals,
    VatBreakdown,
)
from faelles.einvoice.profiles import Profile, detect
from faelles.einvoice.xml import DEFAULT_MAX_BYTES, NS, ReadError, location, parse

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

OIOUBL_SCHEMES = {
    "GLN": "0088",
    "DK:CVR": "0184",
    "DK:SE": "0198",
    "DK:P": "0096",
    "DUNS": "0060",
    "GTIN": "0160",
}
OIOUBL_TAX_CATEGORIES = {"StandardRated": "S", "ZeroRated": "Z", "ReverseCharge": "AE"}
OIOUBL_VAT_SCHEMES = frozenset({"63", "VAT"})
OIOUBL_CLASSIFICATIONS = {"UNSPSC": "TST"}


def read(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, attachments: bool = True) -> Document:
    """Parse ``data`` safely and read it into the model.

    ``attachments=False`` keeps attachment metadata only (no embedded payload).
    Raises :class:`ReadError` when the bytes are not a readable UBL Invoice or CreditNote.
    """
    return read_root(parse(data, max_bytes=max_bytes), attachments=attachments)


def read_root(
    root: etree._Element, *, profile: Profile | None = None, attachments: bool = True
) -> Document:
    """Read an already parsed document (one parse serves validation and reading)."""
    return _Reader(root, profile or detect(root), attachments).document()


def _text(el: etree._Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path, NS)
    if found is None:
        return None
    value = (found.text or "").strip()
    return value or None


def _decimal_of(found: etree._Element) -> Decimal | None:
    value = (found.text or "").strip()
    if not value:
        return None
    if not _DECIMAL.fullmatch(value):
        raise ReadError(f"{location(found)}: {value!r} is not a decimal number")
    return Decimal(value)


def _decimal(el: etree._Element | None, path: str) -> Decimal | None:
    if el is None:
        return None
    found = el.find(path, NS)
    return None if found is None else _decimal_of(found)


def _date(el: etree._Element | None, path: str) -> date | None:
    if el is None:
        return None
    found = el.find(path, NS)
    if found is None:
        return None
    value = (found.text or "").strip()
    if not value:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ReadError(f"{location(found)}: {value!r} is not a date (YYYY-MM-DD)") from None


def _bool(el: etree._Element, path: str) -> bool:
    return (_text(el, path) or "").lower() == "true"


class _Reader:
    def __init__(self, root: etree._Element, profile: Profile, attachments: bool) -> None:
        self.root = root
        self.profile = profile
        self.oioubl = profile.syntax == "oioubl"
        self.attachments = attachments
        self.credit_note = profile.document == "CreditNote"

    # -- small parts ---------------------------------------------------------------------

    def ident(self, el: etree._Element | None, path: str | None = None) -> Identifier | None:
        found = el if path is None or el is None else el.find(path, NS)
        if found is None:
            return None
        value = (found.text or "").strip()
        if not value:
            return None
        scheme = found.get("schemeID")
        if self.oioubl and scheme is not None:
            mapped = OIOUBL_SCHEMES.get(scheme)
            if mapped is not None:
                scheme = mapped
                if mapped == "0184" and value[:2].upper() == "DK":
                    value = value[2:]
                elif mapped == "0198" and value.isdigit():
                    value = f"DK{value}"
        return Identifier(value, scheme)

    def tax_category(self, value: str | None) -> str | None:
        if value is None or not self.oioubl:
            return value
        return OIOUBL_TAX_CATEGORIES.get(value, value)

    def is_vat(self, category: etree._Element) -> bool:
        scheme = _text(category, "cac:TaxScheme/cbc:ID")
        if self.oioubl:
            return scheme in OIOUBL_VAT_SCHEMES
        return scheme == "VAT" or scheme is None

    def address(self, el: etree._Element | None) -> Address | None:
        if el is None:
            return None
        street = _text(el, "cbc:StreetName")
        if self.oioubl:
            number = _text(el, "cbc:BuildingNumber")
            if number:
                street = f"{street} {number}" if street else number
        return Address(
            street=street,
            additional_street=_text(el, "cbc:AdditionalStreetName"),
            line=_text(el, "cac:AddressLine/cbc:Line"),
            city=_text(el, "cbc:CityName"),
            postal_zone=_text(el, "cbc:PostalZone"),
            subdivision=_text(el, "cbc:CountrySubentity"),
            country=_text(el, "cac:Country/cbc:IdentificationCode"),
        )

    def party(self, el: etree._Element | None) -> Party | None:
        if el is None:
            return None
        vat_id = None
        tax_registration_id = None
        for scheme in el.findall("cac:PartyTaxScheme", NS):
            company = _text(scheme, "cbc:CompanyID")
            if company is None:
                continue
            scheme_id = _text(scheme, "cac:TaxScheme/cbc:ID")
            if scheme_id == "VAT" or (self.oioubl and scheme_id in OIOUBL_VAT_SCHEMES):
                if self.oioubl and company.isdigit():
                    company = f"DK{company}"
                vat_id = vat_id or company
            else:
                tax_registration_id = tax_registration_id or company
        contact_el = el.find("cac:Contact", NS)
        contact = None
        if contact_el is not None:
            contact = Contact(
                name=_text(contact_el, "cbc:Name"),
                telephone=_text(contact_el, "cbc:Telephone"),
                email=_text(contact_el, "cbc:ElectronicMail"),
            )
        legal = el.find("cac:PartyLegalEntity", NS)
        name = _text(legal, "cbc:RegistrationName")
        if name is None and self.oioubl:
            # OIOUBL names the party in PartyName; PartyLegalEntity is often left out.
            name = _text(el, "cac:PartyName/cbc:Name")
        return Party(
            name=name,
            trading_name=_text(el, "cac:PartyName/cbc:Name"),
            endpoint=self.ident(el, "cbc:EndpointID"),
            identifiers=tuple(
                i
                for i in (self.ident(x) for x in el.findall("cac:PartyIdentification/cbc:ID", NS))
                if i is not None
            ),
            legal_id=self.ident(legal, "cbc:CompanyID"),
            legal_form=_text(legal, "cbc:CompanyLegalForm"),
            vat_id=vat_id,
            tax_registration_id=tax_registration_id,
            address=self.address(el.find("cac:PostalAddress", NS)),
            contact=contact,
        )

    def period(self, el: etree._Element | None) -> Period | None:
        if el is None:
            return None
        return Period(
            start=_date(el, "cbc:StartDate"),
            end=_date(el, "cbc:EndDate"),
            description_code=_text(el, "cbc:DescriptionCode"),
        )

    def allowance_charge(self, el: etree._Element, *, with_vat: bool) -> AllowanceCharge:
        category = el.find("cac:TaxCategory", NS)
        return AllowanceCharge(
            charge=_bool(el, "cbc:ChargeIndicator"),
            amount=_decimal(el, "cbc:Amount") or Decimal(0),
            base_amount=_decimal(el, "cbc:BaseAmount"),
            percent=_decimal(el, "cbc:MultiplierFactorNumeric"),
            reason=_text(el, "cbc:AllowanceChargeReason"),
            reason_code=_text(el, "cbc:AllowanceChargeReasonCode"),
            vat_category=self.tax_category(_text(category, "cbc:ID")) if with_vat else None,
            vat_rate=_decimal(category, "cbc:Percent") if with_vat else None,
        )

    # -- payment -------------------------------------------------------------------------

    def payment_means(self, el: etree._Element) -> PaymentMeans:
        code = _text(el, "cbc:PaymentMeansCode") or ""
        code_el = el.find("cbc:PaymentMeansCode", NS)
        name = code_el.get("name") if code_el is not None else None
        payee = el.find("cac:PayeeFinancialAccount", NS)
        payment_id = _text(el, "cbc:PaymentID")
        account = None
        if payee is not None and _text(payee, "cbc:ID") is not None:
            branch = _text(payee, "cac:FinancialInstitutionBranch/cbc:ID")
            if self.oioubl and branch is None:
                branch = _text(
                    payee, "cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID"
                )
            account = FinancialAccount(
                id=_text(payee, "cbc:ID") or "", name=_text(payee, "cbc:Name"), branch_id=branch
            )
        if self.oioubl:
            instruction = _text(el, "cbc:InstructionID")
            if code == "93":
                creditor = _text(el, "cac:CreditAccount/cbc:AccountID")
                account = FinancialAccount(creditor) if creditor else account
                payment_id = f"{payment_id}#{instruction or ''}" if payment_id else instruction
            elif code == "50":
                payment_id = f"{payment_id}#{instruction or ''}" if payment_id else instruction
            elif payment_id is None:
                payment_id = instruction or _text(payee, "cbc:PaymentNote")
        card_el = el.find("cac:CardAccount", NS)
        card = None
        if card_el is not None:
            card = CardAccount(
                primary_account_number=_text(card_el, "cbc:PrimaryAccountNumberID") or "",
                network=_text(card_el, "cbc:NetworkID"),
                holder=_text(card_el, "cbc:HolderName"),
            )
        mandate_el = el.find("cac:PaymentMandate", NS)
        mandate = None
        if mandate_el is not None:
            mandate = Mandate(
                id=_text(mandate_el, "cbc:ID"),
                payer_account=_text(mandate_el, "cac:PayerFinancialAccount/cbc:ID"),
            )
        return PaymentMeans(
            code=code,
            name=name,
            payment_id=payment_id,
            account=account,
            card=card,
            mandate=mandate,
        )

    # -- VAT and totals ------------------------------------------------------------------

    def vat(
        self, currency: str | None
    ) -> tuple[Decimal | None, Decimal | None, list[VatBreakdown]]:
        tax: Decimal | None = None
        tax_in_tax_currency: Decimal | None = None
        breakdown: list[VatBreakdown] = []
        for total in self.root.findall("cac:TaxTotal", NS):
            amount_el = total.find("cbc:TaxAmount", NS)
            amount = _decimal_of(amount_el) if amount_el is not None else None
            subtotals = total.findall("cac:TaxSubtotal", NS)
            in_doc_currency = (
                subtotals
                or amount_el is None
                or currency is None
                or amount_el.get("currencyID") in (None, currency)
            )
            if not in_doc_currency:
                tax_in_tax_currency = amount
                continue
            vat_sum = Decimal(0)
            other_tax = False
            for sub in subtotals:
                category = sub.find("cac:TaxCategory", NS)
                if category is None or not self.is_vat(category):
                    other_tax = True
                    continue
                sub_tax = _decimal(sub, "cbc:TaxAmount") or Decimal(0)
                vat_sum += sub_tax
                breakdown.append(
                    VatBreakdown(
                        taxable_amount=_decimal(sub, "cbc:TaxableAmount") or Decimal(0),
                        tax_amount=sub_tax,
                        category=self.tax_category(_text(category, "cbc:ID")) or "",
                        rate=_decimal(category, "cbc:Percent"),
                        exemption_reason=_text(category, "cbc:TaxExemptionReason"),
                        exemption_reason_code=_text(category, "cbc:TaxExemptionReasonCode"),
                    )
                )
            if tax is None:
                tax = vat_sum if self.oioubl and other_tax else amount
        return tax, tax_in_tax_currency, breakdown

    def totals(self, tax: Decimal | None, tax_in_tax_currency: Decimal | None) -> Totals:
        el = self.root.find("cac:LegalMonetaryTotal", NS)
        line_extension = _decimal(el, "cbc:LineExtensionAmount")
        allowance_total = _decimal(el, "cbc:AllowanceTotalAmount")
        charge_total = _decimal(el, "cbc:ChargeTotalAmount")
        tax_exclusive = _decimal(el, "cbc:TaxExclusiveAmount")
        if self.oioubl and line_extension is not None:
            tax_exclusive = (
                line_extension - (allowance_total or Decimal(0)) + (charge_total or Decimal(0))
            )
        return Totals(
            line_extension=line_extension,
            allowance_total=allowance_total,
            charge_total=charge_total,
            tax_exclusive=tax_exclusive,
            tax=tax,
            tax_in_tax_currency=tax_in_tax_currency,
            tax_inclusive=_decimal(el, "cbc:TaxInclusiveAmount"),
            prepaid=_decimal(el, "cbc:PrepaidAmount"),
            rounding=_decimal(el, "cbc:PayableRoundingAmount"),
            payable=_decimal(el, "cbc:PayableAmount"),
        )

    # -- lines ---------------------------------------------------------------------------

    def item(self, line: etree._Element) -> Item:
        el = line.find("cac:Item", NS)
        category = el.find("cac:ClassifiedTaxCategory", NS) if el is not None else None
        if category is None and self.oioubl:
            for candidate in line.findall("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", NS):
                if self.is_vat(candidate):
                    category = candidate
                    break
        classifications: list[Classification] = []
        attributes: list[tuple[str, str]] = []
        if el is not None:
            for code_el in el.findall("cac:CommodityClassification/cbc:ItemClassificationCode", NS):
                code = (code_el.text or "").strip()
                if not code:
                    continue
                list_id = code_el.get("listID")
                if self.oioubl and list_id is not None:
                    list_id = OIOUBL_CLASSIFICATIONS.get(list_id, list_id)
                classifications.append(Classification(code, list_id, code_el.get("listVersionID")))
            for prop in el.findall("cac:AdditionalItemProperty", NS):
                attributes.append((_text(prop, "cbc:Name") or "", _text(prop, "cbc:Value") or ""))
        return Item(
            name=_text(el, "cbc:Name"),
            description=_text(el, "cbc:Description"),
            seller_id=_text(el, "cac:SellersItemIdentification/cbc:ID"),
            buyer_id=_text(el, "cac:BuyersItemIdentification/cbc:ID"),
            standard_id=self.ident(el, "cac:StandardItemIdentification/cbc:ID"),
            classifications=tuple(classifications),
            origin_country=_text(el, "cac:OriginCountry/cbc:IdentificationCode"),
            attributes=tuple(attributes),
            vat_category=self.tax_category(_text(category, "cbc:ID")),
            vat_rate=_decimal(category, "cbc:Percent"),
        )

    def line(self, el: etree._Element) -> Line:
        quantity_name = "cbc:CreditedQuantity" if self.credit_note else "cbc:InvoicedQuantity"
        quantity_el = el.find(quantity_name, NS)
        price_el = el.find("cac:Price", NS)
        base_el = price_el.find("cbc:BaseQuantity", NS) if price_el is not None else None
        price_ac = price_el.find("cac:AllowanceCharge", NS) if price_el is not None else None
        object_id = None
        for ref in el.findall("cac:DocumentReference", NS):
            if _text(ref, "cbc:DocumentTypeCode") in ("130", None):
                object_id = self.ident(ref, "cbc:ID")
                break
        return Line(
            id=_text(el, "cbc:ID") or "",
            quantity=_decimal_of(quantity_el) if quantity_el is not None else None,
            unit=quantity_el.get("unitCode") if quantity_el is not None else None,
            net_amount=_decimal(el, "cbc:LineExtensionAmount"),
            item=self.item(el),
            price=Price(
                net=_decimal(price_el, "cbc:PriceAmount"),
                discount=_decimal(price_ac, "cbc:Amount"),
                gross=_decimal(price_ac, "cbc:BaseAmount"),
                base_quantity=_decimal_of(base_el) if base_el is not None else None,
                base_unit=base_el.get("unitCode") if base_el is not None else None,
            ),
            note=_text(el, "cbc:Note"),
            object_id=object_id,
            order_line_ref=_text(el, "cac:OrderLineReference/cbc:LineID"),
            accounting_cost=_text(el, "cbc:AccountingCost"),
            period=self.period(el.find("cac:InvoicePeriod", NS)),
            allowances_charges=tuple(
                self.allowance_charge(ac, with_vat=False)
                for ac in el.findall("cac:AllowanceCharge", NS)
            ),
        )

    # -- the document --------------------------------------------------------------------

    def references(self) -> tuple[Identifier | None, str | None, list[Attachment]]:
        invoiced_object = None
        project = None
        attachments: list[Attachment] = []
        for ref in self.root.findall("cac:AdditionalDocumentReference", NS):
            type_code = _text(ref, "cbc:DocumentTypeCode")
            if type_code == "130" and invoiced_object is None and not self.oioubl:
                invoiced_object = self.ident(ref, "cbc:ID")
                continue
            if type_code == "50" and self.credit_note and project is None and not self.oioubl:
                project = _text(ref, "cbc:ID")
                continue
            binary = ref.find("cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS)
            attachments.append(
                Attachment(
                    id=_text(ref, "cbc:ID") or "",
                    description=_text(ref, "cbc:DocumentDescription"),
                    uri=_text(ref, "cac:Attachment/cac:ExternalReference/cbc:URI"),
                    mime_code=binary.get("mimeCode") if binary is not None else None,
                    filename=binary.get("filename") if binary is not None else None,
                    type_code=type_code,
                    content_base64=(
                        (binary.text or "").strip()
                        if binary is not None and self.attachments
                        else None
                    ),
                )
            )
        return invoiced_object, project, attachments

    def document(self) -> Document:
        root = self.root
        currency = _text(root, "cbc:DocumentCurrencyCode")
        tax, tax_in_tax_currency, breakdown = self.vat(currency)
        means = root.findall("cac:PaymentMeans", NS)
        due_date = _date(root, "cbc:DueDate")
        if due_date is None:
            for m in means:
                due_date = _date(m, "cbc:PaymentDueDate")
                if due_date is not None:
                    break
        type_code = _text(
            root, "cbc:CreditNoteTypeCode" if self.credit_note else "cbc:InvoiceTypeCode"
        )
        if type_code is None and self.oioubl and self.credit_note:
            type_code = "381"
        buyer_el = root.find("cac:AccountingCustomerParty/cac:Party", NS)
        buyer_reference = _text(root, "cbc:BuyerReference")
        if buyer_reference is None and self.oioubl:
            buyer_reference = _text(buyer_el, "cac:Contact/cbc:ID")
        invoiced_object, project, attachments = self.references()
        delivery_el = root.find("cac:Delivery", NS)
        delivery = None
        if delivery_el is not None:
            location_el = delivery_el.find("cac:DeliveryLocation", NS)
            delivery = Delivery(
                party_name=_text(delivery_el, "cac:DeliveryParty/cac:PartyName/cbc:Name"),
                location_id=self.ident(location_el, "cbc:ID"),
                actual_date=_date(delivery_el, "cbc:ActualDeliveryDate"),
                address=self.address(
                    location_el.find("cac:Address", NS) if location_el is not None else None
                ),
            )
        line_name = "cac:CreditNoteLine" if self.credit_note else "cac:InvoiceLine"
        terms = [
            t for t in (_text(p, "cbc:Note") for p in root.findall("cac:PaymentTerms", NS)) if t
        ]
        return Document(
            profile=self.profile,
            number=_text(root, "cbc:ID"),
            issue_date=_date(root, "cbc:IssueDate"),
            type_code=type_code,
            currency=currency,
            tax_currency=_text(root, "cbc:TaxCurrencyCode"),
            tax_point_date=_date(root, "cbc:TaxPointDate"),
            due_date=due_date,
            buyer_reference=buyer_reference,
            project_reference=project or _text(root, "cac:ProjectReference/cbc:ID"),
            contract_reference=_text(root, "cac:ContractDocumentReference/cbc:ID"),
            order_reference=_text(root, "cac:OrderReference/cbc:ID"),
            sales_order_reference=_text(root, "cac:OrderReference/cbc:SalesOrderID"),
            receiving_advice_reference=_text(root, "cac:ReceiptDocumentReference/cbc:ID"),
            despatch_advice_reference=_text(root, "cac:DespatchDocumentReference/cbc:ID"),
            tender_reference=_text(root, "cac:OriginatorDocumentReference/cbc:ID"),
            invoiced_object=invoiced_object,
            accounting_cost=_text(root, "cbc:AccountingCost"),
            payment_terms="\n".join(terms) if terms else None,
            notes=tuple(
                t for t in ((n.text or "").strip() for n in root.findall("cbc:Note", NS)) if t
            ),
            period=self.period(root.find("cac:InvoicePeriod", NS)),
            preceding_invoices=tuple(
                DocumentReference(_text(r, "cbc:ID") or "", _date(r, "cbc:IssueDate"))
                for r in root.findall("cac:BillingReference/cac:InvoiceDocumentReference", NS)
            ),
            seller=self.party(root.find("cac:AccountingSupplierParty/cac:Party", NS)) or Party(),
            buyer=self.party(buyer_el) or Party(),
            payee=self.party(root.find("cac:PayeeParty", NS)),
            tax_representative=self.party(root.find("cac:TaxRepresentativeParty", NS)),
            delivery=delivery,
            payment_means=tuple(self.payment_means(m) for m in means),
            allowances_charges=tuple(
                self.allowance_charge(ac, with_vat=True)
                for ac in root.findall("cac:AllowanceCharge", NS)
            ),
            totals=self.totals(tax, tax_in_tax_currency),
            vat_breakdown=tuple(breakdown),
            attachments=tuple(attachments),
            lines=tuple(self.line(el) for el in root.findall(line_name, NS)),
        )
