"""Demo data for operator economics: ``faelles demo`` (after the other apps' demos) gives the
demo operator its own books (an institution of its own, "Statens Administration (egen
drift)", with the common chart), its billing details and a price list, and charges the last
three months that have ended to every institution it serves — each charge an invoice in the
institution's own invoice flow and an entry in the operator's ledger.

The volumes are what the other demos left: payslips of the monthly pay runs, tickets resolved
over the months, cases opened. The demo invoices are all received when the demo is loaded, so
they count in the month of loading (charged when that month has ended).

Idempotent: prices are set once; a month already charged is not charged again.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from faelles.economics import services
from faelles.economics.models import OperatorBilling, ServicePrice
from faelles.ledger import services as ledger_services
from faelles.ledger.models import FiscalYear
from faelles.tenancy.models import Institution, Operator

BOOKS_SHORT_NAME = "SADM"
BOOKS_NAME = "Statens Administration (egen drift)"
MONTHS = 3

#: The demo price list: per service, volume bands (from, fixed part, price per unit).
DEMO_PRICES: dict[str, list[tuple[int, str, str]]] = {
    "invoices": [(0, "2500.00", "14.00"), (200, "6000.00", "11.00"), (1000, "15000.00", "8.50")],
    "payslips": [(0, "1500.00", "45.00"), (250, "8000.00", "38.00")],
    "tickets": [(0, "0.00", "180.00"), (100, "5000.00", "140.00")],
    "cases": [(0, "1000.00", "350.00"), (100, "20000.00", "250.00")],
}


def _months(today: date, n: int) -> list[date]:
    out: list[date] = []
    month = today.replace(day=1)
    for _ in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
        out.append(month)
    return sorted(out)


def _books(operator: Operator, years: set[int]) -> Institution:
    books = Institution.objects.filter(short_name=BOOKS_SHORT_NAME).first()
    if books is None:
        from faelles.tenancy.services import institution_create

        parent = Institution.objects.filter(short_name="FM").first()
        books = institution_create(
            actor=None,
            name=BOOKS_NAME,
            short_name=BOOKS_SHORT_NAME,
            kind=Institution.Kind.AGENCY,
            cvr=operator.cvr,
            parent=parent,
        )
    from faelles.tenancy.services.users import system_user

    system = system_user()
    ledger_services.chart_adopt(actor=system, institution=books)
    for year in sorted(years):
        if not FiscalYear.objects.for_institution(books).filter(year=year).exists():
            ledger_services.fiscal_year_open(actor=system, institution=books, year=year)
    return books


def load_demo(*, stdout: Any = None, today: date | None = None) -> None:
    from faelles.tenancy.demo import OPERATOR_NAME

    operator = Operator.objects.filter(name=OPERATOR_NAME).first()
    if operator is None:
        return
    today = today or timezone.localdate()
    months = _months(today, MONTHS)
    books = _books(operator, {m.year for m in months})
    if not OperatorBilling.objects.filter(operator=operator).exists():
        services.billing_set(
            actor=None,
            operator=operator,
            books=books,
            iban="DK5000400440116243",
            bic="DABADKKK",
            street="Landgreven 4",
            postal_zone="1301",
            city="København K",
        )
    start = months[0].replace(month=1)
    for measure, bands in DEMO_PRICES.items():
        if not ServicePrice.objects.filter(operator=operator, measure=measure).exists():
            services.price_set(
                actor=None,
                operator=operator,
                measure=measure,
                valid_from=start,
                tiers=[{"from": f, "fixed": fixed, "unit": unit} for f, fixed, unit in bands],
                note="Prisliste (demo): dækning af omkostninger efter volumen og størrelse",
            )
    issued = 0
    for month in months:
        outcomes = services.charges_run(actor=None, period=month, operator=operator, today=today)
        issued += sum(1 for o in outcomes if o.status == "issued")
    if stdout is not None:
        stdout.write(
            f"economics: {issued} monthly charges issued "
            f"({', '.join(f'{m:%Y-%m}' for m in months)})\n"
        )
