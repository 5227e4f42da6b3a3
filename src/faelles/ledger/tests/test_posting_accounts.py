"""The posting accounts of an institution (its ledger configuration): defaults at chart
adoption and by the data migration, validation against the institution's own chart, who may
change them (page and API), that a change never touches posted entries, and that another
institution's configuration answers like a missing one."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from faelles.core.audit import Refused
from faelles.core.models import AuditEvent
from faelles.ledger import selectors, services
from faelles.ledger.models import Account, JournalLine, PostingAccounts
from faelles.ledger.selectors import PostingAccountNumbers
from faelles.ledger.tests.factories import (
    expense_spec,
    make_bookkeeper,
    make_institution,
    make_user,
)
from faelles.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db

DEFAULTS = PostingAccountNumbers(payables="9110", input_vat="5620", bank="5810")


def _numbers(institution):
    config = PostingAccounts.objects.select_related(
        "payables_account", "input_vat_account", "bank_account"
    ).get(institution=institution)
    return (
        config.payables_account.number,
        config.input_vat_account.number,
        config.bank_account.number,
    )


def _member(institution, role):
    user = make_user()
    Membership.objects.create(user=user, institution=institution, role=role)
    return user


def _local(institution, actor, parent, number):
    return services.account_create_local(
        actor=actor, institution=institution, parent_number=parent, number=number, name=number
    )


@pytest.fixture
def books():
    a, b = make_institution(), make_institution()
    keeper_a = make_bookkeeper(a)
    return {
        "a": a,
        "b": b,
        "keeper_a": keeper_a,
        "keeper_b": make_bookkeeper(b),
        "admin_a": _member(a, Role.LOCAL_ADMIN),
        "controller_a": _member(a, Role.CONTROLLER),
        "requester_a": _member(a, Role.REQUESTER),
        "local_a": _local(a, keeper_a, "9110", "91105"),
    }


def test_chart_adoption_gives_the_common_posting_accounts_once_with_an_audit_event(books):
    a = books["a"]
    assert _numbers(a) == ("9110", "5620", "5810")
    assert selectors.posting_accounts(a) == DEFAULTS
    assert (
        AuditEvent.objects.filter(institution=a, action="ledger.posting_accounts.created").count()
        == 1
    )

    services.chart_adopt(actor=books["keeper_a"], institution=a)  # again: idempotent

    assert PostingAccounts.objects.filter(institution=a).count() == 1
    assert (
        AuditEvent.objects.filter(institution=a, action="ledger.posting_accounts.created").count()
        == 1
    )


def test_an_institution_without_configuration_posts_to_the_common_accounts(books):
    PostingAccounts.objects.filter(institution=books["a"]).delete()
    assert selectors.posting_accounts(books["a"]) == DEFAULTS


def test_the_data_migration_gives_every_institution_with_a_chart_the_old_accounts_and_reverses():
    migration = importlib.import_module("faelles.ledger.migrations.0005_posting_accounts_defaults")
    a, b = make_institution(), make_institution()
    PostingAccounts.objects.all().delete()
    Account.objects.filter(institution=b, number="5810").update(number="5819")  # b lacks one

    migration.forwards(apps, None)

    assert list(PostingAccounts.objects.values_list("institution_id", flat=True)) == [a.pk]
    assert _numbers(a) == ("9110", "5620", "5810")
    migration.forwards(apps, None)  # idempotent
    assert PostingAccounts.objects.count() == 1

    migration.backwards(apps, None)

    assert PostingAccounts.objects.count() == 0


def test_a_bookkeeper_changes_the_accounts_with_an_audit_event(books):
    a = books["a"]

    services.posting_accounts_set(
        actor=books["keeper_a"],
        institution=a,
        payables_account="91105",
        input_vat_account="5620",
        bank_account="5810",
    )

    assert _numbers(a) == ("91105", "5620", "5810")
    assert selectors.posting_accounts(a) == PostingAccountNumbers("91105", "5620", "5810")
    event = AuditEvent.objects.filter(action="ledger.posting_accounts.updated").get()
    assert (event.institution_id, event.actor_id, event.details) == (
        a.pk,
        books["keeper_a"].pk,
        {"payables_account": ["9110", "91105"]},
    )
    assert _numbers(books["b"]) == ("9110", "5620", "5810")


def test_the_local_administrator_may_change_them_and_no_change_records_nothing(books):
    before = AuditEvent.objects.count()
    services.posting_accounts_set(
        actor=books["admin_a"],
        institution=books["a"],
        payables_account="9110",
        input_vat_account="5620",
        bank_account="5810",
    )
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("who", ["controller_a", "requester_a", "keeper_b"])
def test_others_are_refused_the_refusal_recorded_and_nothing_changed(books, who):
    with pytest.raises(Refused) as caught:
        services.posting_accounts_set(
            actor=books[who],
            institution=books["a"],
            payables_account="91105",
            input_vat_account="5620",
            bank_account="5810",
        )
    assert caught.value.refusal_code == "not_permitted"
    assert _numbers(books["a"]) == ("9110", "5620", "5810")
    refused = AuditEvent.objects.filter(action="ledger.posting_accounts.update.refused").get()
    assert (refused.institution_id, refused.actor_id) == (books["a"].pk, books[who].pk)


@pytest.mark.parametrize(
    ("field", "number", "code"),
    [
        ("payables_account", "9999", "unknown"),  # not in the chart
        ("bank_account", "58", None),  # a sum account
        ("input_vat_account", "closed", None),  # closed
    ],
)
def test_accounts_must_be_postable_active_accounts_of_the_chart(books, field, number, code):
    a = books["a"]
    if number == "closed":
        closed = _local(a, books["keeper_a"], "5620", "56209")
        services.account_update(actor=books["keeper_a"], account=closed, is_active=False)
        number = closed.number
    values = {"payables_account": "9110", "input_vat_account": "5620", "bank_account": "5810"}
    values[field] = number
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.posting_accounts_set(actor=books["keeper_a"], institution=a, **values)

    assert list(caught.value.error_dict) == [field]
    if code:
        assert caught.value.error_dict[field][0].code == code
    assert _numbers(a) == ("9110", "5620", "5810")
    assert AuditEvent.objects.count() == before


def test_another_institutions_account_is_not_in_the_chart(books):
    services.account_create_local(
        actor=books["keeper_b"],
        institution=books["b"],
        parent_number="9110",
        number="91107",
        name="B's",
    )
    with pytest.raises(ValidationError) as caught:
        services.posting_accounts_set(
            actor=books["keeper_a"],
            institution=books["a"],
            payables_account="91107",
            input_vat_account="5620",
            bank_account="5810",
        )
    assert caught.value.error_dict["payables_account"][0].code == "unknown"


def test_the_model_refuses_an_account_of_another_institution(books):
    config = PostingAccounts.objects.get(institution=books["a"])
    config.bank_account = Account.objects.get(institution=books["b"], number="5810")
    with pytest.raises(ValidationError) as caught:
        config.full_clean()
    assert list(caught.value.error_dict) == ["bank_account"]


def test_a_change_never_alters_posted_entries(books):
    a = books["a"]
    entry = services.entry_record(
        actor=books["keeper_a"], institution=a, spec=expense_spec(source_id="X")
    )
    lines = list(
        JournalLine.objects.filter(entry=entry)
        .order_by("line_no")
        .values_list("account__number", "debit", "credit")
    )

    services.posting_accounts_set(
        actor=books["keeper_a"],
        institution=a,
        payables_account="91105",
        input_vat_account="5620",
        bank_account="5810",
    )

    assert (
        list(
            JournalLine.objects.filter(entry=entry)
            .order_by("line_no")
            .values_list("account__number", "debit", "credit")
        )
        == lines
    )
    assert lines[-1] == ("9110", Decimal("0.00"), Decimal("1250.00"))


# --- the page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("keeper_a", 200), ("admin_a", 200), ("controller_a", 403), ("requester_a", 403)],
)
def test_the_page_by_role(client, books, who, status):
    client.force_login(books[who])
    assert client.get(reverse("ledger:posting-accounts")).status_code == status


def test_the_page_shows_and_changes_the_current_institutions_accounts(client, books):
    client.force_login(books["keeper_a"])
    page = client.get(reverse("ledger:posting-accounts")).content.decode()
    assert '<option value="9110" selected>' in page
    assert '<option value="91105">' in page

    response = client.post(
        reverse("ledger:posting-accounts"),
        {"payables_account": "91105", "input_vat_account": "5620", "bank_account": "5810"},
    )

    assert response.status_code == 302
    assert _numbers(books["a"]) == ("91105", "5620", "5810")


def test_the_page_offers_no_sum_account_and_refuses_one(client, books):
    client.force_login(books["keeper_a"])
    page = client.get(reverse("ledger:posting-accounts")).content.decode()
    assert '<option value="58">' not in page

    response = client.post(
        reverse("ledger:posting-accounts"),
        {"payables_account": "9110", "input_vat_account": "5620", "bank_account": "58"},
    )

    assert response.status_code == 200
    assert _numbers(books["a"]) == ("9110", "5620", "5810")


def test_a_refused_post_on_the_page_changes_nothing(client, books):
    client.force_login(books["controller_a"])
    response = client.post(
        reverse("ledger:posting-accounts"),
        {"payables_account": "91105", "input_vat_account": "5620", "bank_account": "5810"},
    )
    assert response.status_code == 403
    assert _numbers(books["a"]) == ("9110", "5620", "5810")


# --- the API --------------------------------------------------------------------------------


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_lists_only_the_readers_institutions(books):
    response = _api(books["controller_a"]).get("/api/v1/ledger/posting-accounts/")
    assert response.status_code == 200
    assert [row["institution"] for row in response.json()["results"]] == [books["a"].pk]


def test_the_api_shows_and_changes_the_accounts(books):
    url = f"/api/v1/ledger/posting-accounts/{books['a'].pk}/"
    assert _api(books["controller_a"]).get(url).json() == {
        "institution": books["a"].pk,
        "payables_account": "9110",
        "input_vat_account": "5620",
        "bank_account": "5810",
    }

    response = _api(books["keeper_a"]).patch(url, {"payables_account": "91105"}, format="json")

    assert response.status_code == 200
    assert response.json()["payables_account"] == "91105"
    assert _numbers(books["a"]) == ("91105", "5620", "5810")


def test_the_api_refuses_a_reader_and_an_unknown_account(books):
    url = f"/api/v1/ledger/posting-accounts/{books['a'].pk}/"
    body = {"payables_account": "91105", "input_vat_account": "5620", "bank_account": "5810"}
    assert _api(books["controller_a"]).put(url, body, format="json").status_code == 403
    bad = {**body, "bank_account": "9999"}
    assert _api(books["keeper_a"]).put(url, bad, format="json").status_code == 400
    assert _numbers(books["a"]) == ("9110", "5620", "5810")


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_another_institutions_configuration_answers_404_and_nothing_changes(books, method):
    url = f"/api/v1/ledger/posting-accounts/{books['a'].pk}/"
    body = {"payables_account": "9110", "input_vat_account": "5620", "bank_account": "5810"}
    before = AuditEvent.objects.count()
    response = getattr(_api(books["keeper_b"]), method)(url, body, format="json")
    assert response.status_code == 404
    missing = f"/api/v1/ledger/posting-accounts/{books['b'].pk + 1000}/"
    assert getattr(_api(books["keeper_b"]), method)(missing, body, format="json").status_code == 404
    assert _numbers(books["a"]) == ("9110", "5620", "5810")
    assert AuditEvent.objects.count() == before
