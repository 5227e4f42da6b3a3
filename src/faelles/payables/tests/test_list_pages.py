"""The big lists page without counting: the invoice API by keyset (``cursor``), with or
without a trailing slash, and the inbox 50 rows a page, its htmx fragment the results only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from faelles.payables import services
from faelles.payables.models import Invoice
from faelles.payables.tests.factories import make_world
from faelles.payables.views_inbox import INBOX_PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(dkk_document):
    world = make_world()
    services.routing_rule_create(
        actor=world.receiver,
        institution=world.institution,
        requester=world.requester,
        buyer_reference="0150abc",
    )
    # Two batches: the first 30 share one received time, the next 30 another.
    for start in (0, 30):
        sources = [(dkk_document(number=f"P{n:03d}"), "") for n in range(start, start + 30)]
        list(services.documents_receive(sources=sources, channel="import"))
    return world


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_invoice_api_pages_by_keyset_newest_first_without_a_count(world):
    client = _client(world.requester)
    expected = list(
        Invoice.objects.filter(institution=world.institution)
        .order_by("-received_at", "-pk")
        .values_list("pk", flat=True)
    )
    seen: list[int] = []
    url: str | None = reverse("payables-api:invoice-list") + "?limit=7"
    pages = 0
    while url:
        body = client.get(url).json()
        assert set(body) == {"next", "results"}
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        pages += 1
    assert seen == expected
    assert pages == 9  # 60 invoices, 7 a page


def test_the_invoice_api_answers_with_and_without_a_trailing_slash(world):
    client = _client(world.requester)
    plain = client.get("/api/v1/payables/invoices")
    slash = client.get("/api/v1/payables/invoices/")
    assert plain.status_code == slash.status_code == 200
    assert plain.json()["results"] == slash.json()["results"]
    assert len(slash.json()["results"]) == 50
    invoice = Invoice.objects.filter(institution=world.institution).first()
    assert client.get(f"/api/v1/payables/invoices/{invoice.pk}/").json()["id"] == invoice.pk


def test_a_malformed_cursor_is_404(world):
    client = _client(world.requester)
    url = reverse("payables-api:invoice-list")
    assert client.get(url, {"cursor": "not-a-cursor"}).status_code == 404
    assert client.get(url, {"cursor": "WzFd"}).status_code == 404  # [1]: one value of two


def test_the_inbox_shows_fifty_rows_a_page_and_links_the_next(world):
    client = _client(world.requester)
    first = client.get(reverse("payables:inbox"))
    html = first.content.decode()
    assert len(first.context["invoices"]) == INBOX_PAGE == 50
    assert 'id="inbox-next"' in html
    second = client.get(reverse("payables:inbox"), {"page": "2"})
    assert len(second.context["invoices"]) == 10
    assert 'id="inbox-next"' not in second.content.decode()
    shown = [i.pk for i in first.context["invoices"]] + [i.pk for i in second.context["invoices"]]
    assert sorted(shown) == sorted(
        Invoice.objects.filter(institution=world.institution).values_list("pk", flat=True)
    )


def test_the_inbox_fragment_is_the_results_only(world):
    client = _client(world.requester)
    fragment = client.get(reverse("payables:inbox"), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="invoices"' in fragment
    assert "<html" not in fragment
    assert 'name="scope"' not in fragment  # no filter form
