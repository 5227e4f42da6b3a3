"""Demo invoices: ``faelles demo`` fills every institution that has the whole cast (invoice
receiver, requester, approver, bookkeeper, payer), a GLN endpoint and a ledger with a few
hundred generated invoices and credit notes from a handful of vendors — about three in four as
Peppol BIS 3, one in four as OIOUBL 2.1, each syntax at every state — received, coded (by hand and automatically), attested, first-approved, posted,
scheduled, paid, rejected — plus duplicates, suspected duplicates, changed bank details,
invalid documents and documents for an unknown receiver.

Idempotent: an institution that already has demo documents is left alone (the documents are
deterministic, so their content hashes would match anyway).
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, Protocol

from django.db import transaction
from django.utils import timezone

from faelles.einvoice.model import (
    Address,
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
from faelles.einvoice.writer import to_ubl
from faelles.einvoice.writer_oioubl import OIOUBL_CUSTOMIZATION, OIOUBL_PROFILE, to_oioubl
from faelles.ledger.models import Account
from faelles.payables import services
from faelles.payables.coding import AllocationSpec
from faelles.payables.models import Invoice, InvoiceState, ReceivedDocument
from faelles.tenancy.models import Endpoint, Institution, Membership, OrgUnit, Role, User

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
PER_INSTITUTION = 150
UNKNOWN_RECEIVER = "5790000000005"
# The state each demo invoice is taken to, in turn (about the mix of a working inbox).
TARGETS = (
    ["received"] * 2
    + ["coded"] * 2
    + ["attested"] * 3
    + ["approved"] * 5
    + ["scheduled"] * 2
    + ["paid"] * 4
    + ["rejected"] * 1
)
Syntax = Literal["peppol", "oioubl"]


def syntax_for(n: int) -> Syntax:
    """The syntax demo invoice ``n`` is sent in: every fourth run through all the target
    states is OIOUBL (about a quarter of the invoices, and every state in both syntaxes)."""
    return "oioubl" if (n // len(TARGETS)) % 4 == 1 else "peppol"


# name, CVR (valid modulus 11), IBAN, typical items (name, UNSPSC, unit price)
VENDORS: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "Kontorleverandøren ApS",
        "41000018",
        "DK5000400440116243",
        [("Kopipapir A4", "14111507", "42.50"), ("Kuglepenne", "44121704", "9.75")],
    ),
    (
        "Nordisk IT A/S",
        "41000026",
        "DK6620005012345678",
        [("Bærbar computer", "43211503", "8995.00"), ('Skærm 27"', "43211902", "1995.00")],
    ),
    (
        "Rent Hus ApS",
        "41000034",
        "DK2930000001234567",
        [("Rengøring, månedlig", "76111501", "6250.00")],
    ),
    (
        "Konsulenthuset I/S",
        "41000042",
        "DK9520000123456789",
        [("Rådgivning, timer", "80101500", "1150.00")],
    ),
    (
        "Kursuscentret A/S",
        "41000050",
        "DK8030000009876543",
        [("Kursusdag", "86101700", "3450.00")],
    ),
]


class _Out(Protocol):
    def write(self, msg: str, /) -> Any: ...


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _document(
    *,
    number: str,
    issue: date,
    buyer_gln: str,
    buyer_name: str,
    vendor: tuple[str, str, str, list[tuple[str, str, str]]],
    lines: list[tuple[str, str, Decimal, Decimal]],
    buyer_reference: str,
    credit_note: bool = False,
    iban: str | None = None,
    currency: str = "DKK",
    note: str = "",
    syntax: Syntax = "peppol",
) -> bytes:
    name, cvr, vendor_iban, _items = vendor
    seller = Party(
        name=name,
        endpoint=Identifier(cvr, "0184"),
        legal_id=Identifier(cvr, "0184"),
        vat_id=f"DK{cvr}",
        address=Address(
            street="Leverandørvej 1", city="København", postal_zone="2100", country="DK"
        ),
        contact=Contact(name="Debitorbogholderiet", email="faktura@example.dk"),
    )
    buyer = Party(
        name=buyer_name,
        endpoint=Identifier(buyer_gln, "0088"),
        address=Address(
            street="Slotsholmen 1", city="København K", postal_zone="1216", country="DK"
        ),
    )
    doc_lines = tuple(
        Line(
            id=str(no),
            quantity=qty,
            unit="EA",
            net_amount=_money(qty * price),
            item=Item(
                name=text,
                classifications=(Classification(unspsc, "TST", "19.05.01"),),
                vat_category="S",
                vat_rate=Decimal("25"),
            ),
            price=Price(net=price),
        )
        for no, (text, unspsc, qty, price) in enumerate(lines, start=1)
    )
    net = sum((ln.net_amount or ZERO for ln in doc_lines), ZERO)
    tax = _money(net * Decimal("0.25"))
    kind: Literal["Invoice", "CreditNote"] = "CreditNote" if credit_note else "Invoice"
    doc = Document(
        profile=(
            profile_for(kind, OIOUBL_CUSTOMIZATION, OIOUBL_PROFILE)
            if syntax == "oioubl"
            else profile_for(kind, PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE)
        ),
        number=number,
        issue_date=issue,
        type_code="381" if credit_note else "380",
        currency=currency,
        due_date=None if credit_note else issue + timedelta(days=30),
        buyer_reference=buyer_reference,
        notes=(note,) if note else (),
        seller=seller,
        buyer=buyer,
        payment_means=(
            PaymentMeans(
                code="31",
                payment_id=number,
                account=FinancialAccount(iban or vendor_iban, branch_id="DABADKKK"),
            ),
        ),
        payment_terms="Netto 30 dage",
        lines=doc_lines,
    )
    doc = dataclasses.replace(
        doc,
        vat_breakdown=(
            VatBreakdown(taxable_amount=net, tax_amount=tax, category="S", rate=Decimal("25")),
        ),
        totals=Totals(
            line_extension=net,
            tax_exclusive=net,
            tax=tax,
            tax_inclusive=net + tax,
            payable=net + tax,
        ),
    )
    return to_oioubl(doc) if syntax == "oioubl" else to_ubl(doc)


def _cast(institution: Institution) -> dict[str, User] | None:
    cast: dict[str, User] = {}
    for role in (
        Role.INVOICE_RECEIVER,
        Role.REQUESTER,
        Role.APPROVER,
        Role.BOOKKEEPER,
        Role.PAYER,
    ):
        membership = (
            Membership.objects.for_institution(institution)
            .filter(role=role, is_active=True, user__is_active=True)
            .select_related("user")
            .order_by("-approval_limit", "user__username")
            .first()
        )
        if membership is None:
            return None
        cast[role] = membership.user
    return cast


def load_demo(*, stdout: _Out | None = None, today: date | None = None) -> None:
    """Generate the demo invoices (see the module docstring)."""
    today = today or timezone.localdate()
    total = 0
    for institution in Institution.objects.filter(is_active=True).order_by("pk"):
        cast = _cast(institution)
        endpoint = (
            Endpoint.objects.for_institution(institution)
            .filter(scheme=Endpoint.Scheme.GLN, is_active=True, org_unit__isnull=True)
            .order_by("pk")
            .first()
        )
        unit = OrgUnit.objects.for_institution(institution).filter(is_active=True).first()
        if (
            cast is None
            or endpoint is None
            or unit is None
            or not Account.objects.for_institution(institution).filter(number="2210").exists()
        ):
            continue
        prefix = f"demo-{institution.short_name.lower()}-"
        if ReceivedDocument.objects.filter(filename__startswith=prefix).exists():
            continue
        total += _fill(institution, cast, endpoint.identifier, unit.code, prefix, today)
    if stdout is not None:
        stdout.write(f"payables: {total} demo documents received and processed\n")


def _rules(institution: Institution, cast: dict[str, User], cost_centre: str) -> None:
    receiver, bookkeeper = cast[Role.INVOICE_RECEIVER], cast[Role.BOOKKEEPER]
    services.routing_rule_create(
        actor=receiver,
        institution=institution,
        requester=cast[Role.REQUESTER],
        buyer_reference="IT",
    )
    for classification, account in (("43211503", "2220"), ("43211902", "2220")):
        services.coding_rule_create(
            actor=bookkeeper,
            institution=institution,
            classification=classification,
            account=account,
            org_unit=cost_centre,
            vat_code="I25",
        )
    services.coding_rule_create(
        actor=bookkeeper,
        institution=institution,
        text_contains="Rengøring",
        account="2270",
        org_unit=cost_centre,
        vat_code="I25",
    )


def _fill(
    institution: Institution,
    cast: dict[str, User],
    gln: str,
    cost_centre: str,
    prefix: str,
    today: date,
) -> int:
    rng = random.Random(f"payables-demo-{institution.short_name}")
    with transaction.atomic():
        _rules(institution, cast, cost_centre)
    start = date(today.year, 1, 2)
    span = max((today - start).days, 1)
    count = 0

    def receive(content: bytes, name: str) -> Invoice | None:
        nonlocal count
        count += 1
        intake = services.document_receive(
            content=content, channel="import", filename=f"{prefix}{name}.xml"
        )
        return intake.invoice

    made: dict[int, dict[str, Any]] = {}
    accounts = {"43211503": "2220", "43211902": "2220", "76111501": "2270", "80101500": "2230"}
    accounts["86101700"] = "2250"
    for n in range(1, PER_INSTITUTION + 1):
        vendor = VENDORS[n % len(VENDORS)]
        items = vendor[3]
        lines = [
            (text, unspsc, Decimal(rng.randint(1, 12)), Decimal(price))
            for text, unspsc, price in rng.sample(items, k=min(len(items), rng.randint(1, 2)))
        ]
        issue = start + timedelta(days=rng.randint(0, span))
        number = f"{institution.short_name}-{n:04d}"
        made[n] = {
            "number": number,
            "issue": issue,
            "buyer_gln": gln,
            "buyer_name": institution.name,
            "vendor": vendor,
            "lines": lines,
            "buyer_reference": "IT" if n % 3 == 0 else f"{institution.short_name}-{n % 11}",
            "credit_note": n % 25 == 0,
            "syntax": syntax_for(n),
        }
        invoice = receive(_document(**made[n]), number)
        if invoice is None:
            continue
        target = TARGETS[n % len(TARGETS)]
        _advance(invoice, target, cast, accounts, cost_centre, today)
    # Duplicates: the same invoice sent again (other bytes; the second one over NemHandel
    # as OIOUBL), and a suspected duplicate (the same amount, the number written
    # differently, a few days later).
    for n, syntax in [(k, s) for k, s in ((3, "peppol"), (7, "oioubl")) if k in made]:
        again = dict(made[n], note="Fremsendt igen", syntax=syntax)
        receive(_document(**again), f"{again['number']}-again")
    if 11 in made:
        suspect = dict(made[11], number=made[11]["number"].replace("-", ""))
        suspect["issue"] = suspect["issue"] + timedelta(days=2)
        receive(_document(**suspect), f"{suspect['number']}-suspect")
    # Changed bank details: intake opens a pending bank-account change; no invoice to the new
    # account can be approved until a second person confirms it (Bankkontoændringer).
    vendor = VENDORS[1]
    receive(
        _document(
            number=f"{institution.short_name}-BANK-1",
            issue=today,
            buyer_gln=gln,
            buyer_name=institution.name,
            vendor=vendor,
            lines=[('Skærm 27"', "43211902", Decimal(2), Decimal("1995.00"))],
            buyer_reference="IT",
            iban="DK3730000000000001",
        ),
        f"{institution.short_name}-BANK-1",
    )
    # Invalid (unknown currency) and unroutable documents.
    for n in range(1, 4):
        vendor = VENDORS[n]
        receive(
            _document(
                number=f"{institution.short_name}-BAD-{n}",
                issue=today,
                buyer_gln=gln,
                buyer_name=institution.name,
                vendor=vendor,
                lines=[(vendor[3][0][0], vendor[3][0][1], Decimal(1), Decimal(vendor[3][0][2]))],
                buyer_reference="X",
                currency="XXQ",
                syntax="oioubl" if n == 2 else "peppol",
            ),
            f"{institution.short_name}-BAD-{n}",
        )
        receive(
            _document(
                number=f"{institution.short_name}-NOWHERE-{n}",
                issue=today,
                buyer_gln=UNKNOWN_RECEIVER,
                buyer_name="Ukendt modtager",
                vendor=vendor,
                lines=[(vendor[3][0][0], vendor[3][0][1], Decimal(1), Decimal(vendor[3][0][2]))],
                buyer_reference="X",
                syntax="oioubl" if n == 3 else "peppol",
            ),
            f"{institution.short_name}-NOWHERE-{n}",
        )
    return count


def _advance(
    invoice: Invoice,
    target: str,
    cast: dict[str, User],
    accounts: dict[str, str],
    cost_centre: str,
    today: date,
) -> None:
    """Take a demo invoice through the flow as the institution's people would."""
    from django.core.exceptions import ValidationError

    order = ["received", "coded", "attested", "approved", "scheduled", "paid"]
    actor = cast[Role.REQUESTER] if invoice.requester_id else cast[Role.INVOICE_RECEIVER]
    try:
        if target == "rejected":
            services.invoice_reject(
                actor=actor, invoice=invoice, reason="Ikke bestilt af institutionen"
            )
            return
        if target == "received":
            return
        if invoice.state == InvoiceState.RECEIVED:
            specs = [
                AllocationSpec(
                    line_no=line.line_no,
                    account=accounts.get(line.classification, "2210"),
                    amount=line.net_amount,
                    org_unit=cost_centre,
                    vat_code="I25",
                )
                for line in invoice.lines.order_by("line_no")
            ]
            services.invoice_code(actor=actor, invoice=invoice, allocations=specs)
        if order.index(target) < order.index("attested"):
            return
        services.invoice_attest(actor=actor, invoice=invoice)
        if target == "attested":
            return
        services.invoice_approve(actor=cast[Role.APPROVER], invoice=invoice)
        invoice.refresh_from_db()
        if target == "approved" or invoice.state != InvoiceState.POSTED:
            return
        services.invoice_schedule(actor=cast[Role.PAYER], invoice=invoice)
        if target == "scheduled":
            return
        services.invoice_mark_paid(
            actor=cast[Role.PAYER],
            invoice=invoice,
            paid_on=min(today, (invoice.due_date or today)),
        )
    except ValidationError:
        return  # the demo leaves an invoice where the rules stop it
