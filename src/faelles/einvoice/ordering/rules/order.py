"""Order (T01) and Order Change (T114): ``PEPPOL-M-T01.sch`` and ``PEPPOL-M-T114.sch``.

The two patterns are the same rules on the two roots (an order change restates the order),
with their own ids and messages; :func:`order_pattern` builds either. The tests the other
post-award patterns share (specification and profile ids, party names, tax categories,
allowances and charges, prices) are defined here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from faelles.einvoice.ordering.rules._engine import (
    Assert,
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
    local_name,
    norm,
    number,
    on,
    q,
    single,
    slack,
    string,
    sum_rounded,
)
from faelles.einvoice.ordering.transactions import ORDER_CHANGE_NS, ORDER_NS
from faelles.einvoice.rules.peppol import codes

ZERO = Decimal(0)
COUNTRY_PREFIXES = (
    "AD AE AF AG AI AL AM AN AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BL BJ BM BN BO "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CX CY CZ DE DJ DK DM DO "
    "DZ EC EE EG EH EL ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR ST SV SY SZ "
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF "
    "WS YE YT ZA ZM ZW"
)
"""The country list of the VAT prefix rules (T01-R026, T114-R026), as the rules spell it."""

ORDER_PROFILES = frozenset(
    (
        "urn:fdc:peppol.eu:poacc:bis:order_only:3",
        "urn:fdc:peppol.eu:poacc:bis:ordering:3",
        "urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3",
    )
)
ADVANCED_PROFILES = frozenset(("urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3",))

_AMOUNTS = frozenset(
    q(f"cbc:{n}")
    for n in ("Amount", "TaxAmount", "LineExtensionAmount", "PriceAmount", "BaseAmount")
)
CBC_NS = q("cbc:X")[:-1]
_PROFILE_ID = q("cbc:ProfileID")
_CUSTOMIZATION_ID = q("cbc:CustomizationID")
_ANTICIPATED_TOTAL = q("cac:AnticipatedMonetaryTotal")
_ORIGINATOR = q("cac:OriginatorCustomerParty")
_PARTY_TAX_SCHEME = q("cac:PartyTaxScheme")
_ALLOWANCE_CHARGE = q("cac:AllowanceCharge")
_TAX_CATEGORY = q("cac:TaxCategory")
_CLASSIFIED_TAX_CATEGORY = q("cac:ClassifiedTaxCategory")
_ORDER_LINE = q("cac:OrderLine")
_LINE_ITEM = q("cac:LineItem")
_PRICE = q("cac:Price")
_REASON_CODE = q("cbc:AllowanceChargeReasonCode")


def parent_tag(el: Element) -> str:
    parent = el.getparent()
    return "" if parent is None else str(parent.tag)


is_profile_id = on(_PROFILE_ID)
is_customization_id = on(_CUSTOMIZATION_ID)


def profile_in(profiles: frozenset[str]) -> Test:
    return lambda el, _: norm(string(el)) in profiles


def starts_with(prefix: str) -> Test:
    return lambda el, _: norm(string(el)).startswith(prefix)


def at_most_two_decimals(el: Element, _: object) -> bool:
    """``ancestor::node()/local-name() = 'Price' or string-length(substring-after(., '.')) <= 2``."""
    if any(local_name(a) == "Price" for a in el.iterancestors()):
        return True
    value = string(el)
    _, dot, after = value.partition(".")
    return len(after) <= 2 if dot else True


def party_named_or_identified(el: Element, _: object) -> bool:
    """``cac:Party/cac:PartyName/cbc:Name or cac:Party/cac:PartyIdentification/cbc:ID``."""
    return exists(el, "cac:Party/cac:PartyName/cbc:Name") or exists(
        el, "cac:Party/cac:PartyIdentification/cbc:ID"
    )


def is_vat_scheme(el: Element) -> bool:
    """``cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']``."""
    return el.tag == _PARTY_TAX_SCHEME and any(
        string(i) == "VAT" for i in children(el, "cac:TaxScheme/cbc:ID")
    )


