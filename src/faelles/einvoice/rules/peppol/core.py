"""The Peppol transaction, identifier and code-list rules (PEPPOL-EN16931-*, PEPPOL-COMMON-*).

One function per schematron pattern, in the order of the published file. Within a pattern an
element is checked by the first rule whose context it matches, as a schematron processor does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from faelles.einvoice.rules.peppol import codes, identifiers
from faelles.einvoice.rules.peppol._doc import AMOUNTS, DATES, Doc
from faelles.einvoice.rules.peppol._xpath import (
    Element,
    cac,
    decimal,
    find,
    findall,
    is_number,
    iterfind,
    norm,
    number,
    slack,
    string,
    text,
    texts,
    to_date,
    xpath_round,
)

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_TOLERANCE = Decimal("0.02")

CUSTOMIZATION_PREFIX = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"

_ID = cac("cbc:ID")
_AMOUNT = cac("cbc:Amount")
_BASE_AMOUNT = cac("cbc:BaseAmount")
_MULTIPLIER = cac("cbc:MultiplierFactorNumeric")
_CHARGE_INDICATOR = cac("cbc:ChargeIndicator")
_ALLOWANCE_CHARGE = cac("cac:AllowanceCharge")
_TAX_TOTAL = cac("cac:TaxTotal")
_TAX_SUBTOTAL = cac("cac:TaxSubtotal")
_TAX_AMOUNT = cac("cbc:TaxAmount")
_TAX_CURRENCY = cac("cbc:TaxCurrencyCode")
_DOCUMENT_CURRENCY = cac("cbc:DocumentCurrencyCode")
_INVOICE_LINE = cac("cac:InvoiceLine")
_CREDIT_NOTE_LINE = cac("cac:CreditNoteLine")
_INVOICE_PERIOD = cac("cac:InvoicePeriod")
_START_DATE = cac("cbc:StartDate")
_END_DATE = cac("cbc:EndDate")
_PRICE = cac("cac:Price")
_PRICE_AMOUNT = cac("cbc:PriceAmount")
_BASE_QUANTITY = cac("cbc:BaseQuantity")
_INVOICED_QUANTITY = cac("cbc:InvoicedQuantity")
_CREDITED_QUANTITY = cac("cbc:CreditedQuantity")
_LINE_LEX = cac("cbc:LineExtensionAmount")
_PARTY = cac("cac:Party")
_ENDPOINT_ID = cac("cbc:EndpointID")
_COMPANY_ID = cac("cbc:CompanyID")
_PARTY_IDENTIFICATION = cac("cac:PartyIdentification")
_PARTY_TAX_SCHEME = cac("cac:PartyTaxScheme")
_TAX_SCHEME_ID = cac("cac:TaxScheme/cbc:ID")
_ACCOUNTING_CUSTOMER = cac("cac:AccountingCustomerParty")
_ACCOUNTING_SUPPLIER = cac("cac:AccountingSupplierParty")
_PAYMENT_MEANS_CODE = cac("cbc:PaymentMeansCode")
_MANDATE_ID = cac("cac:PaymentMandate/cbc:ID")
_DOCUMENT_REFERENCE = cac("cac:DocumentReference")
_DOCUMENT_TYPE_CODE = cac("cbc:DocumentTypeCode")
_ADDITIONAL_DOCUMENT_REFERENCE = cac("cac:AdditionalDocumentReference")
_TAX_EXEMPTION_REASON_CODE = cac("cbc:TaxExemptionReasonCode")
_TAX_CATEGORY = cac("cac:TaxCategory")
_CREDIT_NOTE_TYPE_CODE = cac("cbc:CreditNoteTypeCode")
_INVOICE_TYPE_CODE = cac("cbc:InvoiceTypeCode")
_DESCRIPTION_CODE = cac("cbc:DescriptionCode")
_ALLOWANCE_CHARGE_REASON_CODE = cac("cbc:AllowanceChargeReasonCode")
_EMBEDDED_DOCUMENT_BINARY_OBJECT = cac("cbc:EmbeddedDocumentBinaryObject")
_CUSTOMIZATION_ID = cac("cbc:CustomizationID")
_BUYER_REFERENCE = cac("cbc:BuyerReference")
_ORDER_REFERENCE_ID = cac("cac:OrderReference/cbc:ID")
_NOTE = cac("cbc:Note")
_PROFILE_ID = cac("cbc:ProfileID")
_PAYMENT_MEANS = cac("cac:PaymentMeans")


def check_empty_elements(doc: Doc) -> None:
    """Pattern ``//*[not(*) and not(normalize-space())]``: no empty elements."""
    for el in doc.empty:
        doc.fire("PEPPOL-EN16931-R008", el)


