"""Builders for ledger tests: an institution with the common chart and an open year."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from faelles.ledger import services
from faelles.ledger.services import EntrySpec, LineSpec
from faelles.tenancy.models import Institution, Membership, OrgUnit, Role, User

_seq = itertools.count(1)


def make_user(username: str | None = None) -> User:
    return User.objects.create_user(username or f"user{next(_seq)}", password="x")


def make_institution(*, year: int = 2026, requires_two_persons: bool = True) -> Institution:
    n = next(_seq)
    inst = Institution.objects.create(
        name=f"Styrelse {n}",
        short_name=f"S{n}",
        kind=Institution.Kind.AGENCY,
        requires_two_persons=requires_two_persons,
    )
    OrgUnit.objects.create(institution=inst, code="100", name="Sekretariat")
    OrgUnit.objects.create(institution=inst, code="200", name="Drift")
    system = make_user()
    services.chart_adopt(actor=system, institution=inst)
    services.fiscal_year_open(actor=system, institution=inst, year=year)
    services.purpose_create(actor=system, institution=inst, code="P1", name="Tilskudspulje 1")
    return inst


def make_bookkeeper(institution: Institution) -> User:
    user = make_user()
    Membership.objects.create(user=user, institution=institution, role=Role.BOOKKEEPER)
    return user


def expense_spec(
    amount: str = "1000.00",
    *,
    on: date = date(2026, 3, 15),
    source_id: str = "",
    account: str = "2210",
) -> EntrySpec:
    """An expense with 25 % purchase VAT paid from the bank: three lines."""
    net = Decimal(amount)
    vat = (net * Decimal("0.25")).quantize(Decimal("0.01"))
    return EntrySpec(
        date=on,
        description=f"Kontorartikler {amount}",
        voucher_ref=f"INV-{source_id or 'manual'}",
        source_type="test.invoice" if source_id else "",
        source_id=source_id,
        lines=[
            LineSpec(account=account, debit=net, org_unit="100", vat_code="I25"),
            LineSpec(account="5620", debit=vat),
            LineSpec(account="9110", credit=net + vat),
        ],
    )