def vat_prefix_known(el: Element, _: object) -> bool:
    company = single(el, "cbc:CompanyID")
    return string(company)[:2] in COUNTRY_PREFIXES if company is not None else True


def has_percent_unless_outside(el: Element, _: object) -> bool:
    """``cbc:Percent or (normalize-space(cbc:ID) = 'O')``."""
    return exists(el, "cbc:Percent") or norm(string(single(el, "cbc:ID"))) == "O"


def standard_rate_positive(el: Element, _: object) -> bool:
    """``not(normalize-space(cbc:ID) = 'S') or (cbc:Percent) > 0``."""
    if norm(string(single(el, "cbc:ID"))) != "S":
        return True
    return any(double(p) > 0 for p in children(el, "cbc:Percent"))


def reason_code_in(codes_: frozenset[str]) -> Test:
    """``some $code in $cl satisfies normalize-space(text()) = $code``."""
    return lambda el, _: norm(el.text or "") in codes_


def reason_code_of(indicator: str) -> Context:
    """``cac:AllowanceCharge[cbc:ChargeIndicator = indicator]/cbc:AllowanceChargeReasonCode``."""

    def context(el: Element) -> bool:
        if el.tag != _REASON_CODE:
            return False
        parent = el.getparent()
        return (
            parent is not None
            and parent.tag == _ALLOWANCE_CHARGE
            and any(string(c) == indicator for c in children(parent, "cbc:ChargeIndicator"))
        )

    return context


def is_root_element(el: Element | None, root_tag: str) -> bool:
    """Whether ``el`` is the document element with the tag ``root_tag`` (``/ubl:Root``)."""
    return el is not None and el.tag == root_tag and el.getparent() is None


def false(el: Element, _: object) -> bool:
    return False


def optional_decimal(el: Element | None, path: str) -> Decimal | None:
    """``xs:decimal(path)``: None (the empty sequence) when there is no such element."""
    found = single(el, path)
    return None if found is None else dec(found)


def decimal_or(el: Element | None, path: str, default: Decimal) -> Decimal:
    """``if (path) then xs:decimal(path) else default``."""
    found = single(el, path)
    return default if found is None else dec(found)


def nonnegative_number(path: str) -> Test:
    """``number(path) >= 0`` (false for no element: NaN)."""
    return lambda el, _: number(string(single(el, path))) >= 0 if exists(el, path) else False


def charge_indicated(el: Element, indicator: str) -> list[Element]:
    """``cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator) = indicator]`` of ``el``."""
    return [
        ac
        for ac in children(el, "cac:AllowanceCharge")
        if norm(string(single(ac, "cbc:ChargeIndicator"))) == indicator
    ]


def rounded_sum(charges: list[Element]) -> Decimal:
    """``if (charges) then round(sum(charges/cbc:Amount/xs:decimal(.)) * 10 * 10) div 100 else 0``."""
    if not charges:
        return ZERO
    return sum_rounded(dec(a) for ac in charges for a in children(ac, "cbc:Amount"))


def amount_or_zero(el: Element) -> Decimal:
    """``if (cbc:Amount) then cbc:Amount else 0`` as the xs:decimal argument of ``u:slack``."""
    amount = single(el, "cbc:Amount")
    return ZERO if amount is None else dec(amount)


def allowance_percentage_matches(el: Element, _: object) -> bool:
    """``not(MFN and BaseAmount) or u:slack(Amount or 0, BaseAmount * MFN div 100, 0.02)``."""
    base = single(el, "cbc:BaseAmount")
    factor = single(el, "cbc:MultiplierFactorNumeric")
    if base is None or factor is None:
        return True
    return slack(amount_or_zero(el), dec(base) * dec(factor) / 100, Decimal("0.02"))


def has_reason(el: Element, _: object) -> bool:
    return exists(el, "cbc:AllowanceChargeReason") or exists(el, "cbc:AllowanceChargeReasonCode")


def gross_price_nonnegative(el: Element, _: object) -> bool:
    """``(cac:AllowanceCharge/cbc:BaseAmount) >= 0 or not(exists(...))``."""
    bases = children(el, "cac:AllowanceCharge/cbc:BaseAmount")
    return not bases or any(double(b) >= 0 for b in bases)


