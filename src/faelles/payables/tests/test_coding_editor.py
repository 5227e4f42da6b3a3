"""The coding editor as a clerk uses it: a picker of the institution's accounts, cost centres
and purposes (and nothing of another institution's), each error on its own field, amounts in
the reader's number format, and as many split rows as a line needs."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from faelles.payables import services
from faelles.payables.coding_views import parse_amount
from faelles.payables.models import InvoiceAllocation
from faelles.payables.tests.factories import make_world
from faelles.tenancy.models import OrgUnit

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def world():
    w = make_world()
    services.routing_rule_create(
        actor=w.receiver,
        institution=w.institution,
        requester=w.requester,
        buyer_reference="0150abc",
    )
    return w


@pytest.fixture
def invoice(world, dkk_document):
    return services.document_receive(content=dkk_document(), channel="api").invoice


def _client(language="en"):
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def _rest_of_invoice():
    return {
        "l2-rows": "1", "l2-0-account": "2210", "l2-0-org_unit": "100", "l2-0-amount": "-1500",
        "l3-rows": "1", "l3-0-account": "2210", "l3-0-org_unit": "100", "l3-0-amount": "25",
    }  # fmt: skip


def test_the_picker_offers_the_institutions_accounts_cost_centres_and_purposes(world, invoice):
    other = make_world(gln="5790000000005")
    OrgUnit.objects.create(institution=other.institution, code="999", name="Fremmed enhed")
    client = _client()
    client.force_login(world.receiver)
    html = client.get(reverse("payables:invoice-code", args=[invoice.pk])).content.decode()

    assert '<option value="2210">2210 Kontorartikler og forbrugsvarer</option>' in html
    assert '<option value="100">100 Sekretariat</option>' in html
    assert '<option value="P1">P1 Tilskudspulje 1</option>' in html
    assert 'name="l1-0-account" value="" list="coding-accounts" autocomplete="off"' in html
    assert "Fremmed enhed" not in html
    # Only postable accounts: no sum accounts in the picker.
    assert html.count('<datalist id="coding-accounts">') == 1


def test_the_receiver_still_cannot_open_the_ledger(world, invoice):
    client = _client()
    client.force_login(world.receiver)
    assert client.get(reverse("ledger:account-list")).status_code == 403


def test_an_unknown_account_is_told_on_its_field_and_nothing_is_saved(world, invoice):
    client = _client()
    client.force_login(world.requester)
    response = client.post(
        reverse("payables:invoice-code", args=[invoice.pk]),
        {
            "l1-rows": "1", "l1-0-account": "9999", "l1-0-org_unit": "100",
            "l1-0-amount": "2800,00", **_rest_of_invoice(),
        },
    )  # fmt: skip

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        '<span class="form-error-message" id="err_l1-0-account">'
        "Account 9999 does not exist in the chart of accounts.</span>"
    ) in html
    assert 'aria-invalid="true" aria-describedby="err_l1-0-account"' in html
    assert "Line 1: Account 9999 does not exist in the chart of accounts." in html
    assert 'id="err_l1-0-amount"' not in html
    assert InvoiceAllocation.objects.count() == 0


def test_a_sum_that_does_not_match_is_told_on_its_line_in_danish_number_format(world, invoice):
    client = _client("da")
    client.force_login(world.requester)
    response = client.post(
        reverse("payables:invoice-code", args=[invoice.pk]),
        {
            "l1-rows": "2",
            "l1-0-account": "2210", "l1-0-org_unit": "100", "l1-0-amount": "2.000,00",
            "l1-1-account": "2220", "l1-1-org_unit": "200", "l1-1-amount": "900",
            **_rest_of_invoice(),
        },
    )  # fmt: skip

    assert response.status_code == 400
    html = response.content.decode()
    line_errors = html[
        html.index('id="line-1-errors"') : html.index("</ul>", html.index('id="line-1-errors"'))
    ]
    assert "2.900,00" in line_errors and "2.800,00" in line_errors
    assert "2900.00" not in html and "2800.00" not in html
    assert 'value="2.000,00"' in html  # what was typed stays
    assert InvoiceAllocation.objects.count() == 0


def test_an_amount_that_is_not_one_is_told_on_its_field(world, invoice):
    client = _client()
    client.force_login(world.requester)
    response = client.post(
        reverse("payables:invoice-code", args=[invoice.pk]),
        {"l1-rows": "1", "l1-0-account": "2210", "l1-0-amount": "abc", **_rest_of_invoice()},
    )
    assert response.status_code == 400
    assert (
        '<span class="form-error-message" id="err_l1-0-amount">abc is not an amount.</span>'
        in response.content.decode()
    )
    assert InvoiceAllocation.objects.count() == 0


def test_add_row_grows_a_line_past_three_rows_and_saves_nothing(world, invoice):
    client = _client()
    client.force_login(world.requester)
    url = reverse("payables:invoice-code", args=[invoice.pk])
    first = client.get(url).content.decode()
    assert 'name="l1-1-account"' in first and 'name="l1-2-account"' not in first

    grown = client.post(
        url,
        {"l1-rows": "3", "l1-0-account": "2210", "l1-0-amount": "100", "add_row": "1",
         **_rest_of_invoice()},
    )  # fmt: skip

    assert grown.status_code == 200
    html = grown.content.decode()
    assert 'name="l1-3-account"' in html and 'name="l1-4-account"' not in html
    assert '<input type="hidden" name="l1-rows" value="4">' in html
    assert 'name="l1-0-account" value="2210"' in html
    assert 'name="l2-1-account"' not in html
    assert InvoiceAllocation.objects.count() == 0


def test_a_line_split_over_five_rows_is_saved(world, invoice):
    client = _client()
    client.force_login(world.requester)
    rows = {"l1-rows": "5"}
    for i, amount in enumerate(["1000", "800", "500", "300", "200"]):
        rows |= {
            f"l1-{i}-account": "2210",
            f"l1-{i}-org_unit": "100" if i % 2 else "200",
            f"l1-{i}-vat_code": "I25",
            f"l1-{i}-amount": amount,
        }
    response = client.post(
        reverse("payables:invoice-code", args=[invoice.pk]), rows | _rest_of_invoice()
    )
    assert response.status_code == 302
    assert list(
        InvoiceAllocation.objects.filter(line__line_no=1).order_by("pk").values_list("amount")
    ) == [(D("1000.00"),), (D("800.00"),), (D("500.00"),), (D("300.00"),), (D("200.00"),)]


def test_a_huge_row_count_is_bounded(world, invoice):
    client = _client()
    client.force_login(world.requester)
    response = client.post(
        reverse("payables:invoice-code", args=[invoice.pk]),
        {"l1-rows": "99999999", "add_row": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<input type="hidden" name="l1-rows" value="200">' in html


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("4.900,00", D("4900.00")),
        ("4900,5", D("4900.5")),
        ("4,900.50", D("4900.50")),
        ("4900.50", D("4900.50")),
        ("1.234.567", D("1234567")),
        (" -1 500,00 ", D("-1500.00")),
    ],
)
def test_amounts_are_read_as_typed_in_danish_or_english(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["abc", "NaN", "Infinity", "", "1,2,3x"])
def test_what_is_not_an_amount_is_refused(typed):
    from decimal import InvalidOperation

    with pytest.raises((InvalidOperation, ValueError)):
        parse_amount(typed)


def test_the_invoice_page_links_to_the_editor_with_the_verb(world, invoice):
    client = _client()
    client.force_login(world.requester)
    html = client.get(reverse("payables:invoice-detail", args=[invoice.pk])).content.decode()
    code_url = reverse("payables:invoice-code", args=[invoice.pk])
    assert f'<a class="button button-secondary" href="{code_url}">Code</a>' in html
