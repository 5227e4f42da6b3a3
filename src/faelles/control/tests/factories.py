"""Builders for control tests: two institutions served by one operator, a controller in each,
a case worker of the operator, and planted vendors, invoices, payments and employees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from faelles.control import plant
from faelles.control.people import EmployeeRecord
from faelles.core.audit import record_event
from faelles.payables.models import PaymentRun, Vendor, VendorPaymentDetails
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


@dataclass
class World:
    a: Institution
    b: Institution
    controller_a: User
    controller_b: User
    case_worker: User
    stranger: User  # a person of institution A who is no controller
    operator: object


def make_world() -> World:
    a = InstitutionFactory(short_name="A")
    b = InstitutionFactory(short_name="B")
    operator = OperatorFactory()
    case_worker = UserFactory(username="kontrollant-op")
    OperatorStaff.objects.create(operator=operator, user=case_worker, role=StaffRole.CASE_WORKER)
    for inst in (a, b):
        agreement = ServiceAgreement.objects.create(
            institution=inst, operator=operator, services=["payables"], valid_from=date(2020, 1, 1)
        )
        agreement.staff.add(case_worker)
    controller_a, controller_b, stranger = (
        UserFactory(username="kontrol-a"),
        UserFactory(username="kontrol-b"),
        UserFactory(username="bogholder-a"),
    )
    Membership.objects.create(user=controller_a, institution=a, role=Role.CONTROLLER)
    Membership.objects.create(user=controller_b, institution=b, role=Role.CONTROLLER)
    Membership.objects.create(user=stranger, institution=a, role=Role.BOOKKEEPER)
    return World(a, b, controller_a, controller_b, case_worker, stranger, operator)


def invoice(inst, vendor, number, amount, issued, **kw):
    return plant.invoices([plant.Spec(inst.pk, vendor, number, Decimal(amount), issued, **kw)])[0]


def run(inst, payer, when: date) -> PaymentRun:
    return PaymentRun.objects.create(
        institution=inst,
        execution_date=when,
        debtor_iban="DK5000400440116243",
        state=PaymentRun.State.PAID,
        created_by=payer,
    )


def iban(value: str) -> list[dict[str, str]]:
    return [{"kind": "iban", "iban": value}]


def master(vendor: Vendor, key: str) -> None:
    VendorPaymentDetails.objects.create(institution=vendor.institution, vendor=vendor, key=key)


def employee(inst, pk, name, address, account="") -> EmployeeRecord:
    return EmployeeRecord(inst.pk, pk, name, address, account)


def event(inst, actor, action, obj, on_behalf_of=None) -> None:
    with transaction.atomic():
        record_event(
            institution=inst, actor=actor, action=action, obj=obj, on_behalf_of=on_behalf_of
        )