def price_allowance_nonnegative(el: Element, _: object) -> bool:
    """``number(cac:AllowanceCharge/cbc:Amount) >= 0 or not(exists(...))``."""
    amounts = children(el, "cac:AllowanceCharge/cbc:Amount")
    if len(amounts) > 1:
        raise DynamicError("number() of several items")
    return not amounts or number(string(amounts[0])) >= 0


def net_price_is_gross_less_allowance(el: Element, _: object) -> bool:
    """``not(cbc:BaseAmount) or xs:decimal(../cbc:PriceAmount) = BaseAmount - Amount``."""
    base = single(el, "cbc:BaseAmount")
    if base is None:
        return True
    price = optional_decimal(el.getparent(), "cbc:PriceAmount")
    amount = optional_decimal(el, "cbc:Amount")
    if price is None or amount is None:
        return False
    return price == dec(base) - amount


@dataclass
class _OrderVariables:
    root: Element
    ns: str
    root_name: str

    @cached_property
    def is_root(self) -> bool:
        return self.root.tag == f"{{{self.ns}}}{self.root_name}"

    def top(self, path: str) -> list[Element]:
        """``/ubl:Root/path``."""
        return children(self.root, path) if self.is_root else []

    @cached_property
    def currencies(self) -> list[str]:
        return [string(c) for c in self.top("cbc:DocumentCurrencyCode")]

    @cached_property
    def line_ids(self) -> dict[str, set[Element]]:
        """``xsl:key name="k_lineId" match="cac:LineItem" use="cbc:ID"``."""
        index: dict[str, set[Element]] = {}
        for item in self.root.iter(_LINE_ITEM):
            for ident in children(item, "cbc:ID"):
                index.setdefault(string(ident), set()).add(item)
        return index

    @cached_property
    def sum_line_extension(self) -> Decimal:
        amounts = self.top("cac:OrderLine/cac:LineItem/cbc:LineExtensionAmount")
        return sum_rounded(dec(a) for a in amounts) if amounts else ZERO

    @cached_property
    def sum_allowance(self) -> Decimal:
        return rounded_sum(charge_indicated(self.root, "false")) if self.is_root else ZERO

    @cached_property
    def sum_charge(self) -> Decimal:
        return rounded_sum(charge_indicated(self.root, "true")) if self.is_root else ZERO

    @cached_property
    def tax_amount(self) -> Decimal:
        amounts = self.top("cac:TaxTotal/cbc:TaxAmount")
        if len(amounts) > 1:
            raise DynamicError("more than one tax amount")
        return dec(amounts[0]) if amounts else ZERO

    @cached_property
    def has_tax_total(self) -> bool:
        return bool(self.top("cac:TaxTotal"))


