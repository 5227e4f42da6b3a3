"""What one step of the flow costs in SQL: the single-invoice services are the batch services
with one invoice, so one invoice costs a fixed, small number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faelles.payables import services
from faelles.payables.coding import AllocationSpec
from faelles.payables.models import Invoice, InvoiceState
from faelles.payables.tests.factories import make_world

pytestmark = pytest.mark.django_db

D = Decimal
CODING = [
    AllocationSpec(1, "2210", D("2800.00"), "100", vat_code="I25"),
    AllocationSpec(2, "2210", D("-1500.00"), "100", vat_code="I25"),
    AllocationSpec(3, "2210", D("25.00"), "100", vat_code="I25"),
]
#: The approval of one invoice with its posting in the ledger (55 before the single step became
#: the batch step, 29 before the ledger's lookups and the audit appends were merged, 19 before
#: the approver and the posting accounts were read with the lock). Of the 15: the service's
#: savepoint (begin and release; BEGIN and COMMIT outside a test) 2, the lock with the
#: approver (limit, delegations, system administrator) and the posting accounts as subqueries
#: 1, bank-account changes 1, coding 1, the ledger batch 6 (accounts, cost centres, purposes,
#: VAT codes and periods in one query, earlier entries, the number, entry, lines, balances),
#: the invoice's UPDATE 1, and one audit append for the ledger's and the invoice's events
#: (chain head lock, insert, head update) 3.
#: PostgreSQL writes the journal entries and lines with COPY, which Django does not log, and
#: takes the entries' ids from the sequence with one query: one statement fewer is counted.
APPROVE_AND_POST_QUERIES = 15 if connection.vendor == "sqlite" else 14


@pytest.fixture
def world():
    return make_world()


def _attested(world, content):
    invoice = services.document_receive(content=content, channel="api").invoice
    services.invoice_code(actor=world.receiver, invoice=invoice, allocations=CODING)
    services.invoice_attest(actor=world.receiver, invoice=invoice)
    return Invoice.objects.select_related("institution").get(pk=invoice.pk)


def test_approve_and_post_of_one_invoice_costs_a_fixed_number_of_queries(world, dkk_document):
    # A first invoice warms what is read once per process (content types, the chart).
    services.invoice_approve(
        actor=world.approver, invoice=_attested(world, dkk_document(number="W1"))
    )
    invoice = _attested(world, dkk_document(number="Q1"))

    with CaptureQueriesContext(connection) as queries:
        services.invoice_approve(actor=world.approver, invoice=invoice)

    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.POSTED
    assert invoice.journal_entry_id is not None
    assert len(queries) == APPROVE_AND_POST_QUERIES, [q["sql"][:80] for q in queries]


@pytest.mark.parametrize("size", [2, 10])
def test_a_batch_of_approvals_costs_what_one_costs(world, dkk_document, size):
    services.invoice_approve(
        actor=world.approver, invoice=_attested(world, dkk_document(number="W1"))
    )
    invoices = [_attested(world, dkk_document(number=f"B{n}")) for n in range(size)]

    with CaptureQueriesContext(connection) as queries:
        refused = services.invoices_approve_batch(actor=world.approver, invoices=invoices)

    assert refused == {}
    assert {i.state for i in Invoice.objects.filter(pk__in=[i.pk for i in invoices])} == {
        InvoiceState.POSTED
    }
    # One statement per kind, however many invoices; only the journal lines are many rows.
    assert len(queries) == APPROVE_AND_POST_QUERIES, [q["sql"][:80] for q in queries]
