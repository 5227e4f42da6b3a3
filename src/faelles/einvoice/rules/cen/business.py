"""EN 16931 business rules bound to UBL (CEN validation artefacts 1.3.16, pattern ``UBL-model``).

Every assert of the official pattern except the code-list rules (BR-CL-*, see ``syntax``):
BR-01…BR-66, BR-CO-*, BR-DEC-* here and the VAT category families (BR-S-*, BR-Z-*, BR-E-*,
BR-AE-*, BR-IC-*, BR-G-*, BR-O-*, BR-AF-*, BR-AG-*, BR-B-*) in ``business_vat``.

The document is walked once: ``Index`` collects the elements that rule contexts name anywhere in
the tree (``cac:InvoiceLine``, ``cac:TaxSubtotal`` …) and each rule is plain code over those
elements and their children. Schematron fires at most one rule of a pattern per node (the
first whose context matches), so where two contexts can match the same node (an allowance
charge with both indicators, a line's invoicing period) only the first one is applied. Values
follow XPath 2.0 semantics; see ``_common``.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from faelles.einvoice.findings import Finding
from faelles.einvoice.rules.cen import business_vat
from faelles.einvoice.rules.cen._common import (
    ADDITIONAL_DOCUMENT_REFERENCE,
    ADDITIONAL_ITEM_PROPERTY,
    ADDRESS,
    ALLOWANCE_CHARGE,
    ALLOWANCE_CHARGE_REASON,
    ALLOWANCE_CHARGE_REASON_CODE,
    ALLOWANCE_TOTAL_AMOUNT,
    AMOUNT,
    BASE_AMOUNT,
    BILLING_REFERENCE,
    CARD_ACCOUNT,
    CHARGE_TOTAL_AMOUNT,
    CLASSIFIED_TAX_CATEGORY,
    COMMODITY_CLASSIFICATION,
    COMPANY_ID,
    COUNTRY_CODE,
    CREDIT_NOTE_LINE,
    CREDIT_NOTE_TYPE_CODE,
    CREDITED_QUANTITY,
    CUSTOMER,
    CUSTOMER_POSTAL_ADDRESS,
    CUSTOMER_REGISTRATION_NAME,
    CUSTOMIZATION_ID,
    DELIVERY,
    DELIVERY_LOCATION,
    DESCRIPTION_CODE,
    DOCUMENT_CURRENCY_CODE,
    END_DATE,
    ENDPOINT_ID,
    ID,
    INVOICE_DOCUMENT_REFERENCE,
    INVOICE_LINE,
    INVOICE_PERIOD,
    INVOICE_PERIOD_DESCRIPTION_CODE,
    INVOICE_TYPE_CODE,
    INVOICED_QUANTITY,
    ISSUE_DATE,
    ITEM,
    ITEM_CLASSIFICATION_CODE,
    LEGAL_MONETARY_TOTAL,
    LINE_EXTENSION_AMOUNT,
    LINES,
    NAME,
    PARTY,
    PARTY_IDENTIFICATION,
    PARTY_LEGAL_ENTITY,
    PARTY_NAME,
    PARTY_TAX_SCHEME,
    PAYABLE_AMOUNT,
    PAYABLE_ROUNDING_AMOUNT,
    PAYEE_FINANCIAL_ACCOUNT,
    PAYEE_PARTY,
    PAYMENT_MEANS,
    PAYMENT_MEANS_CODE,
    PERCENT,
    POSTAL_ADDRESS,
    PREPAID_AMOUNT,
    PRICE_AMOUNT_PATH,
    PRICE_BASE_AMOUNT,
    PRIMARY_ACCOUNT_NUMBER_ID,
    STANDARD_ITEM_IDENTIFICATION,
    START_DATE,
    SUPPLIER,
    SUPPLIER_PARTY_ID,
    SUPPLIER_PARTY_NAME,
    SUPPLIER_POSTAL_ADDRESS,
    SUPPLIER_REGISTRATION_NAME,
    TAX_AMOUNT,
    TAX_CATEGORY,
    TAX_CURRENCY_CODE,
    TAX_EXCLUSIVE_AMOUNT,
    TAX_INCLUSIVE_AMOUNT,
    TAX_POINT_DATE,
    TAX_REPRESENTATIVE,
    TAX_SUBTOTAL,
    TAX_TOTAL,
    TAXABLE_AMOUNT,
    VALUE,
    Index,
    any_double,
    date,
    decimal,
    decimals_after_point,
    equal,
    fail,
    has,
    index,
    indicators,
    is_vat_scheme,
    norm,
    parent_tag,
    round2,
    string_value,
    sum_decimals,
    under,
    vat_children,
    xpath_round,
)

CO_09_PREFIXES = (
    " 1A AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO"
    " BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM"
    " DO DZ EC EE EG EH EL ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS"
    " GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP"
    " KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS"
    " MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS"
    " PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC"
    " TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XI"
    " YE YT ZA ZM ZW "
)
"""The list BR-CO-09 searches with ``contains``, so any substring of it passes (as upstream)."""


def check(root: etree._Element) -> list[Finding]:
    """Run every EN 16931 business rule on a parsed UBL Invoice or CreditNote."""
    out: list[Finding] = []
    idx = index(root)
    _document(root, idx, out)
    _contexts(root, idx, out)
    business_vat.check(root, idx, out)
    return out


def _document(root: etree._Element, idx: Index, out: list[Finding]) -> None:
    """The rules on ``/ubl:Invoice | /cn:CreditNote`` that are not about one VAT category."""
    if norm(root.find(CUSTOMIZATION_ID)) == "":
        fail(out, "BR-01", root)
    if norm(root.find(ID)) == "":
        fail(out, "BR-02", root)
    if norm(root.find(ISSUE_DATE)) == "":
        fail(out, "BR-03", root)
    if norm(root.find(INVOICE_TYPE_CODE)) == "" and norm(root.find(CREDIT_NOTE_TYPE_CODE)) == "":
        fail(out, "BR-04", root)
    if norm(root.find(DOCUMENT_CURRENCY_CODE)) == "":
        fail(out, "BR-05", root)
    if norm(root.find(SUPPLIER_REGISTRATION_NAME)) == "":
        fail(out, "BR-06", root)
    if norm(root.find(CUSTOMER_REGISTRATION_NAME)) == "":
        fail(out, "BR-07", root)
    if root.find(SUPPLIER_POSTAL_ADDRESS) is None:
        fail(out, "BR-08", root)
    if root.find(CUSTOMER_POSTAL_ADDRESS) is None:
        fail(out, "BR-10", root)
    if root.find(INVOICE_LINE) is None and root.find(CREDIT_NOTE_LINE) is None:
        fail(out, "BR-16", root)

    # BR-53: every VAT accounting currency has a total VAT amount in that currency.
    tax_amounts = [amount for total in idx[TAX_TOTAL] for amount in total.iterchildren(TAX_AMOUNT)]
    for currency in root.iterchildren(TAX_CURRENCY_CODE):
        code = string_value(currency)
        if not any(amount.get("currencyID") == code for amount in tax_amounts):
            fail(out, "BR-53", root)
            break

    if has(root, TAX_POINT_DATE) and root.find(INVOICE_PERIOD_DESCRIPTION_CODE) is not None:
        fail(out, "BR-CO-03", root)

    # BR-CO-15: total with VAT = total without VAT + total VAT in the document currency.
    for currency in root.iterchildren(DOCUMENT_CURRENCY_CODE):
        code = string_value(currency)
        in_currency = [
            amount
            for total in root.iterchildren(TAX_TOTAL)
            for amount in total.iterchildren(TAX_AMOUNT)
            if amount.get("currencyID") == code
        ]
        ok = len(in_currency) == 1
        if ok:
            totals = root.find(LEGAL_MONETARY_TOTAL)
            inclusive = decimal(totals.find(TAX_INCLUSIVE_AMOUNT)) if totals is not None else None
            exclusive = decimal(totals.find(TAX_EXCLUSIVE_AMOUNT)) if totals is not None else None
            vat = decimal(in_currency[0])
            ok = (
                inclusive is not None
                and exclusive is not None
                and vat is not None
                and inclusive == round2(exclusive + vat)
            )
        if not ok:
            fail(out, "BR-CO-15", root)
            break

    if root.find(f"{TAX_TOTAL}/{TAX_SUBTOTAL}") is None:
        fail(out, "BR-CO-18", root)
    # BR-DEC-13 and BR-DEC-15 compare @currencyID with a child of cbc:TaxAmount, which never
    # exists, so upstream they always pass; they are kept as ids only.


def _contexts(root: etree._Element, idx: Index, out: list[Finding]) -> None:
    """The rules whose context is an element below the root, in the pattern's rule order."""
    for el in idx[ADDITIONAL_DOCUMENT_REFERENCE]:
        if norm(el.find(ID)) == "":
            fail(out, "BR-52", el)
    for el in idx[ENDPOINT_ID]:
        if el.get("schemeID") is None:
            if under(el, PARTY, CUSTOMER):
                fail(out, "BR-63", el)
            elif under(el, PARTY, SUPPLIER):
                fail(out, "BR-62", el)
    for el in idx[POSTAL_ADDRESS]:
        if norm(el.find(COUNTRY_CODE)) != "":
            continue
        if under(el, PARTY, CUSTOMER):
            fail(out, "BR-11", el)
        elif under(el, PARTY, SUPPLIER):
            fail(out, "BR-09", el)
        elif under(el, TAX_REPRESENTATIVE):
            fail(out, "BR-20", el)
    for el in idx[PRIMARY_ACCOUNT_NUMBER_ID]:
        if under(el, CARD_ACCOUNT, PAYMENT_MEANS) and len(norm(el)) > 10:
            fail(out, "BR-51", el)
    for el in idx[ADDRESS]:
        if under(el, DELIVERY_LOCATION, DELIVERY) and el.find(COUNTRY_CODE) is None:
            fail(out, "BR-57", el)
    for el in idx[ALLOWANCE_CHARGE]:
        parent = el.getparent()
        if parent is root:
            _document_allowance_charge(el, out)
        elif parent is not None and parent.tag in LINES:
            _line_allowance_charge(el, out)
    for el in idx[LEGAL_MONETARY_TOTAL]:
        _totals(el, idx, out)
    for el in idx[INVOICE_LINE] + idx[CREDIT_NOTE_LINE]:
        _line(el, out)
    for el in idx[INVOICE_PERIOD]:
        _period(el, out)
    for el in idx[ADDITIONAL_ITEM_PROPERTY]:
        if not (has(el, NAME) and has(el, VALUE)):
            fail(out, "BR-54", el)
    for el in idx[ITEM_CLASSIFICATION_CODE]:
        if el.get("listID") is None and under(el, COMMODITY_CLASSIFICATION, ITEM, LINES):
            fail(out, "BR-65", el)
    for el in idx[STANDARD_ITEM_IDENTIFICATION]:
        if under(el, ITEM, LINES):
            for item_id in el.iterchildren(ID):
                if item_id.get("schemeID") is None:
                    fail(out, "BR-64", item_id)
    for el in idx[PAYEE_PARTY]:
        _payee(el, out)
    for el in idx[PAYEE_FINANCIAL_ACCOUNT]:
        means = el.getparent()
        if (
            means is not None
            and means.tag == PAYMENT_MEANS
            and any(string_value(c) in ("30", "58") for c in means.iterchildren(PAYMENT_MEANS_CODE))
            and norm(el.find(ID)) == ""
        ):
            fail(out, "BR-50", el)
    for el in idx[PAYMENT_MEANS]:
        code = el.find(PAYMENT_MEANS_CODE)
        if code is None:
            fail(out, "BR-49", el)
        elif norm(code) in ("30", "58") and el.find(f"{PAYEE_FINANCIAL_ACCOUNT}/{ID}") is None:
            fail(out, "BR-61", el)
    for el in idx[BILLING_REFERENCE]:
        if el.find(f"{INVOICE_DOCUMENT_REFERENCE}/{ID}") is None:
            fail(out, "BR-55", el)
    for el in idx[SUPPLIER]:
        _supplier_identified(el, out)
    for el in idx[TAX_REPRESENTATIVE]:
        if norm(el.find(f"{PARTY_NAME}/{NAME}")) == "":
            fail(out, "BR-18", el)
        if not has(el, POSTAL_ADDRESS):
            fail(out, "BR-19", el)
        if not any(has(s, COMPANY_ID) for s in vat_children(el, PARTY_TAX_SCHEME)):
            fail(out, "BR-56", el)
    for el in idx[TAX_TOTAL]:
        if el.getparent() is root:
            _tax_total(el, out)
    for el in idx[TAX_SUBTOTAL]:
        if parent_tag(el) == TAX_TOTAL:
            _tax_subtotal(el, out)
    for el in idx[PARTY_TAX_SCHEME]:
        if is_vat_scheme(el) and string_value(el.find(COMPANY_ID))[:2] not in CO_09_PREFIXES:
            fail(out, "BR-CO-09", el)


