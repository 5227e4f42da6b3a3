"""Builders for valid Peppol BIS 3 (DK) documents in the model, used by tests and the benchmark.

:func:`complete` fills in the totals and the VAT breakdown from the lines and document-level
allowances and charges exactly as EN 16931 computes them (BR-CO-10…17), so a document built
here is arithmetically consistent by construction.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from faelles.einvoice.model import (
    Address,
    AllowanceCharge,
    Classification,
    Contact,
    Document,
    FinancialAccount,
    Identifier,
    Item,
    Line,
    Party,
    PaymentMeans,
    Price,
    Totals,
    VatBreakdown,
)
from faelles.einvoice.profiles import PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE, profile_for

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal) -> Decimal:
    """Round to two decimals, half up, as the EN 16931 examples do."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


SELLER = Party(
    name="Kontorleverandøren ApS",
    trading_name="Kontorleverandøren",
    endpoint=Identifier("12345674", "0184"),
    legal_id=Identifier("12345674", "0184"),
    vat_id="DK12345674",
    address=Address(street="Leverandørvej 11", city="Dyssegård", postal_zone="2870", country="DK"),
    contact=Contact(name="Hugo Jensen", telephone="15812337", email="hugo@example.dk"),
)
BUYER = Party(
    name="Den Lille Skole",
    endpoint=Identifier("5798009811578", "0088"),
    identifiers=(Identifier("5798009811578", "0088"),),
    legal_id=Identifier("29189781", "0184"),
    address=Address(street="Fredericiavej 10", city="Helsingør", postal_zone="3000", country="DK"),
)


def line(
    number: int,
    quantity: Decimal,
    price: Decimal,
    *,
    category: str = "S",
    rate: Decimal = Decimal("25"),
    name: str = "Kuglepenne",
) -> Line:
    """A line whose net amount is quantity × price, rounded to cents (BR-DEC-23)."""
    return Line(
        id=str(number),
        quantity=quantity,
        unit="EA",
        net_amount=money(quantity * price),
        item=Item(
            name=f"{name} {number}",
            seller_id=f"SKU-{number:04d}",
            classifications=(Classification("44121704", "TST", "19.05.01"),),
            vat_category=category,
            vat_rate=rate,
        ),
        price=Price(net=price),
        order_line_ref=str(number),
    )


def complete(doc: Document) -> Document:
    """``doc`` with totals and VAT breakdown computed from its lines, allowances and charges."""
    line_total = sum((ln.net_amount or ZERO for ln in doc.lines), ZERO)
    allowances = sum((ac.amount for ac in doc.allowances_charges if not ac.charge), ZERO)
    charges = sum((ac.amount for ac in doc.allowances_charges if ac.charge), ZERO)
    groups: dict[tuple[str, Decimal], Decimal] = {}
    for ln in doc.lines:
        key = (ln.item.vat_category or "S", ln.item.vat_rate or ZERO)
        groups[key] = groups.get(key, ZERO) + (ln.net_amount or ZERO)
    for ac in doc.allowances_charges:
        key = (ac.vat_category or "S", ac.vat_rate or ZERO)
        groups[key] = groups.get(key, ZERO) + (ac.amount if ac.charge else -ac.amount)
    breakdown = tuple(
        VatBreakdown(
            taxable_amount=money(taxable),
            tax_amount=money(taxable * rate / 100),
            category=category,
            rate=rate,
            exemption_reason="Fritaget efter momsloven § 13" if category == "E" else None,
        )
        for (category, rate), taxable in sorted(groups.items())
    )
    tax = sum((b.tax_amount for b in breakdown), ZERO)
    tax_exclusive = line_total - allowances + charges
    prepaid = doc.totals.prepaid
    return dataclasses.replace(
        doc,
        vat_breakdown=breakdown,
        totals=Totals(
            line_extension=line_total,
            allowance_total=allowances
            if any(not a.charge for a in doc.allowances_charges)
            else None,
            charge_total=charges if any(a.charge for a in doc.allowances_charges) else None,
            tax_exclusive=tax_exclusive,
            tax=tax,
            tax_inclusive=tax_exclusive + tax,
            prepaid=prepaid,
            payable=tax_exclusive + tax - (prepaid or ZERO),
        ),
    )


def invoice(lines: int = 3, *, number: str = "INV-1001", fik: bool = False) -> Document:
    """A valid Danish Peppol BIS 3 invoice with ``lines`` lines at 25 % VAT."""
    means = (
        PaymentMeans(
            code="93", payment_id="71#123456789012345", account=FinancialAccount("12345678")
        )
        if fik
        else PaymentMeans(
            code="31",
            payment_id=number,
            account=FinancialAccount("DK5000400440116243", branch_id="DABADKKK"),
        )
    )
    doc = Document(
        profile=profile_for("Invoice", PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE),
        number=number,
        issue_date=date(2026, 11, 2),
        type_code="380",
        currency="DKK",
        due_date=date(2026, 12, 2),
        buyer_reference="4711",
        order_reference="PO-77",
        seller=SELLER,
        buyer=BUYER,
        payment_means=(means,),
        payment_terms="Netto 30 dage",
        lines=tuple(line(n, Decimal(n % 7 + 1), Decimal("12.50") + n) for n in range(1, lines + 1)),
    )
    return complete(doc)


def allowance(amount: Decimal, *, charge: bool = False) -> AllowanceCharge:
    """A document-level allowance (or charge) at standard rate."""
    return AllowanceCharge(
        charge=charge,
        amount=amount,
        reason="Fragt" if charge else "Rabat",
        reason_code="FC" if charge else "95",
        vat_category="S",
        vat_rate=Decimal("25"),
    )
