"""Demo data for the ledger: every demo institution gets the common chart, an open fiscal year
and a few months of posted entries (salaries, rent, supplies and a reversal). Idempotent: the
entries carry demo source ids, so a second run posts nothing new."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from faelles.ledger import services
from faelles.ledger.models import JournalEntry, Purpose
from faelles.ledger.services import EntrySpec, LineSpec
from faelles.tenancy.models import Institution, Membership, OrgUnit, Role, User
from faelles.tenancy.services.users import system_user

DEMO_SOURCE = "demo"


def _actor(institution: Institution) -> User:
    membership = (
        Membership.objects.for_institution(institution)
        .filter(role=Role.BOOKKEEPER, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    return system_user()


def _month_specs(
    institution: Institution, year: int, month: int, cost_centre: str | None
) -> list[EntrySpec]:
    scale = Decimal(10 + institution.pk % 7) / Decimal(10)
    salary = (Decimal("412500.00") * scale).quantize(Decimal("0.01"))
    pension = (salary * Decimal("0.1807")).quantize(Decimal("0.01"))
    atp = Decimal("94.65") * 40
    tax = (salary * Decimal("0.38")).quantize(Decimal("0.01"))
    net = salary - tax
    rent = (Decimal("85000.00") * scale).quantize(Decimal("0.01"))
    supplies = (Decimal("12480.00") * scale + month).quantize(Decimal("0.01"))
    day = date(year, month, 1)
    last = date(year, month, 28)
    cc = cost_centre
    return [
        EntrySpec(
            date=last,
            description=f"Løn {month:02d}/{year}",
            voucher_ref=f"LØN-{year}{month:02d}",
            source_type=DEMO_SOURCE,
            source_id=f"salary-{year}-{month}",
            lines=[
                LineSpec(account="1811", debit=salary, org_unit=cc),
                LineSpec(account="1881", debit=pension, org_unit=cc),
                LineSpec(account="1882", debit=atp, org_unit=cc),
                LineSpec(account="9130", credit=tax),
                LineSpec(account="9150", credit=pension),
                LineSpec(account="9140", credit=atp),
                LineSpec(account="9160", credit=net),
            ],
        ),
        EntrySpec(
            date=day,
            description=f"Husleje {month:02d}/{year}",
            voucher_ref=f"HUS-{year}{month:02d}",
            source_type=DEMO_SOURCE,
            source_id=f"rent-{year}-{month}",
            lines=[
                LineSpec(account="1610", debit=rent, org_unit=cc, vat_code="I25"),
                LineSpec(account="5620", debit=(rent * Decimal("0.25")).quantize(Decimal("0.01"))),
                LineSpec(account="9110", credit=(rent * Decimal("1.25")).quantize(Decimal("0.01"))),
            ],
        ),
        EntrySpec(
            date=date(year, month, 12),
            description=f"Kontorartikler {month:02d}/{year}",
            voucher_ref=f"KA-{year}{month:02d}",
            source_type=DEMO_SOURCE,
            source_id=f"supplies-{year}-{month}",
            lines=[
                LineSpec(account="2210", debit=supplies, org_unit=cc, vat_code="I25"),
                LineSpec(
                    account="5620", debit=(supplies * Decimal("0.25")).quantize(Decimal("0.01"))
                ),
                LineSpec(
                    account="9110",
                    credit=supplies + (supplies * Decimal("0.25")).quantize(Decimal("0.01")),
                ),
            ],
        ),
        EntrySpec(
            date=date(year, month, 20),
            description=f"Betaling af leverandører {month:02d}/{year}",
            voucher_ref=f"BET-{year}{month:02d}",
            source_type=DEMO_SOURCE,
            source_id=f"payment-{year}-{month}",
            lines=[
                LineSpec(account="9110", debit=(rent * Decimal("1.25")).quantize(Decimal("0.01"))),
                LineSpec(account="5810", credit=(rent * Decimal("1.25")).quantize(Decimal("0.01"))),
            ],
        ),
    ]


def load_demo(*, stdout: TextIO | None = None, today: date | None = None) -> None:
    """Chart, fiscal year and months of entries for every active institution."""
    today = today or timezone.localdate()
    year = today.year
    months = range(1, max(2, min(today.month, 6)) + 1) if today.month > 1 else range(1, 2)
    posted_total = 0
    for institution in Institution.objects.filter(is_active=True).order_by("pk"):
        with transaction.atomic():
            actor = _actor(institution)
            services.chart_adopt(actor=actor, institution=institution)
            services.fiscal_year_open(actor=actor, institution=institution, year=year)
            if not Purpose.objects.for_institution(institution).filter(code="DRIFT").exists():
                services.purpose_create(
                    actor=actor, institution=institution, code="DRIFT", name="Almindelig drift"
                )
            unit = OrgUnit.objects.for_institution(institution).filter(is_active=True).first()
            cc = unit.code if unit else None
            if cc is None:
                continue  # cost accounts require a cost centre
            specs = [s for m in months for s in _month_specs(institution, year, m, cc)]
            result = services.entries_record_batch(
                actor=actor, institution=institution, specs=specs
            )
            posted_total += len(result.posted)
            # One correction: the first supplies entry was booked twice by mistake → reversed.
            dup = EntrySpec(
                date=date(year, 1, 13),
                description="Kontorartikler 01 (dobbeltbogført)",
                voucher_ref=f"KA-{year}01",
                source_type=DEMO_SOURCE,
                source_id=f"supplies-dup-{year}",
                lines=_month_specs(institution, year, 1, cc)[2].lines,
            )
            dup_result = services.entries_record_batch(
                actor=actor, institution=institution, specs=[dup]
            )
            for entry in dup_result.posted:
                services.entry_reverse(
                    actor=actor,
                    entry=entry,
                    description="Tilbageførsel af dobbeltbogført faktura",
                    check_role=False,
                )
    if stdout is not None:
        total = JournalEntry.objects.count()
        stdout.write(f"ledger: {posted_total} demo entries posted ({total} in all)\n")
