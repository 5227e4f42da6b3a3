"""Employee pages: the list and the master data for an institution's payroll officers, the
forms that propose changes (nothing applied until a second person approves), the address
applied at once, the logged CPR read, and 404/403 for everyone else."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from faelles.core.models import AuditEvent, PersonalDataAccess
from faelles.payroll.models import BankAccount, Employee, Employment, PayElement, PendingChange
from faelles.payroll.tests.factories import payroll_setup
from faelles.tenancy.models import Role
from faelles.tenancy.roles import PAYROLL_EMPLOYEE
from faelles.tenancy.tests.factories import MembershipFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def two(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return payroll_setup(), payroll_setup()


def _form_urls(emp: Employee) -> list[str]:
    return [
        reverse(f"payroll:employee-{name}", args=[emp.pk])
        for name in ("address", "bank", "element", "element-end", "employment", "new-employment")
    ]


def test_the_list_shows_the_institutions_employees_masked_flagged_and_searchable(two):
    a, b = two
    first = a.employee("AC")
    second = a.employee("HK")
    foreign = b.employee("AC")
    PendingChange.objects.create(
        institution=a.institution,
        employee=second,
        kind=PendingChange.Kind.BANK_ACCOUNT,
        operation=PendingChange.Operation.CREATE,
        values={"reg_no": "1111", "account_no": "22223333", "valid_from": "2026-06-01"},
        effective_from="2026-06-01",
        made_by=a.officer,
    )
    page = _client(a.officer).get(reverse("payroll:employee-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-employee="{first.pk}"' in html and f'data-employee="{second.pk}"' in html
    assert f'data-employee="{foreign.pk}"' not in html
    assert first.cpr_masked in html and "0101811001" not in html
    assert html.count('data-pending="1"') == 1
    found = _client(a.officer).get(reverse("payroll:employee-list"), {"q": second.name})
    assert f'data-employee="{second.pk}"'.encode() in found.content
    assert f'data-employee="{first.pk}"'.encode() not in found.content
    by_number = _client(a.officer).get(reverse("payroll:employee-list"), {"q": first.number})
    assert f'data-employee="{first.pk}"'.encode() in by_number.content
    # B's officer never sees A's employees.
    theirs = _client(b.officer).get(reverse("payroll:employee-list")).content.decode()
    assert f'data-employee="{first.pk}"' not in theirs and f'data-employee="{foreign.pk}"' in theirs


def test_the_list_pages_by_fifty(two):
    a, _b = two
    from faelles.payroll import services

    services.employees_create_bulk(
        actor=a.officer,
        institution=a.institution,
        rows=[
            (f"N{i:03d}", f"Person {i}", f"0202{70 + i % 20:02d}{2000 + i:04d}") for i in range(60)
        ],
    )
    first = _client(a.officer).get(reverse("payroll:employee-list"))
    assert first.content.decode().count("data-employee=") == 50
    rest = _client(a.officer).get(reverse("payroll:employee-list"), {"page": 2})
    assert rest.content.decode().count("data-employee=") == 10


def test_the_detail_shows_master_data_masked(two):
    a, _b = two
    emp = a.employee("AC", address="Vej 1, 2100 København Ø")
    page = _client(a.officer).get(reverse("payroll:employee-detail", args=[emp.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    bank = BankAccount.objects.get(employee=emp)
    element = PayElement.objects.get(employment__employee=emp)
    assert emp.cpr_masked in html and "Vej 1, 2100 København Ø" in html
    assert bank.masked in html and bank.account_no not in html
    assert f'data-element="{element.pk}"' in html
    assert f'data-employment="{Employment.objects.get(employee=emp).pk}"' in html
    assert PersonalDataAccess.objects.count() == 0


def test_show_cpr_posts_and_logs_a_personal_data_read(two):
    a, _b = two
    emp = a.employee("AC", cpr="0101801234")
    client = _client(a.officer)
    assert client.get(reverse("payroll:employee-cpr", args=[emp.pk])).status_code == 405
    assert PersonalDataAccess.objects.count() == 0
    page = client.post(reverse("payroll:employee-cpr", args=[emp.pk]))
    assert page.status_code == 200 and b'data-cpr="full">010180-1234<' in page.content
    assert page["Cache-Control"] == "no-store"
    access = PersonalDataAccess.objects.get()
    assert (access.subject_type, access.subject_id, access.fields) == (
        "payroll.employee",
        str(emp.pk),
        ["cpr"],
    )
    assert access.actor_id == a.officer.pk
    assert AuditEvent.objects.filter(action="personal_data.read", actor=a.officer).count() == 1
    client.post(reverse("payroll:employee-cpr", args=[emp.pk]))
    assert PersonalDataAccess.objects.count() == 2


def test_forms_propose_changes_that_are_not_applied(two):
    a, _b = two
    emp = a.employee("AC")
    employment = Employment.objects.get(employee=emp)
    element = PayElement.objects.get(employment=employment)
    other_unit = OrgUnitFactory(institution=a.institution, code="200")
    client = _client(a.officer)
    for url in _form_urls(emp):
        assert client.get(url).status_code == 200
    detail = reverse("payroll:employee-detail", args=[emp.pk])
    answers = [
        client.post(
            reverse("payroll:employee-bank", args=[emp.pk]),
            {
                "reg_no": "9999",
                "account_no": "1234567890",
                "is_nemkonto": "on",
                "valid_from": "2026-07-01",
            },
        ),
        client.post(
            reverse("payroll:employee-element", args=[emp.pk]),
            {
                "employment": employment.pk,
                "code": "tillaeg",
                "text": "Tillæg",
                "kind": "supplement",
                "amount": "1500.00",
                "valid_from": "2026-07-01",
            },
        ),
        client.post(
            reverse("payroll:employee-element-end", args=[emp.pk]),
            {"element": element.pk, "valid_to": "2026-12-31"},
        ),
        client.post(
            reverse("payroll:employee-employment", args=[emp.pk]),
            {
                "employment": employment.pk,
                "weekly_hours": "30.00",
                "org_unit": other_unit.pk,
                "effective_from": "2026-07-01",
            },
        ),
    ]
    assert [(r.status_code, r["Location"]) for r in answers] == [(302, detail)] * 4
    pending = list(
        PendingChange.objects.filter(employee=emp, state=PendingChange.State.PENDING).order_by("pk")
    )
    assert [(c.kind, c.operation, c.made_by_id) for c in pending] == [
        ("bank_account", "create", a.officer.pk),
        ("pay_element", "create", a.officer.pk),
        ("pay_element", "update", a.officer.pk),
        ("employment", "update", a.officer.pk),
    ]
    assert pending[2].target_id == element.pk and pending[2].values == {"valid_to": "2026-12-31"}
    assert pending[3].values == {"weekly_hours": "30.00", "org_unit_id": other_unit.pk}
    # Nothing applied.
    assert BankAccount.objects.filter(employee=emp).count() == 1
    assert PayElement.objects.filter(employment=employment).count() == 1
    assert PayElement.objects.get(pk=element.pk).valid_to is None
    employment.refresh_from_db()
    assert employment.weekly_hours == Decimal("37.00") and employment.org_unit_id == a.unit.pk
    # The detail page lists them as pending, with no approve button for the maker.
    html = client.get(detail).content.decode()
    for c in pending:
        assert f'data-change="{c.pk}" data-state="pending"' in html
    assert reverse("payroll:change-action", args=[pending[0].pk, "approve"]) not in html
    other = _client(a.second).get(detail).content.decode()
    assert reverse("payroll:change-action", args=[pending[0].pk, "approve"]) in other
    # The second officer approves through the existing change action.
    _client(a.second).post(reverse("payroll:change-action", args=[pending[3].pk, "approve"]))
    employment.refresh_from_db()
    assert employment.weekly_hours == Decimal("30.00") and employment.org_unit_id == other_unit.pk


def test_a_refused_proposal_shows_on_the_form_and_saves_nothing(two):
    a, _b = two
    emp = a.employee("AC")
    employment = Employment.objects.get(employee=emp)
    before = PendingChange.objects.count()
    answer = _client(a.officer).post(
        reverse("payroll:employee-element", args=[emp.pk]),
        {
            "employment": employment.pk,
            "code": "x",
            "text": "X",
            "kind": "supplement",
            "valid_from": "2026-07-01",
        },
    )
    assert answer.status_code == 200 and b"The element needs an amount." in answer.content
    assert PendingChange.objects.count() == before


def test_the_address_applies_at_once(two):
    a, _b = two
    emp = a.employee("AC")
    answer = _client(a.officer).post(
        reverse("payroll:employee-address", args=[emp.pk]), {"address": "  Gade 2,  8000 Aarhus C "}
    )
    assert answer.status_code == 302
    assert Employee.objects.get(pk=emp.pk).address == "Gade 2, 8000 Aarhus C"
    event = AuditEvent.objects.filter(action="payroll.employee.updated").get()
    assert event.details["fields"] == ["address"] and "Gade" not in str(event.details)


def test_an_officer_registers_an_employee(two):
    a, _b = two
    client = _client(a.officer)
    assert client.get(reverse("payroll:employee-create")).status_code == 200
    answer = client.post(
        reverse("payroll:employee-create"),
        {
            "number": "X1",
            "name": "Ny Person",
            "cpr": "010190-4321",
            "address": "Vej 3, 2100 København Ø",
        },
    )
    emp = Employee.objects.get(institution=a.institution, number="X1")
    assert answer["Location"] == reverse("payroll:employee-detail", args=[emp.pk])
    assert (emp.name, emp.cpr_last4, emp.address) == (
        "Ny Person",
        "4321",
        "Vej 3, 2100 København Ø",
    )
    bad = client.post(
        reverse("payroll:employee-create"), {"number": "X2", "name": "N", "cpr": "12"}
    )
    assert bad.status_code == 200 and not Employee.objects.filter(number="X2").exists()


def test_another_institutions_officer_gets_404_and_nothing_changes(two):
    a, b = two
    emp = a.employee("AC")
    foreign = _client(b.officer)
    before = (
        PendingChange.objects.count(),
        AuditEvent.objects.count(),
        PersonalDataAccess.objects.count(),
    )
    urls = [reverse("payroll:employee-detail", args=[emp.pk]), *_form_urls(emp)]
    assert [foreign.get(url).status_code for url in urls] == [404] * len(urls)
    posts = [*_form_urls(emp), reverse("payroll:employee-cpr", args=[emp.pk])]
    assert [foreign.post(url, {"address": "x"}).status_code for url in posts] == [404] * len(posts)
    after = (
        PendingChange.objects.count(),
        AuditEvent.objects.count(),
        PersonalDataAccess.objects.count(),
    )
    assert after == before and Employee.objects.get(pk=emp.pk).address == ""


def test_the_self_service_employee_sees_no_employee_page(two):
    a, _b = two
    me = UserFactory()
    MembershipFactory(institution=a.institution, user=me, role=PAYROLL_EMPLOYEE)
    mine = a.employee("AC", user=me)
    client = _client(me)
    assert client.get(reverse("payroll:employee-list")).status_code == 403
    assert client.get(reverse("payroll:employee-create")).status_code == 403
    urls = [reverse("payroll:employee-detail", args=[mine.pk]), *_form_urls(mine)]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert client.post(reverse("payroll:employee-cpr", args=[mine.pk])).status_code == 404
    assert PersonalDataAccess.objects.count() == 0


def test_the_menu_links_employees_for_officers_only(two):
    a, _b = two
    url = reverse("payroll:employee-list")
    assert f'href="{url}"'.encode() in _client(a.officer).get(reverse("payroll:run-list")).content
    me = UserFactory()
    MembershipFactory(institution=a.institution, user=me, role=PAYROLL_EMPLOYEE)
    assert f'href="{url}"'.encode() not in _client(me).get(reverse("payroll:my-payslips")).content


def test_a_new_employee_gets_an_employment_only_by_a_proposed_change(two):
    a, _b = two
    client = _client(a.officer)
    client.post(
        reverse("payroll:employee-create"),
        {"number": "X1", "name": "Ny Person", "cpr": "010190-4321", "address": ""},
    )
    emp = Employee.objects.get(institution=a.institution, number="X1")
    answer = client.post(
        reverse("payroll:employee-new-employment", args=[emp.pk]),
        {
            "org_unit": a.unit.pk,
            "position": "Fuldmægtig",
            "agreement": "AC",
            "weekly_hours": "37.00",
            "frequency": "monthly",
            "start": "2026-08-01",
        },
    )
    assert answer["Location"] == reverse("payroll:employee-detail", args=[emp.pk])
    change = PendingChange.objects.get(employee=emp)
    assert (change.kind, change.operation, change.state) == ("employment", "create", "pending")
    assert change.values == {
        "org_unit_id": a.unit.pk,
        "position": "Fuldmægtig",
        "agreement": "AC",
        "weekly_hours": "37.00",
        "frequency": "monthly",
        "start": "2026-08-01",
    }
    assert not Employment.objects.filter(employee=emp).exists()
    _client(a.second).post(reverse("payroll:change-action", args=[change.pk, "approve"]))
    assert Employment.objects.get(employee=emp).position == "Fuldmægtig"


def test_a_controller_reads_the_pages_but_cannot_propose_or_read_the_cpr(two):
    a, _b = two
    emp = a.employee("AC")
    reader = UserFactory()
    MembershipFactory(institution=a.institution, user=reader, role=Role.CONTROLLER)
    client = _client(reader)
    assert client.get(reverse("payroll:employee-list")).status_code == 200
    page = client.get(reverse("payroll:employee-detail", args=[emp.pk]))
    assert page.status_code == 200
    assert reverse("payroll:employee-cpr", args=[emp.pk]).encode() not in page.content
    assert reverse("payroll:employee-bank", args=[emp.pk]).encode() not in page.content
    before = (PendingChange.objects.count(), PersonalDataAccess.objects.count())
    assert client.get(reverse("payroll:employee-create")).status_code == 403
    assert [client.get(url).status_code for url in _form_urls(emp)] == [403] * 6
    assert client.post(reverse("payroll:employee-cpr", args=[emp.pk])).status_code == 403
    assert (PendingChange.objects.count(), PersonalDataAccess.objects.count()) == before
