"""Pay runs end to end: master data through the two-person rule, calculation, approvals,
the ledger entry, retro corrections and stopping one employee's pay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from faelles.core.audit import Refused
from faelles.core.models import AuditEvent, PersonalDataAccess
from faelles.ledger.checks import run_all
from faelles.ledger.models import JournalLine
from faelles.payroll import services
from faelles.payroll.models import Employee, PayElement, PayRun, Payslip, PendingChange
from faelles.payroll.tests.factories import YEAR, D, monthly_run, pay, payroll_setup

pytestmark = pytest.mark.django_db


def test_a_monthly_run_goes_from_draft_to_paid_and_posts_a_balanced_entry():
    s = payroll_setup()
    s.employee("AC", salary="45000.00")
    s.employee("HK", salary="30000.00")
    run = monthly_run(s, 5)
    assert run.state == PayRun.State.CALCULATED
    assert (run.employees, run.payslips, run.refused) == (2, 2, 0)
    slips = list(Payslip.objects.filter(run=run).order_by("employee__number"))
    assert run.net == sum((p.net_payable for p in slips), Decimal("0.00"))
    assert run.gross == D("75000.00")
    run = pay(s, run)
    assert run.state == PayRun.State.PAID
    lines = JournalLine.objects.filter(entry=run.entry)
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
    net_payable = sum(x.credit - x.debit for x in lines if x.account.number == "9160")
    assert net_payable == run.net
    salaries = [x for x in lines if x.account.number == "1811"]
    assert [(x.org_unit.code, x.debit) for x in salaries] == [("100", D("75000.00"))]
    assert run_all([s.institution]) == []


def test_an_unapproved_change_is_not_paid_and_the_payslip_is_flagged():
    s = payroll_setup()
    emp = s.employee("AC", salary="45000.00")
    element = PayElement.objects.get(employment__employee=emp)
    services.change_propose(
        actor=s.officer,
        employee=emp,
        kind=PendingChange.Kind.PAY_ELEMENT,
        values={"amount": "50000.00"},
        target=element,
        effective_from=date(YEAR, 5, 1),
    )
    run = monthly_run(s, 5)
    slip = Payslip.objects.get(run=run)
    assert slip.flagged is True
    assert slip.gross == D("45000.00")


def test_the_maker_cannot_approve_their_own_change_and_the_refusal_is_recorded():
    s = payroll_setup()
    emp = s.employee("AC")
    element = PayElement.objects.get(employment__employee=emp)
    change = services.change_propose(
        actor=s.officer,
        employee=emp,
        kind=PendingChange.Kind.PAY_ELEMENT,
        values={"amount": "99999.00"},
        target=element,
        effective_from=date(YEAR, 5, 1),
    )
    with pytest.raises(Refused):
        services.change_approve(actor=s.officer, change=change)
    change.refresh_from_db()
    element.refresh_from_db()
    assert change.state == PendingChange.State.PENDING
    assert element.amount == D("45000.00")
    assert AuditEvent.objects.filter(action="payroll.change.approve.refused").count() == 1


def test_the_first_approver_cannot_give_the_second_approval():
    s = payroll_setup()
    s.employee("AC")
    run = monthly_run(s, 5)
    run = services.run_approve(actor=s.officer, run=run)
    with pytest.raises(Refused):
        services.run_second_approve(actor=s.officer, run=run)
    run.refresh_from_db()
    assert run.state == PayRun.State.APPROVED
    assert run.second_approved_by is None
    assert AuditEvent.objects.filter(action="payroll.run.second_approve.refused").count() == 1


def test_an_approved_run_cannot_be_recalculated():
    s = payroll_setup()
    s.employee("AC")
    run = monthly_run(s, 5)
    run = services.run_approve(actor=s.officer, run=run)
    with pytest.raises(Refused):
        services.run_calculate(actor=s.officer, run=run)
    assert PayRun.objects.get(pk=run.pk).state == PayRun.State.APPROVED


def test_a_change_to_a_paid_period_gives_retro_lines_in_the_next_run():
    s = payroll_setup()
    emp = s.employee("HK", salary="30000.00")
    may = pay(s, monthly_run(s, 5))
    may_slip = Payslip.objects.get(run=may)
    element = PayElement.objects.get(employment__employee=emp)
    change = services.change_propose(
        actor=s.officer,
        employee=emp,
        kind=PendingChange.Kind.PAY_ELEMENT,
        values={"amount": "31000.00"},
        target=element,
        effective_from=date(YEAR, 5, 1),
    )
    services.change_approve(actor=s.second, change=change)
    assert Employee.objects.get(pk=emp.pk).retro_from == date(YEAR, 5, 1)
    june = monthly_run(s, 6)
    slip = Payslip.objects.get(run=june)
    assert len(slip.retro) == 1
    retro = slip.retro[0]
    assert retro["period"] == f"{YEAR}-05"
    assert retro["totals"]["gross"] == "1000.00"
    assert slip.gross == D("32000.00")  # June at the new salary + May's difference
    assert slip.net_payable == slip.net + slip.retro_net
    # The paid May payslip is never recalculated.
    may_slip2 = Payslip.objects.get(pk=may_slip.pk)
    assert may_slip2.gross == D("30000.00") and may_slip2.data == may_slip.data
    june = pay(s, june)
    assert Employee.objects.get(pk=emp.pk).retro_from is None
    # July: nothing more to correct.
    july = monthly_run(s, 7)
    assert Payslip.objects.get(run=july).retro == []


def test_pay_can_be_stopped_until_the_payment_date():
    s = payroll_setup()
    s.employee("AC")
    s.employee("HK", salary="30000.00")
    run = monthly_run(s, 5)
    slip = Payslip.objects.filter(run=run).order_by("employee__number").first()
    services.payslip_stop(actor=s.officer, payslip=slip, reason="Udeblevet", today=run.payment_date)
    run.refresh_from_db()
    assert run.payslips == 1 and run.employees == 2
    assert run.gross == D("30000.00")
    other = Payslip.objects.filter(run=run, stopped=False).get()
    with pytest.raises(Refused):
        services.payslip_stop(
            actor=s.officer,
            payslip=other,
            reason="for sent",
            today=date.fromordinal(run.payment_date.toordinal() + 1),
        )
    assert Payslip.objects.get(pk=other.pk).stopped is False


def test_reading_a_full_cpr_is_a_personal_data_event_and_the_number_is_not_stored_in_clear():
    s = payroll_setup()
    emp = s.employee("AC", cpr="0101801234")
    stored = Employee.objects.filter(pk=emp.pk).values_list("cpr_cipher", "cpr_ref", "cpr_last4")[0]
    assert "0101801234" not in "".join(stored)
    assert emp.cpr_masked == "XXXXXX-1234"
    before = PersonalDataAccess.objects.count()
    assert services.employee_cpr_read(actor=s.officer, employee=emp, purpose="test") == "0101801234"
    assert PersonalDataAccess.objects.count() == before + 1
    log = PersonalDataAccess.objects.latest("pk")
    assert (log.subject_type, log.fields, log.actor_id) == (
        "payroll.employee",
        ["cpr"],
        s.officer.pk,
    )


def test_a_change_with_invalid_values_is_refused_when_proposed():
    s = payroll_setup()
    emp = s.employee("AC")
    with pytest.raises(ValidationError):
        services.change_propose(
            actor=s.officer,
            employee=emp,
            kind=PendingChange.Kind.TAX_CARD,
            values={"type": "nonsense", "rate": "37", "valid_from": "2026-01-01"},
            effective_from=date(YEAR, 1, 1),
        )


def test_the_run_ledger_lines_equal_the_sum_of_the_payslips_ledger_lines():
    """The run's entry is summed set-based (a GROUP BY over the stored JSON on PostgreSQL):
    it must equal the payslips' own ledger lines and retro differences summed one by one,
    without the stopped payslip."""
    s = payroll_setup()
    emp = s.employee("HK", salary="30000.00")
    s.employee("AC")
    s.employee("HOURLY")
    pay(s, monthly_run(s, 5))
    element = PayElement.objects.get(employment__employee=emp)
    change = services.change_propose(
        actor=s.officer,
        employee=emp,
        kind=PendingChange.Kind.PAY_ELEMENT,
        values={"amount": "31000.00"},
        target=element,
        effective_from=date(YEAR, 5, 1),
    )
    services.change_approve(actor=s.second, change=change)
    june = monthly_run(s, 6)
    stopped = Payslip.objects.filter(run=june).exclude(employee=emp).order_by("pk").first()
    services.payslip_stop(
        actor=s.officer, payslip=stopped, reason="Udeblevet", today=june.payment_date
    )
    slips = Payslip.objects.filter(run=june, stopped=False).order_by("pk")
    assert any(slip.retro for slip in slips)
    by_hand = services.runs._ledger_lines(
        (slip.cost_centre, slip.data["ledger"], slip.retro) for slip in slips
    )
    lines = services.run_ledger_lines(june)
    assert lines == by_hand
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
    payable = sum(x.credit - x.debit for x in lines if x.account == "9160")
    assert payable == sum(slip.net_payable for slip in slips)


def test_a_chunk_calculated_again_replaces_its_own_payslips_only():
    s = payroll_setup()
    for profile in ("AC", "HK", "HOURLY", "STUDENT"):
        s.employee(profile)
    run = monthly_run(s, 5)
    before = dict(Payslip.objects.filter(run=run).values_list("employee_id", "pk"))
    ids = sorted(before)
    assert services.calculate_chunk(run.pk, ids[:2]) == 2
    after = dict(Payslip.objects.filter(run=run).values_list("employee_id", "pk"))
    assert sorted(after) == ids
    assert [after[i] == before[i] for i in ids] == [False, False, True, True]