def check_credit_note(doc: Doc) -> None:
    """R080: a credit note has at most one project reference."""
    if doc.is_invoice:
        return
    projects = [
        ref
        for ref in doc.child_all(_ADDITIONAL_DOCUMENT_REFERENCE)
        if "50" in texts(ref, _DOCUMENT_TYPE_CODE)
    ]
    doc.check("PEPPOL-EN16931-R080", len(projects) <= 1, doc.root)


def check_transaction(doc: Doc) -> None:
    """The transaction pattern: document, parties, allowances, payment, currency, lines."""
    _document_level(doc)
    for el in doc.all(_TAX_CURRENCY):
        parent = el.getparent()
        document_currency = find(parent, _DOCUMENT_CURRENCY) if parent is not None else None
        other = document_currency.text if document_currency is not None else None
        doc.check("PEPPOL-EN16931-R005", norm(el.text or "") != norm(other or ""), el)
    for party in doc.all(_PARTY):
        parent_tag = party.getparent().tag  # type: ignore[union-attr]
        if parent_tag == _ACCOUNTING_CUSTOMER:
            doc.check("PEPPOL-EN16931-R010", find(party, _ENDPOINT_ID) is not None, party)
        elif parent_tag == _ACCOUNTING_SUPPLIER:
            doc.check("PEPPOL-EN16931-R020", find(party, _ENDPOINT_ID) is not None, party)
    _allowances_and_charges(doc)
    for means in doc.all(_PAYMENT_MEANS):
        code = norm(text(means, _PAYMENT_MEANS_CODE))
        if code in ("49", "59"):
            doc.check("PEPPOL-EN16931-R061", find(means, _MANDATE_ID) is not None, means)
    _currency(doc)
    _line_periods(doc)
    for line in doc.all(_INVOICE_LINE) + doc.all(_CREDIT_NOTE_LINE):
        _line(doc, line)
    _price(doc)
    _identifiers(doc)


def _document_level(doc: Doc) -> None:
    root = doc.root
    doc.check("PEPPOL-EN16931-R001", doc.child(_PROFILE_ID) is not None, root)
    doc.check("PEPPOL-EN16931-R007", doc.profile != "Unknown", root)
    doc.check("PEPPOL-EN16931-R002", len(doc.child_all(_NOTE)) <= 1 or doc.both_de, root)
    order_reference = find(root, _ORDER_REFERENCE_ID)
    doc.check(
        "PEPPOL-EN16931-R003",
        doc.child(_BUYER_REFERENCE) is not None or order_reference is not None,
        root,
    )
    customization_el = doc.child(_CUSTOMIZATION_ID)
    customization = norm(customization_el.text or "") if customization_el is not None else ""
    doc.check(
        "PEPPOL-EN16931-R004",
        customization.startswith(CUSTOMIZATION_PREFIX) and "::" not in customization,
        root,
    )
    tax_totals = doc.child_all(_TAX_TOTAL)
    with_subtotals = [t for t in tax_totals if find(t, _TAX_SUBTOTAL) is not None]
    doc.check("PEPPOL-EN16931-R053", len(with_subtotals) == 1, root)
    tax_currency = doc.child(_TAX_CURRENCY)
    doc.check(
        "PEPPOL-EN16931-R054",
        len(tax_totals) - len(with_subtotals) == (1 if tax_currency is not None else 0),
        root,
    )
    if tax_currency is not None:
        doc.check("PEPPOL-EN16931-R055", _same_vat_sign(doc, tax_totals), root)


def _same_vat_sign(doc: Doc, tax_totals: list[Element]) -> bool:
    """R055: the VAT totals in document and in tax currency have the same sign."""
    tax_code = norm(string(doc.child(_TAX_CURRENCY)))
    document_code = norm(string(doc.child(_DOCUMENT_CURRENCY)))
    amounts = [a for total in tax_totals for a in iterfind(total, _TAX_AMOUNT)]
    in_tax = [number(string(a)) for a in amounts if a.get("currencyID") == tax_code]
    in_document = [number(string(a)) for a in amounts if a.get("currencyID") == document_code]
    return (any(v <= 0 for v in in_tax) and any(v <= 0 for v in in_document)) or (
        any(v >= 0 for v in in_tax) and any(v >= 0 for v in in_document)
    )


