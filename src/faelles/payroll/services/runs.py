"""Pay runs: periods, the life cycle, the calculation in chunks, retro corrections, the ledger entry and stopping one employee's pay."""

from __future__ import annotations

import calendar
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core import bulk
from faelles.core.audit import Refused, record_event, refusals_recorded
from faelles.ledger.models import DEFAULT_POSTING_ACCOUNTS, PostingAccounts
from faelles.ledger.services import EntrySpec, LineSpec, entry_record
from faelles.payroll.engine import PayrollError, calculate, parse_record, payslip_dict
from faelles.payroll.engine import retro_difference as engine_retro_difference
from faelles.payroll.engine.payslip import DEFAULT_ACCOUNTS as ACCOUNTS
from faelles.payroll.models import (
    BankAccount,
    Employee,
    Employment,
    Frequency,
    PayElement,
    PayRun,
    Payslip,
    PendingChange,
    RunProblem,
    TaxCard,
)
from faelles.payroll.services.changes import settings_for
from faelles.payroll.services.common import FINAL_STATES, ZERO, State, _require_act
from faelles.tenancy.models import Institution, User

CHUNK_SIZE = int(os.environ.get("PAYROLL_CHUNK_SIZE", "500"))
"""Employees per Celery task of a run."""
FORTNIGHT_ANCHOR = date(2024, 12, 30)
"""A Monday; 14-day periods run from it in steps of 14 days."""

TRANSITIONS: dict[str, dict[str, str]] = {
    "calculate": {State.DRAFT: State.CALCULATED, State.CALCULATED: State.CALCULATED},
    "approve": {State.CALCULATED: State.APPROVED},
    "second_approve": {State.APPROVED: State.SECOND_APPROVED},
    "mark_paid": {State.SECOND_APPROVED: State.PAID},
}
"""The pay run's life cycle: action → {state before: state after}. Nothing else moves it."""


# --- periods ------------------------------------------------------------------------------


def _banking_day_on_or_before(day: date) -> date:
    dk = holidays.country_holidays("DK", years=[day.year - 1, day.year])
    while day.weekday() >= 5 or day in dk:
        day -= timedelta(days=1)
    return day


