"""EN 16931 business rules bound to UBL (CEN validation artefacts 1.3.16, pattern ``UBL-model``).

Every assert of the official pattern except the code-list rules (BR-CL-*, see ``syntax``):
BR-01…BR-66, BR-CO-*, BR-DEC-* here and the VAT category families (BR-S-*, BR-Z-*, BR-E-*,
BR-AE-*, BR-IC-*, BR-G-*, BR-O-*, BR-AF-*, BR-AG-*, BR-B-*) in ``business_vat``.

The document is read once into ``business_facts.Facts`` (the elements rule contexts name at
any depth, children grouped by tag) and each rule is plain code over those facts. Schematron
fires at most one rule of a pattern per node (the first whose context matches), so where two
contexts can match the same node (an allowance charge with both indicators, a line's invoicing
period) only the first one is applied. Values follow XPath 2.0 semantics; see ``_common``.

Six asserts can never fail upstream and so never fire here: BR-CO-05…08 test ``true()``, and
BR-DEC-13/BR-DEC-15 compare ``@currencyID`` with a child of ``cbc:TaxAmount`` that never exists.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    COMMODITY_CLASSIFICATION,
    COMPANY_ID,
    COUNTRY,
    CREDIT_NOTE_LINE,
    CREDIT_NOTE_TYPE_CODE,
    CREDITED_QUANTITY,
    CUSTOMER,
    CUSTOMIZATION_ID,
    DELIVERY,
    DELIVERY_LOCATION,
    DESCRIPTION_CODE,
    DOCUMENT_CURRENCY_CODE,
    END_DATE,
    ENDPOINT_ID,
    ID,
    IDENTIFICATION_CODE,
    INVOICE_DOCUMENT_REFERENCE,
    INVOICE_LINE,
    INVOICE_PERIOD,
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
    POSTAL_ADDRESS,
    PREPAID_AMOUNT,
    PRICE,
    PRICE_AMOUNT,
    PRIMARY_ACCOUNT_NUMBER_ID,
    REGISTRATION_NAME,
    STANDARD_ITEM_IDENTIFICATION,
    START_DATE,
    SUPPLIER,
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
    Kids,
    any_double,
    child,
    date,
    decimal,
    decimals_after_point,
    equal,
    fail,
    first,
    norm,
    parent_tag,
    path,
    round2,
    string_value,
    sum_decimals,
    under,
    xpath_round,
)
from faelles.einvoice.rules.cen.business_facts import AllowanceCharge, Category, Facts, Line, is_vat
from faelles.einvoice.rules.tree import Tree

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


def check(root: etree._Element, tree: Tree | None = None) -> list[Finding]:
    """Run every EN 16931 business rule on a parsed UBL Invoice or CreditNote."""
    out: list[Finding] = []
    facts = Facts(root, tree)
    _document(facts, out)
    _contexts(facts, out)
    business_vat.check(facts, out)
    return out


def _document(facts: Facts, out: list[Finding]) -> None:
    """The rules on ``/ubl:Invoice | /cn:CreditNote`` that are not about one VAT category."""
    root, k = facts.root, facts.root_kids
    if norm(first(k, CUSTOMIZATION_ID)) == "":
        fail(out, "BR-01", root)
    if norm(first(k, ID)) == "":
        fail(out, "BR-02", root)
    if norm(first(k, ISSUE_DATE)) == "":
        fail(out, "BR-03", root)
    if norm(first(k, INVOICE_TYPE_CODE)) == "" and norm(first(k, CREDIT_NOTE_TYPE_CODE)) == "":
        fail(out, "BR-04", root)
    if norm(first(k, DOCUMENT_CURRENCY_CODE)) == "":
        fail(out, "BR-05", root)
    kids = facts.kids
    suppliers = [p for s in k.get(SUPPLIER, ()) for p in kids(s).get(PARTY, ())]
    customers = [p for s in k.get(CUSTOMER, ()) for p in kids(s).get(PARTY, ())]
    if _first_on(suppliers, PARTY_LEGAL_ENTITY, REGISTRATION_NAME) == "":
        fail(out, "BR-06", root)
    if _first_on(customers, PARTY_LEGAL_ENTITY, REGISTRATION_NAME) == "":
        fail(out, "BR-07", root)
    if not any(child(p, POSTAL_ADDRESS) is not None for p in suppliers):
        fail(out, "BR-08", root)
    if not any(child(p, POSTAL_ADDRESS) is not None for p in customers):
        fail(out, "BR-10", root)
    if INVOICE_LINE not in k and CREDIT_NOTE_LINE not in k:
        fail(out, "BR-16", root)

    # BR-53: every VAT accounting currency has a total VAT amount in that currency.
    currencies = k.get(TAX_CURRENCY_CODE)
    if currencies:
        tax_amounts = [
            a.get("currencyID") for t in facts.idx[TAX_TOTAL] for a in kids(t).get(TAX_AMOUNT, ())
        ]
        if any(string_value(c) not in tax_amounts for c in currencies):
            fail(out, "BR-53", root)

    if TAX_POINT_DATE in k and any(
        child(period, DESCRIPTION_CODE) is not None for period in k.get(INVOICE_PERIOD, ())
    ):
        fail(out, "BR-CO-03", root)

    # BR-CO-15: total with VAT = total without VAT + total VAT in the document currency.
    for currency in k.get(DOCUMENT_CURRENCY_CODE, ()):
        code = string_value(currency)
        in_currency = [
            amount
            for total in k.get(TAX_TOTAL, ())
            for amount in kids(total).get(TAX_AMOUNT, ())
            if amount.get("currencyID") == code
        ]
        ok = len(in_currency) == 1
        if ok:
            totals = first(k, LEGAL_MONETARY_TOTAL)
            lmt = facts.kids(totals) if totals is not None else {}
            inclusive = facts.decimal(first(lmt, TAX_INCLUSIVE_AMOUNT))
            exclusive = facts.decimal(first(lmt, TAX_EXCLUSIVE_AMOUNT))
            vat = facts.decimal(in_currency[0])
            ok = (
                inclusive is not None
                and exclusive is not None
                and vat is not None
                and inclusive == round2(exclusive + vat)
            )
        if not ok:
            fail(out, "BR-CO-15", root)
            break

    if not any(child(t, TAX_SUBTOTAL) is not None for t in k.get(TAX_TOTAL, ())):
        fail(out, "BR-CO-18", root)
    # BR-DEC-13 and BR-DEC-15 compare @currencyID with a child of cbc:TaxAmount, which never
    # exists, so upstream they always pass; they are kept as ids only.


def _first_on(parents: list[etree._Element], *tags: str) -> str:
    """``normalize-space(parents/tags[0]/tags[1]…)`` of the first such element."""
    for parent in parents:
        found = path(parent, *tags)
        if found is not None:
            return norm(found)
    return ""


def _contexts(facts: Facts, out: list[Finding]) -> None:
    """The rules whose context is an element below the root, in the pattern's rule order."""
    idx = facts.idx
    for el in idx[ADDITIONAL_DOCUMENT_REFERENCE]:
        if norm(child(el, ID)) == "":
            fail(out, "BR-52", el)
    for el in idx[ENDPOINT_ID]:
        if el.get("schemeID") is None:
            if under(el, PARTY, CUSTOMER):
                fail(out, "BR-63", el)
            elif under(el, PARTY, SUPPLIER):
                fail(out, "BR-62", el)
    for el in idx[POSTAL_ADDRESS]:
        if norm(path(el, COUNTRY, IDENTIFICATION_CODE)) != "":
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
        if (
            under(el, DELIVERY_LOCATION, DELIVERY)
            and path(el, COUNTRY, IDENTIFICATION_CODE) is None
        ):
            fail(out, "BR-57", el)
    for ac in facts.allowance_charges:
        if ac.parent is facts.root:
            _document_allowance_charge(ac, out)
        elif ac.parent is not None and ac.parent.tag in LINES:
            _line_allowance_charge(ac, out)
    for el in idx[LEGAL_MONETARY_TOTAL]:
        _totals(el, facts, out)
    for line in facts.lines:
        _line(facts, line, out)
    for el in idx[INVOICE_PERIOD]:
        _period(facts, el, out)
    for el in idx[ADDITIONAL_ITEM_PROPERTY]:
        if child(el, NAME) is None or child(el, VALUE) is None:
            fail(out, "BR-54", el)
    for el in idx[ITEM_CLASSIFICATION_CODE]:
        if el.get("listID") is None and under(el, COMMODITY_CLASSIFICATION, ITEM, LINES):
            fail(out, "BR-65", el)
    for el in idx[STANDARD_ITEM_IDENTIFICATION]:
        for item_id in el.iterchildren(ID):
            if item_id.get("schemeID") is None and under(el, ITEM, LINES):
                fail(out, "BR-64", item_id)
    for el in idx[PAYEE_PARTY]:
        _payee(el, out)
    for el in idx[PAYEE_FINANCIAL_ACCOUNT]:
        means = el.getparent()
        if (
            means is not None
            and means.tag == PAYMENT_MEANS
            and any(
                string_value(c) in ("30", "58")
                for c in facts.kids(means).get(PAYMENT_MEANS_CODE, ())
            )
            and norm(child(el, ID)) == ""
        ):
            fail(out, "BR-50", el)
    for el in idx[PAYMENT_MEANS]:
        code = child(el, PAYMENT_MEANS_CODE)
        if code is None:
            fail(out, "BR-49", el)
        elif norm(code) in ("30", "58") and path(el, PAYEE_FINANCIAL_ACCOUNT, ID) is None:
            fail(out, "BR-61", el)
    for el in idx[BILLING_REFERENCE]:
        if path(el, INVOICE_DOCUMENT_REFERENCE, ID) is None:
            fail(out, "BR-55", el)
    for el in idx[SUPPLIER]:
        _supplier_identified(facts, el, out)
    for el in idx[TAX_REPRESENTATIVE]:
        rep = facts.kids(el)
        if norm(path(first(rep, PARTY_NAME), NAME)) == "":
            fail(out, "BR-18", el)
        if POSTAL_ADDRESS not in rep:
            fail(out, "BR-19", el)
        if not _vat_company_id(rep.get(PARTY_TAX_SCHEME, ())):
            fail(out, "BR-56", el)
    for el in idx[TAX_TOTAL]:
        if el.getparent() is facts.root:
            _tax_total(facts, el, out)
    for el in idx[TAX_SUBTOTAL]:
        if parent_tag(el) == TAX_TOTAL:
            _tax_subtotal(facts, el, out)
    for scheme in facts.party_tax_schemes:
        if scheme.vat and string_value(scheme.company_id)[:2] not in CO_09_PREFIXES:
            fail(out, "BR-CO-09", scheme.el)