def _allowances_and_charges(doc: Doc) -> None:
    """R041, R042 (first match), then R040 and R043 on document and line allowances/charges."""
    line_tag = _INVOICE_LINE if doc.is_invoice else _CREDIT_NOTE_LINE
    for charge in doc.all(_ALLOWANCE_CHARGE):
        parent = charge.getparent()
        if parent is None or not (
            parent is doc.root or (parent.tag == line_tag and parent.getparent() is doc.root)
        ):
            continue
        has_multiplier = find(charge, _MULTIPLIER) is not None
        base = find(charge, _BASE_AMOUNT)
        if has_multiplier and base is None:
            doc.fire("PEPPOL-EN16931-R041", charge)
            continue
        if not has_multiplier and base is not None:
            doc.fire("PEPPOL-EN16931-R042", charge)
            continue
        if has_multiplier and base is not None:
            doc.check("PEPPOL-EN16931-R040", _percentage_amount_ok(charge, base), charge)
        indicator = norm(text(charge, _CHARGE_INDICATOR))
        doc.check("PEPPOL-EN16931-R043", indicator in ("true", "false"), charge)


def _percentage_amount_ok(charge: Element, base: Element) -> bool:
    """R040: amount = base amount * percentage / 100, within 0.02."""
    amount_el = find(charge, _AMOUNT)
    amount = decimal(string(amount_el)) if amount_el is not None else _ZERO
    base_value = decimal(string(base))
    multiplier = decimal(text(charge, _MULTIPLIER))
    if amount is None or base_value is None or multiplier is None:
        return False
    return slack(amount, base_value * multiplier / _HUNDRED, _TOLERANCE)


def _currency(doc: Doc) -> None:
    """R051: every amount but the VAT total in accounting currency is in the document currency."""
    currency = doc.child(_DOCUMENT_CURRENCY)
    expected = string(currency) if currency is not None else None
    for tag in AMOUNTS:
        for amount in doc.all(tag):
            if tag == _TAX_AMOUNT:
                parent = amount.getparent()
                if parent is None:  # pragma: no cover - an amount always has a parent
                    continue
                if parent.tag == _TAX_TOTAL:
                    if find(parent, _TAX_SUBTOTAL) is None:
                        continue
                elif parent.tag != _TAX_SUBTOTAL:
                    continue
            if expected is None or amount.get("currencyID") != expected:
                doc.fire("PEPPOL-EN16931-R051", amount)


def _line_periods(doc: Doc) -> None:
    """R110, R111: a line period lies within the invoice period."""
    period = doc.child(_INVOICE_PERIOD)
    if period is None:
        return
    line_tag = _INVOICE_LINE if doc.is_invoice else _CREDIT_NOTE_LINE
    for rule, tag in (("PEPPOL-EN16931-R110", _START_DATE), ("PEPPOL-EN16931-R111", _END_DATE)):
        bounds = [find(p, tag) for p in doc.child_all(_INVOICE_PERIOD)]
        bound_el = next((b for b in bounds if b is not None), None)
        if bound_el is None:
            continue
        bound = to_date(string(bound_el))
        for el in doc.all(tag):
            line_period = el.getparent()
            line = line_period.getparent() if line_period is not None else None
            if (
                line is None
                or line_period is None
                or line_period.tag != _INVOICE_PERIOD
                or line.tag != line_tag
                or line.getparent() is not doc.root
            ):
                continue
            value = to_date(string(el))
            if value is None or bound is None:
                doc.fire(rule, el)
            elif rule == "PEPPOL-EN16931-R110":
                doc.check(rule, value >= bound, el)
            else:
                doc.check(rule, value <= bound, el)


def _charges_total(charges: list[Element], indicator: str) -> Decimal:
    """``$allowancesTotal``/``$chargesTotal``: the amounts of one kind, rounded to cents."""
    selected = [c for c in charges if norm(text(c, _CHARGE_INDICATOR)) == indicator]
    if not selected:
        return _ZERO
    total = _ZERO
    for charge in selected:
        for amount in charge.iterchildren(_AMOUNT):
            total += decimal(string(amount)) or _ZERO
    return xpath_round(total * 100) / 100