def periods_for(frequency: str, year: int, month: int) -> list[tuple[date, date, date]]:
    """``(start, end, payment date)`` of the pay periods of a month: the month itself
    (monthly, paid on its last banking day), or every 14-day period starting in it (paid on
    the last banking day of the period)."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    if frequency == Frequency.MONTHLY:
        return [(first, last, _banking_day_on_or_before(last))]
    if frequency != Frequency.FORTNIGHTLY:
        raise ValueError(f"unknown frequency {frequency!r}")
    offset = (first - FORTNIGHT_ANCHOR).days % 14
    start = first if offset == 0 else first + timedelta(days=14 - offset)
    out = []
    while start <= last:
        end = start + timedelta(days=13)
        out.append((start, end, _banking_day_on_or_before(end)))
        start += timedelta(days=14)
    return out


# --- pay runs -----------------------------------------------------------------------------


def _transition(run: PayRun, action: str, actor: Any) -> str:
    table = TRANSITIONS[action]
    if run.state not in table:
        raise Refused(
            _("A run in state %(state)s cannot be %(action)s.")
            % {"state": run.get_state_display(), "action": action.replace("_", " ")},
            code="state",
            action=f"payroll.run.{action}",
            institution=run.institution,
            obj=run,
            field="state",
        )
    return table[run.state]


@refusals_recorded
@transaction.atomic
def run_create(
    *,
    actor: User | None,
    institution: Institution,
    frequency: str,
    period_start: date,
    period_end: date,
    payment_date: date,
) -> PayRun:
    """A draft run for one period (or the existing one: a period has one run)."""
    if actor is not None:
        _require_act(actor, institution, "payroll.run.create")
    existing = PayRun.objects.for_institution(institution).filter(
        frequency=frequency, period_start=period_start
    )
    run = existing.first()
    if run is not None:
        return run
    run = PayRun(
        institution=institution,
        frequency=frequency,
        period_start=period_start,
        period_end=period_end,
        payment_date=payment_date,
        created_by=actor,
    )
    run.full_clean()
    run.save()
    record_event(
        institution=institution,
        actor=actor,
        action="payroll.run.created",
        obj=run,
        details={"period": run.label, "frequency": frequency},
    )
    return run


@refusals_recorded
def run_calculate(*, actor: User | None, run: PayRun) -> PayRun:
    """Calculate (or recalculate) every employee of the run, in chunks of employees.

    Three steps, each its own transaction, so that workers on other machines see the run:
    the run is locked and its old payslips removed; the chunks are calculated (Celery tasks,
    eager in the embedded default); the totals are summed and the run is calculated.
    """
    from faelles.payroll import tasks

    with transaction.atomic():
        run = (
            PayRun.objects.select_for_update(of=("self",))
            .select_related("institution")
            .get(pk=run.pk)
        )
        if actor is not None:
            _require_act(actor, run.institution, "payroll.run.calculate", run)
        _transition(run, "calculate", actor)
        Payslip.objects.filter(run=run).delete()
        RunProblem.objects.filter(run=run).delete()
    ids = run_employee_ids(run)
    chunks = [ids[i : i + CHUNK_SIZE] for i in range(0, len(ids), CHUNK_SIZE)]
    tasks.calculate_chunks(run.pk, chunks)
    with transaction.atomic():
        run = (
            PayRun.objects.select_for_update(of=("self",))
            .select_related("institution")
            .get(pk=run.pk)
        )
        run.state = _transition(run, "calculate", actor)
        run.calculated_by = actor
        run.calculated_at = timezone.now()
        _sum_totals(run)
        run.save()
        record_event(
            institution=run.institution,
            actor=actor,
            action="payroll.run.calculated",
            obj=run,
            details=run_totals(run),
        )
    return run


def run_employee_ids(run: PayRun) -> list[int]:
    """The employees with an employment of the run's frequency in force in its period."""
    return sorted(
        set(
            Employment.objects.for_institution(run.institution_id)
            .filter(frequency=run.frequency, start__lte=run.period_end)
            .filter(Q(end__isnull=True) | Q(end__gte=run.period_start))
            .values_list("employee_id", flat=True)
            .order_by()
        )
    )


def _sum_totals(run: PayRun) -> None:
    slips = list(
        Payslip.objects.filter(run=run, stopped=False).values_list(
            "gross", "am", "a_tax", "net_payable", "employer_cost"
        )
    )
    run.payslips = len(slips)
    run.employees = len(slips) + Payslip.objects.filter(run=run, stopped=True).count()
    run.refused = RunProblem.objects.filter(run=run).count()
    run.gross = sum((s[0] for s in slips), ZERO)
    run.am = sum((s[1] for s in slips), ZERO)
    run.a_tax = sum((s[2] for s in slips), ZERO)
    run.net = sum((s[3] for s in slips), ZERO)
    run.employer_cost = sum((s[4] for s in slips), ZERO)


def run_totals(run: PayRun) -> dict[str, Any]:
    """The run's figures, amounts as strings (the JSON of ``faelles payroll run --json``)."""
    return {
        "run": run.pk,
        "institution": run.institution.short_name,
        "period": run.label,
        "state": run.state,
        "employees": run.employees,
        "payslips": run.payslips,
        "refused": run.refused,
        "gross": str(run.gross),
        "am": str(run.am),
        "a_tax": str(run.a_tax),
        "net": str(run.net),
        "employer_cost": str(run.employer_cost),
        "entry": run.entry.number if run.entry_id and run.entry else None,
    }


# --- building the engine's input ----------------------------------------------------------

_ENGINE_FREQUENCY = {Frequency.MONTHLY: "monthly", Frequency.FORTNIGHTLY: "14day"}
_HUNDRED = Decimal(100)
_PLACEHOLDER_CPR = "010100"
"""The engine needs a CPR number only to print its masked form: the calculation gets this date
part with the real last four digits, so computing a payslip never reads a full CPR number."""


