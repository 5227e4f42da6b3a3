"""Peppol BIS post-award documents: Order, Order Response, Catalogue, Despatch Advice ...

Read, write and validate the twelve transactions of Peppol BIS Ordering, Advanced Ordering,
Order Agreement, Catalogue, Punch Out, Despatch Advice, Invoice Response and Message Level
Response 3 (:mod:`.transactions`): the UBL 2.1 XML Schema first, then the official
PEPPOLBIS-Txx rules in plain Python (:mod:`.rules`). :mod:`.model` holds the documents as
typed values, :mod:`.reader` reads them, :mod:`.writer` writes them.
Part of the pure e-invoice library: it imports nothing from Django or the rest of Fælles;
``docs/design/einvoice.md`` ("Ordering documents") describes the design.
"""

from faelles.einvoice.ordering.model import (
    ApplicationResponse,
    Catalogue,
    DespatchAdvice,
    Order,
    OrderCancellation,
    OrderingDocument,
    OrderResponse,
)
from faelles.einvoice.ordering.reader import read, read_root
from faelles.einvoice.ordering.transactions import TRANSACTIONS, OrderingProfile, detect
from faelles.einvoice.ordering.validate import (
    OrderingResult,
    is_ordering_document,
    validate_bytes,
    validate_root,
)
from faelles.einvoice.ordering.writer import (
    application_response_to_ubl,
    catalogue_response,
    catalogue_response_to_ubl,
    catalogue_to_ubl,
    despatch_advice_to_ubl,
    order_cancellation_to_ubl,
    order_change_to_ubl,
    order_response_to_ubl,
    order_to_ubl,
    punch_out_to_ubl,
)

__all__ = [
    "TRANSACTIONS",
    "ApplicationResponse",
    "Catalogue",
    "DespatchAdvice",
    "Order",
    "OrderCancellation",
    "OrderResponse",
    "OrderingDocument",
    "OrderingProfile",
    "OrderingResult",
    "application_response_to_ubl",
    "catalogue_response",
    "catalogue_response_to_ubl",
    "catalogue_to_ubl",
    "despatch_advice_to_ubl",
    "detect",
    "is_ordering_document",
    "order_cancellation_to_ubl",
    "order_change_to_ubl",
    "order_response_to_ubl",
    "order_to_ubl",
    "punch_out_to_ubl",
    "read",
    "read_root",
    "validate_bytes",
    "validate_root",
]