def _line(doc: Doc, line: Element) -> None:
    """R120, R121, R100, R101 on an invoice or credit note line."""
    quantity_tag = _INVOICED_QUANTITY if doc.is_invoice else _CREDITED_QUANTITY
    line_amount_el = quantity_el = price = None
    charges: list[Element] = []
    references: list[Element] = []
    for child in line:
        tag = child.tag
        if tag == _LINE_LEX:
            line_amount_el = line_amount_el if line_amount_el is not None else child
        elif tag == quantity_tag:
            quantity_el = quantity_el if quantity_el is not None else child
        elif tag == _PRICE:
            price = price if price is not None else child
        elif tag == _ALLOWANCE_CHARGE:
            charges.append(child)
        elif tag == _DOCUMENT_REFERENCE:
            references.append(child)
    line_amount = decimal(string(line_amount_el)) if line_amount_el is not None else _ZERO
    quantity = decimal(string(quantity_el)) if quantity_el is not None else _ONE
    price_amount_el = find(price, _PRICE_AMOUNT) if price is not None else None
    price_amount = decimal(string(price_amount_el)) if price_amount_el is not None else _ZERO
    base_quantity_el = find(price, _BASE_QUANTITY) if price is not None else None
    base_quantity: Decimal | None = _ONE
    if base_quantity_el is not None:
        base_quantity = decimal(string(base_quantity_el))
        if base_quantity is not None and base_quantity == 0:
            base_quantity = _ONE
    if line_amount is None or quantity is None or price_amount is None or base_quantity is None:
        ok = False
    else:
        calculated = quantity * (price_amount / base_quantity)
        if charges:
            calculated += _charges_total(charges, "true") - _charges_total(charges, "false")
        ok = slack(line_amount, calculated, _TOLERANCE)
    doc.check("PEPPOL-EN16931-R120", ok, line)
    if base_quantity_el is not None:
        value = decimal(string(base_quantity_el))
        doc.check("PEPPOL-EN16931-R121", value is not None and value > 0, line)
    if references:
        doc.check("PEPPOL-EN16931-R100", len(references) <= 1, line)
        doc.check(
            "PEPPOL-EN16931-R101",
            any(string(c) == "130" for r in references for c in iterfind(r, _DOCUMENT_TYPE_CODE)),
            line,
        )


def _price(doc: Doc) -> None:
    """R044, R046 on price allowances; R130 on the price base quantity."""
    for charge in doc.all(_ALLOWANCE_CHARGE):
        price = charge.getparent()
        if price is None or price.tag != _PRICE:
            continue
        doc.check("PEPPOL-EN16931-R044", norm(text(charge, _CHARGE_INDICATOR)) == "false", charge)
        if find(charge, _BASE_AMOUNT) is not None:
            net = (
                decimal(text(price, _PRICE_AMOUNT))
                if find(price, _PRICE_AMOUNT) is not None
                else None
            )
            gross = decimal(text(charge, _BASE_AMOUNT))
            amount = decimal(text(charge, _AMOUNT)) if find(charge, _AMOUNT) is not None else None
            doc.check(
                "PEPPOL-EN16931-R046",
                net is not None
                and gross is not None
                and amount is not None
                and net == gross - amount,
                charge,
            )
    quantity_tag = _INVOICED_QUANTITY if doc.is_invoice else _CREDITED_QUANTITY
    for base_quantity in doc.all(_BASE_QUANTITY):
        unit = base_quantity.get("unitCode")
        price = base_quantity.getparent()
        if unit is None or price is None or price.tag != _PRICE:
            continue
        line = price.getparent()
        if line is None:  # pragma: no cover - a price always has a parent
            continue
        has_quantity = (
            find(line, _INVOICED_QUANTITY) is not None or find(line, _CREDITED_QUANTITY) is not None
        )
        units = [q.get("unitCode") for q in iterfind(line, quantity_tag)]
        doc.check("PEPPOL-EN16931-R130", not has_quantity or unit in units, base_quantity)


# Identifier scheme checks (ICD). The tests follow the schematron asserts literally: some
# normalise the value first, the CVR/P-number/SE-number checks (R042, R052, R053) do not.
_NL_VAT = re.compile(r"NL[0-9]{9}B[0-9]{2}")


