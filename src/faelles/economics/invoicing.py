"""The operator's invoice for a month's charge, as a Peppol BIS Billing 3.0 document.

Built in the EN 16931 model of :mod:`faelles.einvoice` and written by its Peppol writer, so
the document the institution receives is the same kind of document an external supplier
sends. Each service gives up to two lines: its fixed monthly part (quantity 1, unit MON) and
its variable part (the month's volume × the band's price per unit, unit C62). The text of the
document is Danish, like the invoices the institutions receive from anyone else.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from faelles.einvoice.model import (
    Address,
    Document,
    FinancialAccount,
    Identifier,
    Item,
    Line,
    Party,
    PaymentMeans,
    Period,
    Price,
    Totals,
    VatBreakdown,
)
from faelles.einvoice.profiles import PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE, profile_for
from faelles.einvoice.writer import to_ubl

ZERO = Decimal("0.00")

#: The Danish words of the document, per service: (service name, unit in the plural).
SERVICE_TEXT = {
    "invoices": ("Fakturabehandling", "fakturaer"),
    "payslips": ("Lønadministration", "lønsedler"),
    "tickets": ("Servicedesk", "sager i servicedesken"),
    "cases": ("Sagsbehandling", "sager"),
}


@dataclass(frozen=True, slots=True)
class PricedLine:
    """One service of the charge: the volume, the band it fell in and the amounts."""

    measure: str
    volume: int
    band_from: int
    fixed: Decimal
    unit_price: Decimal
    variable: Decimal

    @property
    def amount(self) -> Decimal:
        return self.fixed + self.variable


@dataclass(frozen=True, slots=True)
class Seller:
    name: str
    cvr: str
    iban: str
    bic: str
    street: str
    postal_zone: str
    city: str


@dataclass(frozen=True, slots=True)
class Buyer:
    name: str
    endpoint_scheme: str
    endpoint: str
    cvr: str
    reference: str


def _month_name(period: date) -> str:
    return f"{period:%Y-%m}"


def invoice_lines(lines: list[PricedLine], vat_rate: Decimal) -> tuple[Line, ...]:
    """The document's lines: a fixed and a variable line per service (a zero part left out)."""
    out: list[Line] = []
    for pl in lines:
        name, unit_word = SERVICE_TEXT[pl.measure]
        if pl.fixed:
            out.append(
                Line(
                    id=str(len(out) + 1),
                    quantity=Decimal(1),
                    unit="MON",
                    net_amount=pl.fixed,
                    item=Item(
                        name=f"{name}, fast månedlig del",
                        description=f"Volumenbånd fra {pl.band_from} {unit_word}",
                        seller_id=f"{pl.measure}-fixed",
                        vat_category="S",
                        vat_rate=vat_rate,
                    ),
                    price=Price(net=pl.fixed),
                )
            )
        if pl.volume and pl.variable:
            out.append(
                Line(
                    id=str(len(out) + 1),
                    quantity=Decimal(pl.volume),
                    unit="C62",
                    net_amount=pl.variable,
                    item=Item(
                        name=f"{name}, pr. styk",
                        description=f"{pl.volume} {unit_word} à {pl.unit_price} kr.",
                        seller_id=f"{pl.measure}-unit",
                        vat_category="S",
                        vat_rate=vat_rate,
                    ),
                    price=Price(net=pl.unit_price),
                )
            )
    return tuple(out)


def charge_document(
    *,
    number: str,
    issue_date: date,
    period: date,
    period_end: date,
    seller: Seller,
    buyer: Buyer,
    lines: list[PricedLine],
    net: Decimal,
    vat: Decimal,
    vat_rate: Decimal,
    payment_days: int,
) -> bytes:
    """The Peppol BIS 3 invoice (UBL 2.1 bytes) for one month's charge."""
    seller_party = Party(
        name=seller.name,
        endpoint=Identifier(seller.cvr, "0184"),
        legal_id=Identifier(seller.cvr, "0184"),
        vat_id=f"DK{seller.cvr}",
        address=Address(
            street=seller.street or None,
            city=seller.city or None,
            postal_zone=seller.postal_zone or None,
            country="DK",
        ),
    )
    buyer_party = Party(
        name=buyer.name,
        endpoint=Identifier(buyer.endpoint, buyer.endpoint_scheme),
        legal_id=Identifier(buyer.cvr, "0184") if buyer.cvr else None,
        address=Address(country="DK"),
    )
    doc = Document(
        profile=profile_for("Invoice", PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE),
        number=number,
        issue_date=issue_date,
        type_code="380",
        currency="DKK",
        due_date=issue_date + timedelta(days=payment_days),
        buyer_reference=buyer.reference,
        notes=(f"Fællesdrift {_month_name(period)}: pris efter målt volumen og størrelse.",),
        period=Period(start=period, end=period_end),
        seller=seller_party,
        buyer=buyer_party,
        payment_means=(
            PaymentMeans(
                code="31",
                payment_id=number,
                account=FinancialAccount(seller.iban, branch_id=seller.bic or None),
            ),
        ),
        payment_terms=f"Netto {payment_days} dage",
        lines=invoice_lines(lines, vat_rate),
    )
    doc = dataclasses.replace(
        doc,
        vat_breakdown=(
            VatBreakdown(taxable_amount=net, tax_amount=vat, category="S", rate=vat_rate),
        ),
        totals=Totals(
            line_extension=net,
            tax_exclusive=net,
            tax=vat,
            tax_inclusive=net + vat,
            payable=net + vat,
        ),
    )
    return to_ubl(doc)