def _in_period(valid_from: date, valid_to: date | None, start: date, end: date) -> bool:
    return valid_from <= end and (valid_to is None or valid_to >= start)


class MasterData:
    """The approved master data of a set of employees, read with one query per kind."""

    def __init__(self, institution_id: int, employee_ids: Sequence[int], frequency: str) -> None:
        self.employees = {
            e.pk: e
            for e in Employee.objects.filter(pk__in=employee_ids, institution_id=institution_id)
        }
        self.employments: dict[int, list[Employment]] = defaultdict(list)
        for emp in (
            Employment.objects.filter(employee_id__in=employee_ids, frequency=frequency)
            .select_related("org_unit")
            .order_by("start", "pk")
        ):
            self.employments[emp.employee_id].append(emp)
        self.elements: dict[int, list[PayElement]] = defaultdict(list)
        for el in PayElement.objects.filter(employment__employee_id__in=employee_ids).order_by(
            "valid_from", "pk"
        ):
            self.elements[el.employment_id].append(el)
        self.cards: dict[int, list[TaxCard]] = defaultdict(list)
        for card in TaxCard.objects.filter(employee_id__in=employee_ids).order_by(
            "-valid_from", "-pk"
        ):
            self.cards[card.employee_id].append(card)
        self.banks: dict[int, list[BankAccount]] = defaultdict(list)
        for bank in BankAccount.objects.filter(employee_id__in=employee_ids).order_by(
            "-valid_from", "-pk"
        ):
            self.banks[bank.employee_id].append(bank)

    def bank_for(self, employee_id: int, on: date) -> BankAccount | None:
        return next((b for b in self.banks[employee_id] if b.valid_from <= on), None)

    def record(
        self,
        employee_id: int,
        payer: dict[str, str],
        start: date,
        end: date,
        payment_date: date,
        frequency: str,
        ytd: dict[str, str] | None,
        rounding: str = "1",
    ) -> tuple[dict[str, Any], str] | None:
        """The engine's input record for one employee-period and the cost centre, or ``None``
        when no employment is in force in the period."""
        employee = self.employees[employee_id]
        active = [
            e for e in self.employments[employee_id] if _in_period(e.start, e.end, start, end)
        ]
        if not active:
            return None
        main = active[0]
        elements: list[dict[str, Any]] = []
        deductions: list[dict[str, Any]] = []
        weekly_hours = Decimal(0)
        for emp in active:
            weekly_hours += emp.weekly_hours
            for el in self.elements[emp.pk]:
                if el.kind == PayElement.Kind.ONE_OFF:
                    if not start <= el.valid_from <= end:
                        continue
                elif not _in_period(el.valid_from, el.valid_to, start, end):
                    continue
                if el.kind == PayElement.Kind.DEDUCTION:
                    deductions.append({"code": el.code, "text": el.text, "amount": str(el.amount)})
                    continue
                item: dict[str, Any] = {"code": el.code, "text": el.text, "kind": el.kind}
                if el.kind == PayElement.Kind.HOURLY:
                    item["hours"] = str(el.hours)
                    item["rate"] = str(el.rate)
                else:
                    item["amount"] = str(el.amount)
                if el.pensionable is not None:
                    item["pensionable"] = el.pensionable
                elements.append(item)
        if frequency == Frequency.MONTHLY:
            atp_hours = (weekly_hours * 52 / 12).quantize(Decimal("0.01"))
        else:
            atp_hours = (weekly_hours * 2).quantize(Decimal("0.01"))
        card = next(
            (
                c
                for c in self.cards[employee_id]
                if c.valid_from <= payment_date
                and (c.valid_to is None or c.valid_to >= payment_date)
            ),
            None,
        )
        if card is None:
            tax_card: dict[str, Any] = {"type": "none"}
        elif card.type == TaxCard.Type.MAIN:
            tax_card = {
                "type": card.type,
                "rate": str(card.rate),
                "deduction": {
                    "month": str(card.deduction_month),
                    "14days": str(card.deduction_14days),
                },
            }
        elif card.type == TaxCard.Type.FREE:
            tax_card = {
                "type": card.type,
                "rate": str(card.rate),
                "free_amount": str(card.free_amount),
            }
        else:
            tax_card = {"type": card.type, "rate": str(card.rate)}
        record: dict[str, Any] = {
            "employee": {"number": employee.number, "name": employee.name},
            "payer": payer,
            "period": {
                "frequency": _ENGINE_FREQUENCY[Frequency(frequency)],
                "start": start.isoformat(),
                "end": end.isoformat(),
                "payment_date": payment_date.isoformat(),
            },
            "elements": elements,
            "atp": {"family": main.atp_family, "hours": str(atp_hours)},
            "tax_card": tax_card,
            "holiday": main.holiday_scheme,
            "rounding": rounding,
        }
        if main.pension_state_ac or main.pension_employer_rate or main.pension_employee_rate:
            record["pension"] = {
                "employer_rate": str(main.pension_employer_rate),
                "employee_rate": str(main.pension_employee_rate),
                "state_ac": main.pension_state_ac,
                "scheme": main.pension_scheme,
            }
        if deductions:
            record["deductions"] = deductions
        if ytd:
            record["ytd"] = ytd
        return record, main.org_unit.code

    def parse(self, employee_id: int, record: dict[str, Any]) -> Any:
        """``parse_record`` with the placeholder CPR (the last four digits are real)."""
        employee = self.employees[employee_id]
        data = dict(record)
        data["employee"] = dict(record["employee"], cpr=_PLACEHOLDER_CPR + employee.cpr_last4)
        return parse_record(data)


