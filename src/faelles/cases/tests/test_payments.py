"""Grants and benefits are paid through payables: a payment request, posted in the ledger
when the case orders it, paid by the institution's payment run in its pain.001 file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from faelles.cases.models import Case, CaseJournalEntry
from faelles.cases.simulate import run_case, simulation_world
from faelles.cases.tests.factories import T0
from faelles.core.models import AuditEvent
from faelles.ledger.models import JournalEntry
from faelles.payables import payments
from faelles.payables.models import PaymentRequest, PaymentRun
from faelles.payables.requests import Expense, payment_request_create
from faelles.tenancy.models import Role
from faelles.tenancy.tests.factories import member

pytestmark = pytest.mark.django_db

PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
GRANTED = {"applicant_eligible": True, "quality": 5, "relevance": 5}


def _first(point, visits):
    return 0


def _lines(entry: JournalEntry) -> list[tuple[str, str, str, str | None]]:
    return [
        (
            line.account.number,
            f"{line.debit:.2f}",
            f"{line.credit:.2f}",
            line.purpose.code if line.purpose_id else None,
        )
        for line in entry.lines.select_related("account", "purpose").order_by("pk")
    ]


def test_a_granted_application_is_paid_by_the_institutions_payment_run():
    case_type = simulation_world("grant-pool")
    institution = case_type.institution
    result = run_case(case_type, _first, overrides=GRANTED, start=T0)
    assert result.error == "" and result.outcome == "end_completed"
    case = Case.objects.get(case_type=case_type)
    request = PaymentRequest.objects.get(institution=institution)
    assert (request.payee_name, request.amount, request.reference, request.state) == (
        "Simulation ApS",
        Decimal("250000.00"),
        f"{case.number} tilskud",
        PaymentRequest.State.OPEN,
    )
    assert request.payment_means == [{"kind": "dk_account", "reg": "1551", "account": "3179681"}]
    assert (request.source_type, request.source_id) == ("cases.case", f"{case.pk}:grant")
    # Posted when ordered: the grant expense on the pool's purpose against vendor payables.
    assert _lines(request.journal_entry) == [
        ("4410", "250000.00", "0.00", "TILSKUD"),
        ("9110", "0.00", "250000.00", None),
    ]
    assert request.journal_entry.source_type == "payables.paymentrequest"
    journal = case.journal.filter(element="grant_pay", kind=CaseJournalEntry.Kind.SERVICE)
    assert [j.data for j in journal if "payment_request" in j.data] == [
        {"amount": "250000.00", "payment_request": request.pk}
    ]
    event = AuditEvent.objects.get(action="payables.payment_request.created")
    assert event.details["source"] == f"cases.case:{case.pk}:grant"

    payer = member(institution, Role.PAYER, username="betaler-1")
    second = member(institution, Role.PAYER, username="betaler-2")
    run = payments.payment_run_create(
        actor=payer,
        institution=institution,
        execution_date=request.due_date + dt.timedelta(days=1),
        debtor_iban="DK5000400440116243",
    )
    request.refresh_from_db()
    assert (request.payment_run, request.state) == (run, PaymentRequest.State.SCHEDULED)
    assert run.total == Decimal("250000.00")
    root = etree.fromstring(payments.pain001(run))
    [tx] = root.iter(f"{PAIN}CdtTrfTxInf")
    assert tx.findtext(f"{PAIN}Amt/{PAIN}InstdAmt") == "250000.00"
    assert tx.findtext(f"{PAIN}Cdtr/{PAIN}Nm") == "Simulation ApS"
    assert tx.findtext(f"{PAIN}CdtrAcct/{PAIN}Id/{PAIN}Othr/{PAIN}Id") == "15510003179681"
    assert tx.findtext(f"{PAIN}RmtInf/{PAIN}Ustrd") == f"{case.number} tilskud"
    payments.payment_run_release(actor=second, run=run)
    run = payments.payment_run_mark_paid(actor=payer, run=PaymentRun.objects.get(pk=run.pk))
    request.refresh_from_db()
    assert request.state == PaymentRequest.State.PAID and request.paid_at is not None
    assert _lines(run.journal_entry) == [
        ("9110", "250000.00", "0.00", None),
        ("5810", "0.00", "250000.00", None),
    ]


def test_a_benefit_is_paid_once_per_period_each_a_request_of_its_own():
    case_type = simulation_world("benefit")
    result = run_case(case_type, _first, overrides={"entitled": True, "months": 2}, start=T0)
    assert result.outcome == "end_completed"
    case = Case.objects.get(case_type=case_type)
    rows = list(PaymentRequest.objects.filter(institution=case_type.institution).order_by("pk"))
    assert [(r.source_id, r.amount, r.reference) for r in rows] == [
        (f"{case.pk}:benefit:1", Decimal("4500.00"), f"{case.number} ydelse 1"),
        (f"{case.pk}:benefit:2", Decimal("4500.00"), f"{case.number} ydelse 2"),
    ]
    assert rows[1].due_date - rows[0].due_date >= dt.timedelta(days=30)
    assert [_lines(r.journal_entry)[0] for r in rows] == [("4210", "4500.00", "0.00", "YDELSE")] * 2
    # A run dated between the two periods pays only the first.
    payer = member(case_type.institution, Role.PAYER, username="betaler")
    run = payments.payment_run_create(
        actor=payer,
        institution=case_type.institution,
        execution_date=rows[0].due_date,
        debtor_iban="DK5000400440116243",
    )
    assert list(run.payment_requests.values_list("pk", flat=True)) == [rows[0].pk]


def test_a_request_is_made_once_per_source_and_needs_an_account_and_a_positive_amount():
    institution = simulation_world("grant-pool").institution
    means = [{"kind": "dk_account", "reg": "1551", "account": "3179681"}]

    def make(**kwargs):
        args = {
            "actor": None,
            "institution": institution,
            "payee_name": "Museum Nord",
            "payment_means": means,
            "amount": Decimal("100.00"),
            "reference": "X tilskud",
            "due_date": dt.date(2026, 3, 2),
            "source_type": "test",
            "source_id": "1",
            "expense": Expense("4410", "TILSKUD"),
        }
        return payment_request_create(**{**args, **kwargs})

    first = make()
    assert make(amount=Decimal("999.00")) == first
    assert PaymentRequest.objects.count() == 1 and JournalEntry.objects.count() == 1
    with pytest.raises(ValidationError) as refused:
        make(source_id="2", amount=Decimal("0"))
    assert refused.value.error_dict["amount"][0].code == "not_positive"
    with pytest.raises(ValidationError) as refused:
        make(source_id="3", payment_means=[{"kind": "dk_account", "reg": "15", "account": "1"}])
    assert refused.value.error_dict["reg"][0].code == "invalid_reg"
    with pytest.raises(ValidationError) as refused:
        make(source_id="4", payment_means=[])
    assert refused.value.error_dict["payment_means"][0].code == "no_payment_details"
    assert PaymentRequest.objects.count() == 1


def test_another_institutions_payment_run_never_takes_the_request():
    case_type = simulation_world("grant-pool")
    run_case(case_type, _first, overrides=GRANTED, start=T0)
    request = PaymentRequest.objects.get()
    other = simulation_world("benefit").institution  # books of its own, no requests
    payer = member(other, Role.PAYER, username="betaler-andet")
    with pytest.raises(ValidationError) as refused:
        payments.payment_run_create(
            actor=payer,
            institution=other,
            execution_date=request.due_date + dt.timedelta(days=10),
            debtor_iban="DK5000400440116243",
        )
    assert refused.value.error_dict["execution_date"][0].code == "nothing_to_pay"
    request.refresh_from_db()
    assert request.state == PaymentRequest.State.OPEN and request.payment_run is None


def test_the_approver_of_the_grant_may_not_release_the_run_that_pays_it():
    case_type = simulation_world("grant-pool")
    institution = case_type.institution
    run_case(case_type, _first, overrides=GRANTED, start=T0)
    request = PaymentRequest.objects.get()
    approver = member(institution, Role.PAYER, username="godkender-og-betaler")
    PaymentRequest.objects.filter(pk=request.pk).update(created_by=approver)
    payer = member(institution, Role.PAYER, username="betaler")
    run = payments.payment_run_create(
        actor=payer,
        institution=institution,
        execution_date=request.due_date,
        debtor_iban="DK5000400440116243",
    )
    assert payments.release_problem(approver, run) == (
        "requester",
        f"You decided payments in this run ({request.reference}); another payer must release it.",
    )