def _has_reason(ac: etree._Element) -> bool:
    return has(ac, ALLOWANCE_CHARGE_REASON) or has(ac, ALLOWANCE_CHARGE_REASON_CODE)


def _document_allowance_charge(ac: etree._Element, out: list[Finding]) -> None:
    """BG-20 document level allowance / BG-21 document level charge."""
    allowance, charge = indicators(ac)
    if allowance:
        if not has(ac, AMOUNT):
            fail(out, "BR-31", ac)
        if not any(has(c, ID) for c in vat_children(ac, TAX_CATEGORY)):
            fail(out, "BR-32", ac)
        if not _has_reason(ac):
            fail(out, "BR-33", ac)
            fail(out, "BR-CO-21", ac)
        if decimals_after_point(ac.find(AMOUNT)) > 2:
            fail(out, "BR-DEC-01", ac)
        if decimals_after_point(ac.find(BASE_AMOUNT)) > 2:
            fail(out, "BR-DEC-02", ac)
    elif charge:
        if not has(ac, AMOUNT):
            fail(out, "BR-36", ac)
        if not any(has(c, ID) for c in vat_children(ac, TAX_CATEGORY)):
            fail(out, "BR-37", ac)
        if not _has_reason(ac):
            fail(out, "BR-38", ac)
            fail(out, "BR-CO-22", ac)
        if decimals_after_point(ac.find(AMOUNT)) > 2:
            fail(out, "BR-DEC-05", ac)
        if decimals_after_point(ac.find(BASE_AMOUNT)) > 2:
            fail(out, "BR-DEC-06", ac)


