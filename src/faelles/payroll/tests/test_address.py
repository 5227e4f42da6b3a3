"""The employee's postal address: stored through the services (at once, not a pending change),
audited without the address itself, shown on the payslip to those who may see it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from faelles.core.audit import Refused
from faelles.core.models import AuditEvent
from faelles.payroll import services
from faelles.payroll.labels import ACTION_LABELS
from faelles.payroll.models import Employee, Payslip, PendingChange
from faelles.payroll.tests.factories import monthly_run, pay, payroll_setup
from faelles.tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def two(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return payroll_setup(), payroll_setup()


def test_the_address_is_saved_on_one_line_by_the_create_service(two):
    a, _b = two
    emp = services.employee_create(
        actor=a.officer,
        institution=a.institution,
        number="A1",
        name="Jens Hansen",
        cpr="010180-1234",
        address="  Nørregade 12,   1165 København K ",
    )
    emp.refresh_from_db()
    assert emp.address == "Nørregade 12, 1165 København K"
    created = AuditEvent.objects.get(action="payroll.employee.created", object_id=str(emp.pk))
    # personal data stays on the employee: the event names neither CPR nor address
    assert created.details == {"number": "A1", "subject_ref": emp.cpr_ref}
    # blank is allowed
    other = services.employee_create(
        actor=a.officer,
        institution=a.institution,
        number="A2",
        name="Uden Adresse",
        cpr="0101801235",
    )
    assert Employee.objects.get(pk=other.pk).address == ""


def test_the_bulk_path_takes_an_address_or_none():
    a = payroll_setup()
    made = services.employees_create_bulk(
        actor=a.officer,
        institution=a.institution,
        rows=[("B1", "Med", "0101801001", "Algade 3, 4000 Roskilde"), ("B2", "Uden", "0101801002")],
    )
    assert {e.number: e.address for e in Employee.objects.filter(pk__in=[m.pk for m in made])} == {
        "B1": "Algade 3, 4000 Roskilde",
        "B2": "",
    }


def test_changing_the_address_applies_at_once_with_an_audit_event(two):
    a, _b = two
    emp = a.employee("AC", address="Algade 3, 4000 Roskilde")
    pending = PendingChange.objects.count()
    services.employee_address_set(
        actor=a.officer, employee=emp, address="Egevej 12,  2100 København Ø"
    )
    assert Employee.objects.get(pk=emp.pk).address == "Egevej 12, 2100 København Ø"
    # not pay-relevant: no pending change, no second person
    assert PendingChange.objects.count() == pending
    event = AuditEvent.objects.get(action="payroll.employee.updated")
    assert (event.object_id, event.actor_id) == (str(emp.pk), a.officer.pk)
    assert event.details == {
        "number": emp.number,
        "subject_ref": emp.cpr_ref,
        "fields": ["address"],
    }
    assert "payroll.employee.updated" in ACTION_LABELS
    # the same address again changes nothing and records nothing
    services.employee_address_set(
        actor=a.officer, employee=emp, address="Egevej 12, 2100 København Ø"
    )
    assert AuditEvent.objects.filter(action="payroll.employee.updated").count() == 1


def test_only_an_officer_of_the_institution_changes_the_address(two):
    a, b = two
    emp = a.employee("AC", address="Algade 3, 4000 Roskilde")
    for actor in (b.officer, UserFactory()):
        with pytest.raises(Refused):
            services.employee_address_set(
                actor=actor, employee=emp, address="Andetsteds 1, 8000 Aarhus C"
            )
    assert Employee.objects.get(pk=emp.pk).address == "Algade 3, 4000 Roskilde"
    assert AuditEvent.objects.filter(action="payroll.employee.updated").count() == 0
    assert AuditEvent.objects.filter(action="payroll.employee.update.refused").count() == 2


def test_the_payslip_shows_the_address_to_the_employee_and_the_officer_only(two):
    a, b = two
    me = UserFactory()
    mine = a.employee("HK", user=me, address="Egevej 12, 2100 København Ø")
    run = monthly_run(a, 5)
    pay(a, run)
    slip = Payslip.objects.get(run=run, employee=mine)
    url = reverse("payroll:payslip-detail", args=[slip.pk])
    shown = '<dd data-field="address">Egevej 12, 2100 København Ø</dd>'
    for user in (me, a.officer):
        page = _client(user).get(url)
        assert page.status_code == 200
        assert shown in page.content.decode()
    assert _client(b.officer).get(url).status_code == 404
    # no address, no empty line
    other = a.employee("AC")
    run2 = monthly_run(a, 6)
    slip2 = Payslip.objects.get(run=run2, employee=other)
    page = _client(a.officer).get(reverse("payroll:payslip-detail", args=[slip2.pk]))
    assert page.status_code == 200 and b'data-field="address"' not in page.content