def _vat_company_id(schemes: Iterable[etree._Element]) -> bool:
    """``exists(schemes[cac:TaxScheme/… = 'VAT']/cbc:CompanyID)``."""
    return any(child(s, COMPANY_ID) is not None and is_vat(s) for s in schemes)


def _has_reason(k: Kids) -> bool:
    return ALLOWANCE_CHARGE_REASON in k or ALLOWANCE_CHARGE_REASON_CODE in k


def _has_vat_category_code(categories: list[Category]) -> bool:
    """``exists(cac:TaxCategory[cac:TaxScheme/… = 'VAT']/cbc:ID)``."""
    return any(c.vat and c.raw for c in categories)


def _document_allowance_charge(ac: AllowanceCharge, out: list[Finding]) -> None:
    """BG-20 document level allowance / BG-21 document level charge (first match wins)."""
    k, el = ac.kids, ac.el
    if ac.allowance:
        rules = ("BR-31", "BR-32", "BR-33", "BR-CO-21", "BR-DEC-01", "BR-DEC-02")
    elif ac.charge:
        rules = ("BR-36", "BR-37", "BR-38", "BR-CO-22", "BR-DEC-05", "BR-DEC-06")
    else:
        return
    amount, category, reason, reason_co, decimals, base_decimals = rules
    if AMOUNT not in k:
        fail(out, amount, el)
    if not _has_vat_category_code(ac.categories):
        fail(out, category, el)
    if not _has_reason(k):
        fail(out, reason, el)
        fail(out, reason_co, el)
    if decimals_after_point(first(k, AMOUNT)) > 2:
        fail(out, decimals, el)
    if decimals_after_point(first(k, BASE_AMOUNT)) > 2:
        fail(out, base_decimals, el)