def _line_allowance_charge(ac: etree._Element, out: list[Finding]) -> None:
    """BG-27 invoice line allowance / BG-28 invoice line charge."""
    allowance, charge = indicators(ac)
    if allowance:
        if not has(ac, AMOUNT):
            fail(out, "BR-41", ac)
        if not _has_reason(ac):
            fail(out, "BR-42", ac)
            fail(out, "BR-CO-23", ac)
        if decimals_after_point(ac.find(AMOUNT)) > 2:
            fail(out, "BR-DEC-24", ac)
        if decimals_after_point(ac.find(BASE_AMOUNT)) > 2:
            fail(out, "BR-DEC-25", ac)
    elif charge:
        if not has(ac, AMOUNT):
            fail(out, "BR-43", ac)
        if not _has_reason(ac):
            fail(out, "BR-44", ac)
            fail(out, "BR-CO-24", ac)
        if decimals_after_point(ac.find(AMOUNT)) > 2:
            fail(out, "BR-DEC-27", ac)
        if decimals_after_point(ac.find(BASE_AMOUNT)) > 2:
            fail(out, "BR-DEC-28", ac)


def _document_level(parent: etree._Element | None, want_charge: bool) -> list[etree._Element]:
    """``../cac:AllowanceCharge[cbc:ChargeIndicator = <want_charge>()]``."""
    if parent is None:
        return []
    return [ac for ac in parent.iterchildren(ALLOWANCE_CHARGE) if indicators(ac)[want_charge]]


