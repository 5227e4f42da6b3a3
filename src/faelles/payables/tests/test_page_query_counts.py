"""What the pages and lists under load cost in SQL: the approver's inbox (page and htmx
fragment), the invoice list API, an invoice page and the trial balance (page and API) answer in
at most ``BUDGET`` queries each, with 10 invoices and with 1,000 — the per-request facts (the
user's institutions and roles) are read once, and no query grows with the number of rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faelles.ledger import services as ledger
from faelles.payables import services
from faelles.payables.coding import AllocationSpec
from faelles.payables.models import Invoice
from faelles.payables.tests.factories import make_world

pytestmark = pytest.mark.django_db

BUDGET = 10
D = Decimal
CODING = [
    AllocationSpec(1, "2210", D("2800.00"), "100", vat_code="I25"),
    AllocationSpec(2, "2210", D("-1500.00"), "100", vat_code="I25"),
    AllocationSpec(3, "2210", D("25.00"), "100", vat_code="I25"),
]


@pytest.fixture(params=[10, 1000], ids=["10-invoices", "1000-invoices"])
def loaded(request, dkk_document):
    world = make_world()
    ledger.chart_adopt(actor=world.bookkeeper, institution=world.institution)
    ledger.fiscal_year_open(actor=world.bookkeeper, institution=world.institution, year=2026)
    services.routing_rule_create(
        actor=world.receiver,
        institution=world.institution,
        requester=world.requester,
        buyer_reference="0150abc",
    )
    sources = [(dkk_document(number=f"L{n:05d}"), "") for n in range(request.param)]
    intakes = list(services.documents_receive(sources=sources, channel="api"))
    assert Invoice.objects.filter(institution=world.institution).count() == request.param
    invoices = [i.invoice for i in intakes]
    # The last two wait for the approver: the approver's page reads the limit and bank changes.
    for invoice in invoices[-2:]:
        services.invoice_code(actor=world.receiver, invoice=invoice, allocations=CODING)
        services.invoice_attest(actor=world.requester, invoice=invoice)
    return world, invoices


def _count(client: Client, url: str, **headers: str) -> tuple[int, list[str]]:
    client.get(url, **headers)  # warm what is read once per process (content types, the chart)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    return len(queries), [q["sql"][:160] for q in queries]


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_requesters_inbox_page_with_every_invoice_waiting(loaded):
    world, _invoices = loaded
    n, sql = _count(_client(world.requester), reverse("payables:inbox"))
    assert n <= BUDGET, "\n".join(sql)


def test_the_approvers_own_inbox(loaded):
    world, _invoices = loaded
    n, sql = _count(_client(world.approver), reverse("payables:inbox"))
    assert n <= BUDGET, "\n".join(sql)


def test_the_approvers_inbox_page_and_its_htmx_fragment(loaded):
    world, _invoices = loaded
    client = _client(world.approver)
    n, sql = _count(client, reverse("payables:inbox") + "?scope=all")
    assert n <= BUDGET, "\n".join(sql)
    n, sql = _count(client, reverse("payables:inbox") + "?scope=all", HTTP_HX_REQUEST="true")
    assert n <= BUDGET, "\n".join(sql)


def test_the_invoice_list_api(loaded):
    world, _invoices = loaded
    n, sql = _count(_client(world.approver), reverse("payables-api:invoice-list"))
    assert n <= BUDGET, "\n".join(sql)


def test_an_invoice_page_for_the_requester_and_for_the_approver(loaded):
    world, invoices = loaded
    routed = reverse("payables:invoice-detail", args=[invoices[0].pk])
    n, sql = _count(_client(world.requester), routed)
    assert n <= BUDGET, "\n".join(sql)
    attested = reverse("payables:invoice-detail", args=[invoices[-1].pk])
    client = _client(world.approver)
    approve = reverse("payables:invoice-action", args=[invoices[-1].pk, "approve"])
    assert approve in client.get(attested).content.decode()  # the limit and changes were read
    n, sql = _count(client, attested)
    assert n <= BUDGET, "\n".join(sql)


def test_the_trial_balance_page_and_api(loaded):
    world, _invoices = loaded
    client = _client(world.bookkeeper)
    n, sql = _count(client, reverse("ledger:trial-balance"))
    assert n <= BUDGET, "\n".join(sql)
    url = reverse("ledger-api:trial-balance") + f"?institution={world.institution.pk}&year=2026"
    n, sql = _count(client, url)
    assert n <= BUDGET, "\n".join(sql)