def _line_allowance_charge(ac: AllowanceCharge, out: list[Finding]) -> None:
    """BG-27 invoice line allowance / BG-28 invoice line charge (first match wins)."""
    k, el = ac.kids, ac.el
    if ac.allowance:
        rules = ("BR-41", "BR-42", "BR-CO-23", "BR-DEC-24", "BR-DEC-25")
    elif ac.charge:
        rules = ("BR-43", "BR-44", "BR-CO-24", "BR-DEC-27", "BR-DEC-28")
    else:
        return
    amount, reason, reason_co, decimals, base_decimals = rules
    if AMOUNT not in k:
        fail(out, amount, el)
    if not _has_reason(k):
        fail(out, reason, el)
        fail(out, reason_co, el)
    if decimals_after_point(first(k, AMOUNT)) > 2:
        fail(out, decimals, el)
    if decimals_after_point(first(k, BASE_AMOUNT)) > 2:
        fail(out, base_decimals, el)


def _round2(value: Decimal | None) -> Decimal | None:
    return round2(value) if value is not None else None


def _totals(lmt: etree._Element, facts: Facts, out: list[Finding]) -> None:
    """BG-22 document totals: presence, the sums BR-CO-10…16 and their decimals."""
    k = facts.kids(lmt)
    line_ext_el = first(k, LINE_EXTENSION_AMOUNT)
    exclusive_el = first(k, TAX_EXCLUSIVE_AMOUNT)
    inclusive_el = first(k, TAX_INCLUSIVE_AMOUNT)
    payable_el = first(k, PAYABLE_AMOUNT)
    allowances_el = first(k, ALLOWANCE_TOTAL_AMOUNT)
    charges_el = first(k, CHARGE_TOTAL_AMOUNT)
    prepaid_el = first(k, PREPAID_AMOUNT)
    rounding_el = first(k, PAYABLE_ROUNDING_AMOUNT)
    if line_ext_el is None:
        fail(out, "BR-12", lmt)
    if exclusive_el is None:
        fail(out, "BR-13", lmt)
    if inclusive_el is None:
        fail(out, "BR-14", lmt)
    if payable_el is None:
        fail(out, "BR-15", lmt)

    # BR-CO-10: Σ line net amounts over //(cac:InvoiceLine | cac:CreditNoteLine).
    line_ext = facts.decimal(line_ext_el)
    line_sum = sum_decimals(
        [a for line in facts.lines for a in line.kids.get(LINE_EXTENSION_AMOUNT, ())],
        facts.decimal,
    )
    if not equal(line_ext, _round2(line_sum)):
        fail(out, "BR-CO-10", lmt)

    # BR-CO-11, BR-CO-12: ../cac:AllowanceCharge, the siblings of the totals.
    parent = lmt.getparent()
    siblings = [ac for ac in facts.allowance_charges if ac.parent is parent]
    allowances = facts.decimal(allowances_el)
    document_allowances = [ac for ac in siblings if ac.allowance]
    allowance_sum = sum_decimals([a for ac in document_allowances for a in ac.kids.get(AMOUNT, ())])
    if not (
        equal(allowances, _round2(allowance_sum))
        or (allowances_el is None and not document_allowances)
    ):
        fail(out, "BR-CO-11", lmt)
    charges = facts.decimal(charges_el)
    document_charges = [ac for ac in siblings if ac.charge]
    charge_sum = sum_decimals([a for ac in document_charges for a in ac.kids.get(AMOUNT, ())])
    if not (equal(charges, _round2(charge_sum)) or (charges_el is None and not document_charges)):
        fail(out, "BR-CO-12", lmt)

    # BR-CO-13: total without VAT = Σ lines - allowances + charges.
    expected: Decimal | None = None
    if line_ext is not None:
        if charges_el is not None and allowances_el is not None:
            if charges is not None and allowances is not None:
                expected = round2(line_ext + charges - allowances)
        elif allowances_el is not None:
            expected = _round2(line_ext - allowances) if allowances is not None else None
        elif charges_el is not None:
            expected = _round2(line_ext + charges) if charges is not None else None
        else:
            expected = line_ext
    if not equal(facts.decimal(exclusive_el), expected):
        fail(out, "BR-CO-13", lmt)

    if not _payable_ok(
        facts.decimal(payable_el),
        facts.decimal(inclusive_el),
        prepaid_el is not None,
        facts.decimal(prepaid_el),
        rounding_el is not None,
        facts.decimal(rounding_el),
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


def _line(facts: Facts, line: Line, out: list[Finding]) -> None:
    """BG-25 invoice line."""
    k, el = line.kids, line.el
    if norm(first(k, ID)) == "":
        fail(out, "BR-21", el)
    quantities = k.get(INVOICED_QUANTITY, []) + k.get(CREDITED_QUANTITY, [])
    if not quantities:
        fail(out, "BR-22", el)
    if not any(q.get("unitCode") is not None for q in quantities):
        fail(out, "BR-23", el)
    line_ext = first(k, LINE_EXTENSION_AMOUNT)
    if line_ext is None:
        fail(out, "BR-24", el)
    items = k.get(ITEM, [])
    if _first_on(items, NAME) == "":
        fail(out, "BR-25", el)
    price_kids = [facts.kids(p) for p in k.get(PRICE, ())]
    prices = [a for p in price_kids for a in p.get(PRICE_AMOUNT, ())]
    if not prices:
        fail(out, "BR-26", el)
    if not any_double(prices, ">=", 0):
        fail(out, "BR-27", el)
    gross = [
        b
        for p in price_kids
        for ac in p.get(ALLOWANCE_CHARGE, ())
        for b in ac.iterchildren(BASE_AMOUNT)
    ]
    if gross and not any_double(gross, ">=", 0):
        fail(out, "BR-28", el)
    if not _has_vat_category_code(line.categories):
        fail(out, "BR-CO-04", el)
    if decimals_after_point(line_ext) > 2:
        fail(out, "BR-DEC-23", el)


def _period(facts: Facts, period: etree._Element, out: list[Finding]) -> None:
    """BG-26 invoice line period, or else BG-14 invoicing period (first match wins)."""
    k = facts.kids(period)
    start, end = first(k, START_DATE), first(k, END_DATE)
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
        if start is None and end is None and DESCRIPTION_CODE not in k:
            fail(out, "BR-CO-19", period)


def _texts(parents: Iterable[etree._Element], *tags: str) -> set[str]:
    """The string values of ``parents/tags[0]/…/tags[-1]``."""
    found: set[str] = set()
    for parent in parents:
        if len(tags) == 1:
            found.update(string_value(el) for el in parent.iterchildren(tags[0]))
        else:
            found |= _texts(parent.iterchildren(tags[0]), *tags[1:])
    return found


def _payee(payee: etree._Element, out: list[Finding]) -> None:
    """BR-17: a payee other than the seller has a name (compared by name and identifier)."""
    names = _texts([payee], PARTY_NAME, NAME)
    ids = _texts([payee], PARTY_IDENTIFICATION, ID)
    parent = payee.getparent()
    sellers = list(parent.iterchildren(SUPPLIER)) if parent is not None else []
    if (
        not names
        or names & _texts(sellers, PARTY, PARTY_NAME, NAME)
        or ids & _texts(sellers, PARTY, PARTY_IDENTIFICATION, ID)
    ):
        fail(out, "BR-17", payee)


def _supplier_identified(facts: Facts, supplier: etree._Element, out: list[Finding]) -> None:
    """BR-CO-26: the seller has an identifier, a legal registration id or a VAT id."""
    for scheme in facts.party_tax_schemes:
        if scheme.owner == "seller" and scheme.vat and scheme.company_id is not None:
            party = scheme.el.getparent()
            if party is not None and party.getparent() is supplier:
                return
    for party in facts.kids(supplier).get(PARTY, ()):
        k = facts.kids(party)
        if _vat_company_id(k.get(PARTY_TAX_SCHEME, ())):
            return
        for identification in k.get(PARTY_IDENTIFICATION, ()):
            if any(i.get("schemeID") != "SEPA" for i in identification.iterchildren(ID)):
                return
        if any(child(e, COMPANY_ID) is not None for e in k.get(PARTY_LEGAL_ENTITY, ())):
            return
    fail(out, "BR-CO-26", supplier)


def _tax_total(facts: Facts, total: etree._Element, out: list[Finding]) -> None:
    """BR-CO-14: total VAT = Σ VAT category tax amounts."""
    k = facts.kids(total)
    subtotals = k.get(TAX_SUBTOTAL)
    if not subtotals:
        return
    vat_sum = sum_decimals(
        [a for s in subtotals for a in facts.kids(s).get(TAX_AMOUNT, ())], facts.decimal
    )
    if not equal(facts.decimal(first(k, TAX_AMOUNT)), _round2(vat_sum)):
        fail(out, "BR-CO-14", total)


def _tax_subtotal(facts: Facts, subtotal: etree._Element, out: list[Finding]) -> None:
    """BG-23 VAT breakdown."""
    k = facts.kids(subtotal)
    taxable_el = first(k, TAXABLE_AMOUNT)
    tax_el = first(k, TAX_AMOUNT)
    if taxable_el is None:
        fail(out, "BR-45", subtotal)
    if tax_el is None:
        fail(out, "BR-46", subtotal)
    categories = [facts.category_of[c] for c in k.get(TAX_CATEGORY, ())]
    categories = [c for c in categories if c.vat]
    if not any(c.raw for c in categories):
        fail(out, "BR-47", subtotal)
    if not any(c.percents for c in categories) and not any(c.code == "O" for c in categories):
        fail(out, "BR-48", subtotal)
    if not _category_amount_ok(categories, facts.decimal(taxable_el), facts.decimal(tax_el)):
        fail(out, "BR-CO-17", subtotal)
    if decimals_after_point(taxable_el) > 2:
        fail(out, "BR-DEC-19", subtotal)
    if decimals_after_point(tax_el) > 2:
        fail(out, "BR-DEC-20", subtotal)


def _category_amount_ok(
    categories: list[Category], taxable: Decimal | None, tax: Decimal | None
) -> bool:
    """BR-CO-17: tax amount = taxable amount × rate / 100, within one unit, or zero at 0 %."""
    percents = [p for c in categories for p in c.percents]
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