def _gln(value: str) -> bool:
    value = norm(value)
    return value.isascii() and value.isdigit() and identifiers.gln(value)


def _norwegian(value: str) -> bool:
    value = norm(value)
    return len(value) == 9 and value.isascii() and value.isdigit() and identifiers.mod11(value)


def _digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _cvr(value: str) -> bool:
    return (len(value) == 10 and value[:2] == "DK" and _digits(value[2:10])) or (
        len(value) == 8 and _digits(value)
    )


def _belgian(value: str) -> bool:
    value = norm(value)
    return len(value) == 10 and _digits(value) and identifiers.mod97_0208(value)


def _swedish(value: str) -> bool:
    value = norm(value)
    return len(value) == 10 and is_number(value) and identifiers.swedish_org_number(value)


def _australian(value: str) -> bool:
    value = norm(value)
    return len(value) == 11 and _digits(value) and identifiers.abn(value)


def _fixed_digits(count: int) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        value = norm(value)
        return len(value) == count and _digits(value)

    return check


# Scheme id -> (rule, test), in the order of the rules in the pattern.
ICD_RULES: dict[str, tuple[str, Callable[[str], bool]]] = {
    "0088": ("PEPPOL-COMMON-R040", _gln),
    "0192": ("PEPPOL-COMMON-R041", _norwegian),
    "0184": ("PEPPOL-COMMON-R042", _cvr),
    "0096": ("PEPPOL-COMMON-R052", lambda v: len(v) == 10 and _digits(v)),
    "0198": ("PEPPOL-COMMON-R053", lambda v: len(v) == 10 and v[:2] == "DK" and _digits(v[2:])),
    "0208": ("PEPPOL-COMMON-R043", _belgian),
    "0201": ("PEPPOL-COMMON-R044", lambda v: identifiers.codice_ipa(norm(v))),
    "0210": ("PEPPOL-COMMON-R045", lambda v: identifiers.codice_fiscale(norm(v))),
    "0211": ("PEPPOL-COMMON-R047", lambda v: identifiers.partita_iva(norm(v))),
    "0007": ("PEPPOL-COMMON-R049", _swedish),
    "0151": ("PEPPOL-COMMON-R050", _australian),
    "0106": ("PEPPOL-COMMON-R054", _fixed_digits(8)),
    "0190": ("PEPPOL-COMMON-R055", _fixed_digits(20)),
    "9944": ("PEPPOL-COMMON-R056-1", lambda v: _NL_VAT.fullmatch(norm(v)) is not None),
    "0217": ("PEPPOL-COMMON-R057", _fixed_digits(12)),
}
# Schemes checked only on electronic addresses.
ENDPOINT_ONLY_RULES: dict[str, tuple[str, Callable[[str], bool]]] = {
    "9907": ("PEPPOL-COMMON-R046", lambda v: identifiers.codice_fiscale(norm(v))),
}


def _is_vat_company_id(el: Element) -> bool:
    """``cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) = 'VAT']/cbc:CompanyID``."""
    scheme = el.getparent()
    return (
        scheme is not None
        and scheme.tag == _PARTY_TAX_SCHEME
        and norm(text(scheme, _TAX_SCHEME_ID)) == "VAT"
    )


def _identifiers(doc: Doc) -> None:
    """PEPPOL-COMMON-R040 ... R057 on endpoint, party and company identifiers."""
    for el in doc.all(_ENDPOINT_ID):
        scheme = el.get("schemeID")
        if scheme is None:
            continue
        rule = ICD_RULES.get(scheme) or ENDPOINT_ONLY_RULES.get(scheme)
        if rule is not None:
            doc.check(rule[0], rule[1](string(el)), el)
    for identification in doc.all(_PARTY_IDENTIFICATION):
        for el in iterfind(identification, _ID):
            scheme = el.get("schemeID")
            rule = ICD_RULES.get(scheme) if scheme is not None else None
            if rule is not None:
                doc.check(rule[0], rule[1](string(el)), el)
    for el in doc.all(_COMPANY_ID):
        scheme = el.get("schemeID")
        if scheme == "0217" or scheme not in ICD_RULES:
            # R056-2 comes before the 0217 rule in the pattern.
            if norm(string(el)).startswith("NL") and _is_vat_company_id(el):
                doc.check(
                    "PEPPOL-COMMON-R056-2",
                    _NL_VAT.fullmatch(norm(string(el))) is not None,
                    el,
                )
                continue
            if scheme != "0217":
                continue
        rule = ICD_RULES[scheme]
        doc.check(rule[0], rule[1](string(el)), el)


