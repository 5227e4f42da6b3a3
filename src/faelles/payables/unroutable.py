"""What the operator needs to place an unroutable document: supplier, buyer, amount, issue date
and receiver, read from the stored bytes for the rows of one page only (the facts intake keeps
are those of routed invoices; an unroutable document has no invoice row)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from faelles import einvoice
from faelles.einvoice.model import Party
from faelles.payables.models import ReceivedDocument
from faelles.payables.reading import MAX_DOCUMENT_BYTES


@dataclass(frozen=True)
class UnroutableRow:
    """One queued document with the facts its bytes give (empty where they give none)."""

    document: ReceivedDocument
    supplier: str = ""
    buyer: str = ""
    amount: Decimal | None = None
    currency: str = ""
    issue_date: dt.date | None = None
    number: str = ""


def _party_name(party: Party | None) -> str:
    if party is None:
        return ""
    return party.name or party.trading_name or ""


def row_of(document: ReceivedDocument) -> UnroutableRow:
    """The row of one document; a document that cannot be read gives only what is stored."""
    try:
        doc = einvoice.read(
            bytes(document.content), max_bytes=MAX_DOCUMENT_BYTES, attachments=False
        )
    except (einvoice.ReadError, ValueError):
        return UnroutableRow(document)
    return UnroutableRow(
        document,
        supplier=_party_name(doc.seller),
        buyer=_party_name(doc.buyer),
        amount=doc.totals.payable,
        currency=doc.currency or "",
        issue_date=doc.issue_date,
        number=(doc.number or "").strip(),
    )


def unroutable_rows(documents: Iterable[ReceivedDocument]) -> list[UnroutableRow]:
    """The rows of one page of the operator's unroutable queue."""
    return [row_of(d) for d in documents]