def _totals(lmt: etree._Element, idx: Index, out: list[Finding]) -> None:
    """BG-22 document totals: presence, the sums BR-CO-10…16 and their decimals."""
    line_ext_el = lmt.find(LINE_EXTENSION_AMOUNT)
    exclusive_el = lmt.find(TAX_EXCLUSIVE_AMOUNT)
    inclusive_el = lmt.find(TAX_INCLUSIVE_AMOUNT)
    payable_el = lmt.find(PAYABLE_AMOUNT)
    allowances_el = lmt.find(ALLOWANCE_TOTAL_AMOUNT)
    charges_el = lmt.find(CHARGE_TOTAL_AMOUNT)
    prepaid_el = lmt.find(PREPAID_AMOUNT)
    rounding_el = lmt.find(PAYABLE_ROUNDING_AMOUNT)
    if line_ext_el is None:
        fail(out, "BR-12", lmt)
    if exclusive_el is None:
        fail(out, "BR-13", lmt)
    if inclusive_el is None:
        fail(out, "BR-14", lmt)
    if payable_el is None:
        fail(out, "BR-15", lmt)

    line_ext = decimal(line_ext_el)
    line_sum = sum_decimals(
        [
            amount
            for line in idx[INVOICE_LINE] + idx[CREDIT_NOTE_LINE]
            for amount in line.iterchildren(LINE_EXTENSION_AMOUNT)
        ]
    )
    if not equal(line_ext, round2(line_sum) if line_sum is not None else None):
        fail(out, "BR-CO-10", lmt)

    parent = lmt.getparent()
    allowances = decimal(allowances_el)
    document_allowances = _document_level(parent, False)
    allowance_sum = sum_decimals([a for ac in document_allowances for a in ac.iterchildren(AMOUNT)])
    if not (
        equal(allowances, round2(allowance_sum) if allowance_sum is not None else None)
        or (allowances_el is None and not document_allowances)
    ):
        fail(out, "BR-CO-11", lmt)
    charges = decimal(charges_el)
    document_charges = _document_level(parent, True)
    charge_sum = sum_decimals([a for ac in document_charges for a in ac.iterchildren(AMOUNT)])
    if not (
        equal(charges, round2(charge_sum) if charge_sum is not None else None)
        or (charges_el is None and not document_charges)
    ):
        fail(out, "BR-CO-12", lmt)

    exclusive = decimal(exclusive_el)
    expected: Decimal | None = None
    if line_ext is not None:
        if charges_el is not None and allowances_el is not None:
            if charges is not None and allowances is not None:
                expected = round2(line_ext + charges - allowances)
        elif allowances_el is not None:
            expected = round2(line_ext - allowances) if allowances is not None else None
        elif charges_el is not None:
            expected = round2(line_ext + charges) if charges is not None else None
        else:
            expected = line_ext
    if not equal(exclusive, expected):
        fail(out, "BR-CO-13", lmt)

    if not _payable_ok(
        decimal(payable_el),
        decimal(inclusive_el),
        prepaid_el is not None,
        decimal(prepaid_el),
        rounding_el is not None,
        decimal(rounding_el),
    ):
        fail(out, "BR-CO-16", lmt)

    for rule, el in (
        ("BR-DEC-09", line_ext_el),
        ("BR-DEC-10", allowances_el),
        ("BR-DEC-11", charges_el),
        ("BR-DEC-12", exclusive_el),
        ("BR-DEC-14", inclusive_el),
        ("BR-DEC-16", prepaid_el),
        ("BR-DEC-17", rounding_el),
        ("BR-DEC-18", payable_el),
    ):
        if decimals_after_point(el) > 2:
            fail(out, rule, lmt)


