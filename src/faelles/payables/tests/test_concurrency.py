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


def test_two_imports_of_the_same_documents_at_once_give_each_invoice_once(postgres_only):
    from datetime import date

    from faelles.payables import demo
    from faelles.payables.models import ReceivedDocument, Vendor

    world = make_world()

    def document(n: int, note: str = "") -> bytes:
        vendor = demo.VENDORS[n % len(demo.VENDORS)]
        text, unspsc, price = vendor[3][0]
        return demo._document(
            number=f"C-{n:03d}",
            issue=date(2026, 3, 15),
            buyer_gln="5798009811578",
            buyer_name="Styrelsen",
            vendor=vendor,
            lines=[(text, unspsc, Decimal(1 + n % 4), Decimal(price))],
            buyer_reference="X",
            note=note,
        )

    documents = [(document(n), f"{n}.xml") for n in range(30)]
    # Both sides also send a second copy of each invoice (other bytes, same number): a
    # duplicate whichever side stores it.
    resent = [(document(n, note="sent again"), f"again-{n}.xml") for n in range(30)]
    statuses: list[list[str]] = [[], []]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(side: int) -> None:
        try:
            barrier.wait()
            order = documents + resent if side == 0 else resent[::-1] + documents[::-1]
            for intake in services.documents_receive(sources=order, channel="import", batch_size=7):
                statuses[side].append(intake.status)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(side,)) for side in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert [len(s) for s in statuses] == [60, 60]
    assert ReceivedDocument.objects.count() == 60
    invoices = Invoice.objects.for_institution(world.institution)
    assert invoices.count() == 60
    assert invoices.filter(duplicate_of__isnull=True).count() == 30
    assert sorted(invoices.filter(duplicate_of__isnull=True).values_list("number", flat=True)) == [
        f"C-{n:03d}" for n in range(30)
    ]
    assert Vendor.objects.for_institution(world.institution).count() == len(demo.VENDORS)
    assert verify_chains(world.institution) == []
    assert verify_chains(None) == []


def _posted_invoices(world, count):
    """``count`` posted invoices of one vendor, due by 2026-04-30."""
    from datetime import date

    from faelles.payables import demo

    vendor = demo.VENDORS[0]
    text, unspsc, price = vendor[3][0]
    invoices = []
    for n in range(count):
        content = demo._document(
            number=f"R-{n:03d}",
            issue=date(2026, 3, 15),
            buyer_gln="5798009811578",
            buyer_name="Styrelsen",
            vendor=vendor,
            lines=[(text, unspsc, Decimal(1 + n), Decimal(price))],
            buyer_reference="X",
        )
        invoice = services.document_receive(content=content, channel="api").invoice
        services.invoice_code(
            actor=world.receiver,
            invoice=invoice,
            allocations=[AllocationSpec(1, "2210", invoice.net_amount, "100", vat_code="I25")],
        )
        services.invoice_attest(actor=world.receiver, invoice=invoice)
        services.invoice_approve(actor=world.high_approver, invoice=invoice)
        invoices.append(invoice)
    assert Invoice.objects.filter(state=InvoiceState.POSTED).count() == count
    return invoices


def test_fifty_concurrent_payment_run_creations_give_one_run_and_49_clean_refusals(
    postgres_only,
):
    """Through the API, each request on its own connection: one 201, 49 × 409 with the
    reason, never a 500 (before: "deadlock detected" from locking the joined vendor rows)."""
    from rest_framework.test import APIClient

    from faelles.payables.models import PaymentRun

    world = make_world()
    invoices = _posted_invoices(world, 5)
    payers = [member(world.institution, Role.PAYER) for _ in range(N)]
    answers: list[tuple[int, dict]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(N)

    def create(i: int) -> None:
        try:
            client = APIClient(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
            client.force_authenticate(payers[i])
            barrier.wait()
            response = client.post(
                "/api/v1/payables/payment-runs",
                {
                    "institution": world.institution.pk,
                    "execution_date": "2026-04-30",
                    "debtor_iban": "DK5000400440116243",
                },
                format="json",
            )
            body = response.json() if response.status_code < 500 else {}
            answers.append((response.status_code, body))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(code for code, _body in answers) == [201] + [409] * (N - 1)
    run = PaymentRun.objects.get()
    refusals = [body for code, body in answers if code == 409]
    assert {b["execution_date"][0]["code"] for b in refusals} == {"draft_run_exists"}
    assert refusals[0]["execution_date"][0]["message"] == (
        f"There is already a draft payment run (no. {run.pk}) for 2026-04-30 with the "
        "invoices to pay; no invoices are left for another run."
    )
    assert sorted(run.invoices.values_list("pk", flat=True)) == [i.pk for i in invoices]
    assert Invoice.objects.filter(state=InvoiceState.SCHEDULED).count() == 5
    assert verify_chains(world.institution) == []


def test_every_row_lock_of_the_payment_flow_names_its_own_rows(postgres_only):
    """Each SELECT … FOR UPDATE that joins another table says FOR UPDATE OF its own table:
    approving, coding, bank-account changes and the payment run steps."""
    from datetime import date

    from django.test.utils import CaptureQueriesContext

    from faelles.payables import payments
    from faelles.payables.models import VendorBankChange

    world = make_world()
    payer2 = member(world.institution, Role.PAYER)
    with CaptureQueriesContext(connection) as captured:
        invoices = _posted_invoices(world, 2)
        services.invoice_forward
        change = services.vendor_bank_change_request(
            actor=world.receiver,
            vendor=invoices[0].vendor,
            payment_means=[{"kind": "iban", "iban": "DK3730000000000001"}],
        )
        services.vendor_bank_change_refuse(actor=world.bookkeeper, change=change, reason="no")
        assert VendorBankChange.objects.get().state == "refused"
        run = payments.payment_run_create(
            actor=world.payer,
            institution=world.institution,
            execution_date=date(2026, 4, 30),
            debtor_iban="DK5000400440116243",
        )
        payments.payment_run_release(actor=payer2, run=run)
        payments.payment_run_mark_paid(actor=payer2, run=run)
    locks = [q["sql"] for q in captured.captured_queries if " FOR " in q["sql"]]
    assert len(locks) >= 8
    joined = [sql for sql in locks if " JOIN " in sql]
    assert joined, "the flow has joined locks to check"
    assert [
        sql
        for sql in joined
        if " FOR UPDATE OF " not in sql and " FOR NO KEY UPDATE OF " not in sql
    ] == []
