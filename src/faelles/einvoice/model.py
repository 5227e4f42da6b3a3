"""The EN 16931 semantic model: what an invoice or credit note says, independent of syntax.

Frozen dataclasses with Decimal amounts. Field comments give the business term (BT-n) or
group (BG-n) of EN 16931-1; a field is ``None`` (or an empty tuple) when the document does not
carry the term. Peppol BIS 3 and OIOUBL 2.1 are both read into this model
(:mod:`faelles.einvoice.reader`), and :func:`faelles.einvoice.writer.to_ubl` writes it as
Peppol BIS 3.

Danish payment details keep the EN 16931 shape that Peppol BIS DK uses: a FIK payment is
payment means 93 with ``payment_id`` ``"71#<instruction id>"`` and the creditor number as the
account; a giro payment is means 50 with ``"01#"``/``"04#..."``/``"15#..."`` and the giro
account; a Danish bank transfer is means 31 or 42 with the account number and the
registration number as branch id. The properties below take those apart.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from faelles.einvoice.profiles import DocumentKind, Profile


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier with its optional scheme (ISO 6523 ICD or EAS code), e.g. 0184 for CVR."""

    value: str
    scheme: str | None = None


@dataclass(frozen=True, slots=True)
class Address:
    """BG-5, BG-8, BG-12, BG-15: a postal address."""

    street: str | None = None  # BT-35
    additional_street: str | None = None  # BT-36
    line: str | None = None  # BT-162
    city: str | None = None  # BT-37
    postal_zone: str | None = None  # BT-38
    subdivision: str | None = None  # BT-39
    country: str | None = None  # BT-40 (ISO 3166-1 alpha-2)


@dataclass(frozen=True, slots=True)
class Contact:
    """BG-6, BG-9: a contact point."""

    name: str | None = None  # BT-41, BT-56
    telephone: str | None = None  # BT-42, BT-57
    email: str | None = None  # BT-43, BT-58


@dataclass(frozen=True, slots=True)
class Party:
    """Seller (BG-4), buyer (BG-7), payee (BG-10) or tax representative (BG-11)."""

    name: str | None = None  # BT-27, BT-44, BT-59, BT-62 (registration name)
    trading_name: str | None = None  # BT-28, BT-45 (PartyName)
    endpoint: Identifier | None = None  # BT-34, BT-49 (electronic address)
    identifiers: tuple[Identifier, ...] = ()  # BT-29, BT-46, BT-60 (and BT-90 with SEPA)
    legal_id: Identifier | None = None  # BT-30, BT-47, BT-61 (e.g. CVR, scheme 0184)
    legal_form: str | None = None  # BT-33 (additional legal information)
    vat_id: str | None = None  # BT-31, BT-48, BT-63 (with country prefix)
    tax_registration_id: str | None = None  # BT-32 (other tax scheme)
    address: Address | None = None  # BG-5, BG-8, BG-12
    contact: Contact | None = None  # BG-6, BG-9

    @property
    def cvr(self) -> str | None:
        """The Danish CVR number, from the legal id or an endpoint/party id with scheme 0184."""
        for ident in (self.legal_id, self.endpoint, *self.identifiers):
            if ident is not None and ident.scheme == "0184":
                return ident.value.removeprefix("DK")
        return None

    @property
    def gln(self) -> str | None:
        """The GLN (EAN location number), from the endpoint or a party id with scheme 0088."""
        for ident in (self.endpoint, *self.identifiers):
            if ident is not None and ident.scheme == "0088":
                return ident.value
        return None


@dataclass(frozen=True, slots=True)
class Period:
    """BG-14 (invoicing period) and BG-26 (line period)."""

    start: date | None = None  # BT-73, BT-134
    end: date | None = None  # BT-74, BT-135
    description_code: str | None = None  # BT-8 (value added tax point date code)


@dataclass(frozen=True, slots=True)
class Delivery:
    """BG-13: delivery information."""

    party_name: str | None = None  # BT-70
    location_id: Identifier | None = None  # BT-71
    actual_date: date | None = None  # BT-72
    address: Address | None = None  # BG-15


@dataclass(frozen=True, slots=True)
class DocumentReference:
    """BG-3: a preceding invoice (BT-25 number, BT-26 issue date)."""

    id: str
    issue_date: date | None = None


@dataclass(frozen=True, slots=True)
class FinancialAccount:
    """BG-17: the account the payment goes to."""

    id: str  # BT-84 (IBAN, Danish account number, giro or FIK creditor number)
    name: str | None = None  # BT-85
    branch_id: str | None = None  # BT-86 (BIC, or the Danish registration number)


@dataclass(frozen=True, slots=True)
class CardAccount:
    """BG-18: payment card information (never the full card number)."""

    primary_account_number: str  # BT-87
    network: str | None = None
    holder: str | None = None  # BT-88


