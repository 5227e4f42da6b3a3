"""Numbers and dates out of range give a form error, never a 500: years, amounts with too many
digits, dates past what the platform books, priorities past the database's integers, page
numbers and ids in query strings."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.urls import reverse

from faelles.ledger.forms import ManualEntryForm, StatementForm
from faelles.ledger.models import FiscalYear, JournalEntry
from faelles.ledger.tests.factories import make_bookkeeper, make_institution
from faelles.payables.models import RoutingRule
from faelles.tenancy.models import Delegation, Membership, Role
from faelles.web.forms import DATE_MAX, INTEGER_MAX, DkfdsFormMixin

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def keeper(client):
    institution = make_institution()
    user = make_bookkeeper(institution)
    client.force_login(user)
    return institution


def _messages(response):
    return [str(m) for m in response.wsgi_request._messages]


@pytest.mark.parametrize("year", ["99999", "0", "-1", HUGE, "1999", "2101", "abc", ""])
def test_opening_a_fiscal_year_out_of_range_is_a_message_not_a_500(client, keeper, year):
    before = FiscalYear.objects.count()
    response = client.post(
        reverse("ledger:fiscal-year-open"), {"year": year}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:period-list")
    assert _messages(response) == ["Give the year as a number from 2000 to 2100."]
    assert FiscalYear.objects.count() == before


def test_opening_a_fiscal_year_in_range_still_works(client, keeper):
    response = client.post(reverse("ledger:fiscal-year-open"), {"year": "2031"})
    assert response.status_code == 302
    assert FiscalYear.objects.filter(institution=keeper, year=2031).count() == 1


@pytest.mark.parametrize("year", ["99999", "0", HUGE, "abc"])
def test_the_cost_report_falls_back_to_this_year_for_a_year_out_of_range(client, keeper, year):
    response = client.get(reverse("ledger:costs"), {"year": year})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("ledger:trial-balance", {"year": "99999", "period_from": HUGE, "period_to": "-5"}, 200),
        (
            "ledger:account-statement",
            {"account": "1", "date_from": "9999-12-31", "date_to": "0001-01-01"},
            200,
        ),
        # A page that does not exist is a 404, as for any missing page.
        ("ledger:entry-list", {"page": HUGE}, 404),
        ("ledger:account-list", {"page": "-1"}, 404),
    ],
)
def test_ledger_reports_and_lists_take_bad_numbers_without_a_500(
    client, keeper, path, params, status
):
    response = client.get(reverse(path), params)
    assert response.status_code == status


def test_a_manual_entry_with_a_date_or_amount_out_of_range_is_a_form_error(client, keeper):
    data = {
        "date": "9999-12-31",
        "description": "x",
        "account_1": "1000",
        "debit_1": "1" * 20,
        "account_2": "2000",
        "credit_2": "1.001",
    }
    before = JournalEntry.objects.count()
    response = client.post(reverse("ledger:entry-create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["date"] == ["Give a date in 2199 or earlier."]
    assert form.errors["debit_1"] == ["Ensure that there are no more than 18 digits in total."]
    assert form.errors["credit_2"] == ["Ensure that there are no more than 2 decimal places."]
    assert JournalEntry.objects.count() == before


def test_ledger_forms_bound_their_dates():
    form = StatementForm({"account": "1", "date_from": "1899-12-31", "date_to": "2200-01-01"})
    assert not form.is_valid()
    assert set(form.errors) == {"date_from", "date_to"}
    entry = ManualEntryForm({"date": "1899-12-31", "description": "x"})
    assert not entry.is_valid()
    assert "date" in entry.errors


class _Probe(DkfdsFormMixin, forms.Form):
    count = forms.IntegerField()
    small = forms.IntegerField(min_value=0, max_value=10)
    amount = forms.DecimalField(decimal_places=2)
    day = forms.DateField()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"count": str(INTEGER_MAX + 1)}, "count"),
        ({"count": str(-INTEGER_MAX - 1)}, "count"),
        ({"small": "11"}, "small"),
        ({"amount": "1" * 17 + ".00"}, "amount"),
        ({"day": "2200-01-01"}, "day"),
        ({"day": "1899-12-31"}, "day"),
        ({"day": "99999-01-01"}, "day"),
    ],
)
def test_every_dkfds_form_bounds_its_numbers_and_dates(data, field):
    full = {"count": "1", "small": "1", "amount": "1.00", "day": "2024-01-01", **data}
    form = _Probe(full)
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_the_bounds_keep_tighter_ones_and_accept_the_edges():
    form = _Probe(
        {
            "count": str(INTEGER_MAX),
            "small": "10",
            "amount": "1" * 16 + ".00",
            "day": DATE_MAX.isoformat(),
        }
    )
    assert form.is_valid(), form.errors
    assert form.fields["small"].max_value == 10
    assert form.cleaned_data["day"] == date(2199, 12, 31)


def test_a_routing_rule_priority_past_the_database_integer_is_a_form_error(client, world):
    from faelles.payables.forms import RoutingRuleForm

    form = RoutingRuleForm(
        {"priority": str(INTEGER_MAX + 1), "requester": world.requester_a.pk},
        institution=world.a,
    )
    assert not form.is_valid()
    assert list(form.errors) == ["priority"]
    assert form.errors.as_data()["priority"][0].code == "max_value"
    assert RoutingRule.objects.count() == 0


def test_a_delegation_date_out_of_range_is_a_form_error(client, world):
    client.force_login(world.admin_b)
    before = Delegation.objects.count()
    response = client.post(
        reverse("tenancy:delegation-create"),
        {
            "principal": world.membership_b.user_id,
            "substitute": world.admin_b.pk,
            "valid_from": "2024-01-01",
            "valid_to": "9999-12-31",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Give a date in 2199 or earlier." in response.content.decode()
    assert Delegation.objects.count() == before


def test_an_approval_limit_with_too_many_digits_is_a_form_error(client, world):
    client.force_login(world.admin_a)
    before = list(Membership.objects.values_list("pk", "approval_limit"))
    response = client.post(
        reverse("tenancy:membership-create"),
        {"user": world.requester_a.pk, "role": Role.APPROVER, "approval_limit": "9" * 25},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Ensure that there are no more than 18 digits in total." in response.content.decode()
    assert list(Membership.objects.values_list("pk", "approval_limit")) == before


@pytest.mark.parametrize("value", [HUGE, "-1", "0", "abc"])
def test_switching_to_an_institution_id_out_of_range_is_a_404(client, world, value):
    client.force_login(world.multi)
    response = client.post(reverse("web:switch-institution"), {"institution": value})
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["tenancy:user-list", "tenancy:institution-list"])
@pytest.mark.parametrize("page", [HUGE, "-1", "abc"])
def test_lists_answer_404_for_any_page_that_does_not_exist(client, world, path, page):
    client.force_login(world.op_admin)
    response = client.get(reverse(path), {"page": page})
    assert response.status_code == 404