def _ytd_in(run: PayRun, employee_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Year-to-date values after each employee's latest final payslip of the tax year, with
    the retro differences paid with it."""
    out: dict[int, dict[str, str]] = {}
    rows = (
        Payslip.objects.filter(
            employee_id__in=employee_ids,
            run__state__in=FINAL_STATES,
            run__payment_date__year=run.payment_date.year,
            run__payment_date__lt=run.payment_date,
            stopped=False,
        )
        .exclude(run=run)
        .order_by("employee_id", "run__payment_date")
        .values_list("employee_id", "data", "retro")
    )
    for employee_id, data, retro in rows:
        ytd = {k: Decimal(v) for k, v in data.get("ytd", {}).items()}
        for r in retro:
            for k, v in r.get("ytd", {}).items():
                ytd[k] = ytd.get(k, Decimal(0)) + Decimal(v)
        out[employee_id] = {k: str(v) for k, v in ytd.items()}
    return out


def _line_dicts(lines: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        {
            "code": ln.code,
            "text": ln.text,
            "base": None if ln.base is None else str(ln.base),
            "rate": None if ln.rate is None else str(ln.rate),
            "amount": str(ln.amount),
        }
        for ln in lines
    ]


def _retro_for(
    run: PayRun, md: MasterData, employee: Employee, payer: dict[str, str]
) -> list[dict[str, Any]]:
    """Difference lines for every final period from ``employee.retro_from`` on whose
    recalculation on today's approved data differs from what was paid."""
    if employee.retro_from is None:
        return []
    old_slips = list(
        Payslip.objects.filter(
            employee=employee,
            run__state__in=FINAL_STATES,
            run__period_end__gte=employee.retro_from,
            run__period_start__lt=run.period_start,
            stopped=False,
        )
        .exclude(run=run)
        .select_related("run")
        .order_by("run__period_start")
    )
    # What was paid for a period: the original input, or the latest correction paid for it.
    corrected: dict[str, dict[str, Any]] = {}
    for slip in (
        Payslip.objects.filter(employee=employee, run__state__in=FINAL_STATES, stopped=False)
        .exclude(run=run)
        .order_by("run__period_start")
    ):
        for r in slip.retro:
            corrected[r["period_start"]] = r["corrected_input"]
    out: list[dict[str, Any]] = []
    for old in old_slips:
        original = corrected.get(old.run.period_start.isoformat(), old.input)
        built = md.record(
            employee.pk,
            payer,
            old.run.period_start,
            old.run.period_end,
            old.run.payment_date,
            old.run.frequency,
            original.get("ytd"),
            original.get("rounding", "1"),
        )
        new_record = built[0] if built else dict(original, elements=[], deductions=[])
        if _comparable(new_record) == _comparable(original):
            continue
        diff = engine_retro_difference(
            md.parse(employee.pk, original), md.parse(employee.pk, new_record)
        )
        out.append(
            {
                "period": old.run.label,
                "period_start": old.run.period_start.isoformat(),
                "period_end": old.run.period_end.isoformat(),
                "lines": _line_dicts(diff.lines),
                "employer_lines": _line_dicts(diff.employer_lines),
                "totals": {k: str(v) for k, v in diff.totals.items()},
                "eindkomst": {no: str(v) for no, _n, v in diff.eindkomst.fields()},
                "ledger": [
                    {"account": x.account, "debit": str(x.debit), "credit": str(x.credit)}
                    for x in diff.ledger
                ],
                "ytd": {k: str(getattr(diff.ytd, k)) for k in diff.ytd.__dataclass_fields__},
                "corrected_input": new_record,
            }
        )
    return out


def _comparable(record: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in record.items() if k != "employee"}, sort_keys=True)


