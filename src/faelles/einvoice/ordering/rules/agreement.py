"""Order Agreement (T110): ``PEPPOL-M-T110.sch``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from faelles.einvoice.ordering.rules._engine import (
    Context,
    DynamicError,
    Element,
    Pattern,
    Rule,
    Test,
    asserting,
    children,
    dec,
    double,
    exists,
    norm,
    on,
    q,
    single,
    string,
    sum_rounded,
    xpath_round,
)
from faelles.einvoice.ordering.rules.order import (
    ZERO,
    allowance_percentage_matches,
    at_most_two_decimals,
    false,
    gross_price_nonnegative,
    has_percent_unless_outside,
    has_reason,
    is_customization_id,
    is_root_element,
    nonnegative_number,
    parent_tag,
    price_allowance_nonnegative,
    reason_code_in,
    reason_code_of,
    standard_rate_positive,
    starts_with,
)
from faelles.einvoice.ordering.transactions import ORDER_RESPONSE_NS
from faelles.einvoice.rules.peppol import codes

ROOT_TAG = f"{{{ORDER_RESPONSE_NS}}}OrderResponse"
_AMOUNTS = frozenset(
    q(f"cbc:{n}")
    for n in (
        "Amount",
        "TaxAmount",
        "TaxableAmount",
        "LineExtensionAmount",
        "PriceAmount",
        "BaseAmount",
    )
)
_CBC_NS = q("cbc:X")[:-1]
_ITEM = q("cac:Item")
_LEGAL_TOTAL = q("cac:LegalMonetaryTotal")
_TAX_TOTAL = q("cac:TaxTotal")
_TAX_SUBTOTAL = q("cac:TaxSubtotal")
_TAX_CATEGORY = q("cac:TaxCategory")
_CLASSIFIED = q("cac:ClassifiedTaxCategory")
_ALLOWANCE_CHARGE = q("cac:AllowanceCharge")
_PRICE = q("cac:Price")
_ORDER_LINE = q("cac:OrderLine")
_LINE_EXTENSION = q("cbc:LineExtensionAmount")


def cat2str(category: Element) -> str:
    """``u:cat2str``: ``concat(normalize-space(cbc:ID), '-', round(xs:decimal(cbc:Percent) * 1000000))``."""
    ident = norm(string(single(category, "cbc:ID")))
    percent = single(category, "cbc:Percent")
    if percent is None:
        return f"{ident}-"
    return f"{ident}-{int(xpath_round(dec(percent) * 1000000))}"


@dataclass
class AgreementVariables:
    root: Element

    @cached_property
    def is_root(self) -> bool:
        return is_root_element(self.root, ROOT_TAG)

    def top(self, path: str) -> list[Element]:
        return children(self.root, path) if self.is_root else []

    @cached_property
    def categories(self) -> list[Element]:
        return self.top("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory")

    @cached_property
    def category_percents(self) -> list[str]:
        return [cat2str(c) for c in self.categories]

    @cached_property
    def category_ids(self) -> list[str]:
        return [norm(string(single(c, "cbc:ID"))) for c in self.categories]

    @cached_property
    def currencies(self) -> list[str]:
        return [string(c) for c in self.top("cbc:DocumentCurrencyCode")]

    @cached_property
    def has_tax_total(self) -> bool:
        return next(self.root.iter(_TAX_TOTAL), None) is not None


def _first_decimal(el: Element | None) -> Decimal | None:
    return None if el is None else dec(el)


def tax_subtotal_amount(el: Element, _: object) -> bool:
    """T110-R024: the category tax amount is the taxable amount times the rate, rounded."""
    percents = children(el, "cac:TaxCategory/cbc:Percent")
    if len(percents) > 1:
        raise DynamicError("round() of several items")
    percent = dec(percents[0]) if percents else None
    tax = _first_decimal(single(el, "cbc:TaxAmount"))
    taxable = _first_decimal(single(el, "cbc:TaxableAmount"))
    if percent is None or xpath_round(percent) == 0:
        return tax is not None and xpath_round(tax) == 0
    if tax is None or taxable is None:
        return False
    return tax == xpath_round(taxable * (percent / 100) * 100) / 100


def tax_total_sum(el: Element, _: object) -> bool:
    """T110-R025: the tax total is the sum of the category tax amounts."""
    subtotals = children(el, "cac:TaxSubtotal")
    if not subtotals:
        return True
    total = _first_decimal(single(el, "cbc:TaxAmount"))
    return total is not None and total == sum_rounded(
        dec(a) for s in subtotals for a in children(s, "cbc:TaxAmount")
    )


def _category_in(codes_: str) -> Test:
    """``contains(codes, concat(' ', normalize-space(cbc:ID), ' '))``."""
    return lambda el, _: f" {norm(string(single(el, 'cbc:ID')))} " in codes_


def _subtotal_category(*, exempt: bool) -> Context:
    return on(
        _TAX_CATEGORY,
        where=lambda el: (
            parent_tag(el) == _TAX_SUBTOTAL and exists(el, "cbc:TaxExemptionReason") == exempt
        ),
    )


def rate_matches_document(el: Element, v: AgreementVariables) -> bool:
    """T110-R026."""
    if not exists(el, "cbc:Percent") or not v.has_tax_total:
        return True
    return cat2str(el) in v.category_percents


def category_matches_document(el: Element, v: AgreementVariables) -> bool:
    """T110-R027."""
    if not v.has_tax_total:
        return True
    return any(string(i) in v.category_ids for i in children(el, "cbc:ID"))


def _decimal_or_zero(el: Element, path: str) -> Decimal:
    """``xs:decimal(if (path) then path else 0)``."""
    found = single(el, path)
    return ZERO if found is None else dec(found)


def _total(name: str) -> Callable[[Element], Decimal]:
    """``xs:decimal(if (cbc:name) then cbc:name else 0)`` of the monetary total."""
    return lambda el: _decimal_or_zero(el, f"cbc:{name}")


LINES = _total("LineExtensionAmount")
ALLOWANCES = _total("AllowanceTotalAmount")
CHARGES = _total("ChargeTotalAmount")
EXCLUSIVE = _total("TaxExclusiveAmount")
INCLUSIVE = _total("TaxInclusiveAmount")
ROUNDING = _total("PayableRoundingAmount")
PAYABLE = _total("PayableAmount")
PREPAID = _total("PrepaidAmount")


def _sum_charges(v: AgreementVariables, indicator: str) -> Decimal:
    charges = [
        ac
        for ac in v.top("cac:AllowanceCharge")
        if any(string(c) == indicator for c in children(ac, "cbc:ChargeIndicator"))
    ]
    return sum_rounded(dec(a) for ac in charges for a in children(ac, "cbc:Amount"))


def _line_total(root: Element) -> Decimal:
    return sum_rounded(
        dec(a)
        for line in root.iter(_ORDER_LINE)
        for a in children(line, "cac:LineItem/cbc:LineExtensionAmount")
    )


def _tax_total(v: AgreementVariables) -> Decimal:
    amounts = v.top("cac:TaxTotal/cbc:TaxAmount")
    if len(amounts) > 1:
        raise DynamicError("more than one tax amount")
    return dec(amounts[0]) if amounts else ZERO


def every_line_has_amount(el: Element, v: AgreementVariables) -> bool:
    """T110-R014: ``count(//cac:OrderLine) = count(//cac:LineItem/cbc:LineExtensionAmount)``."""
    lines = sum(1 for _ in v.root.iter(_ORDER_LINE))
    amounts = sum(1 for el_ in v.root.iter(_LINE_EXTENSION) if parent_tag(el_) == q("cac:LineItem"))
    return lines == amounts


def payable_nonnegative(el: Element, _: object) -> bool:
    """T110-R005: ``not(cbc:PayableAmount) or cbc:PayableAmount >= 0``."""
    payable = children(el, "cbc:PayableAmount")
    return not payable or any(double(p) >= 0 for p in payable)


def _given_or(path: str, test: Test) -> Test:
    return lambda el, v: not exists(el, path) or test(el, v)


T110: Pattern[AgreementVariables] = Pattern(
    AgreementVariables,
    (
        Rule(is_customization_id, (asserting("PEPPOL-T110-R030", starts_with("urn:fdc:peppol.eu:poacc:trns:order_agreement:3")),)),
        Rule(
            on(_ITEM),
            (
                asserting(
                    "PEPPOL-T110-R002",
                    lambda el, _: exists(el, "cac:StandardItemIdentification/cbc:ID")
                    or exists(el, "cac:SellersItemIdentification/cbc:ID"),
                ),
            ),
        ),
        Rule(
            lambda el: el.tag in _AMOUNTS
            or (parent_tag(el) == _LEGAL_TOTAL and str(el.tag).startswith(_CBC_NS)),
            (
                asserting(
                    "PEPPOL-T110-R004",
                    lambda el, v: el.get("currencyID") is None or el.get("currencyID") in v.currencies,
                ),
                asserting("PEPPOL-T110-R013", at_most_two_decimals),
            ),
        ),
        Rule(
            on(_TAX_SUBTOTAL, where=lambda el: parent_tag(el) == _TAX_TOTAL),
            (asserting("PEPPOL-T110-R024", tax_subtotal_amount),),
        ),
        Rule(
            on(
                _TAX_TOTAL,
                where=lambda el: is_root_element(el.getparent(), ROOT_TAG)
                and exists(el, "cac:TaxSubtotal"),
            ),
            (asserting("PEPPOL-T110-R025", tax_total_sum),),
        ),
        Rule(_subtotal_category(exempt=False), (asserting("PEPPOL-T110-R028", _category_in(" S Z L M ")),)),
        Rule(_subtotal_category(exempt=True), (asserting("PEPPOL-T110-R029", _category_in(" E AE O K G ")),)),
        Rule(
            on(
                _TAX_CATEGORY,
                _CLASSIFIED,
                where=lambda el: (el.tag == _TAX_CATEGORY and parent_tag(el) == _ALLOWANCE_CHARGE)
                or (el.tag == _CLASSIFIED and parent_tag(el) == _ITEM),
            ),
            (
                asserting("PEPPOL-T110-R026", rate_matches_document),
                asserting("PEPPOL-T110-R027", category_matches_document),
                asserting("PEPPOL-T110-R019", has_percent_unless_outside),
                asserting("PEPPOL-T110-R020", standard_rate_positive),
            ),
        ),
        Rule(
            on(_LEGAL_TOTAL),
            (
                asserting("PEPPOL-T110-R014", every_line_has_amount),
                asserting("PEPPOL-T110-R005", payable_nonnegative),
                asserting("PEPPOL-T110-R006", lambda el, v: LINES(el) >= 0),
                asserting(
                    "PEPPOL-T110-R007",
                    _given_or("cbc:LineExtensionAmount", lambda el, v: LINES(el) == _line_total(v.root)),
                ),
                asserting(
                    "PEPPOL-T110-R008",
                    _given_or("cbc:ChargeTotalAmount", lambda el, v: CHARGES(el) == _sum_charges(v, "true")),
                ),
                asserting(
                    "PEPPOL-T110-R009",
                    _given_or("cbc:AllowanceTotalAmount", lambda el, v: ALLOWANCES(el) == _sum_charges(v, "false")),
                ),
                asserting(
                    "PEPPOL-T110-R010",
                    _given_or(
                        "cbc:TaxExclusiveAmount",
                        lambda el, v: EXCLUSIVE(el) == LINES(el) + CHARGES(el) - ALLOWANCES(el),
                    ),
                ),
                asserting(
                    "PEPPOL-T110-R011",
                    lambda el, v: INCLUSIVE(el) == EXCLUSIVE(el) + _tax_total(v),
                ),
                asserting(
                    "PEPPOL-T110-R012",
                    _given_or(
                        "cbc:PayableAmount",
                        lambda el, v: PAYABLE(el) == INCLUSIVE(el) - PREPAID(el) + ROUNDING(el),
                    ),
                ),
            ),
        ),
        Rule(
            on(
                _ALLOWANCE_CHARGE,
                where=lambda el: is_root_element(el.getparent(), ROOT_TAG)
                and exists(el, "cbc:MultiplierFactorNumeric")
                and not exists(el, "cbc:BaseAmount"),
            ),
            (asserting("PEPPOL-T110-R015", false),),
        ),
        Rule(
            on(
                _ALLOWANCE_CHARGE,
                where=lambda el: is_root_element(el.getparent(), ROOT_TAG)
                and not exists(el, "cbc:MultiplierFactorNumeric")
                and exists(el, "cbc:BaseAmount"),
            ),
            (asserting("PEPPOL-T110-R016", false),),
        ),
        Rule(
            on(_ALLOWANCE_CHARGE, where=lambda el: is_root_element(el.getparent(), ROOT_TAG)),
            (
                asserting("PEPPOL-T110-R017", allowance_percentage_matches),
                asserting("PEPPOL-T110-R018", has_reason),
                asserting("PEPPOL-T110-R021", nonnegative_number("cbc:Amount")),
            ),
        ),
        Rule(
            on(_PRICE),
            (
                asserting("PEPPOL-T110-R001", nonnegative_number("cbc:PriceAmount")),
                asserting("PEPPOL-T110-R022", gross_price_nonnegative),
                asserting("PEPPOL-T110-R023", price_allowance_nonnegative),
            ),
        ),
        Rule(on("cbc:AllowanceChargeReasonCode", where=reason_code_of("false")), (asserting("PEPPOL-T110-CL001", reason_code_in(codes.UNCL5189)),)),
        Rule(on("cbc:AllowanceChargeReasonCode", where=reason_code_of("true")), (asserting("PEPPOL-T110-CL002", reason_code_in(codes.UNCL7161)),)),
    ),
)  # fmt: skip
