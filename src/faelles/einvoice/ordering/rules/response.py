"""Order Response (T76) and Order Response Advanced (T116): ``PEPPOL-M-T76.sch``, ``-T116.sch``.

The same rules with their own ids and messages; :func:`response_pattern` builds either.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from faelles.einvoice.ordering.rules._engine import (
    Assert,
    Element,
    Pattern,
    Rule,
    Test,
    asserting,
    children,
    exists,
    norm,
    on,
    q,
    string,
)
from faelles.einvoice.ordering.rules.order import (
    is_customization_id,
    is_root_element,
    parent_tag,
    starts_with,
)
from faelles.einvoice.ordering.transactions import ORDER_RESPONSE_NS

ROOT_TAG = f"{{{ORDER_RESPONSE_NS}}}OrderResponse"
_PRICE_AMOUNT = q("cbc:PriceAmount")
_PARTY = q("cac:Party")
_BUYER = q("cac:BuyerCustomerParty")
_SELLER = q("cac:SellerSupplierParty")
_PROMISED = q("cac:PromisedDeliveryPeriod")
_LINE_ITEM = q("cac:LineItem")
_ORDER_LINE = q("cac:OrderLine")
_RESPONSE_CODE = q("cbc:OrderResponseCode")


@dataclass
class ResponseVariables:
    root: Element

    @cached_property
    def currencies(self) -> list[str]:
        if not is_root_element(self.root, ROOT_TAG):
            return []
        return [string(c) for c in children(self.root, "cbc:DocumentCurrencyCode")]

    @cached_property
    def line_ids(self) -> dict[str, set[Element]]:
        """``xsl:key name="k_lineId" match="cac:LineItem" use="cbc:ID"``."""
        return line_id_index(self.root)


def line_id_index(root: Element) -> dict[str, set[Element]]:
    """Every ``cac:LineItem`` of the document by the string value of each of its ``cbc:ID``."""
    index: dict[str, set[Element]] = {}
    for item in root.iter(_LINE_ITEM):
        for ident in children(item, "cbc:ID"):
            index.setdefault(string(ident), set()).add(item)
    return index


def line_id_unique(el: Element, v: ResponseVariables) -> bool:
    """``count(key('k_lineId', cbc:ID)) = 1``."""
    items: set[Element] = set()
    for ident in children(el, "cbc:ID"):
        items |= v.line_ids.get(string(ident), set())
    return len(items) == 1


def legal_name_or_identifier(el: Element, _: object) -> bool:
    return exists(el, "cac:PartyLegalEntity/cbc:RegistrationName") or exists(
        el, "cac:PartyIdentification/cbc:ID"
    )


def period_in_order(el: Element, _: object) -> bool:
    """``(EndDate and StartDate and EndDate >= StartDate) or not(StartDate) or not(EndDate)``,
    the dates compared as strings (untyped values)."""
    starts = [string(s) for s in children(el, "cbc:StartDate")]
    ends = [string(e) for e in children(el, "cbc:EndDate")]
    if not starts or not ends:
        return True
    return any(e >= s for e in ends for s in starts)


def _lines_for(code: str, *, wanted: bool) -> Test:
    """``(normalize-space(.) = code and count(../cac:OrderLine) > 0 (or = 0)) or not code``."""

    def test(el: Element, _: object) -> bool:
        if norm(string(el)) != code:
            return True
        parent = el.getparent()
        lines = len(children(parent, "cac:OrderLine")) if parent is not None else 0
        return lines > 0 if wanted else lines == 0

    return test


def response_pattern(code: str) -> Pattern[ResponseVariables]:
    spec = {
        "T76": "urn:fdc:peppol.eu:poacc:trns:order_response:3",
        "T116": "urn:fdc:peppol.eu:poacc:trns:order_response_advanced:3",
    }[code]

    def a(number: str, test: Test) -> Assert[ResponseVariables]:
        return asserting(f"PEPPOL-{code}-{number}", test)

    def single_currency(el: Element, v: ResponseVariables) -> bool:
        return el.get("currencyID") in v.currencies

    def is_promised(el: Element) -> bool:
        return el.tag == _PROMISED

    def is_line_item(el: Element) -> bool:
        return el.tag == _LINE_ITEM and parent_tag(el) == _ORDER_LINE

    response_code = Rule(
        on(_RESPONSE_CODE),
        (
            a("R007", _lines_for("CA", wanted=True)),
            a("R008", _lines_for("AP", wanted=False)),
            a("R009", _lines_for("RE", wanted=False)),
            a("R010", _lines_for("AB", wanted=False)),
        ),
    )
    line_rule = Rule(on(_LINE_ITEM, where=is_line_item), (a("R003", line_id_unique),))
    rules: list[Rule[ResponseVariables]] = [
        Rule(is_customization_id, (a("R006", starts_with(spec)),)),
        Rule(on(_PRICE_AMOUNT), (a("R005", single_currency),)),
        Rule(
            on(_PARTY, where=lambda el: parent_tag(el) == _BUYER),
            (a("R001", legal_name_or_identifier),),
        ),
        Rule(
            on(_PARTY, where=lambda el: parent_tag(el) == _SELLER),
            (a("R002", legal_name_or_identifier),),
        ),
        Rule(on(_PROMISED), (a("R004", period_in_order),)),
    ]
    rules += [line_rule, response_code] if code == "T76" else [response_code, line_rule]
    return Pattern(ResponseVariables, tuple(rules))


T76 = response_pattern("T76")
T116 = response_pattern("T116")