def calculate_chunk(run_id: int, employee_ids: Sequence[int]) -> int:
    """Calculate one chunk of a run's employees and store their payslips with one insert
    (and the refused employees with another). Idempotent: the chunk's old rows go first."""
    run = PayRun.objects.select_related("institution").get(pk=run_id)
    inst = run.institution
    payer = {"cvr": inst.cvr or "00000000", "name": inst.name}
    md = MasterData(inst.pk, employee_ids, run.frequency)
    ytds = _ytd_in(run, employee_ids)
    rounding = settings_for(inst).rounding
    flagged = set(
        PendingChange.objects.filter(
            employee_id__in=employee_ids, state=PendingChange.State.PENDING
        ).values_list("employee_id", flat=True)
    )
    slips: list[Payslip] = []
    problems: list[RunProblem] = []
    for employee_id in employee_ids:
        employee = md.employees.get(employee_id)
        if employee is None:
            continue
        built = md.record(
            employee_id,
            payer,
            run.period_start,
            run.period_end,
            run.payment_date,
            run.frequency,
            ytds.get(employee_id),
            rounding,
        )
        if built is None:
            continue
        record, cost_centre = built
        try:
            slip = calculate(md.parse(employee_id, record))
            retro = _retro_for(run, md, employee, payer)
        except PayrollError as exc:
            problems.append(
                RunProblem(
                    institution_id=inst.pk,
                    run_id=run.pk,
                    employee_id=employee_id,
                    code=exc.code,
                    field=exc.field[:100],
                    message=str(exc.message)[:300],
                )
            )
            continue
        retro_totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for r in retro:
            for k, v in r["totals"].items():
                retro_totals[k] += Decimal(v)
        bank = md.bank_for(employee_id, run.payment_date)
        slips.append(
            Payslip(
                institution_id=inst.pk,
                run_id=run.pk,
                employee_id=employee_id,
                cost_centre=cost_centre,
                gross=slip.gross + retro_totals["gross"],
                am=slip.am_contribution + retro_totals["am_contribution"],
                a_income=slip.a_income + retro_totals["a_income"],
                a_tax=slip.a_tax + retro_totals["a_tax"],
                net=slip.net,
                employer_cost=slip.employer_cost + retro_totals["employer_cost"],
                retro_net=retro_totals["net"],
                net_payable=slip.net + retro_totals["net"],
                flagged=employee_id in flagged,
                retro_from=employee.retro_from,
                bank_reg=bank.reg_no if bank else "",
                bank_account=bank.account_no if bank else "",
                data=payslip_dict(slip),
                input=record,
                retro=retro,
            )
        )
    with transaction.atomic():
        Payslip.objects.filter(run_id=run.pk, employee_id__in=employee_ids).delete()
        RunProblem.objects.filter(run_id=run.pk, employee_id__in=employee_ids).delete()
        # COPY on PostgreSQL (bulk_create's multi-row INSERT spends most of a chunk quoting
        # the JSON columns); bulk_create elsewhere.
        bulk.create_objects(Payslip, slips)
        RunProblem.objects.bulk_create(problems, batch_size=1000)
    return len(slips)


