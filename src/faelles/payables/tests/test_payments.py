"""Payment runs: posted, due, unblocked invoices net of the vendor's credit notes; released by
a payer who posted none of them into a pain.001.001.03 file; paid with the payment entry."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from faelles.payables import demo, services
from faelles.payables.models import Invoice, InvoiceState, PaymentRun
from faelles.payables.payments import (
    PAIN_NS,
    payment_run_create,
    payment_run_mark_paid,
    payment_run_release,
)
from faelles.payables.tests.factories import make_world, member
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db

D = Decimal
GLN = "5798009811578"


@pytest.fixture
def world():
    return make_world()


def posted(world, number, vendor=0, qty="2", credit_note=False, issue=date(2026, 3, 15), iban=None):
    v = demo.VENDORS[vendor]
    text, unspsc, price = v[3][0]
    content = demo._document(
        number=number,
        issue=issue,
        buyer_gln=GLN,
        buyer_name="Styrelsen",
        vendor=v,
        lines=[(text, unspsc, D(qty), D(price))],
        buyer_reference="X",
        credit_note=credit_note,
        iban=iban,
    )
    invoice = services.document_receive(content=content, channel="api").invoice
    services.invoice_code(
        actor=world.receiver,
        invoice=invoice,
        allocations=[services.AllocationSpec(1, "2210", invoice.net_amount, "100", vat_code="I25")],
    )
    services.invoice_attest(actor=world.receiver, invoice=invoice)
    services.invoice_approve(actor=world.high_approver, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.state == "posted"
    return invoice


def codes(exc):
    return sorted({e.code for errors in exc.value.error_dict.values() for e in errors})


def test_a_run_pays_due_invoices_net_of_credit_notes(world):
    a1 = posted(world, "A1", qty="2")  # 2 × 42.50 + 25 % = 106.25
    a2 = posted(world, "A2", qty="4")  # 212.50
    credit = posted(world, "AC1", qty="1", credit_note=True)  # 53.13
    later = posted(world, "B1", vendor=3, issue=date(2026, 4, 20))  # due 2026-05-20
    blocked = posted(world, "A3", iban="DK8930000000000001")
    assert blocked.payment_blocked

    run = payment_run_create(
        actor=world.payer,
        institution=world.institution,
        execution_date=date(2026, 4, 30),
        debtor_iban="DK50 0040 0440 1162 43",
    )

    assert run.total == D("106.25") + D("212.50") - D("53.13")
    assert set(run.invoices.values_list("pk", flat=True)) == {a1.pk, a2.pk, credit.pk}
    assert {i.state for i in run.invoices.all()} == {InvoiceState.SCHEDULED}
    assert Invoice.objects.get(pk=later.pk).state == "posted"
    assert Invoice.objects.get(pk=blocked.pk).state == "posted"


def test_release_makes_a_pain001_file_and_paid_posts_the_payment(world):
    a1 = posted(world, "A1")
    posted(world, "C1", vendor=2)
    run = payment_run_create(
        actor=world.payer,
        institution=world.institution,
        execution_date=date(2026, 4, 30),
        debtor_iban="DK5000400440116243",
        debtor_bic="DABADKKK",
    )
    member(world.institution, Role.PAYER, user=world.high_approver)  # who posted them
    with pytest.raises(ValidationError) as exc:
        payment_run_release(actor=world.high_approver, run=run)
    assert codes(exc) == ["poster"]
    assert PaymentRun.objects.get(pk=run.pk).state == "draft"

    run = payment_run_release(actor=world.payer, run=run)

    root = etree.fromstring(bytes(run.file))
    ns = {"p": PAIN_NS}
    assert root.tag == f"{{{PAIN_NS}}}Document"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=ns) == "2"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=ns) == str(run.total)
    ibans = root.xpath("//p:CdtrAcct/p:Id/p:IBAN/text()", namespaces=ns)
    assert sorted(ibans) == sorted([demo.VENDORS[0][2], demo.VENDORS[2][2]])
    assert root.xpath("//p:RmtInf/p:Ustrd/text()", namespaces=ns)[0] == "A1"

    run = payment_run_mark_paid(actor=world.payer, run=run)

    assert (run.state, Invoice.objects.get(pk=a1.pk).state) == ("paid", "paid")
    lines = list(
        run.journal_entry.lines.order_by("line_no").values_list(
            "account__number", "debit", "credit"
        )
    )
    assert lines[-1] == ("5810", D("0.00"), run.total)
    assert sum(d for a, d, _c in lines if a == "9110") == run.total
    with pytest.raises(ValidationError) as exc:
        payment_run_mark_paid(actor=world.payer, run=run)
    assert codes(exc) == ["wrong_state"]


def test_only_payers_run_payments_and_empty_runs_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        payment_run_create(
            actor=world.payer,
            institution=world.institution,
            execution_date=date(2026, 4, 30),
            debtor_iban="DK5000400440116243",
        )
    assert codes(exc) == ["nothing_to_pay"]
    posted(world, "A1")
    other = make_world(gln="5790000000005")
    for who, inst in ((world.bookkeeper, world.institution), (other.payer, world.institution)):
        with pytest.raises(ValidationError) as exc:
            payment_run_create(
                actor=who, institution=inst, execution_date=date(2026, 4, 30), debtor_iban="DK50"
            )
        assert codes(exc) == ["not_permitted"]
    with pytest.raises(ValidationError) as exc:
        payment_run_create(
            actor=world.payer,
            institution=world.institution,
            execution_date=date(2026, 4, 30),
            debtor_iban="DK5000400440116244",
        )
    assert codes(exc) == ["invalid_iban"]
    assert PaymentRun.objects.count() == 0


def test_payment_run_pages(world):
    from django.test import Client
    from django.urls import reverse

    posted(world, "A1")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.payer)
    response = client.post(
        reverse("payables:payment-run-create"),
        {"execution_date": "2026-04-30", "debtor_iban": "DK5000400440116243"},
    )
    run = PaymentRun.objects.get()
    assert response["Location"] == reverse("payables:payment-run-detail", args=[run.pk])
    assert (
        "A1" in client.get(reverse("payables:payment-run-detail", args=[run.pk])).content.decode()
    )
    client.post(reverse("payables:payment-run-action", args=[run.pk, "release"]))
    file = client.get(reverse("payables:payment-run-file", args=[run.pk]))
    assert file.status_code == 200 and b"CstmrCdtTrfInitn" in file.content
    client.post(reverse("payables:payment-run-action", args=[run.pk, "paid"]))
    assert PaymentRun.objects.get().state == "paid"
    other = make_world(gln="5790000000005")
    client.force_login(other.payer)
    for name in ("payables:payment-run-detail", "payables:payment-run-file"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404
    assert (
        client.post(reverse("payables:payment-run-action", args=[run.pk, "paid"])).status_code
        == 404
    )
    client.force_login(world.requester)
    assert client.get(reverse("payables:payment-run-create")).status_code == 403
