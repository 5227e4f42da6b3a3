"""Fifty approvers approving one invoice at the same moment on PostgreSQL: exactly one
approval and one ledger posting; everyone else is told the invoice is no longer attested."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from faelles.core.audit import verify_chains
from faelles.ledger.models import JournalEntry
from faelles.payables import services
from faelles.payables.coding import AllocationSpec
from faelles.payables.models import Invoice, InvoiceState
from faelles.payables.tests.factories import make_world, member
from faelles.tenancy.models import Role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

N = 50


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (SQLite serialises writers)")


def test_fifty_concurrent_approvals_give_one_approval_and_one_posting(postgres_only, dkk_document):
    world = make_world()
    services.routing_rule_create(
        actor=world.receiver,
        institution=world.institution,
        requester=world.requester,
        buyer_reference="0150abc",
    )
    invoice = services.document_receive(content=dkk_document(), channel="api").invoice
    services.invoice_code(
        actor=world.receiver,
        invoice=invoice,
        allocations=[
            AllocationSpec(1, "2210", Decimal("2800.00"), "100", vat_code="I25"),
            AllocationSpec(2, "2210", Decimal("-1500.00"), "100", vat_code="I25"),
            AllocationSpec(3, "2210", Decimal("25.00"), "100", vat_code="I25"),
        ],
    )
    services.invoice_attest(actor=world.requester, invoice=invoice)
    approvers = [member(world.institution, Role.APPROVER, "5000") for _ in range(N)]
    done: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(N)

    def approve(i: int) -> None:
        try:
            barrier.wait()
            services.invoice_approve(actor=approvers[i], invoice=invoice)
            done.append(i)
        except ValidationError as exc:
            refused.extend(e.code for errs in exc.error_dict.values() for e in errs)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(done) == 1
    assert refused == ["wrong_state"] * (N - 1)
    invoice.refresh_from_db()
    assert (invoice.state, invoice.approved_by) == (InvoiceState.POSTED, approvers[done[0]])
    assert JournalEntry.objects.filter(source_type="payables.invoice").count() == 1
    assert Invoice.objects.get(pk=invoice.pk).journal_entry_id is not None
    assert verify_chains(world.institution) == []