@dataclass(frozen=True, slots=True)
class Mandate:
    """BG-19: direct debit."""

    id: str | None = None  # BT-89
    payer_account: str | None = None  # BT-91


@dataclass(frozen=True, slots=True)
class FIK:
    """A Danish FIK payment (indbetalingskort): card type 71, 73 or 75."""

    card_type: str
    payment_id: str  # the instruction id printed on the card ('' for card type 73)
    creditor: str  # the 8-digit creditor number (kreditornummer)


@dataclass(frozen=True, slots=True)
class Giro:
    """A Danish giro payment: card type 01, 04 or 15."""

    card_type: str
    payment_id: str
    account: str


@dataclass(frozen=True, slots=True)
class PaymentMeans:
    """BG-16: one way to pay."""

    code: str  # BT-81 (UNCL 4461)
    name: str | None = None  # BT-82
    payment_id: str | None = None  # BT-83 (remittance information)
    account: FinancialAccount | None = None  # BG-17
    card: CardAccount | None = None  # BG-18
    mandate: Mandate | None = None  # BG-19

    @property
    def fik(self) -> FIK | None:
        """The FIK details when this is payment means 93 written the Peppol DK way."""
        if self.code != "93" or not self.payment_id or self.account is None:
            return None
        card_type, _, instruction = self.payment_id.partition("#")
        if card_type not in ("71", "73", "75"):
            return None
        return FIK(card_type, instruction, self.account.id)

    @property
    def giro(self) -> Giro | None:
        """The giro details when this is payment means 50 written the Peppol DK way."""
        if self.code != "50" or not self.payment_id or self.account is None:
            return None
        card_type, _, instruction = self.payment_id.partition("#")
        if card_type not in ("01", "04", "15"):
            return None
        return Giro(card_type, instruction, self.account.id)

    @property
    def iban(self) -> str | None:
        """The account when it has the shape of an IBAN."""
        if self.account is None:
            return None
        compact = self.account.id.replace(" ", "")
        if len(compact) >= 15 and compact[:2].isalpha() and compact[2:4].isdigit():
            return compact
        return None

    @property
    def danish_bank_account(self) -> tuple[str, str] | None:
        """(registration number, account number) for a Danish bank transfer (31/42)."""
        if self.code not in ("31", "42") or self.account is None or self.iban is not None:
            return None
        reg = self.account.branch_id
        if reg and reg.isdigit() and len(reg) == 4:
            return reg, self.account.id
        return None


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    """BG-20/BG-21 (document level, with VAT) and BG-27/BG-28 (line level, without)."""

    charge: bool  # ChargeIndicator: True for a charge, False for an allowance
    amount: Decimal  # BT-92, BT-99, BT-136, BT-141
    base_amount: Decimal | None = None  # BT-93, BT-100, BT-137, BT-142
    percent: Decimal | None = None  # BT-94, BT-101, BT-138, BT-143
    reason: str | None = None  # BT-97, BT-104, BT-139, BT-144
    reason_code: str | None = None  # BT-98, BT-105, BT-140, BT-145
    vat_category: str | None = None  # BT-95, BT-102 (document level only)
    vat_rate: Decimal | None = None  # BT-96, BT-103


@dataclass(frozen=True, slots=True)
class Totals:
    """BG-22: document totals."""

    line_extension: Decimal | None = None  # BT-106 sum of line net amounts
    allowance_total: Decimal | None = None  # BT-107
    charge_total: Decimal | None = None  # BT-108
    tax_exclusive: Decimal | None = None  # BT-109
    tax: Decimal | None = None  # BT-110 (in the document currency)
    tax_in_tax_currency: Decimal | None = None  # BT-111
    tax_inclusive: Decimal | None = None  # BT-112
    prepaid: Decimal | None = None  # BT-113
    rounding: Decimal | None = None  # BT-114
    payable: Decimal | None = None  # BT-115


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    """BG-23: the VAT of one category and rate."""

    taxable_amount: Decimal  # BT-116
    tax_amount: Decimal  # BT-117
    category: str  # BT-118 (UNCL 5305: S, Z, E, AE, K, G, O, L, M)
    rate: Decimal | None = None  # BT-119
    exemption_reason: str | None = None  # BT-120
    exemption_reason_code: str | None = None  # BT-121


