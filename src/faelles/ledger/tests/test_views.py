"""Ledger pages and API: what each role may see and do, and that another institution's
ledger answers exactly like a missing one (404) with nothing changed."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from faelles.ledger import services
from faelles.ledger.models import EntryState, JournalEntry
from faelles.ledger.tests.factories import (
    expense_spec,
    make_bookkeeper,
    make_institution,
    make_user,
)
from faelles.tenancy.middleware import SESSION_KEY
from faelles.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db

PAGES = [
    "ledger:entry-list",
    "ledger:account-list",
    "ledger:period-list",
    "ledger:trial-balance",
    "ledger:account-statement",
    "ledger:statements",
    "ledger:vat",
    "ledger:costs",
]


@pytest.fixture
def books():
    a, b = make_institution(), make_institution()
    keeper_a, keeper_a2, keeper_b = make_bookkeeper(a), make_bookkeeper(a), make_bookkeeper(b)
    requester_a = make_user()
    Membership.objects.create(user=requester_a, institution=a, role=Role.REQUESTER)
    controller_a = make_user()
    Membership.objects.create(user=controller_a, institution=a, role=Role.CONTROLLER)
    entry_a = services.entry_record(actor=keeper_a, institution=a, spec=expense_spec(source_id="A"))
    entry_b = services.entry_record(actor=keeper_b, institution=b, spec=expense_spec(source_id="B"))
    draft_b = services.entry_create(actor=keeper_b, institution=b, spec=expense_spec("50.00"))
    return {
        "a": a,
        "b": b,
        "keeper_a": keeper_a,
        "keeper_a2": keeper_a2,
        "keeper_b": keeper_b,
        "requester_a": requester_a,
        "controller_a": controller_a,
        "entry_a": entry_a,
        "entry_b": entry_b,
        "draft_b": draft_b,
    }


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("who", "status"), [("keeper_a", 200), ("controller_a", 200), ("requester_a", 403)]
)
def test_ledger_pages_by_role(client, books, page, who, status):
    client.force_login(books[who])
    assert client.get(reverse(page)).status_code == status


def test_entry_create_page_is_for_bookkeepers_only(client, books):
    client.force_login(books["controller_a"])
    assert client.get(reverse("ledger:entry-create")).status_code == 403
    client.force_login(books["keeper_a"])
    assert client.get(reverse("ledger:entry-create")).status_code == 200


def test_entry_detail_shows_lines_totals_and_the_audit_trail(client, books):
    client.force_login(books["controller_a"])
    response = client.get(reverse("ledger:entry-detail", args=[books["entry_a"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2210 Kontorartikler og forbrugsvarer" in html
    assert "ledger.entry.posted" in html
    assert books["entry_a"].hash in html


@pytest.mark.parametrize(
    "name", ["ledger:entry-detail", "ledger:entry-post", "ledger:entry-reverse"]
)
def test_another_institutions_entry_answers_like_a_missing_one(client, books, name):
    client.force_login(books["keeper_a"])
    method = client.get if name == "ledger:entry-detail" else client.post
    foreign = method(reverse(name, args=[books["draft_b"].pk]))
    missing = method(reverse(name, args=[999_999]))
    assert foreign.status_code == missing.status_code == 404
    assert JournalEntry.objects.get(pk=books["draft_b"].pk).state == EntryState.DRAFT
    assert not JournalEntry.objects.filter(reversal_of=books["entry_b"]).exists()


def test_another_institutions_period_cannot_be_closed(client, books):
    client.force_login(books["keeper_a"])
    period = books["b"].periods.get(number=1)
    response = client.post(reverse("ledger:period-state", args=[period.pk, "closed"]))
    assert response.status_code == 404
    period.refresh_from_db()
    assert period.state == "open"


def test_manual_entry_through_the_pages_needs_two_bookkeepers(client, books):
    a = books["a"]
    client.force_login(books["keeper_a"])
    response = client.post(
        reverse("ledger:entry-create"),
        {
            "date": "2026-05-04",
            "description": "Omposteringen",
            "voucher_ref": "M-1",
            "account_1": "2220",
            "org_unit_1": "100",
            "debit_1": "300.00",
            "account_2": "2210",
            "org_unit_2": "100",
            "credit_2": "300.00",
        },
    )
    draft = JournalEntry.objects.for_institution(a).get(description="Omposteringen")
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:entry-detail", args=[draft.pk])

    client.post(reverse("ledger:entry-post", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == EntryState.DRAFT

    client.force_login(books["keeper_a2"])
    client.post(reverse("ledger:entry-post", args=[draft.pk]))
    draft.refresh_from_db()
    assert (draft.state, draft.number) == (EntryState.POSTED, 2)


def test_an_unbalanced_manual_entry_is_saved_as_draft_but_never_posted(client, books):
    client.force_login(books["keeper_a"])
    client.post(
        reverse("ledger:entry-create"),
        {
            "date": "2026-05-04",
            "description": "Skæv",
            "account_1": "2220",
            "org_unit_1": "100",
            "debit_1": "300.00",
            "account_2": "9110",
            "credit_2": "299.00",
        },
    )
    draft = JournalEntry.objects.get(description="Skæv")
    client.force_login(books["keeper_a2"])
    response = client.post(reverse("ledger:entry-post", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.state == EntryState.DRAFT
    assert "300.00" in response.content.decode() and "299.00" in response.content.decode()


def test_a_manual_entry_with_an_unknown_account_is_refused_on_the_form(client, books):
    client.force_login(books["keeper_a"])
    response = client.post(
        reverse("ledger:entry-create"),
        {
            "date": "2026-05-04",
            "description": "Ukendt",
            "account_1": "4711",
            "debit_1": "1.00",
            "account_2": "9110",
            "credit_2": "1.00",
        },
    )
    assert response.status_code == 200
    assert "4711" in response.content.decode()
    assert not JournalEntry.objects.filter(description="Ukendt").exists()


def test_trial_balance_exports_csv_and_xlsx(client, books):
    client.force_login(books["keeper_a"])
    url = reverse("ledger:trial-balance")
    csv_text = client.get(url, {"year": 2026, "format": "csv"}).content.decode("utf-8-sig")
    rows = [line.split(";") for line in csv_text.strip().splitlines()]
    assert rows[1:] == [
        ["2210", "Kontorartikler og forbrugsvarer", "1000,00", "0,00", "1000,00"],
        ["5620", "Købsmoms", "250,00", "0,00", "250,00"],
        ["9110", "Leverandører af varer og tjenesteydelser", "0,00", "1250,00", "-1250,00"],
    ]
    xlsx = client.get(url, {"year": 2026, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]] == ["2210", "Kontorartikler og forbrugsvarer", 1000, 0, 1000]


def test_api_lists_only_the_requesters_institutions(books):
    api = APIClient()
    api.force_authenticate(books["keeper_a"])
    entries = api.get("/api/v1/ledger/entries/").json()["results"]
    assert [e["id"] for e in entries] == [books["entry_a"].pk]
    assert api.get(f"/api/v1/ledger/entries/{books['entry_b'].pk}/").status_code == 404
    tb = api.get("/api/v1/ledger/trial-balance/", {"institution": books["b"].pk, "year": 2026})
    assert tb.status_code == 404
    foreign = api.post(f"/api/v1/ledger/entries/{books['draft_b'].pk}/post/")
    assert foreign.status_code == 404
    assert JournalEntry.objects.get(pk=books["draft_b"].pk).state == EntryState.DRAFT


def test_api_trial_balance_balances(books):
    api = APIClient()
    api.force_authenticate(books["controller_a"])
    body = api.get(
        "/api/v1/ledger/trial-balance/", {"institution": books["a"].pk, "year": 2026}
    ).json()
    assert body["balanced"] is True
    assert body["total_debit"] == body["total_credit"] == "1250.00"


def test_api_manual_entry_draft_and_post_by_another_bookkeeper(books):
    api = APIClient()
    api.force_authenticate(books["keeper_a"])
    created = api.post(
        "/api/v1/ledger/entries/",
        {
            "institution": books["a"].pk,
            "date": "2026-06-01",
            "description": "API-postering",
            "lines": [
                {"account": "2220", "org_unit": "200", "debit": "10.00"},
                {"account": "5810", "credit": "10.00"},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    entry_id = created.json()["id"]
    refused = api.post(f"/api/v1/ledger/entries/{entry_id}/post/")
    assert refused.status_code == 400
    assert refused.json()["problems"][0]["code"] == "two_persons"
    api.force_authenticate(books["keeper_a2"])
    posted = api.post(f"/api/v1/ledger/entries/{entry_id}/post/")
    assert posted.status_code == 200
    assert posted.json()["state"] == "posted"
    assert Decimal(posted.json()["lines"][0]["debit"]) == Decimal("10.00")


def test_api_refuses_manual_entries_for_non_bookkeepers(books):
    api = APIClient()
    api.force_authenticate(books["controller_a"])
    response = api.post(
        "/api/v1/ledger/entries/",
        {
            "institution": books["a"].pk,
            "date": "2026-06-01",
            "description": "Nej",
            "lines": [{"account": "5810", "debit": "1"}, {"account": "9110", "credit": "1"}],
        },
        format="json",
    )
    assert response.status_code == 403
    assert not JournalEntry.objects.filter(description="Nej").exists()


def test_a_local_account_is_created_beneath_a_common_one(client, books):
    Membership.objects.create(user=books["keeper_a"], institution=books["b"], role=Role.REQUESTER)
    client.force_login(books["keeper_a"])
    # Work in A whatever the two institutions' names sort as.
    session = client.session
    session[SESSION_KEY] = books["a"].pk
    session.save()
    bad = client.post(
        reverse("ledger:account-create"), {"parent_number": "2210", "number": "2290", "name": "X"}
    )
    assert bad.status_code == 200
    assert not books["a"].accounts.filter(number="2290", is_common=False).exists()
    good = client.post(
        reverse("ledger:account-create"),
        {"parent_number": "2210", "number": "221010", "name": "Papir"},
    )
    assert good.status_code == 302
    account = books["a"].accounts.get(number="221010")
    assert (account.parent.number, account.requires_org_unit, account.is_common) == (
        "2210",
        True,
        False,
    )
    assert not books["b"].accounts.filter(number="221010").exists()


def test_controllers_cannot_create_accounts(client, books):
    client.force_login(books["controller_a"])
    assert client.get(reverse("ledger:account-create")).status_code == 403