def is_iso_date(value: str) -> bool:
    """F001: ``string-length(text()) = 10 and (string(.) castable as xs:date)``."""
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        return False
    year, month, day = value[:4], value[5:7], value[8:]
    if not (year.isascii() and year.isdigit() and month.isdigit() and day.isdigit()):
        return False
    return to_date(value) is not None


def check_code_lists(doc: Doc) -> None:
    """The restricted code lists and formats pattern (CL*, P01*, F001)."""
    for el in doc.all(_EMBEDDED_DOCUMENT_BINARY_OBJECT):
        mime = el.get("mimeCode")
        if mime is not None:
            doc.check("PEPPOL-EN16931-CL001", mime in codes.MIME_CODES, el)
    for el in doc.all(_ALLOWANCE_CHARGE_REASON_CODE):
        charge = el.getparent()
        if charge is None or charge.tag != _ALLOWANCE_CHARGE:
            continue
        indicators = texts(charge, _CHARGE_INDICATOR)
        code = norm(el.text or "")
        if "false" in indicators:
            doc.check("PEPPOL-EN16931-CL002", code in codes.UNCL5189, el)
        elif "true" in indicators:
            doc.check("PEPPOL-EN16931-CL003", code in codes.UNCL7161, el)
    for el in doc.all(_DESCRIPTION_CODE):
        parent = el.getparent()
        if parent is not None and parent.tag == _INVOICE_PERIOD:
            doc.check("PEPPOL-EN16931-CL006", norm(el.text or "") in codes.UNCL2005, el)
    currencies = codes.ISO4217
    for el in doc.amounts:
        if el.get("currencyID") not in currencies:
            doc.fire("PEPPOL-EN16931-CL007", el)
    for el in doc.all(_INVOICE_TYPE_CODE):
        code = norm(string(el))
        doc.check(
            "PEPPOL-EN16931-P0100",
            doc.profile not in ("01", "02") or code in codes.INVOICE_TYPE_CODES,
            el,
        )
        doc.check("PEPPOL-EN16931-P0112", code not in ("326", "384") or doc.both_de, el)
    for el in doc.all(_CREDIT_NOTE_TYPE_CODE):
        doc.check(
            "PEPPOL-EN16931-P0101",
            doc.profile not in ("01", "02") or norm(string(el)) in codes.CREDIT_NOTE_TYPE_CODES,
            el,
        )
    for tag in DATES:
        for el in doc.all(tag):
            if not is_iso_date(el.text or ""):
                doc.fire("PEPPOL-EN16931-F001", el)
    for el in doc.all(_ENDPOINT_ID):
        scheme = el.get("schemeID")
        if scheme is not None:
            doc.check("PEPPOL-EN16931-CL008", scheme in codes.EAS, el)
    for reason in doc.all(_TAX_EXEMPTION_REASON_CODE):
        category = reason.getparent()
        if category is None or category.tag != _TAX_CATEGORY:
            continue
        expected = _EXEMPTION_CATEGORIES.get(string(reason).upper())
        if expected is not None and len(findall(category, _TAX_EXEMPTION_REASON_CODE)) == 1:
            rule, category_id = expected
            doc.check(rule, norm(text(category, _ID)) == category_id, category)


# VATEX code -> (rule, the VAT category it requires), P0104 ... P0111.
_EXEMPTION_CATEGORIES = {
    "VATEX-EU-G": ("PEPPOL-EN16931-P0104", "G"),
    "VATEX-EU-O": ("PEPPOL-EN16931-P0105", "O"),
    "VATEX-EU-IC": ("PEPPOL-EN16931-P0106", "K"),
    "VATEX-EU-AE": ("PEPPOL-EN16931-P0107", "AE"),
    "VATEX-EU-D": ("PEPPOL-EN16931-P0108", "E"),
    "VATEX-EU-F": ("PEPPOL-EN16931-P0109", "E"),
    "VATEX-EU-I": ("PEPPOL-EN16931-P0110", "E"),
    "VATEX-EU-J": ("PEPPOL-EN16931-P0111", "E"),
}
