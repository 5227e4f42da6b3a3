"""Despatch Advice (T16): ``PEPPOL-M-T16.sch``."""

from __future__ import annotations

from faelles.einvoice.ordering.rules._engine import (
    Element,
    Pattern,
    Rule,
    asserting,
    exists,
    no_variables,
    number,
    on,
    q,
    single,
    string,
)
from faelles.einvoice.ordering.rules.order import (
    is_customization_id,
    party_named_or_identified,
    starts_with,
)

_BUYER = q("cac:BuyerCustomerParty")
_SELLER = q("cac:SellerSupplierParty")
_ORIGINATOR = q("cac:OriginatorCustomerParty")
_LINE = q("cac:DespatchLine")


def _delivered_nonnegative(el: Element, _: object) -> bool:
    """``number(cbc:DeliveredQuantity) >= 0`` (false without one: NaN)."""
    quantity = single(el, "cbc:DeliveredQuantity")
    return quantity is not None and number(string(quantity)) >= 0


T16: Pattern[None] = Pattern(
    no_variables,
    (
        Rule(is_customization_id, (asserting("PEPPOL-T16-R011", starts_with("urn:fdc:peppol.eu:poacc:trns:despatch_advice:3")),)),
        Rule(on(_BUYER), (asserting("PEPPOL-T16-R008", party_named_or_identified),)),
        Rule(on(_SELLER), (asserting("PEPPOL-T16-R009", party_named_or_identified),)),
        Rule(on(_ORIGINATOR), (asserting("PEPPOL-T16-R010", party_named_or_identified),)),
        Rule(
            on(_LINE),
            (
                asserting(
                    "PEPPOL-T16-R003",
                    lambda el, _: exists(el, "cac:Item/cac:StandardItemIdentification/cbc:ID")
                    or exists(el, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
                ),
                asserting("PEPPOL-T16-R004", lambda el, _: exists(el, "cac:Item/cbc:Name")),
                asserting("PEPPOL-T16-R005", lambda el, _: exists(el, "cbc:DeliveredQuantity")),
                asserting("PEPPOL-T16-R006", _delivered_nonnegative),
                asserting(
                    "PEPPOL-T16-R007",
                    lambda el, _: not exists(el, "cbc:OutstandingQuantity")
                    or exists(el, "cbc:OutstandingReason"),
                ),
            ),
        ),
    ),
)  # fmt: skip
