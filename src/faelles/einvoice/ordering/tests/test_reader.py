"""Reading the published post-award examples into the model."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from faelles.einvoice.model import Identifier
from faelles.einvoice.ordering.model import (
    ApplicationResponse,
    Catalogue,
    DespatchAdvice,
    Order,
    OrderCancellation,
    OrderResponse,
    Period,
    Price,
    Quantity,
)
from faelles.einvoice.ordering.reader import read
from faelles.einvoice.ordering.tests.conftest import ORDERING_DATA, require_ordering
from faelles.einvoice.xml import ReadError


def _read(name: str) -> object:
    require_ordering()
    return read((ORDERING_DATA / "examples" / name).read_bytes())


def _examples() -> list[Path]:
    folder = ORDERING_DATA / "examples"
    return sorted(folder.rglob("*.xml")) if folder.is_dir() else []


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in _examples()] or [None])
def test_every_published_example_is_read(path: Path | None) -> None:
    require_ordering()
    if path is None:
        pytest.skip("no published examples found")
    document = read(path.read_bytes())
    assert document.id


def test_order() -> None:
    order = _read("Order_Example.xml")
    assert isinstance(order, Order)
    assert (order.id, order.issue_date, order.currency, order.is_change) == (
        "34",
        date(2018, 9, 1),
        "NOK",
        False,
    )
    assert (order.catalogue_id, order.quotation_id, order.contract_id) == (
        "Cat2023-03-07",
        "QuoteID123",
        "34322",
    )
    assert order.buyer is not None and order.seller is not None
    assert order.buyer.endpoint == Identifier("987654325", "0192")
    assert order.seller.endpoint == Identifier("123456785", "0192")
    assert order.buyer.vat_id == "NO9311867455MVA"
    line = order.lines[0]
    assert (line.id, line.quantity, line.line_amount) == (
        "1",
        Quantity(Decimal("120"), "EA"),
        Decimal("6300.00"),
    )
    assert line.price == Price(Decimal("50.000"), "NOK", Quantity(Decimal("1"), "EA"))
    assert (line.item.sellers_id, line.item.standard_id) == (
        "121212",
        Identifier("7560000012345", "0160"),
    )
    assert order.totals is not None and order.totals.payable == Decimal("6363")
    assert order.delivery_period == Period(date(2012, 10, 10), date(2012, 10, 20))


def test_order_change() -> None:
    change = _read("OrderChange_Example.xml")
    assert isinstance(change, Order)
    assert change.is_change
    assert (change.order_id, change.sequence_number) == ("Order-1", "1")
    assert [line.status_code for line in change.lines] == ["3", "3"]


def test_order_response() -> None:
    response = _read("OrderResponse_Example.xml")
    assert isinstance(response, OrderResponse)
    assert (response.response_code, response.order_id, response.sales_order_id) == (
        "CA",
        "11233",
        "101-111",
    )
    assert not response.accepted and not response.rejected
    first, second, _ = response.lines
    assert (first.id, first.status_code, first.order_line_id) == ("1", "3", "1")
    assert first.quantity == Quantity(Decimal("10"), "C62")
    assert first.substitute is not None and first.substitute.sellers_id == "SN-34"
    assert (second.status_code, second.substitute) == ("5", None)
    assert response.promised_period == Period(date(2013, 7, 15), date(2013, 7, 16))


def test_order_cancellation() -> None:
    cancellation = _read("OrderCancellation_Example.xml")
    assert isinstance(cancellation, OrderCancellation)
    assert (cancellation.order_id, cancellation.note) == ("Order-1", "With reference to phone call")


def test_catalogue() -> None:
    catalogue = _read("Catalogue_Example.xml")
    assert isinstance(catalogue, Catalogue)
    assert (catalogue.id, catalogue.version_id, catalogue.action_code) == ("1387", "2.0", "Add")
    assert catalogue.validity == Period(date(2018, 9, 1), date(2019, 8, 31))
    assert catalogue.provider is not None
    assert catalogue.provider.endpoint == Identifier("987654325", "0192")
    line = catalogue.lines[0]
    assert (line.id, line.action_code, line.orderable) == ("1", "Update", True)
    assert (line.minimum_quantity, line.maximum_quantity) == (
        Quantity(Decimal("1"), "LBR"),
        Quantity(Decimal("100"), "LBR"),
    )
    assert line.price is not None
    assert (line.price.amount, line.price.currency) == (Decimal("10.00"), "EUR")
    assert line.item.sellers_id == "MNTR011"


def test_despatch_advice() -> None:
    advice = _read("DespatchAdvice_Example.xml")
    assert isinstance(advice, DespatchAdvice)
    assert (advice.id, advice.order_id, advice.despatch_date) == (
        "565899",
        "AEG012345",
        date(2018, 9, 25),
    )
    line = advice.lines[0]
    assert (line.delivered, line.outstanding, line.outstanding_reason) == (
        Quantity(Decimal("10"), "C62"),
        Quantity(Decimal("2"), "C62"),
        "text",
    )
    assert (line.order_line_id, line.order_id, line.lot_number) == ("1", "AEG012345", "546378239")


def test_catalogue_response_and_invoice_response() -> None:
    response = _read("CatalogueResponse_Example.xml")
    assert isinstance(response, ApplicationResponse)
    assert (response.response_code, response.document_id, response.accepted) == (
        "AP",
        "Cat-1",
        True,
    )
    assert response.sender is not None and response.sender.legal_name == "Buyer organization"
    invoice_response = _read("InvoiceResponse_Example.xml")
    assert isinstance(invoice_response, ApplicationResponse)
    assert invoice_response.statuses


def test_unreadable_values_name_the_element() -> None:
    data = (
        b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2" '
        b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        b"<cbc:ID>1</cbc:ID><cbc:IssueDate>2026-13-01</cbc:IssueDate></Order>"
    )
    with pytest.raises(ReadError, match="/Order/cbc:IssueDate is not a date"):
        read(data)
    with pytest.raises(ReadError, match="cbc:ID is missing"):
        read(data.replace(b"<cbc:ID>1</cbc:ID>", b""))
