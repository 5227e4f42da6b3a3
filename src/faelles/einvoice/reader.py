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


_STEPS: dict[str, tuple[str, ...]] = {}


def _steps(path: str) -> tuple[str, ...]:
    """``"cac:Party/cbc:Name"`` as Clark-notation tags, computed once per path."""
    steps = _STEPS.get(path)
    if steps is None:
        steps = tuple(
            f"{{{NS[prefix]}}}{local}"
            for prefix, local in (step.split(":") for step in path.split("/"))
        )
        _STEPS[path] = steps
    return steps


def _decimal_of(found: etree._Element) -> Decimal | None:
    value = (found.text or "").strip()
    if not value:
        return None
    if not _DECIMAL.fullmatch(value):
        raise ReadError(f"{location(found)}: {value!r} is not a decimal number")
    return Decimal(value)


def _date_of(found: etree._Element) -> date | None:
    value = (found.text or "").strip()
    if not value:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ReadError(f"{location(found)}: {value!r} is not a date (YYYY-MM-DD)") from None


class _Reader:
    def __init__(self, root: etree._Element, profile: Profile, attachments: bool) -> None:
        self.root = root
        self.profile = profile
        self.oioubl = profile.syntax == "oioubl"
        self.attachments = attachments
        self.credit_note = profile.document == "CreditNote"
        self._index: dict[etree._Element, dict[str, list[etree._Element]]] = {}

    # -- tree access: each element's children are indexed by tag once ---------------------

    def children(self, el: etree._Element) -> dict[str, list[etree._Element]]:
        index = self._index.get(el)
        if index is None:
            index = {}
            for child in el:
                tag: str = child.tag  # comments and PIs are removed by the parser
                found = index.get(tag)
                if found is None:
                    index[tag] = [child]
                else:
                    found.append(child)
            self._index[el] = index
        return index

    def _first(
        self, el: etree._Element, steps: tuple[str, ...], index: int
    ) -> etree._Element | None:
        for child in self.children(el).get(steps[index], ()):
            if index + 1 == len(steps):
                return child
            found = self._first(child, steps, index + 1)
            if found is not None:
                return found
        return None

    def find(self, el: etree._Element, path: str) -> etree._Element | None:
        """The first element at ``path`` (child steps like ``cac:Party/cbc:Name``)."""
        steps = _STEPS.get(path)
        if steps is None:
            steps = _steps(path)
        if len(steps) == 1:
            index = self._index.get(el)
            if index is None:
                index = self.children(el)
            found = index.get(steps[0])
            return found[0] if found else None
        return self._first(el, steps, 0)

    def findall(self, el: etree._Element, path: str) -> list[etree._Element]:
        """Every element at ``path``, in document order."""
        nodes = [el]
        for tag in _steps(path):
            nodes = [child for node in nodes for child in self.children(node).get(tag, ())]
        return nodes

    def text(self, el: etree._Element | None, path: str) -> str | None:
        if el is None:
            return None
        found = self.find(el, path)
        if found is None:
            return None
        value = found.text
        if value is None:
            return None
        return value.strip() or None

    def decimal(self, el: etree._Element | None, path: str) -> Decimal | None:
        if el is None:
            return None
        found = self.find(el, path)
        return None if found is None else _decimal_of(found)

    def day(self, el: etree._Element | None, path: str) -> date | None:
        if el is None:
            return None
        found = self.find(el, path)
        return None if found is None else _date_of(found)

    def flag(self, el: etree._Element, path: str) -> bool:
        return (self.text(el, path) or "").lower() == "true"

    # -- small parts ---------------------------------------------------------------------

    def ident(self, el: etree._Element | None, path: str | None = None) -> Identifier | None:
        found = el if path is None or el is None else self.find(el, path)
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
        scheme = self.text(category, "cac:TaxScheme/cbc:ID")
        if self.oioubl:
            return scheme in OIOUBL_VAT_SCHEMES
        return scheme == "VAT" or scheme is None

    def address(self, el: etree._Element | None) -> Address | None:
        if el is None:
            return None
        street = self.text(el, "cbc:StreetName")
        if self.oioubl:
            number = self.text(el, "cbc:BuildingNumber")
            if number:
                street = f"{street} {number}" if street else number
        return Address(
            street=street,
            additional_street=self.text(el, "cbc:AdditionalStreetName"),
            line=self.text(el, "cac:AddressLine/cbc:Line"),
            city=self.text(el, "cbc:CityName"),
            postal_zone=self.text(el, "cbc:PostalZone"),
            subdivision=self.text(el, "cbc:CountrySubentity"),
            country=self.text(el, "cac:Country/cbc:IdentificationCode"),
        )

    def party(self, el: etree._Element | None) -> Party | None:
        if el is None:
            return None
        vat_id = None
        tax_registration_id = None
        for scheme in self.findall(el, "cac:PartyTaxScheme"):
            company = self.text(scheme, "cbc:CompanyID")
            if company is None:
                continue
            scheme_id = self.text(scheme, "cac:TaxScheme/cbc:ID")
            if scheme_id == "VAT" or (self.oioubl and scheme_id in OIOUBL_VAT_SCHEMES):
                if self.oioubl and company.isdigit():
                    company = f"DK{company}"
                vat_id = vat_id or company
            else:
                tax_registration_id = tax_registration_id or company
        contact_el = self.find(el, "cac:Contact")
        contact = None
        if contact_el is not None:
            contact = Contact(
                name=self.text(contact_el, "cbc:Name"),
                telephone=self.text(contact_el, "cbc:Telephone"),
                email=self.text(contact_el, "cbc:ElectronicMail"),
            )
        legal = self.find(el, "cac:PartyLegalEntity")
        name = self.text(legal, "cbc:RegistrationName")
        if name is None and self.oioubl:
            # OIOUBL names the party in PartyName; PartyLegalEntity is often left out.
            name = self.text(el, "cac:PartyName/cbc:Name")
        return Party(
            name=name,
            trading_name=self.text(el, "cac:PartyName/cbc:Name"),
            endpoint=self.ident(el, "cbc:EndpointID"),
            identifiers=tuple(
                i
                for i in (self.ident(x) for x in self.findall(el, "cac:PartyIdentification/cbc:ID"))
                if i is not None
            ),
            legal_id=self.ident(legal, "cbc:CompanyID"),
            legal_form=self.text(legal, "cbc:CompanyLegalForm"),
            vat_id=vat_id,
            tax_registration_id=tax_registration_id,
            address=self.address(self.find(el, "cac:PostalAddress")),
            contact=contact,
        )

    def period(self, el: etree._Element | None) -> Period | None:
        if el is None:
            return None
        return Period(
            start=self.day(el, "cbc:StartDate"),
            end=self.day(el, "cbc:EndDate"),
            description_code=self.text(el, "cbc:DescriptionCode"),
        )

    def allowance_charge(self, el: etree._Element, *, with_vat: bool) -> AllowanceCharge:
        category = self.find(el, "cac:TaxCategory")
        return AllowanceCharge(
            charge=self.flag(el, "cbc:ChargeIndicator"),
            amount=self.decimal(el, "cbc:Amount") or Decimal(0),
            base_amount=self.decimal(el, "cbc:BaseAmount"),
            percent=self.decimal(el, "cbc:MultiplierFactorNumeric"),
            reason=self.text(el, "cbc:AllowanceChargeReason"),
            reason_code=self.text(el, "cbc:AllowanceChargeReasonCode"),
            vat_category=self.tax_category(self.text(category, "cbc:ID")) if with_vat else None,
            vat_rate=self.decimal(category, "cbc:Percent") if with_vat else None,
        )

    # -- payment -------------------------------------------------------------------------

    def payment_means(self, el: etree._Element) -> PaymentMeans:
        code = self.text(el, "cbc:PaymentMeansCode") or ""
        code_el = self.find(el, "cbc:PaymentMeansCode")
        name = code_el.get("name") if code_el is not None else None
        payee = self.find(el, "cac:PayeeFinancialAccount")
        payment_id = self.text(el, "cbc:PaymentID")
        account = None
        if payee is not None and self.text(payee, "cbc:ID") is not None:
            branch = self.text(payee, "cac:FinancialInstitutionBranch/cbc:ID")
            if self.oioubl and branch is None:
                branch = self.text(
                    payee, "cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID"
                )
            account = FinancialAccount(
                id=self.text(payee, "cbc:ID") or "",
                name=self.text(payee, "cbc:Name"),
                branch_id=branch,
            )
        if self.oioubl:
            instruction = self.text(el, "cbc:InstructionID")
            if code == "93":
                creditor = self.text(el, "cac:CreditAccount/cbc:AccountID")
                account = FinancialAccount(creditor) if creditor else account
                payment_id = f"{payment_id}#{instruction or ''}" if payment_id else instruction
            elif code == "50":
                payment_id = f"{payment_id}#{instruction or ''}" if payment_id else instruction
            elif payment_id is None:
                payment_id = instruction or self.text(payee, "cbc:PaymentNote")
        card_el = self.find(el, "cac:CardAccount")
        card = None
        if card_el is not None:
            card = CardAccount(
                primary_account_number=self.text(card_el, "cbc:PrimaryAccountNumberID") or "",
                network=self.text(card_el, "cbc:NetworkID"),
                holder=self.text(card_el, "cbc:HolderName"),
            )
        mandate_el = self.find(el, "cac:PaymentMandate")
        mandate = None
        if mandate_el is not None:
            mandate = Mandate(
                id=self.text(mandate_el, "cbc:ID"),
                payer_account=self.text(mandate_el, "cac:PayerFinancialAccount/cbc:ID"),
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
        for total in self.findall(self.root, "cac:TaxTotal"):
            amount_el = self.find(total, "cbc:TaxAmount")
            amount = _decimal_of(amount_el) if amount_el is not None else None
            subtotals = self.findall(total, "cac:TaxSubtotal")
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
                category = self.find(sub, "cac:TaxCategory")
                if category is None or not self.is_vat(category):
                    other_tax = True
                    continue
                sub_tax = self.decimal(sub, "cbc:TaxAmount") or Decimal(0)
                vat_sum += sub_tax
                breakdown.append(
                    VatBreakdown(
                        taxable_amount=self.decimal(sub, "cbc:TaxableAmount") or Decimal(0),
                        tax_amount=sub_tax,
                        category=self.tax_category(self.text(category, "cbc:ID")) or "",
                        rate=self.decimal(category, "cbc:Percent"),
                        exemption_reason=self.text(category, "cbc:TaxExemptionReason"),
                        exemption_reason_code=self.text(category, "cbc:TaxExemptionReasonCode"),
                    )
                )
            if tax is None:
                tax = vat_sum if self.oioubl and other_tax else amount
        return tax, tax_in_tax_currency, breakdown

    def totals(self, tax: Decimal | None, tax_in_tax_currency: Decimal | None) -> Totals:
        el = self.find(self.root, "cac:LegalMonetaryTotal")
        line_extension = self.decimal(el, "cbc:LineExtensionAmount")
        allowance_total = self.decimal(el, "cbc:AllowanceTotalAmount")
        charge_total = self.decimal(el, "cbc:ChargeTotalAmount")
        tax_exclusive = self.decimal(el, "cbc:TaxExclusiveAmount")
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
            tax_inclusive=self.decimal(el, "cbc:TaxInclusiveAmount"),
            prepaid=self.decimal(el, "cbc:PrepaidAmount"),
            rounding=self.decimal(el, "cbc:PayableRoundingAmount"),
            payable=self.decimal(el, "cbc:PayableAmount"),
        )

    # -- lines ---------------------------------------------------------------------------

    def item(self, line: etree._Element) -> Item:
        el = self.find(line, "cac:Item")
        category = self.find(el, "cac:ClassifiedTaxCategory") if el is not None else None
        if category is None and self.oioubl:
            for candidate in self.findall(line, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory"):
                if self.is_vat(candidate):
                    category = candidate
                    break
        classifications: list[Classification] = []
        attributes: list[tuple[str, str]] = []
        if el is not None:
            for code_el in self.findall(
                el, "cac:CommodityClassification/cbc:ItemClassificationCode"
            ):
                code = (code_el.text or "").strip()
                if not code:
                    continue
                list_id = code_el.get("listID")
                if self.oioubl and list_id is not None:
                    list_id = OIOUBL_CLASSIFICATIONS.get(list_id, list_id)
                classifications.append(Classification(code, list_id, code_el.get("listVersionID")))
            for prop in self.findall(el, "cac:AdditionalItemProperty"):
                attributes.append(
                    (self.text(prop, "cbc:Name") or "", self.text(prop, "cbc:Value") or "")
                )
        return Item(
            name=self.text(el, "cbc:Name"),
            description=self.text(el, "cbc:Description"),
            seller_id=self.text(el, "cac:SellersItemIdentification/cbc:ID"),
            buyer_id=self.text(el, "cac:BuyersItemIdentification/cbc:ID"),
            standard_id=self.ident(el, "cac:StandardItemIdentification/cbc:ID"),
            classifications=tuple(classifications),
            origin_country=self.text(el, "cac:OriginCountry/cbc:IdentificationCode"),
            attributes=tuple(attributes),
            vat_category=self.tax_category(self.text(category, "cbc:ID")),
            vat_rate=self.decimal(category, "cbc:Percent"),
        )

    def line(self, el: etree._Element) -> Line:
        quantity_name = "cbc:CreditedQuantity" if self.credit_note else "cbc:InvoicedQuantity"
        quantity_el = self.find(el, quantity_name)
        price_el = self.find(el, "cac:Price")
        base_el = self.find(price_el, "cbc:BaseQuantity") if price_el is not None else None
        price_ac = self.find(price_el, "cac:AllowanceCharge") if price_el is not None else None
        object_id = None
        for ref in self.findall(el, "cac:DocumentReference"):
            if self.text(ref, "cbc:DocumentTypeCode") in ("130", None):
                object_id = self.ident(ref, "cbc:ID")
                break
        return Line(
            id=self.text(el, "cbc:ID") or "",
            quantity=_decimal_of(quantity_el) if quantity_el is not None else None,
            unit=quantity_el.get("unitCode") if quantity_el is not None else None,
            net_amount=self.decimal(el, "cbc:LineExtensionAmount"),
            item=self.item(el),
            price=Price(
                net=self.decimal(price_el, "cbc:PriceAmount"),
                discount=self.decimal(price_ac, "cbc:Amount"),
                gross=self.decimal(price_ac, "cbc:BaseAmount"),
                base_quantity=_decimal_of(base_el) if base_el is not None else None,
                base_unit=base_el.get("unitCode") if base_el is not None else None,
            ),
            note=self.text(el, "cbc:Note"),
            object_id=object_id,
            order_line_ref=self.text(el, "cac:OrderLineReference/cbc:LineID"),
            accounting_cost=self.text(el, "cbc:AccountingCost"),
            period=self.period(self.find(el, "cac:InvoicePeriod")),
            allowances_charges=tuple(
                self.allowance_charge(ac, with_vat=False)
                for ac in self.findall(el, "cac:AllowanceCharge")
            ),
        )

    # -- the document --------------------------------------------------------------------

    def references(self) -> tuple[Identifier | None, str | None, list[Attachment]]:
        invoiced_object = None
        project = None
        attachments: list[Attachment] = []
        for ref in self.findall(self.root, "cac:AdditionalDocumentReference"):
            type_code = self.text(ref, "cbc:DocumentTypeCode")
            if type_code == "130" and invoiced_object is None and not self.oioubl:
                invoiced_object = self.ident(ref, "cbc:ID")
                continue
            if type_code == "50" and self.credit_note and project is None and not self.oioubl:
                project = self.text(ref, "cbc:ID")
                continue
            binary = self.find(ref, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject")
            attachments.append(
                Attachment(
                    id=self.text(ref, "cbc:ID") or "",
                    description=self.text(ref, "cbc:DocumentDescription"),
                    uri=self.text(ref, "cac:Attachment/cac:ExternalReference/cbc:URI"),
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
        currency = self.text(root, "cbc:DocumentCurrencyCode")
        tax, tax_in_tax_currency, breakdown = self.vat(currency)
        means = self.findall(root, "cac:PaymentMeans")
        due_date = self.day(root, "cbc:DueDate")
        if due_date is None:
            for m in means:
                due_date = self.day(m, "cbc:PaymentDueDate")
                if due_date is not None:
                    break
        type_code = self.text(
            root, "cbc:CreditNoteTypeCode" if self.credit_note else "cbc:InvoiceTypeCode"
        )
        if type_code is None and self.oioubl and self.credit_note:
            type_code = "381"
        buyer_el = self.find(root, "cac:AccountingCustomerParty/cac:Party")
        buyer_reference = self.text(root, "cbc:BuyerReference")
        if buyer_reference is None and self.oioubl:
            buyer_reference = self.text(buyer_el, "cac:Contact/cbc:ID")
        invoiced_object, project, attachments = self.references()
        delivery_el = self.find(root, "cac:Delivery")
        delivery = None
        if delivery_el is not None:
            location_el = self.find(delivery_el, "cac:DeliveryLocation")
            delivery = Delivery(
                party_name=self.text(delivery_el, "cac:DeliveryParty/cac:PartyName/cbc:Name"),
                location_id=self.ident(location_el, "cbc:ID"),
                actual_date=self.day(delivery_el, "cbc:ActualDeliveryDate"),
                address=self.address(
                    self.find(location_el, "cac:Address")
                    if location_el is not None
                    else self.find(delivery_el, "cac:DeliveryAddress")
                    if self.oioubl
                    else None
                ),
            )
        line_name = "cac:CreditNoteLine" if self.credit_note else "cac:InvoiceLine"
        terms = [
            t
            for t in (self.text(p, "cbc:Note") for p in self.findall(root, "cac:PaymentTerms"))
            if t
        ]
        return Document(
            profile=self.profile,
            number=self.text(root, "cbc:ID"),
            issue_date=self.day(root, "cbc:IssueDate"),
            type_code=type_code,
            currency=currency,
            tax_currency=self.text(root, "cbc:TaxCurrencyCode"),
            tax_point_date=self.day(root, "cbc:TaxPointDate"),
            due_date=due_date,
            buyer_reference=buyer_reference,
            project_reference=project or self.text(root, "cac:ProjectReference/cbc:ID"),
            contract_reference=self.text(root, "cac:ContractDocumentReference/cbc:ID"),
            order_reference=self.text(root, "cac:OrderReference/cbc:ID"),
            sales_order_reference=self.text(root, "cac:OrderReference/cbc:SalesOrderID"),
            receiving_advice_reference=self.text(root, "cac:ReceiptDocumentReference/cbc:ID"),
            despatch_advice_reference=self.text(root, "cac:DespatchDocumentReference/cbc:ID"),
            tender_reference=self.text(root, "cac:OriginatorDocumentReference/cbc:ID"),
            invoiced_object=invoiced_object,
            accounting_cost=self.text(root, "cbc:AccountingCost"),
            payment_terms="\n".join(terms) if terms else None,
            notes=tuple(
                t for t in ((n.text or "").strip() for n in self.findall(root, "cbc:Note")) if t
            ),
            period=self.period(self.find(root, "cac:InvoicePeriod")),
            preceding_invoices=tuple(
                DocumentReference(self.text(r, "cbc:ID") or "", self.day(r, "cbc:IssueDate"))
                for r in self.findall(root, "cac:BillingReference/cac:InvoiceDocumentReference")
            ),
            seller=self.party(self.find(root, "cac:AccountingSupplierParty/cac:Party")) or Party(),
            buyer=self.party(buyer_el) or Party(),
            payee=self.party(self.find(root, "cac:PayeeParty")),
            tax_representative=self.party(self.find(root, "cac:TaxRepresentativeParty")),
            delivery=delivery,
            payment_means=tuple(self.payment_means(m) for m in means),
            allowances_charges=tuple(
                self.allowance_charge(ac, with_vat=True)
                for ac in self.findall(root, "cac:AllowanceCharge")
            ),
            totals=self.totals(tax, tax_in_tax_currency),
            vat_breakdown=tuple(breakdown),
            attachments=tuple(attachments),
            lines=tuple(self.line(el) for el in self.findall(root, line_name)),
        )