def order_pattern(code: str, ns: str, root_name: str) -> Pattern[_OrderVariables]:
    """The ``PEPPOL-M-T01``/``PEPPOL-M-T114`` pattern for transaction ``code`` on ``root_name``."""
    root_tag = f"{{{ns}}}{root_name}"
    profiles = ORDER_PROFILES if code == "T01" else ADVANCED_PROFILES
    spec = (
        "urn:fdc:peppol.eu:poacc:trns:order:3"
        if code == "T01"
        else "urn:fdc:peppol.eu:poacc:trns:order_change:3"
    )

    def a(number_: str, test: Test) -> Assert[_OrderVariables]:
        return asserting(f"PEPPOL-{code}-{number_}", test)

    def is_amount(el: Element) -> bool:
        if el.tag in _AMOUNTS:
            return True
        return parent_tag(el) == _ANTICIPATED_TOTAL and str(el.tag).startswith(CBC_NS)

    def single_currency(el: Element, v: _OrderVariables) -> bool:
        currency = el.get("currencyID")
        return currency is None or currency in v.currencies

    def top_level_charge(el: Element) -> bool:
        """``/ubl:Root/cac:AllowanceCharge | /ubl:Root/cac:OrderLine/cac:LineItem/cac:AllowanceCharge``."""
        if el.tag != _ALLOWANCE_CHARGE:
            return False
        parent = el.getparent()
        if parent is None:
            return False
        if is_root_element(parent, root_tag):
            return True
        line = parent.getparent()
        return (
            parent.tag == _LINE_ITEM
            and line is not None
            and line.tag == _ORDER_LINE
            and is_root_element(line.getparent(), root_tag)
        )

    def percentage_without_base(el: Element) -> bool:
        return (
            el.tag == _ALLOWANCE_CHARGE
            and exists(el, "cbc:MultiplierFactorNumeric")
            and not exists(el, "cbc:BaseAmount")
        )

    def base_without_percentage(el: Element) -> bool:
        return (
            top_level_charge(el)
            and not exists(el, "cbc:MultiplierFactorNumeric")
            and exists(el, "cbc:BaseAmount")
        )

    def payable_nonnegative(el: Element, v: _OrderVariables) -> bool:
        payable = optional_decimal(el, "cbc:PayableAmount")
        return payable is not None and payable >= 0

    def lines_nonnegative(el: Element, v: _OrderVariables) -> bool:
        lines = optional_decimal(el, "cbc:LineExtensionAmount")
        return lines is not None and lines >= 0

    def lines_sum(el: Element, v: _OrderVariables) -> bool:
        lines = optional_decimal(el, "cbc:LineExtensionAmount")
        return lines is not None and lines == v.sum_line_extension

    def allowances_sum(el: Element, v: _OrderVariables) -> bool:
        return decimal_or(el, "cbc:AllowanceTotalAmount", ZERO) == v.sum_allowance

    def charges_sum(el: Element, v: _OrderVariables) -> bool:
        return decimal_or(el, "cbc:ChargeTotalAmount", ZERO) == v.sum_charge

    def tax_exclusive(el: Element) -> Decimal | None:
        given = single(el, "cbc:TaxExclusiveAmount")
        if given is not None:
            return dec(given)
        lines = optional_decimal(el, "cbc:LineExtensionAmount")
        if lines is None:
            return None
        return (
            lines
            - decimal_or(el, "cbc:AllowanceTotalAmount", ZERO)
            + decimal_or(el, "cbc:ChargeTotalAmount", ZERO)
        )

    def tax_exclusive_sum(el: Element, v: _OrderVariables) -> bool:
        exclusive = tax_exclusive(el)
        lines = optional_decimal(el, "cbc:LineExtensionAmount")
        if exclusive is None or lines is None:
            return False
        return exclusive == (
            lines
            - decimal_or(el, "cbc:AllowanceTotalAmount", ZERO)
            + decimal_or(el, "cbc:ChargeTotalAmount", ZERO)
        )

    def payable_sum(el: Element, v: _OrderVariables) -> bool:
        inclusive = optional_decimal(el, "cbc:TaxInclusiveAmount")
        if not inclusive:  # the effective boolean value: no amount, or zero
            return True
        payable = optional_decimal(el, "cbc:PayableAmount")
        return payable is not None and payable == (
            inclusive
            - decimal_or(el, "cbc:PrepaidAmount", ZERO)
            + decimal_or(el, "cbc:PayableRoundingAmount", ZERO)
        )

    def tax_inclusive_sum(el: Element, v: _OrderVariables) -> bool:
        inclusive = optional_decimal(el, "cbc:TaxInclusiveAmount")
        if not inclusive or not v.has_tax_total:
            return True
        exclusive = tax_exclusive(el)
        return exclusive is not None and inclusive == exclusive + v.tax_amount

    def line_amount(el: Element, v: _OrderVariables) -> bool:
        lines = decimal_or(el, "cbc:LineExtensionAmount", ZERO)
        quantity = decimal_or(el, "cbc:Quantity", Decimal(1))
        price = decimal_or(el, "cac:Price/cbc:PriceAmount", ZERO)
        base_el = single(el, "cac:Price/cbc:BaseQuantity")
        base = Decimal(1)
        if base_el is not None and dec(base_el) != 0:
            base = dec(base_el)
        allowances = rounded_sum(charge_indicated(el, "false"))
        charges = rounded_sum(charge_indicated(el, "true"))
        expected = quantity * (price / base) + charges - allowances
        return slack(lines, expected, Decimal("0.02"))

    def base_quantity_positive(el: Element, v: _OrderVariables) -> bool:
        base = single(el, "cac:Price/cbc:BaseQuantity")
        return base is None or dec(base) > 0

    def line_id_unique(el: Element, v: _OrderVariables) -> bool:
        items: set[Element] = set()
        for ident in children(el, "cbc:ID"):
            items |= v.line_ids.get(string(ident), set())
        return len(items) == 1

    def is_order_line_item(el: Element) -> bool:
        return el.tag == _LINE_ITEM and parent_tag(el) == _ORDER_LINE

    def is_price_allowance(el: Element) -> bool:
        return el.tag == _ALLOWANCE_CHARGE and parent_tag(el) == _PRICE

    return Pattern(
        lambda root: _OrderVariables(root, ns, root_name),
        (
            Rule(is_profile_id, (a("R031", profile_in(profiles)),)),
            Rule(is_customization_id, (a("R034", starts_with(spec)),)),
            Rule(is_amount, (a("R003", single_currency), a("R028", at_most_two_decimals))),
            Rule(
                on(root_tag),
                (a("R002", lambda el, v: exists(el, "cac:ValidityPeriod/cbc:EndDate")),),
            ),
            Rule(on(_ORIGINATOR), (a("R014", party_named_or_identified),)),
            Rule(on(_PARTY_TAX_SCHEME, where=is_vat_scheme), (a("R026", vat_prefix_known),)),
            Rule(
                on(_ANTICIPATED_TOTAL),
                (
                    a("R006", payable_nonnegative),
                    a("R007", lines_nonnegative),
                    a("R008", lines_sum),
                    a("R009", allowances_sum),
                    a("R010", charges_sum),
                    a("R011", tax_exclusive_sum),
                    a("R016", payable_sum),
                    a("R017", tax_inclusive_sum),
                ),
            ),
            Rule(on(_ALLOWANCE_CHARGE, where=percentage_without_base), (a("R020", false),)),
            Rule(on(_ALLOWANCE_CHARGE, where=base_without_percentage), (a("R021", false),)),
            Rule(
                on(_ALLOWANCE_CHARGE, where=top_level_charge),
                (
                    a("R022", allowance_percentage_matches),
                    a("R023", has_reason),
                    a("R032", nonnegative_number("cbc:Amount")),
                ),
            ),
            Rule(
                on(_TAX_CATEGORY, _CLASSIFIED_TAX_CATEGORY),
                (a("R029", has_percent_unless_outside), a("R030", standard_rate_positive)),
            ),
            Rule(
                on(_LINE_ITEM, where=is_order_line_item),
                (
                    a("R024", line_amount),
                    a("R025", base_quantity_positive),
                    a("R001", line_id_unique),
                    a("R004", nonnegative_number("cbc:Quantity")),
                    a("R013", lambda el, v: exists(el, "cbc:Quantity")),
                ),
            ),
            Rule(
                on(_ALLOWANCE_CHARGE, where=is_price_allowance),
                (a("R019", net_price_is_gross_less_allowance),),
            ),
            Rule(
                on(_PRICE),
                (
                    a("R005", nonnegative_number("cbc:PriceAmount")),
                    a("R027", gross_price_nonnegative),
                    a("R033", price_allowance_nonnegative),
                ),
            ),
            Rule(
                on(_REASON_CODE, where=reason_code_of("false")),
                (a("CL001", reason_code_in(codes.UNCL5189)),),
            ),
            Rule(
                on(_REASON_CODE, where=reason_code_of("true")),
                (a("CL002", reason_code_in(codes.UNCL7161)),),
            ),
        ),
    )


T01 = order_pattern("T01", ORDER_NS, "Order")
T114 = order_pattern("T114", ORDER_CHANGE_NS, "OrderChange")
