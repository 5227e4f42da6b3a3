"""Planting cases for the demo, the tests and the benchmark: vendors and invoices written in
bulk straight into the invoice tables (no intake, no audit events of their own), each with a
small stored document whose seller party carries the vendor's address.

Never used by the controls themselves; a planted invoice is as real to them as any other.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from faelles.payables.intake import number_key as payables_number_key
from faelles.payables.models import Channel, Invoice, InvoiceState, ReceivedDocument, Vendor

_seq = itertools.count(1)


@dataclass
class Spec:
    institution_id: int
    vendor: Vendor
    number: str
    amount: Decimal
    issue_date: date
    state: str = InvoiceState.POSTED
    channel: str = Channel.API
    payment_run_id: int | None = None
    payment_means: list[dict[str, Any]] = field(default_factory=list)
    address: str = ""


def document_bytes(number: str, vendor_name: str, address: str, token: str) -> bytes:
    street, _, rest = address.partition(",")
    postal, _, city = rest.strip().partition(" ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        f"<cbc:ID>{escape(number)}</cbc:ID><!-- {token} -->"
        "<cac:AccountingSupplierParty><cac:Party>"
        f"<cac:PartyName><cbc:Name>{escape(vendor_name)}</cbc:Name></cac:PartyName>"
        f"<cac:PostalAddress><cbc:StreetName>{escape(street.strip())}</cbc:StreetName>"
        f"<cbc:PostalZone>{escape(postal)}</cbc:PostalZone>"
        f"<cbc:CityName>{escape(city)}</cbc:CityName></cac:PostalAddress>"
        "</cac:Party></cac:AccountingSupplierParty></Invoice>"
    ).encode()


def vendor(institution_id: int, name: str, cvr: str = "", gln: str = "") -> Vendor:
    return Vendor.objects.create(institution_id=institution_id, name=name, cvr=cvr, gln=gln)


def invoices(specs: list[Spec]) -> list[Invoice]:
    """Store the invoices (and their documents) in bulk; answers them with their pks."""
    docs = []
    for s in specs:
        content = document_bytes(s.number, s.vendor.name, s.address, f"plant {next(_seq)}")
        docs.append(
            ReceivedDocument(
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                size=len(content),
                channel=s.channel,
                status="accepted",
                institution_id=s.institution_id,
                syntax="peppol",
                document_type="Invoice",
            )
        )
    ReceivedDocument.objects.bulk_create(docs, batch_size=2000)
    rows = []
    for s, doc in zip(specs, docs, strict=True):
        vat = (s.amount / 5).quantize(Decimal("0.01"))
        rows.append(
            Invoice(
                institution_id=s.institution_id,
                document=doc,
                vendor=s.vendor,
                kind=Invoice.Kind.INVOICE,
                number=s.number,
                number_key=payables_number_key(s.number)[:100],
                issue_date=s.issue_date,
                currency="DKK",
                net_amount=s.amount - vat,
                vat_amount=vat,
                payable_amount=s.amount,
                state=s.state,
                payment_run_id=s.payment_run_id,
                payment_means=s.payment_means,
            )
        )
    return Invoice.objects.bulk_create(rows, batch_size=2000)