def _payable_ok(
    payable: Decimal | None,
    inclusive: Decimal | None,
    has_prepaid: bool,
    prepaid: Decimal | None,
    has_rounding: bool,
    rounding: Decimal | None,
) -> bool:
    """BR-CO-16: amount due = total with VAT - paid amount + rounding amount."""
    if payable is None or inclusive is None:
        return False
    if has_prepaid:
        if prepaid is None:
            return False
        due = round2(inclusive - prepaid)
    else:
        due = inclusive
    if has_rounding:
        if rounding is None:
            return False
        return round2(payable - rounding) == due
    return payable == due


def _line(line: etree._Element, out: list[Finding]) -> None:
    """BG-25 invoice line."""
    if norm(line.find(ID)) == "":
        fail(out, "BR-21", line)
    quantities = list(line.iterchildren(INVOICED_QUANTITY, CREDITED_QUANTITY))
    if not quantities:
        fail(out, "BR-22", line)
    if not any(q.get("unitCode") is not None for q in quantities):
        fail(out, "BR-23", line)
    line_ext = line.find(LINE_EXTENSION_AMOUNT)
    if line_ext is None:
        fail(out, "BR-24", line)
    if norm(line.find(f"{ITEM}/{NAME}")) == "":
        fail(out, "BR-25", line)
    prices = line.findall(PRICE_AMOUNT_PATH)
    if not prices:
        fail(out, "BR-26", line)
    if not any_double(prices, ">=", 0):
        fail(out, "BR-27", line)
    gross = line.findall(PRICE_BASE_AMOUNT)
    if gross and not any_double(gross, ">=", 0):
        fail(out, "BR-28", line)
    if not any(
        has(category, ID)
        for item in line.iterchildren(ITEM)
        for category in vat_children(item, CLASSIFIED_TAX_CATEGORY)
    ):
        fail(out, "BR-CO-04", line)
    if decimals_after_point(line_ext) > 2:
        fail(out, "BR-DEC-23", line)