def _refuse_same_person(run: PayRun, actor: User, action: str, message: str) -> None:
    raise Refused(
        message, code="self_approval", action=action, institution=run.institution, obj=run
    )


@refusals_recorded
@transaction.atomic
def run_approve(*, actor: User, run: PayRun) -> PayRun:
    """First approval by a payroll officer; no more recalculation after it."""
    run = (
        PayRun.objects.select_for_update(of=("self",)).select_related("institution").get(pk=run.pk)
    )
    _require_act(actor, run.institution, "payroll.run.approve", run)
    new_state = _transition(run, "approve", actor)
    run.state = new_state
    run.approved_by = actor
    run.approved_at = timezone.now()
    run.save(update_fields=["state", "approved_by", "approved_at"])
    record_event(
        institution=run.institution,
        actor=actor,
        action="payroll.run.approved",
        obj=run,
        details=run_totals(run),
    )
    return run


@refusals_recorded
@transaction.atomic
def run_second_approve(*, actor: User, run: PayRun) -> PayRun:
    """Second approval by another payroll officer (two-person rule). The run is final: its
    journal entry is posted (salaries, overtime, pension, ATP, holiday pay accrual, A-skat
    and AM payable, net salaries payable; cost accounts by cost centre)."""
    run = (
        PayRun.objects.select_for_update(of=("self",)).select_related("institution").get(pk=run.pk)
    )
    _require_act(actor, run.institution, "payroll.run.second_approve", run)
    new_state = _transition(run, "second_approve", actor)
    if run.approved_by_id == actor.pk:
        _refuse_same_person(
            run,
            actor,
            "payroll.run.second_approve",
            _("The second approval must be given by someone other than the first approver."),
        )
    run.state = new_state
    run.second_approved_by = actor
    run.second_approved_at = timezone.now()
    run.entry = entry_record(actor=actor, institution=run.institution, spec=run_entry_spec(run))
    run.save(update_fields=["state", "second_approved_by", "second_approved_at", "entry"])
    # Retro marks settled by this run (unless a newer change moved them meanwhile).
    for employee_id, used in Payslip.objects.filter(run=run, retro_from__isnull=False).values_list(
        "employee_id", "retro_from"
    ):
        Employee.objects.filter(pk=employee_id, retro_from=used).update(retro_from=None)
    record_event(
        institution=run.institution,
        actor=actor,
        action="payroll.run.second_approved",
        obj=run,
        details={**run_totals(run), "entry": run.entry.number},
    )
    return run


@refusals_recorded
@transaction.atomic
def run_mark_paid(*, actor: User | None, run: PayRun) -> PayRun:
    """The bank has paid the net salaries: the payment is posted (net salaries payable
    against the bank account of the institution's posting accounts)."""
    run = (
        PayRun.objects.select_for_update(of=("self",))
        .select_related("institution", "entry")
        .get(pk=run.pk)
    )
    if actor is not None:
        _require_act(actor, run.institution, "payroll.run.mark_paid", run)
    run.state = _transition(run, "mark_paid", actor)
    run.paid_at = timezone.now()
    poster = actor or run.second_approved_by
    assert poster is not None
    payment = None
    if run.net:
        bank = (
            PostingAccounts.objects.filter(institution=run.institution)
            .select_related("bank_account")
            .first()
        )
        bank_no = bank.bank_account.number if bank else DEFAULT_POSTING_ACCOUNTS["bank_account"]
        payment = entry_record(
            actor=poster,
            institution=run.institution,
            spec=EntrySpec(
                date=run.payment_date,
                description=f"Udbetaling af nettoløn {run.label}",
                voucher_ref=f"LØN-{run.label}-UDB",
                source_type="payroll.payment",
                source_id=str(run.pk),
                lines=[
                    LineSpec(account=ACCOUNTS.net_pay_payable, debit=run.net, text="Nettoløn"),
                    LineSpec(account=bank_no, credit=run.net, text="Bank"),
                ],
            ),
        )
    run.payment_entry = payment
    run.save(update_fields=["state", "paid_at", "payment_entry"])
    record_event(
        institution=run.institution,
        actor=actor,
        action="payroll.run.paid",
        obj=run,
        details={**run_totals(run), "payment_entry": payment.number if payment else None},
    )
    return run


