"""Builders for economics tests: an operator with its own books, two institutions it serves,
a price list, and planted volumes for March 2026 whose charges are known to the øre.

Planted for March 2026 (local time), with what must *not* count beside what must:

- institution A (agreement: payables, payroll, IT, cases): 3 invoices received (+ 1 marked a
  duplicate, + 1 received in April); 4 payslips of an approved run paid in March (+ 2 of a
  draft run); 2 tickets resolved (+ 1 whose catalogue service the service desk itself charges
  per ticket, + 1 resolved in February); 2 cases opened (+ 1 opened in April);
- institution B (agreement: payables only): 120 invoices received (the second band), and a
  ticket resolved in March that is not charged (no IT agreement).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from faelles.cases import services as cases_services
from faelles.cases.models import Case
from faelles.cases.shipped import SHIPPED
from faelles.control import plant
from faelles.economics import services
from faelles.ledger.tests.factories import make_institution
from faelles.payables.models import Invoice
from faelles.payroll import services as payroll_services
from faelles.payroll.models import PayRun, Payslip
from faelles.servicedesk import services as servicedesk_services
from faelles.servicedesk.models import CatalogueService, ServiceLevel, Ticket
from faelles.servicedesk.tests.factories import OFFICE_HOURS, TARGETS
from faelles.tenancy.models import (
    Institution,
    Membership,
    Operator,
    OperatorStaff,
    Role,
    ServiceAgreement,
    StaffRole,
    User,
)
from faelles.tenancy.tests.factories import (
    EndpointFactory,
    OperatorFactory,
    UserFactory,
    valid_gln,
)

_cpr = itertools.count(60)
MARCH = date(2026, 3, 1)
TODAY = date(2026, 4, 10)

PRICES: dict[str, list[dict[str, str | int]]] = {
    "invoices": [
        {"from": 0, "fixed": "1000.00", "unit": "10.00"},
        {"from": 100, "fixed": "2500.00", "unit": "7.50"},
    ],
    "payslips": [{"from": 0, "fixed": "500.00", "unit": "25.00"}],
    "tickets": [{"from": 0, "fixed": "0.00", "unit": "150.00"}],
    "cases": [{"from": 0, "fixed": "300.00", "unit": "40.00"}],
}


@dataclass
class World:
    operator: Operator
    books: Institution
    a: Institution
    b: Institution
    admin: User  # the operator's administrator
    case_worker: User  # operator staff serving A only
    bookkeeper_a: User
    controller_b: User
    receiver_a: User


def at(day: date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def make_world(*, prices: bool = True) -> World:
    operator = OperatorFactory(name="Statens Fællesdrift", cvr="41000093")
    admin = UserFactory(username="op-admin")
    OperatorStaff.objects.create(operator=operator, user=admin, role=StaffRole.OPERATOR_ADMIN)
    case_worker = UserFactory(username="op-worker")
    OperatorStaff.objects.create(operator=operator, user=case_worker, role=StaffRole.CASE_WORKER)
    books = make_institution()
    a = make_institution()
    b = make_institution()
    EndpointFactory(institution=a, identifier=valid_gln(7001))
    EndpointFactory(institution=b, identifier=valid_gln(7002))
    agreement_a = ServiceAgreement.objects.create(
        institution=a,
        operator=operator,
        services=["payables", "payroll", "it", "cases"],
        valid_from=date(2025, 1, 1),
    )
    agreement_a.staff.add(case_worker)
    ServiceAgreement.objects.create(
        institution=b, operator=operator, services=["payables"], valid_from=date(2025, 1, 1)
    )
    ServiceAgreement.objects.create(
        institution=books, operator=operator, services=["ledger"], valid_from=date(2025, 1, 1)
    )
    bookkeeper_a, controller_b, receiver_a = (
        UserFactory(username="bogholder-a"),
        UserFactory(username="controller-b"),
        UserFactory(username="modtager-a"),
    )
    Membership.objects.create(user=bookkeeper_a, institution=a, role=Role.BOOKKEEPER)
    Membership.objects.create(user=controller_b, institution=b, role=Role.CONTROLLER)
    Membership.objects.create(user=receiver_a, institution=a, role=Role.INVOICE_RECEIVER)
    services.billing_set(
        actor=admin,
        operator=operator,
        books=books,
        iban="DK5000400440116243",
        bic="DABADKKK",
        street="Slotsholmen 4",
        postal_zone="1216",
        city="København K",
    )
    if prices:
        for measure, tiers in PRICES.items():
            services.price_set(
                actor=admin,
                operator=operator,
                measure=measure,
                valid_from=date(2026, 1, 1),
                tiers=tiers,
            )
    return World(operator, books, a, b, admin, case_worker, bookkeeper_a, controller_b, receiver_a)


def _invoices(inst: Institution, n: int, received: date, prefix: str) -> list[Invoice]:
    vendor = plant.vendor(inst.pk, f"Leverandør {prefix}")
    made = plant.invoices(
        [
            plant.Spec(inst.pk, vendor, f"{prefix}-{i}", Decimal("100.00"), received)
            for i in range(n)
        ]
    )
    Invoice.objects.filter(pk__in=[i.pk for i in made]).update(received_at=at(received))
    return made


def _tickets(inst: Institution, requester: User, resolved: date, n: int, **kw: Any) -> None:
    for i in range(n):
        ticket = servicedesk_services.ticket_open(
            actor=requester, institution=inst, title=f"Sag {i}", description="Hjælp."
        )
        Ticket.objects.filter(pk=ticket.pk).update(
            resolved_at=at(resolved), status="resolved", **kw
        )


def _per_ticket_service(inst: Institution, operator: Operator) -> CatalogueService:
    agreement = ServiceAgreement.objects.get(institution=inst, operator=operator)
    level = ServiceLevel.objects.create(
        institution=inst, name="Standard", calendar=OFFICE_HOURS, targets=TARGETS
    )
    return CatalogueService.objects.create(
        institution=inst,
        agreement=agreement,
        code="PC",
        name="Pc-opsætning",
        domain="it",
        service_level=level,
        price=Decimal("450.00"),
        price_unit=CatalogueService.PriceUnit.TICKET,
    )


def _payslips(inst: Institution, state: str, n: int, paid: date, start: date) -> None:
    run = PayRun.objects.create(
        institution=inst,
        frequency="monthly",
        period_start=start,
        period_end=start.replace(day=28),
        payment_date=paid,
        state=state,
    )
    for i in range(n):
        employee = payroll_services.employee_create(
            actor=None,
            institution=inst,
            number=f"{state}-{i}",
            name=f"Ansat {state} {i}",
            cpr=f"0101{60 + next(_cpr) % 40:02d}1234",
        )
        Payslip.objects.create(institution=inst, run=run, employee=employee, cost_centre="100")


def _cases(inst: Institution, opened: list[date]) -> None:
    case_type = cases_services.case_type_import(
        actor=None,
        institution=inst,
        files=SHIPPED["complaint"].read(),
        code="complaint",
        check_role=False,
    ).case_type
    for day in opened:
        case = cases_services.case_open(
            actor=None,
            case_type=case_type,
            title="Klage",
            parties=[
                cases_services.PartyInput(
                    kind="citizen", role="complainant", name="Borger", cpr="0101901234"
                )
            ],
            documents=[],
        )
        Case.objects.filter(pk=case.pk).update(opened_at=at(day))


def plant_march(w: World) -> None:
    a, b = w.a, w.b
    made = _invoices(a, 4, date(2026, 3, 5), "A")
    Invoice.objects.filter(pk=made[3].pk).update(duplicate_of=made[0])
    _invoices(a, 1, date(2026, 4, 1), "A-april")
    _payslips(a, "approved", 4, date(2026, 3, 27), date(2026, 3, 1))
    _payslips(a, "draft", 2, date(2026, 3, 30), date(2026, 3, 2))
    requester = UserFactory(username="rekvirent-a")
    Membership.objects.create(user=requester, institution=a, role=Role.REQUESTER)
    _tickets(a, requester, date(2026, 3, 10), 2)
    _tickets(a, requester, date(2026, 3, 11), 1, service=_per_ticket_service(a, w.operator))
    _tickets(a, requester, date(2026, 2, 27), 1)
    _cases(a, [date(2026, 3, 2), date(2026, 3, 31), date(2026, 4, 1)])
    _invoices(b, 120, date(2026, 3, 15), "B")
    requester_b = UserFactory(username="rekvirent-b")
    Membership.objects.create(user=requester_b, institution=b, role=Role.REQUESTER)
    _tickets(b, requester_b, date(2026, 3, 10), 1)
