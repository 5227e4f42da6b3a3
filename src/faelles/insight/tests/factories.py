"""Builders for insight tests: three institutions, an operator whose case worker serves A and
B (not C), a controller in A, a local administrator in B, a bookkeeper of A (no insight role),
and the small planted month of ``plant_march`` whose figures the tests know exactly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from faelles.insight import plant
from faelles.insight.models import Figure, Task, TaskHours
from faelles.tenancy.models import (
    Institution,
    Membership,
    OperatorStaff,
    Role,
    ServiceAgreement,
    StaffRole,
    User,
)
from faelles.tenancy.tests.factories import InstitutionFactory, OperatorFactory, UserFactory

CPH = ZoneInfo("Europe/Copenhagen")
MARCH = date(2026, 3, 1)


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CPH)


@dataclass
class World:
    a: Institution
    b: Institution
    c: Institution
    operator: object
    agreement_a: ServiceAgreement
    controller_a: User
    admin_b: User
    case_worker: User
    bookkeeper_a: User


def make_world() -> World:
    a = InstitutionFactory(short_name="A", name="Styrelse A")
    b = InstitutionFactory(short_name="B", name="Styrelse B")
    c = InstitutionFactory(short_name="C", name="Styrelse C")
    operator = OperatorFactory()
    case_worker = UserFactory(username="analytiker-op")
    OperatorStaff.objects.create(operator=operator, user=case_worker, role=StaffRole.CASE_WORKER)
    agreements = {}
    for inst in (a, b, c):
        agreements[inst.short_name] = agreement = ServiceAgreement.objects.create(
            institution=inst,
            operator=operator,
            services=["payables", "payroll"],
            valid_from=date(2020, 1, 1),
        )
        if inst is not c:
            agreement.staff.add(case_worker)
    controller_a = UserFactory(username="controller-a")
    admin_b = UserFactory(username="admin-b")
    bookkeeper_a = UserFactory(username="bogholder-a")
    Membership.objects.create(user=controller_a, institution=a, role=Role.CONTROLLER)
    Membership.objects.create(user=admin_b, institution=b, role=Role.LOCAL_ADMIN)
    Membership.objects.create(user=bookkeeper_a, institution=a, role=Role.BOOKKEEPER)
    return World(
        a, b, c, operator, agreements["A"], controller_a, admin_b, case_worker, bookkeeper_a
    )


def plant_march(w: World) -> None:
    """March 2026:

    A: invoice 1 received 2 Mar 09:00, coded automatically, approved 19:00 (10 h, the only
    touch), paid 12 Mar 09:00 (10 days, on time); invoice 2 received 3 Mar 09:00, coded by
    hand and attested, approved 4 Mar 15:00 (30 h, 3 touches), due 10 Mar, paid 23 Mar 09:00
    (20 days, late). Employments 37 h + 18.5 h (1.5 FTE). Cases: 4 and 10 days. Tickets: one
    met, one missed, one without a service level. Payslips: 1 of 4 with a retro
    correction.
    B: one invoice received 5 Mar 09:00, coded automatically, approved 13:00, paid 10 Mar
    09:00 (no due date: on time); 2.0 hours registered on invoice handling.
    C: nothing.
    """
    va = plant.vendor(w.a.pk, "Leverandør A")
    vb = plant.vendor(w.b.pk, "Leverandør B")
    plant.invoices(
        [
            plant.InvoiceSpec(w.a.pk, va, at(3, 2), approved_at=at(3, 2, 19), paid_at=at(3, 12)),
            plant.InvoiceSpec(
                w.a.pk,
                va,
                at(3, 3),
                approved_at=at(3, 4, 15),
                paid_at=at(3, 23),
                due_date=date(2026, 3, 10),
                coded_automatically=False,
                attested_by_id=w.bookkeeper_a.pk,
            ),
            plant.InvoiceSpec(w.b.pk, vb, at(3, 5), approved_at=at(3, 5, 13), paid_at=at(3, 10)),
            # received in February, approved and paid in April: not March's
            plant.InvoiceSpec(w.a.pk, va, at(2, 20), approved_at=at(4, 1), paid_at=at(4, 2)),
        ]
    )
    plant.employment(w.a, Decimal("37.00"), date(2025, 1, 1))
    plant.employment(w.a, Decimal("18.50"), date(2026, 2, 1), date(2026, 12, 31))
    plant.employment(w.a, Decimal("37.00"), date(2024, 1, 1), date(2026, 2, 28))  # ended
    plant.closed_case(w.a.pk, at(3, 1), at(3, 5))
    plant.closed_case(w.a.pk, at(2, 27), at(3, 9))
    plant.closed_case(w.a.pk, at(3, 1), None)
    plant.ticket(w.a.pk, at(3, 10, 12), "met")
    plant.ticket(w.a.pk, at(3, 11, 12), "missed")
    plant.ticket(w.a.pk, at(3, 12, 12), "none")
    plant.payslips(w.a, MARCH, [True, False, False, False])
    task = Task.objects.create(
        institution=w.b,
        name="Fakturabehandling",
        form_code="04.01.02",
        measures=Figure.COST_PER_INVOICE,
    )
    TaskHours.objects.create(institution=w.b, task=task, month=MARCH, hours=Decimal("2.0"))
