"""Our Orders and Catalogue Responses pass the UBL 2.1 schema and the official rules.

Every document written here is validated as a received one is (schema, then the
PEPPOLBIS-T01/T58 rules) and read back; where ``saxonche`` is installed, the published
Schematron run by Saxon must find nothing either.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from faelles.einvoice.model import Address, Contact, Identifier
from faelles.einvoice.ordering.model import (
    AllowanceCharge,
    ApplicationResponse,
    Catalogue,
    Item,
    Order,
    OrderLine,
    Party,
    Period,
    Price,
    Quantity,
)
from faelles.einvoice.ordering.reader import read
from faelles.einvoice.ordering.rules import RULE_SETS
from faelles.einvoice.ordering.tests.conftest import ORDERING_DATA, require_ordering
from faelles.einvoice.ordering.tests.official import official
from faelles.einvoice.ordering.validate import validate_bytes
from faelles.einvoice.ordering.writer import (
    anticipated_totals,
    catalogue_response,
    catalogue_response_to_ubl,
    line_amount,
    order_to_ubl,
)

BUYER = Party(
    endpoint=Identifier("5798000012349", "0088"),
    identifiers=(Identifier("5798000012349", "0088"),),
    name="Styrelsen for Fælles Service",
    legal_name="Styrelsen for Fælles Service",
    legal_id=Identifier("12345678", "0184"),
    vat_id="DK12345678",
    address=Address(street="Vej 1", city="København", postal_zone="2100", country="DK"),
    contact=Contact("Indkøb", "+45 12345678", "indkob@example.dk"),
)
SELLER = Party(
    endpoint=Identifier("87654321", "0184"),
    name="Kontorartikler A/S",
    legal_name="Kontorartikler A/S",
    address=Address(city="Aarhus", country="DK"),
)


def _order(**changes: Any) -> Order:
    order = Order(
        id="PO-2026-0001",
        issue_date=date(2026, 12, 2),
        currency="DKK",
        order_type_code="220",
        note="Levering til bagindgangen",
        customer_reference="4711",
        validity_end=date(2026, 12, 31),
        catalogue_id="CAT-7",
        contract_id="K-2026-3",
        buyer=BUYER,
        seller=SELLER,
        delivery_location_id=Identifier("5798000012349", "0088"),
        delivery_address=Address(
            street="Vej 1", city="København", postal_zone="2100", country="DK"
        ),
        delivery_period=Period(date(2026, 12, 7), date(2026, 12, 9)),
        tax_amount=Decimal("70.63"),
        lines=(
            OrderLine(
                id="1",
                quantity=Quantity(Decimal("10"), "EA"),
                price=Price(Decimal("12.50")),
                item=Item(
                    name="Kuglepen, blå",
                    sellers_id="KP-100",
                    standard_id=Identifier("5701234567892", "0160"),
                    classifications=(Identifier("44121704", "TST"),),
                    tax_category="S",
                    tax_percent=Decimal("25"),
                ),
            ),
            OrderLine(
                id="2",
                quantity=Quantity(Decimal("3"), "PK"),
                price=Price(Decimal("55.175"), base_quantity=Quantity(Decimal("1"), "PK")),
                allowances_charges=(AllowanceCharge(False, Decimal("5.00"), "Rabat", "95"),),
                item=Item(
                    name="Kopipapir A4",
                    sellers_id="PA-4",
                    tax_category="S",
                    tax_percent=Decimal("25"),
                ),
                delivery_period=Period(date(2026, 12, 8), date(2026, 12, 8)),
            ),
        ),
    )
    return replace(order, **changes)


@cache
def _official() -> Any:
    if not ORDERING_DATA.is_dir():
        return None
    return official(ORDERING_DATA / "rules", list(RULE_SETS))


def _assert_clean(data: bytes, code: str) -> None:
    """No finding at all: not from the schema, not from our rules, not from the official ones."""
    result = validate_bytes(data)
    assert result.profile.transaction.code == code
    assert [(f.rule, f.location, f.message) for f in result.findings] == []
    run = _official()
    if run is not None:
        assert run(code, data) == {}


def test_order_passes_the_schema_and_the_rules() -> None:
    _assert_clean(order_to_ubl(_order()), "T01")


def test_order_reads_back_as_written() -> None:
    order = _order()
    back = read(order_to_ubl(order, pretty=True))
    assert isinstance(back, Order)
    assert (back.id, back.issue_date, back.currency, back.catalogue_id) == (
        "PO-2026-0001",
        date(2026, 12, 2),
        "DKK",
        "CAT-7",
    )
    assert back.buyer == BUYER
    assert back.seller == SELLER
    assert back.delivery_period == order.delivery_period
    assert [(line.id, line.quantity, line.line_amount) for line in back.lines] == [
        ("1", Quantity(Decimal("10"), "EA"), Decimal("125.00")),
        ("2", Quantity(Decimal("3"), "PK"), Decimal("160.53")),
    ]
    assert back.lines[0].item == order.lines[0].item
    assert back.lines[1].price == Price(Decimal("55.175"), "DKK", Quantity(Decimal("1"), "PK"))
    assert back.totals is not None
    assert (back.totals.line_extension, back.totals.tax_inclusive, back.totals.payable) == (
        Decimal("285.53"),
        Decimal("356.16"),
        Decimal("356.16"),
    )


def test_line_amounts_and_totals_follow_the_rules() -> None:
    order = _order()
    # 3 x 55.175 - 5.00 = 160.525, rounded half up to cents
    assert line_amount(order.lines[1]) == Decimal("160.53")
    with_charges = _order(
        allowances_charges=(
            AllowanceCharge(True, Decimal("49.00"), "Fragt", "FC", "S", Decimal("25")),
            AllowanceCharge(False, Decimal("10.00"), "Rabat", "95", "S", Decimal("25")),
        ),
        tax_amount=Decimal("80.38"),
    )
    totals = anticipated_totals(with_charges)
    assert totals is not None
    assert (totals.line_extension, totals.allowances, totals.charges) == (
        Decimal("285.53"),
        Decimal("10.00"),
        Decimal("49.00"),
    )
    assert (totals.tax_exclusive, totals.tax_inclusive) == (Decimal("324.53"), Decimal("404.91"))
    _assert_clean(order_to_ubl(with_charges), "T01")


def test_minimal_order_without_prices_or_tax_passes() -> None:
    order = Order(
        id="1",
        issue_date=date(2026, 12, 2),
        buyer=Party(endpoint=Identifier("12345678", "0184"), legal_name="Buyer"),
        seller=Party(endpoint=Identifier("87654321", "0184"), legal_name="Seller"),
        validity_end=date(2027, 1, 1),
        lines=(OrderLine("1", Item(name="Konsulenttimer"), Quantity(Decimal("7.5"), "HUR")),),
    )
    data = order_to_ubl(order)
    assert b"AnticipatedMonetaryTotal" not in data
    _assert_clean(data, "T01")


def test_our_order_fails_the_rules_where_the_data_is_wrong() -> None:
    wrong = _order(lines=(replace(_order().lines[0], line_amount=Decimal("100.00")),))
    result = validate_bytes(order_to_ubl(wrong))
    assert [f.rule for f in result.findings] == ["PEPPOL-T01-R024"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"buyer": None}, "the buyer needs a Peppol endpoint id"),
        ({"seller": replace(SELLER, endpoint=None)}, "the seller needs a Peppol endpoint id"),
        ({"lines": ()}, "at least one line"),
        ({"lines": (OrderLine("1", Item(name="x")),)}, "line 1 needs a quantity"),
        ({"lines": (OrderLine("1", Item(), Quantity(Decimal(1))),)}, "line 1 needs an item name"),
    ],
)
def test_an_order_without_what_peppol_requires_is_refused(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        order_to_ubl(_order(**changes))


def _catalogue() -> Catalogue:
    require_ordering()
    catalogue = read((ORDERING_DATA / "examples" / "Catalogue_Example.xml").read_bytes())
    assert isinstance(catalogue, Catalogue)
    return catalogue


def test_catalogue_response_accepting_a_received_catalogue_passes() -> None:
    catalogue = _catalogue()
    response = catalogue_response(catalogue, id="CR-1", issue_date=date(2026, 12, 2))
    assert (response.sender, response.receiver) == (catalogue.receiver, catalogue.provider)
    data = catalogue_response_to_ubl(response)
    _assert_clean(data, "T58")
    back = read(data)
    assert isinstance(back, ApplicationResponse)
    assert (back.response_code, back.document_id, back.document_version) == ("AP", "1387", "2.0")
    assert back.accepted


def test_catalogue_response_rejecting_lines_passes() -> None:
    catalogue = _catalogue()
    response = catalogue_response(
        catalogue,
        id="CR-2",
        issue_date=date(2026, 12, 2),
        rejected_lines=[("1", "Prisen er ikke aftalt")],
        note="Linje 1 afvist",
    )
    data = catalogue_response_to_ubl(response, pretty=True)
    _assert_clean(data, "T58")
    back = read(data)
    assert isinstance(back, ApplicationResponse)
    assert [(line.line_id, line.response_code, line.description) for line in back.lines] == [
        ("1", "RE", "Prisen er ikke aftalt")
    ]


def test_catalogue_response_rejecting_the_catalogue_passes() -> None:
    response = catalogue_response(
        _catalogue(), id="CR-3", issue_date=date(2026, 12, 2), accept=False, reason="Ukendt aftale"
    )
    data = catalogue_response_to_ubl(response)
    _assert_clean(data, "T58")
    back = read(data)
    assert isinstance(back, ApplicationResponse)
    assert (back.response_code, back.description, back.accepted) == ("RE", "Ukendt aftale", False)


def test_catalogue_response_needs_named_parties_with_endpoints() -> None:
    response = catalogue_response(_catalogue(), id="CR-4", issue_date=date(2026, 12, 2))
    with pytest.raises(ValueError, match="the sender needs a Peppol endpoint id"):
        catalogue_response_to_ubl(replace(response, sender=Party(name="x")))


def test_saxon_leaves_the_process_locale_as_it_was() -> None:
    """Saxon's native library resets the C locale; other tests in the process (elementpath's
    collations) need it as it was."""
    import locale

    before = locale.setlocale(locale.LC_ALL)
    run = _official()
    if run is None:
        pytest.skip("saxonche is not installed")
    run("T01", order_to_ubl(_order()))
    assert locale.setlocale(locale.LC_ALL) == before