def _period(period: etree._Element, out: list[Finding]) -> None:
    """BG-26 invoice line period, or else BG-14 invoicing period (first match wins)."""
    start = period.find(START_DATE)
    end = period.find(END_DATE)
    ordered = True
    if start is not None and end is not None:
        start_date, end_date = date(start), date(end)
        ordered = start_date is not None and end_date is not None and end_date >= start_date
    if parent_tag(period) in LINES:
        if not ordered:
            fail(out, "BR-30", period)
        if start is None and end is None:
            fail(out, "BR-CO-20", period)
    else:
        if not ordered:
            fail(out, "BR-29", period)
        if start is None and end is None and not has(period, DESCRIPTION_CODE):
            fail(out, "BR-CO-19", period)


def _payee(payee: etree._Element, out: list[Finding]) -> None:
    """BR-17: a payee other than the seller has a name (compared by name and identifier)."""
    names = {string_value(n) for n in payee.iterfind(f"{PARTY_NAME}/{NAME}")}
    ids = {string_value(i) for i in payee.iterfind(f"{PARTY_IDENTIFICATION}/{ID}")}
    parent = payee.getparent()
    seller_names: set[str] = set()
    seller_ids: set[str] = set()
    if parent is not None:
        seller_names = {string_value(n) for n in parent.iterfind(SUPPLIER_PARTY_NAME)}
        seller_ids = {string_value(i) for i in parent.iterfind(SUPPLIER_PARTY_ID)}
    if not names or names & seller_names or ids & seller_ids:
        fail(out, "BR-17", payee)


def _supplier_identified(supplier: etree._Element, out: list[Finding]) -> None:
    """BR-CO-26: the seller has an identifier, a legal registration id or a VAT id."""
    for party in supplier.iterchildren(PARTY):
        if any(has(s, COMPANY_ID) for s in vat_children(party, PARTY_TAX_SCHEME)):
            return
        for identification in party.iterchildren(PARTY_IDENTIFICATION):
            if any(i.get("schemeID") != "SEPA" for i in identification.iterchildren(ID)):
                return
        if party.find(f"{PARTY_LEGAL_ENTITY}/{COMPANY_ID}") is not None:
            return
    fail(out, "BR-CO-26", supplier)


def _tax_total(total: etree._Element, out: list[Finding]) -> None:
    """BR-CO-14: total VAT = Σ VAT category tax amounts."""
    subtotals = list(total.iterchildren(TAX_SUBTOTAL))
    if not subtotals:
        return
    vat_sum = sum_decimals([a for s in subtotals for a in s.iterchildren(TAX_AMOUNT)])
    if not equal(decimal(total.find(TAX_AMOUNT)), round2(vat_sum) if vat_sum is not None else None):
        fail(out, "BR-CO-14", total)


def _tax_subtotal(subtotal: etree._Element, out: list[Finding]) -> None:
    """BG-23 VAT breakdown."""
    taxable_el = subtotal.find(TAXABLE_AMOUNT)
    tax_el = subtotal.find(TAX_AMOUNT)
    if taxable_el is None:
        fail(out, "BR-45", subtotal)
    if tax_el is None:
        fail(out, "BR-46", subtotal)
    categories = vat_children(subtotal, TAX_CATEGORY)
    if not any(has(c, ID) for c in categories):
        fail(out, "BR-47", subtotal)
    if not any(has(c, PERCENT) for c in categories) and not any(
        norm(c.find(ID)) == "O" for c in categories
    ):
        fail(out, "BR-48", subtotal)
    if not _category_amount_ok(categories, decimal(taxable_el), decimal(tax_el)):
        fail(out, "BR-CO-17", subtotal)
    if decimals_after_point(taxable_el) > 2:
        fail(out, "BR-DEC-19", subtotal)
    if decimals_after_point(tax_el) > 2:
        fail(out, "BR-DEC-20", subtotal)


def _category_amount_ok(
    categories: list[etree._Element], taxable: Decimal | None, tax: Decimal | None
) -> bool:
    """BR-CO-17: tax amount = taxable amount × rate / 100, within one unit, or zero at 0 %."""
    percents = [p for c in categories for p in c.iterchildren(PERCENT)]
    if tax is None:
        return False
    if not percents:
        return xpath_round(tax) == 0
    rate = decimal(percents[0])
    if rate is None:
        return False
    if xpath_round(rate) == 0:
        return xpath_round(tax) == 0
    if taxable is None:
        return False
    expected = round2(abs(taxable) * (rate / 100))
    return abs(tax) - 1 < expected < abs(tax) + 1
