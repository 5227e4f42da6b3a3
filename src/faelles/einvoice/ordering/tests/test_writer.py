"""The documents we write pass the UBL 2.1 schema and the official rules.

Every document written here is validated as a received one is (schema, then the
PEPPOLBIS-Txx rules) and read back; where ``saxonche`` is installed, the published
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
    CatalogueLine,
    CataloguePrice,
    DespatchAdvice,
    DespatchLine,
    Item,
    Order,
    OrderCancellation,
    OrderLine,
    OrderResponse,
    Party,
    Period,
    Price,
    Quantity,
)
from faelles.einvoice.ordering.reader import read
from faelles.einvoice.ordering.rules import RULE_SETS
from faelles.einvoice.ordering.tests.conftest import ORDERING_DATA, require_ordering
from faelles.einvoice.ordering.tests.official import official
from faelles.einvoice.ordering.transactions import BY_CODE
from faelles.einvoice.ordering.validate import validate_bytes
from faelles.einvoice.ordering.writer import (
    anticipated_totals,
    application_response_to_ubl,
    catalogue_response,
    catalogue_response_to_ubl,
    catalogue_to_ubl,
    despatch_advice_to_ubl,
    line_amount,
    order_cancellation_to_ubl,
    order_change_to_ubl,
    order_response_to_ubl,
    order_to_ubl,
    punch_out_to_ubl,
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


# --- the other writers: documents built here, not read ---------------------------------


def test_order_change_passes_and_reads_back() -> None:
    order = _order()
    change = replace(
        order,
        id="PO-2026-0001-C1",
        customization_id=BY_CODE["T114"].customization_id,
        profile_id=BY_CODE["T114"].profile_id,
        sequence_number="1",
        order_id=order.id,
        order_type_code=None,
        catalogue_id=None,
        lines=(replace(order.lines[0], status_code="3", quantity=Quantity(Decimal("12"), "EA")),),
        tax_amount=Decimal("37.50"),
    )
    data = order_change_to_ubl(change)
    _assert_clean(data, "T114")
    back = read(data)
    assert isinstance(back, Order)
    assert back.is_change
    assert (back.sequence_number, back.order_id) == ("1", "PO-2026-0001")
    assert [(line.id, line.status_code, line.line_amount) for line in back.lines] == [
        ("1", "3", Decimal("150.00"))
    ]
    with pytest.raises(ValueError, match="needs a sequence number"):
        order_change_to_ubl(replace(change, sequence_number=None))


def _response(code: str, **changes: Any) -> OrderResponse:
    transaction = BY_CODE[code]
    response = OrderResponse(
        id="OR-1",
        issue_date=date(2026, 12, 3),
        customization_id=transaction.customization_id,
        profile_id=transaction.profile_id,
        response_code="AP",
        order_id="PO-2026-0001",
        sales_order_id="S-77",
        note="Tak for ordren",
        seller=SELLER,
        buyer=BUYER,
        promised_period=Period(date(2026, 12, 8), date(2026, 12, 8)),
    )
    return replace(response, **changes)


def test_order_response_accepting_an_order_passes() -> None:
    data = order_response_to_ubl(_response("T76"))
    _assert_clean(data, "T76")
    back = read(data)
    assert isinstance(back, OrderResponse)
    assert back == _response("T76")
    assert back.accepted


def test_order_response_with_changed_and_substituted_lines_passes() -> None:
    lines = (
        OrderLine(
            id="1",
            item=Item(name="Kuglepen, blå", sellers_id="KP-100"),
            quantity=Quantity(Decimal("8"), "EA"),
            status_code="3",
            delivery_period=Period(date(2026, 12, 10), date(2026, 12, 10)),
            order_line_id="1",
        ),
        OrderLine(
            id="2",
            item=Item(name="Kopipapir A4", sellers_id="PA-4"),
            quantity=Quantity(Decimal("3"), "PK"),
            status_code="5",
            order_line_id="2",
            substitute=Item(name="Kopipapir A4, genbrug", sellers_id="PA-4R"),
        ),
    )
    response = _response("T76", response_code="CA", lines=lines)
    data = order_response_to_ubl(response, pretty=True)
    _assert_clean(data, "T76")
    assert read(data) == response
    with pytest.raises(ValueError, match="the seller needs a Peppol endpoint id"):
        order_response_to_ubl(replace(response, seller=None))


def test_order_cancellation_passes_and_reads_back() -> None:
    cancellation = OrderCancellation(
        id="OC-1",
        issue_date=date(2026, 12, 3),
        order_id="PO-2026-0001",
        note="Bestilt ved en fejl",
        buyer=BUYER,
        seller=SELLER,
    )
    data = order_cancellation_to_ubl(cancellation)
    _assert_clean(data, "T115")
    assert read(data) == cancellation
    with pytest.raises(ValueError, match="needs the order's id"):
        order_cancellation_to_ubl(replace(cancellation, order_id=None))


def _own_catalogue(code: str) -> Catalogue:
    transaction = BY_CODE[code]
    return Catalogue(
        id="CAT-7",
        issue_date=date(2026, 12, 1),
        customization_id=transaction.customization_id,
        profile_id=transaction.profile_id,
        name="Kontorartikler 2027",
        action_code="Add",
        version_id="1",
        validity=Period(date(2027, 1, 1), date(2027, 12, 31)),
        contract_id="K-2026-3",
        provider=SELLER,
        receiver=BUYER,
        seller=SELLER,
        customer=BUYER,
        lines=(
            CatalogueLine(
                id="1",
                action_code="Add",
                orderable=True,
                orderable_unit="EA",
                minimum_quantity=Quantity(Decimal("10"), "EA"),
                prices=(CataloguePrice(Decimal("12.50"), "DKK", Quantity(Decimal("1"), "EA")),),
                item=Item(
                    name="Kuglepen, blå",
                    sellers_id="KP-100",
                    standard_id=Identifier("5701234567892", "0160"),
                    tax_category="S",
                    tax_percent=Decimal("25"),
                ),
            ),
        ),
    )


def test_catalogue_passes_and_reads_back() -> None:
    catalogue = _own_catalogue("T19")
    data = catalogue_to_ubl(catalogue)
    _assert_clean(data, "T19")
    assert read(data) == catalogue
    with pytest.raises(ValueError, match="the provider needs a Peppol endpoint id"):
        catalogue_to_ubl(replace(catalogue, provider=None))
    with pytest.raises(ValueError, match="at least one line"):
        catalogue_to_ubl(replace(catalogue, lines=()))


def test_punch_out_takes_the_punch_out_ids_when_none_are_given() -> None:
    cart = replace(
        _own_catalogue("T77"),
        customization_id="",
        profile_id=None,
        action_code=None,
        contract_id=None,
    )
    data = punch_out_to_ubl(cart)
    _assert_clean(data, "T77")
    back = read(data)
    assert isinstance(back, Catalogue)
    assert (back.customization_id, back.profile_id) == (
        BY_CODE["T77"].customization_id,
        BY_CODE["T77"].profile_id,
    )


def test_despatch_advice_passes_and_reads_back() -> None:
    advice = DespatchAdvice(
        id="DA-1",
        issue_date=date(2026, 12, 7),
        profile_id=BY_CODE["T16"].profile_id,
        note="Leveres på palle",
        order_id="PO-2026-0001",
        despatch_supplier=SELLER,
        delivery_customer=BUYER,
        buyer=BUYER,
        seller=SELLER,
        despatch_date=date(2026, 12, 7),
        estimated_delivery=Period(date(2026, 12, 8), date(2026, 12, 8)),
        tracking_id="TRK-1",
        lines=(
            DespatchLine(
                id="1",
                item=Item(name="Kuglepen, blå", sellers_id="KP-100"),
                delivered=Quantity(Decimal("8"), "EA"),
                outstanding=Quantity(Decimal("2"), "EA"),
                outstanding_reason="Restordre",
                order_line_id="1",
                order_id="PO-2026-0001",
                lot_number="L-42",
            ),
        ),
    )
    data = despatch_advice_to_ubl(advice)
    _assert_clean(data, "T16")
    assert read(data) == advice
    with pytest.raises(ValueError, match="the delivery_customer needs a Peppol endpoint id"):
        despatch_advice_to_ubl(replace(advice, delivery_customer=None))


@pytest.mark.parametrize(
    ("code", "changes"),
    [
        (
            "T111",
            {
                "response_code": "RE",
                "document_type_code": "380",
                "statuses": (("REF", "Ordrenummer mangler"),),
            },
        ),
        ("T71", {"response_code": "AP", "document_type_code": None}),
    ],
)
def test_invoice_and_message_level_responses_pass(code: str, changes: dict[str, Any]) -> None:
    transaction = BY_CODE[code]
    response = ApplicationResponse(
        id="R-1",
        issue_date=date(2026, 12, 3),
        customization_id=transaction.customization_id,
        profile_id=transaction.profile_id,
        response_code="AP",
        document_id="F-2026-17",
        sender=Party(
            endpoint=BUYER.endpoint,
            identifiers=BUYER.identifiers,
            legal_name=BUYER.legal_name,
        ),
        receiver=Party(endpoint=SELLER.endpoint, legal_name=SELLER.legal_name),
    )
    response = replace(response, **changes)
    data = application_response_to_ubl(response)
    _assert_clean(data, code)
    assert read(data) == response
    with pytest.raises(ValueError, match="the receiver needs a Peppol endpoint id"):
        application_response_to_ubl(replace(response, receiver=None))