@dataclass(frozen=True, slots=True)
class Classification:
    """BT-158: an item classification, e.g. UNSPSC (list id TST in Peppol DK)."""

    code: str
    list_id: str | None = None
    list_version: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """BG-31 item information and BG-30 line VAT."""

    name: str | None = None  # BT-153
    description: str | None = None  # BT-154
    seller_id: str | None = None  # BT-155
    buyer_id: str | None = None  # BT-156
    standard_id: Identifier | None = None  # BT-157 (e.g. GTIN, scheme 0160)
    classifications: tuple[Classification, ...] = ()  # BT-158
    origin_country: str | None = None  # BT-159
    attributes: tuple[tuple[str, str], ...] = ()  # BG-32 (BT-160 name, BT-161 value)
    vat_category: str | None = None  # BT-151
    vat_rate: Decimal | None = None  # BT-152


@dataclass(frozen=True, slots=True)
class Price:
    """BG-29: price details."""

    net: Decimal | None = None  # BT-146
    discount: Decimal | None = None  # BT-147
    gross: Decimal | None = None  # BT-148
    base_quantity: Decimal | None = None  # BT-149
    base_unit: str | None = None  # BT-150


@dataclass(frozen=True, slots=True)
class Line:
    """BG-25: one invoice (or credit note) line."""

    id: str  # BT-126
    quantity: Decimal | None = None  # BT-129
    unit: str | None = None  # BT-130 (UN/ECE rec 20)
    net_amount: Decimal | None = None  # BT-131
    item: Item = field(default_factory=Item)  # BG-31, BG-30
    price: Price = field(default_factory=Price)  # BG-29
    note: str | None = None  # BT-127
    object_id: Identifier | None = None  # BT-128
    order_line_ref: str | None = None  # BT-132
    accounting_cost: str | None = None  # BT-133
    period: Period | None = None  # BG-26
    allowances_charges: tuple[AllowanceCharge, ...] = ()  # BG-27, BG-28


@dataclass(frozen=True, slots=True)
class Attachment:
    """BG-24: an additional supporting document.

    An embedded binary object is kept once, as the base64 text of the document (never decoded
    in memory unless :meth:`content` is called); reading with ``attachments=False`` keeps the
    metadata only.
    """

    id: str  # BT-122
    description: str | None = None  # BT-123
    uri: str | None = None  # BT-124 (external location)
    mime_code: str | None = None  # BT-125 @mimeCode
    filename: str | None = None  # BT-125 @filename
    type_code: str | None = None  # DocumentTypeCode (130 marks BT-18, not an attachment)
    content_base64: str | None = field(default=None, repr=False)  # BT-125

    @property
    def size(self) -> int | None:
        """Size in bytes of the embedded object, computed without decoding it."""
        if self.content_base64 is None:
            return None
        text = "".join(self.content_base64.split())
        return len(text) * 3 // 4 - text[-2:].count("=")

    def content(self) -> bytes | None:
        """The decoded embedded object; ``None`` when there is none or it is not base64."""
        if self.content_base64 is None:
            return None
        try:
            return base64.b64decode("".join(self.content_base64.split()), validate=True)
        except (binascii.Error, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class Document:
    """BG-0: an invoice or credit note in the EN 16931 model, with the profile it came in."""

    profile: Profile
    number: str | None = None  # BT-1
    issue_date: date | None = None  # BT-2
    type_code: str | None = None  # BT-3 (UNCL 1001: 380 invoice, 381 credit note, ...)
    currency: str | None = None  # BT-5
    tax_currency: str | None = None  # BT-6
    tax_point_date: date | None = None  # BT-7
    due_date: date | None = None  # BT-9
    buyer_reference: str | None = None  # BT-10
    project_reference: str | None = None  # BT-11
    contract_reference: str | None = None  # BT-12
    order_reference: str | None = None  # BT-13
    sales_order_reference: str | None = None  # BT-14
    receiving_advice_reference: str | None = None  # BT-15
    despatch_advice_reference: str | None = None  # BT-16
    tender_reference: str | None = None  # BT-17
    invoiced_object: Identifier | None = None  # BT-18
    accounting_cost: str | None = None  # BT-19
    payment_terms: str | None = None  # BT-20
    notes: tuple[str, ...] = ()  # BT-22
    period: Period | None = None  # BG-14
    preceding_invoices: tuple[DocumentReference, ...] = ()  # BG-3
    seller: Party = field(default_factory=Party)  # BG-4
    buyer: Party = field(default_factory=Party)  # BG-7
    payee: Party | None = None  # BG-10
    tax_representative: Party | None = None  # BG-11
    delivery: Delivery | None = None  # BG-13
    payment_means: tuple[PaymentMeans, ...] = ()  # BG-16
    allowances_charges: tuple[AllowanceCharge, ...] = ()  # BG-20, BG-21
    totals: Totals = field(default_factory=Totals)  # BG-22
    vat_breakdown: tuple[VatBreakdown, ...] = ()  # BG-23
    attachments: tuple[Attachment, ...] = ()  # BG-24
    lines: tuple[Line, ...] = ()  # BG-25

    @property
    def kind(self) -> DocumentKind:
        return self.profile.document