def _ledger_lines(rows: Iterable[tuple[str, Any, Any]], sign: int = 1) -> list[LineSpec]:
    """The engine's ledger lines of payslips ``(cost centre, data, retro)`` summed by
    account, cost accounts (class 1) by cost centre; ``sign=-1`` gives the reversal."""
    sums: dict[tuple[str, str | None], Decimal] = defaultdict(lambda: ZERO)
    texts: dict[str, str] = {}
    for cost_centre, data, retro in rows:
        for ledger in [data.get("ledger", [])] + [r.get("ledger", []) for r in retro]:
            for x in ledger:
                account = x["account"]
                key = (account, cost_centre if account.startswith("1") else None)
                sums[key] += sign * (Decimal(x["debit"]) - Decimal(x["credit"]))
                if "text" in x:
                    texts.setdefault(account, x["text"])
    lines = []
    for (account, cc), balance in sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        if not balance:
            continue
        lines.append(
            LineSpec(
                account=account,
                debit=balance if balance > 0 else ZERO,
                credit=-balance if balance < 0 else ZERO,
                org_unit=cc,
                text=texts.get(account, ""),
            )
        )
    return lines


def run_entry_spec(run: PayRun) -> EntrySpec:
    """The run's journal entry: every payslip's ledger lines (and its retro differences)."""
    rows = Payslip.objects.filter(run=run, stopped=False).values_list(
        "cost_centre", "data", "retro"
    )
    return EntrySpec(
        date=run.payment_date,
        description=f"Løn {run.label}",
        lines=_ledger_lines(rows),
        voucher_ref=f"LØN-{run.label}",
        source_type="payroll.run",
        source_id=str(run.pk),
    )


@refusals_recorded
@transaction.atomic
def payslip_stop(
    *, actor: User, payslip: Payslip, reason: str, today: date | None = None
) -> Payslip:
    """Stop one employee's pay in a run (lønstandsning), possible until the payment date and
    before the run is paid. The payslip stays, marked stopped; nothing is paid or posted
    for it."""
    payslip = (
        Payslip.objects.select_for_update(of=("self",))
        .select_related("run", "institution")
        .get(pk=payslip.pk)
    )
    run = (
        PayRun.objects.select_for_update(of=("self",))
        .select_related("institution")
        .get(pk=payslip.run_id)
    )
    _require_act(actor, run.institution, "payroll.payslip.stop", payslip)
    today = today or timezone.localdate()
    if run.state == State.PAID or today > run.payment_date:
        raise Refused(
            _("Pay can only be stopped before the payment date and before the run is paid."),
            code="too_late",
            action="payroll.payslip.stop",
            institution=run.institution,
            obj=payslip,
            field="state",
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for stopping the pay.")})
    payslip.stopped = True
    payslip.stop_reason = reason.strip()[:200]
    payslip.save(update_fields=["stopped", "stop_reason"])
    if run.entry_id is not None:
        # The run's entry is posted: the stopped pay is taken out by an entry of its own.
        entry_record(
            actor=actor,
            institution=run.institution,
            spec=EntrySpec(
                date=run.payment_date,
                description=f"Lønstandsning {run.label} {payslip.employee.number}",
                voucher_ref=f"LØN-{run.label}-STOP",
                source_type="payroll.stop",
                source_id=str(payslip.pk),
                lines=_ledger_lines([(payslip.cost_centre, payslip.data, payslip.retro)], -1),
            ),
        )
    _sum_totals(run)
    run.save()
    record_event(
        institution=run.institution,
        actor=actor,
        action="payroll.payslip.stopped",
        obj=payslip,
        details={"run": run.pk, "employee": payslip.employee.number, "reason": payslip.stop_reason},
    )
    return payslip
