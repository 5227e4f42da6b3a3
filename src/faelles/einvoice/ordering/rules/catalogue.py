"""Catalogue (T19) and Punch Out (T77): ``PEPPOL-M-T19.sch`` and ``PEPPOL-M-T77.sch``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from faelles.einvoice.ordering.rules._engine import (
    Element,
    Pattern,
    Rule,
    Test,
    asserting,
    children,
    exists,
    no_variables,
    number,
    on,
    q,
    single,
    string,
)
from faelles.einvoice.ordering.rules.order import (
    has_percent_unless_outside,
    is_customization_id,
    is_profile_id,
    is_root_element,
    parent_tag,
    party_named_or_identified,
    profile_in,
    standard_rate_positive,
    starts_with,
)
from faelles.einvoice.ordering.transactions import CATALOGUE_NS

ROOT_TAG = f"{{{CATALOGUE_NS}}}Catalogue"
CATALOGUE_PROFILES = frozenset(
    (
        "urn:fdc:peppol.eu:poacc:bis:catalogue_only:3",
        "urn:fdc:peppol.eu:poacc:bis:catalogue_wo_response:3",
    )
)
_VALIDITY = q("cac:ValidityPeriod")
_SELLER = q("cac:SellerSupplierParty")
_CONTRACTOR = q("cac:ContractorCustomerParty")
_LINE = q("cac:CatalogueLine")
_LOCATION_QUANTITY = q("cac:RequiredItemLocationQuantity")
_CLASSIFIED = q("cac:ClassifiedTaxCategory")
_ITEM = q("cac:Item")
_PRICE = q("cac:Price")
_PROPERTY = q("cac:AdditionalItemProperty")


def date_number(el: Element | None, path: str, default: float) -> float:
    """``if (exists(path)) then number(translate(path, '-', '')) else default``."""
    found = single(el, path)
    if found is None:
        return default
    return number(string(found).replace("-", ""))


@dataclass
class CatalogueVariables:
    root: Element

    @cached_property
    def start(self) -> float:
        top = self.root if is_root_element(self.root, ROOT_TAG) else None
        return date_number(top, "cac:ValidityPeriod/cbc:StartDate", 0)

    @cached_property
    def end(self) -> float:
        top = self.root if is_root_element(self.root, ROOT_TAG) else None
        return date_number(top, "cac:ValidityPeriod/cbc:EndDate", 99999999)


def _line_period(line: Element | None, v: CatalogueVariables) -> tuple[float, float]:
    return (
        date_number(line, "cac:LineValidityPeriod/cbc:StartDate", v.start),
        date_number(line, "cac:LineValidityPeriod/cbc:EndDate", v.end),
    )


def _within(start: float, end: float, outer_start: float, outer_end: float) -> bool:
    return outer_start <= start <= outer_end and outer_start <= end <= outer_end


def line_within_catalogue(el: Element, v: CatalogueVariables) -> bool:
    """T19-R007 (comparisons with NaN are false)."""
    start, end = _line_period(el, v)
    return _within(start, end, v.start, v.end)


def line_period_in_order(el: Element, v: CatalogueVariables) -> bool:
    start, end = _line_period(el, v)
    return start <= end


def _price_period(el: Element, v: CatalogueVariables) -> tuple[float, float, float, float]:
    line_start, line_end = _line_period(el.getparent(), v)
    return (
        date_number(el, "cac:Price/cac:ValidityPeriod/cbc:StartDate", line_start),
        date_number(el, "cac:Price/cac:ValidityPeriod/cbc:EndDate", line_end),
        line_start,
        line_end,
    )


def price_within_line(el: Element, v: CatalogueVariables) -> bool:
    start, end, line_start, line_end = _price_period(el, v)
    return _within(start, end, line_start, line_end)


def price_period_in_order(el: Element, v: CatalogueVariables) -> bool:
    start, end, _, _ = _price_period(el, v)
    return start <= end


def _number(el: Element, path: str) -> float:
    found = single(el, path)
    return math.nan if found is None else number(string(found))


def _not_or_nonnegative(path: str) -> Test:
    return lambda el, _: not exists(el, path) or _number(el, path) >= 0


def _item_identified(el: Element, _: object) -> bool:
    return exists(el, "cac:StandardItemIdentification/cbc:ID") or exists(
        el, "cac:SellersItemIdentification/cbc:ID"
    )


T19: Pattern[CatalogueVariables] = Pattern(
    CatalogueVariables,
    (
        Rule(is_profile_id, (asserting("PEPPOL-T19-R017", profile_in(CATALOGUE_PROFILES)),)),
        Rule(is_customization_id, (asserting("PEPPOL-T19-R018", starts_with("urn:fdc:peppol.eu:poacc:trns:catalogue:3")),)),
        Rule(
            on(_VALIDITY, where=lambda el: is_root_element(el.getparent(), ROOT_TAG)),
            (asserting("PEPPOL-T19-R001", lambda el, v: v.end >= v.start),),
        ),
        Rule(on(_SELLER), (asserting("PEPPOL-T19-R004", party_named_or_identified),)),
        Rule(on(_CONTRACTOR), (asserting("PEPPOL-T19-R005", party_named_or_identified),)),
        Rule(
            on(_LINE),
            (
                asserting("PEPPOL-T19-R008", _not_or_nonnegative("cbc:MaximumOrderQuantity")),
                asserting("PEPPOL-T19-R009", _not_or_nonnegative("cbc:MinimumOrderQuantity")),
                asserting(
                    "PEPPOL-T19-R010",
                    lambda el, _: not exists(el, "cbc:MaximumOrderQuantity")
                    or not exists(el, "cbc:MinimumOrderQuantity")
                    or _number(el, "cbc:MaximumOrderQuantity") >= _number(el, "cbc:MinimumOrderQuantity"),
                ),
                asserting("PEPPOL-T19-R007", line_within_catalogue),
                asserting("PEPPOL-T19-R013", line_period_in_order),
            ),
        ),
        Rule(
            on(_LOCATION_QUANTITY),
            (
                asserting("PEPPOL-T19-R006", lambda el, _: _number(el, "cac:Price/cbc:PriceAmount") >= 0),
                asserting("PEPPOL-T19-R011", price_within_line),
                asserting("PEPPOL-T19-R016", price_period_in_order),
            ),
        ),
        Rule(
            on(_CLASSIFIED),
            (
                asserting("PEPPOL-T19-R014", has_percent_unless_outside),
                asserting("PEPPOL-T19-R015", standard_rate_positive),
            ),
        ),
        Rule(on(_ITEM), (asserting("PEPPOL-T19-R012", _item_identified),)),
    ),
)  # fmt: skip


def _validity_after_issue(el: Element, _: object) -> bool:
    """T77-R001."""
    end = single(el, "cbc:EndDate")
    if end is None:
        return False
    issue = single(el.getparent(), "cbc:IssueDate")
    issued = math.nan if issue is None else number(string(issue).replace("-", ""))
    return number(string(end).replace("-", "")) >= issued


def _one_main_image(el: Element, _: object) -> bool:
    images = [
        ref
        for ref in children(el, "cac:ItemSpecificationDocumentReference")
        if any(string(c) == "PRODUCT_IMAGE" for c in children(ref, "cbc:DocumentTypeCode"))
    ]
    return len(images) <= 1


def _same_unit(el: Element, _: object) -> bool:
    """T77-R006."""
    bases = children(el, "cac:Price/cbc:BaseQuantity")
    batches = children(el, "cac:DeliveryUnit/cbc:BatchQuantity")
    if not bases or not batches:
        return True
    base_units = [b.get("unitCode") for b in bases if b.get("unitCode") is not None]
    batch_units = [b.get("unitCode") for b in batches if b.get("unitCode") is not None]
    return any(u in batch_units for u in base_units)


def _positive_quantities(el: Element, _: object) -> bool:
    """T77-R002."""
    if not exists(el, "cac:Price/cbc:BaseQuantity") or not exists(
        el, "cac:DeliveryUnit/cbc:BatchQuantity"
    ):
        return True
    return (
        _number(el, "cac:Price/cbc:BaseQuantity") > 0
        and _number(el, "cac:DeliveryUnit/cbc:BatchQuantity") > 0
    )


def _is_service_indicator(el: Element) -> bool:
    return (
        el.tag == _PROPERTY
        and parent_tag(el) == _ITEM
        and any(string(n) == "ServiceIndicator" for n in children(el, "cbc:Name"))
    )


T77: Pattern[None] = Pattern(
    no_variables,
    (
        Rule(is_customization_id, (asserting("PEPPOL-T77-R010", starts_with("urn:fdc:peppol.eu:poacc:trns:punch_out:3")),)),
        Rule(
            on(_VALIDITY, where=lambda el: parent_tag(el) == ROOT_TAG),
            (asserting("PEPPOL-T77-R001", _validity_after_issue),),
        ),
        Rule(
            on(_PRICE, where=lambda el: parent_tag(el) == _LOCATION_QUANTITY),
            (asserting("PEPPOL-T77-R003", lambda el, _: _number(el, "cbc:PriceAmount") >= 0),),
        ),
        Rule(
            on(_ITEM),
            (asserting("PEPPOL-T77-R004", _item_identified), asserting("PEPPOL-T77-R005", _one_main_image)),
        ),
        Rule(
            on(_LOCATION_QUANTITY, where=lambda el: parent_tag(el) == _LINE),
            (asserting("PEPPOL-T77-R006", _same_unit), asserting("PEPPOL-T77-R002", _positive_quantities)),
        ),
        Rule(
            on(_PROPERTY, where=_is_service_indicator),
            (
                asserting(
                    "PEPPOL-T77-R007",
                    lambda el, _: any(string(v) in ("true", "false") for v in children(el, "cbc:Value")),
                ),
            ),
        ),
        Rule(
            on(_CLASSIFIED),
            (
                asserting("PEPPOL-T77-R008", has_percent_unless_outside),
                asserting("PEPPOL-T77-R009", standard_rate_positive),
            ),
        ),
    ),
)  # fmt: skip
