"""Payroll pages: the permission matrix with a cross-institution case on every route, the
two-person rule through the pages, self-service seeing only one's own payslips."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from faelles.core.models import AuditEvent, PersonalDataAccess
from faelles.payroll.models import PayRun, Payslip, PendingChange
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
    a = payroll_setup()
    b = payroll_setup()
    return a, b


def test_an_officer_approves_and_a_second_officer_gives_the_second_approval(two):
    a, _b = two
    a.employee("AC")
    run = monthly_run(a, 5)
    first, second = _client(a.officer), _client(a.second)
    page = first.get(reverse("payroll:run-detail", args=[run.pk]))
    assert page.status_code == 200 and b'data-action="approve"' in page.content
    first.post(reverse("payroll:run-action", args=[run.pk, "approve"]))
    assert PayRun.objects.get(pk=run.pk).state == PayRun.State.APPROVED
    first.post(reverse("payroll:run-action", args=[run.pk, "second_approve"]))
    assert PayRun.objects.get(pk=run.pk).state == PayRun.State.APPROVED
    assert AuditEvent.objects.filter(action="payroll.run.second_approve.refused").count() == 1
    second.post(reverse("payroll:run-action", args=[run.pk, "second_approve"]))
    run = PayRun.objects.get(pk=run.pk)
    assert run.state == PayRun.State.SECOND_APPROVED and run.entry_id is not None


def test_the_maker_cannot_approve_their_change_through_the_page(two):
    a, _b = two
    emp = a.employee("AC")
    from datetime import date

    from faelles.payroll import services
    from faelles.payroll.models import PayElement

    change = services.change_propose(
        actor=a.officer,
        employee=emp,
        kind=PendingChange.Kind.PAY_ELEMENT,
        values={"amount": "1.00"},
        target=PayElement.objects.get(employment__employee=emp),
        effective_from=date(2026, 5, 1),
    )
    _client(a.officer).post(reverse("payroll:change-action", args=[change.pk, "approve"]))
    assert PendingChange.objects.get(pk=change.pk).state == PendingChange.State.PENDING
    listing = _client(a.second).get(reverse("payroll:change-list"))
    assert listing.status_code == 200 and f'data-change="{change.pk}"'.encode() in listing.content
    _client(a.second).post(reverse("payroll:change-action", args=[change.pk, "approve"]))
    assert PendingChange.objects.get(pk=change.pk).state == PendingChange.State.APPROVED


def test_every_route_answers_404_to_another_institutions_officer_and_changes_nothing(two):
    a, b = two
    a.employee("AC")
    run = monthly_run(a, 5)
    slip = Payslip.objects.get(run=run)
    change = PendingChange.objects.filter(institution=a.institution).first()
    foreign = _client(b.officer)
    before = (
        PayRun.objects.get(pk=run.pk).state,
        AuditEvent.objects.count(),
        PersonalDataAccess.objects.count(),
        Payslip.objects.filter(stopped=True).count(),
    )
    gets = [
        reverse("payroll:run-detail", args=[run.pk]),
        reverse("payroll:run-pain001", args=[run.pk]),
        reverse("payroll:run-eindkomst", args=[run.pk]),
        reverse("payroll:payslip-detail", args=[slip.pk]),
        reverse("payroll:payslip-pdf", args=[slip.pk]),
    ]
    posts = [
        reverse("payroll:run-action", args=[run.pk, action])
        for action in ("calculate", "approve", "second_approve", "mark_paid")
    ] + [
        reverse("payroll:payslip-stop", args=[slip.pk]),
        reverse("payroll:change-action", args=[change.pk, "approve"]),
        reverse("payroll:change-action", args=[change.pk, "reject"]),
    ]
    assert [foreign.get(url).status_code for url in gets] == [404] * len(gets)
    assert [foreign.post(url, {"reason": "x"}).status_code for url in posts] == [404] * len(posts)
    after = (
        PayRun.objects.get(pk=run.pk).state,
        AuditEvent.objects.count(),
        PersonalDataAccess.objects.count(),
        Payslip.objects.filter(stopped=True).count(),
    )
    assert after == before
    # Their own lists do not show A's rows.
    assert f'data-run="{run.pk}"'.encode() not in foreign.get(reverse("payroll:run-list")).content


def test_an_employee_sees_their_own_final_payslips_and_nothing_else(two):
    a, _b = two
    me = UserFactory()
    mine = a.employee("HK", user=me)
    a.employee("AC")
    run = monthly_run(a, 5)
    my_slip = Payslip.objects.get(run=run, employee=mine)
    other = Payslip.objects.exclude(pk=my_slip.pk).get(run=run)
    client = _client(me)
    # A draft is not shown to the employee.
    assert client.get(reverse("payroll:payslip-detail", args=[my_slip.pk])).status_code == 404
    pay(a, run)
    listing = client.get(reverse("payroll:my-payslips"))
    assert f'data-payslip="{my_slip.pk}"'.encode() in listing.content
    assert f'data-payslip="{other.pk}"'.encode() not in listing.content
    html = client.get(reverse("payroll:payslip-detail", args=[my_slip.pk]))
    assert html.status_code == 200 and b"XXXXXX-" in html.content
    pdf = client.get(reverse("payroll:payslip-pdf", args=[my_slip.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert client.get(reverse("payroll:payslip-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("payroll:run-detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("payroll:run-pain001", args=[run.pk])).status_code == 404


def test_downloading_the_eindkomst_report_logs_the_cpr_reads(two):
    a, _b = two
    a.employee("AC")
    a.employee("HK")
    run = monthly_run(a, 5)
    before = PersonalDataAccess.objects.count()
    response = _client(a.officer).get(reverse("payroll:run-eindkomst", args=[run.pk]))
    assert response.status_code == 200
    assert "DRAFT" in response["Content-Disposition"]
    assert PersonalDataAccess.objects.count() == before + 2
