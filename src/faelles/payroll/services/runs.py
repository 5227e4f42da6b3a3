"""Pay runs: periods, the life cycle, the calculation in chunks, retro corrections, the ledger entry and stopping one employee's pay."""

from __future__ import annotations

import calendar
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import holidays
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core import bulk
from faelles.core.audit import Refused, record_event, refusals_recorded
from faelles.ledger.models import DEFAULT_POSTING_ACCOUNTS, PostingAccounts
from faelles.ledger.services import EntrySpec, LineSpec, entry_record
from faelles.payroll.engine import PayrollError, calculate, parse_record, payslip_json
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
        Payslip.objects.filter(run=run, stopped=False)
        .order_by()
        .values_list("gross", "am", "a_tax", "net_payable", "employer_cost")
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


_EMPLOYMENT_FIELDS = (
    "pk",
    "employee_id",
    "start",
    "end",
    "weekly_hours",
    "pension_scheme",
    "pension_employer_rate",
    "pension_employee_rate",
    "pension_state_ac",
    "atp_family",
    "holiday_scheme",
)
_ELEMENT_FIELDS = (
    "employment_id",
    "code",
    "text",
    "kind",
    "amount",
    "hours",
    "rate",
    "pensionable",
    "valid_from",
    "valid_to",
)
_CARD_FIELDS = (
    "employee_id",
    "type",
    "rate",
    "deduction_month",
    "deduction_14days",
    "free_amount",
    "valid_from",
    "valid_to",
)


def _in_period(valid_from: date, valid_to: date | None, start: date, end: date) -> bool:
    return valid_from <= end and (valid_to is None or valid_to >= start)


def _ids_q(field: str, ids: Sequence[int]) -> Q:
    """A filter for a chunk's ids: the range between the smallest and the largest id when the
    ids are dense (a chunk is a slice of the run's sorted employee ids, so that is the usual
    case; the caller drops ids in the range that are not its own), else ``IN``. A range is
    one condition for the planner and for the driver, where an ``IN`` of hundreds of ids is
    hundreds of parameters to quote for every query of every chunk."""
    if not ids:
        return Q(pk__in=[])
    lo, hi = min(ids), max(ids)
    if hi - lo < 4 * len(ids):
        return Q(**{f"{field}__gte": lo, f"{field}__lte": hi})
    return Q(**{f"{field}__in": list(ids)})


class _Row(SimpleNamespace):
    """A master-data row read as values (attribute access like the model's)."""


def _rows(queryset: Any, fields: Sequence[str], **renamed: str) -> Iterator[Any]:
    names = list(fields) + list(renamed)
    for values in queryset.values_list(*fields, *renamed.values()):
        yield _Row(**dict(zip(names, values, strict=True)))


class MasterData:
    """The approved master data of a set of employees, read with one query per kind (no
    model instances: the rows are values)."""

    def __init__(self, institution_id: int, employee_ids: Sequence[int], frequency: str) -> None:
        wanted = set(employee_ids)
        self.employees: dict[int, Any] = {
            e.pk: e
            for e in _rows(
                Employee.objects.filter(_ids_q("pk", employee_ids), institution_id=institution_id),
                ("pk", "number", "name", "cpr_last4", "retro_from"),
            )
            if e.pk in wanted
        }
        self.employments: dict[int, list[Any]] = defaultdict(list)
        employment_ids = set()
        for emp in _rows(
            Employment.objects.filter(
                _ids_q("employee_id", employee_ids),
                institution_id=institution_id,
                frequency=frequency,
            ).order_by("start", "pk"),
            _EMPLOYMENT_FIELDS,
            cost_centre="org_unit__code",
        ):
            if emp.employee_id in wanted:
                self.employments[emp.employee_id].append(emp)
                employment_ids.add(emp.pk)
        self.elements: dict[int, list[Any]] = defaultdict(list)
        for el in _rows(
            PayElement.objects.filter(
                _ids_q("employment__employee_id", employee_ids), institution_id=institution_id
            ).order_by("valid_from", "pk"),
            _ELEMENT_FIELDS,
        ):
            if el.employment_id in employment_ids:
                self.elements[el.employment_id].append(el)
        self.cards: dict[int, list[Any]] = defaultdict(list)
        for card in _rows(
            TaxCard.objects.filter(
                _ids_q("employee_id", employee_ids), institution_id=institution_id
            ).order_by("-valid_from", "-pk"),
            _CARD_FIELDS,
        ):
            if card.employee_id in wanted:
                self.cards[card.employee_id].append(card)
        self.banks: dict[int, list[Any]] = defaultdict(list)
        for bank in _rows(
            BankAccount.objects.filter(
                _ids_q("employee_id", employee_ids), institution_id=institution_id
            ).order_by("-valid_from", "-pk"),
            ("employee_id", "reg_no", "account_no", "valid_from"),
        ):
            if bank.employee_id in wanted:
                self.banks[bank.employee_id].append(bank)

    def bank_for(self, employee_id: int, on: date) -> Any:
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
        return record, main.cost_centre

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
    wanted = set(employee_ids)
    rows = (
        Payslip.objects.filter(
            _ids_q("employee_id", employee_ids),
            institution_id=run.institution_id,
            run__state__in=FINAL_STATES,
            run__payment_date__year=run.payment_date.year,
            run__payment_date__lt=run.payment_date,
            stopped=False,
        )
        .exclude(run=run)
        .order_by("employee_id", "run__payment_date")
        .values_list("employee_id", "data__ytd", "retro")
    )
    for employee_id, ytd_data, retro in rows:
        if employee_id not in wanted:
            continue
        ytd = {k: Decimal(v) for k, v in (ytd_data or {}).items()}
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
    run: PayRun, md: MasterData, employee: Any, payer: dict[str, str]
) -> list[dict[str, Any]]:
    """Difference lines for every final period from ``employee.retro_from`` on whose
    recalculation on today's approved data differs from what was paid."""
    if employee.retro_from is None:
        return []
    old_slips = list(
        Payslip.objects.filter(
            employee_id=employee.pk,
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
        Payslip.objects.filter(employee_id=employee.pk, run__state__in=FINAL_STATES, stopped=False)
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


_PAYSLIP_COLUMNS = (
    "institution_id",
    "run_id",
    "employee_id",
    "cost_centre",
    "gross",
    "am",
    "a_income",
    "a_tax",
    "net",
    "employer_cost",
    "retro_net",
    "net_payable",
    "flagged",
    "retro_from",
    "stopped",
    "stop_reason",
    "bank_reg",
    "bank_account",
    "data",
    "input",
    "retro",
)


def _delete_chunk_rows(run_id: int, employee_ids: Sequence[int]) -> None:
    """A chunk's earlier payslips and problems (a retried chunk). Nothing refers to either:
    a plain DELETE without the ORM's collector; on PostgreSQL the ids are one array
    parameter (``= ANY``), not hundreds of ``IN`` parameters."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (Payslip._meta.db_table, RunProblem._meta.db_table):
                cursor.execute(
                    f"DELETE FROM {connection.ops.quote_name(table)} "  # noqa: S608 - model's name
                    "WHERE run_id = %s AND employee_id = ANY(%s)",
                    [run_id, list(employee_ids)],
                )
        return
    mine = Q(run_id=run_id, employee_id__in=list(employee_ids))
    Payslip.objects.filter(mine)._raw_delete(Payslip.objects.db)
    RunProblem.objects.filter(mine)._raw_delete(RunProblem.objects.db)


def calculate_chunk(run_id: int, employee_ids: Sequence[int]) -> int:
    """Calculate one chunk of a run's employees and store their payslips with one insert
    (and the refused employees with another). Idempotent: the chunk's old rows go first.

    Set-based: the chunk's master data, year-to-date values and pending changes are read
    with a fixed number of queries, the payslips are built as rows (the engine's payslip as
    JSON text, no model instances) and written with one COPY on PostgreSQL."""
    run = PayRun.objects.select_related("institution").get(pk=run_id)
    inst = run.institution
    payer = {"cvr": inst.cvr or "00000000", "name": inst.name}
    md = MasterData(inst.pk, employee_ids, run.frequency)
    ytds = _ytd_in(run, employee_ids)
    rounding = settings_for(inst).rounding
    flagged = set(
        PendingChange.objects.filter(
            _ids_q("employee_id", employee_ids),
            institution_id=inst.pk,
            state=PendingChange.State.PENDING,
        ).values_list("employee_id", flat=True)
    )
    slips: list[list[Any]] = []
    problems: list[RunProblem] = []
    dumps = json.dumps
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
            [
                inst.pk,
                run.pk,
                employee_id,
                cost_centre,
                slip.gross + retro_totals["gross"],
                slip.am_contribution + retro_totals["am_contribution"],
                slip.a_income + retro_totals["a_income"],
                slip.a_tax + retro_totals["a_tax"],
                slip.net,
                slip.employer_cost + retro_totals["employer_cost"],
                retro_totals["net"],
                slip.net + retro_totals["net"],
                employee_id in flagged,
                employee.retro_from.isoformat() if employee.retro_from else None,
                False,
                "",
                bank.reg_no if bank else "",
                bank.account_no if bank else "",
                payslip_json(slip),
                dumps(record),
                dumps(retro) if retro else "[]",
            ]
        )
    with transaction.atomic():
        _delete_chunk_rows(run.pk, employee_ids)
        # Rows below the ORM: COPY on PostgreSQL, one executemany elsewhere (bulk_create's
        # model instances and multi-row INSERT cost most of a chunk's time).
        bulk.insert_many(Payslip._meta.db_table, _PAYSLIP_COLUMNS, slips)
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
    """The engine's ledger lines of payslips ``(cost centre, ledger, retro)`` summed by
    account, cost accounts (class 1) by cost centre; ``sign=-1`` gives the reversal."""
    sums: dict[tuple[str, str | None], Decimal] = defaultdict(lambda: ZERO)
    texts: dict[str, str] = {}
    for cost_centre, ledger_rows, retro in rows:
        for ledger in [ledger_rows or []] + [r.get("ledger", []) for r in retro]:
            for x in ledger:
                account = x["account"]
                key = (account, cost_centre if account.startswith("1") else None)
                sums[key] += sign * (Decimal(x["debit"]) - Decimal(x["credit"]))
                if "text" in x:
                    texts.setdefault(account, x["text"])
    return _line_specs(sums, texts)


def _line_specs(
    sums: dict[tuple[str, str | None], Decimal], texts: dict[str, str]
) -> list[LineSpec]:
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


_LEDGER_SUMS_SQL = """
SELECT account, CASE WHEN account LIKE '1%%' THEN cost_centre END AS cc, SUM(amount), MIN(text)
FROM (
    SELECT x->>'account' AS account, p.cost_centre,
           (x->>'debit')::numeric - (x->>'credit')::numeric AS amount, x->>'text' AS text
    FROM payroll_payslip p
    CROSS JOIN LATERAL jsonb_array_elements(COALESCE(p.data->'ledger', '[]'::jsonb)) x
    WHERE p.run_id = %(run)s AND NOT p.stopped
    UNION ALL
    SELECT x->>'account', p.cost_centre,
           (x->>'debit')::numeric - (x->>'credit')::numeric, x->>'text'
    FROM payroll_payslip p
    CROSS JOIN LATERAL jsonb_array_elements(p.retro) r
    CROSS JOIN LATERAL jsonb_array_elements(COALESCE(r->'ledger', '[]'::jsonb)) x
    WHERE p.run_id = %(run)s AND NOT p.stopped AND p.retro <> '[]'::jsonb
) AS t
GROUP BY 1, 2
"""


def run_ledger_lines(run: PayRun) -> list[LineSpec]:
    """The run's ledger lines: every payslip's (and its retro differences') summed by account
    and cost centre. On PostgreSQL one ``GROUP BY`` over the stored JSON (no payslip row comes
    to Python); elsewhere one pass over the rows as they are read."""
    if connection.vendor == "postgresql":
        sums: dict[tuple[str, str | None], Decimal] = {}
        texts: dict[str, str] = {}
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner counts 100 rows for each jsonb_array_elements call, which puts the
            # query over jit_above_cost: compiling it took ~0.8 s a run (measured with 200,000
            # payslips in the table), running it 25 ms. Off for this transaction only.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(_LEDGER_SUMS_SQL, {"run": run.pk})
            for account, cc, amount, text in cursor.fetchall():
                sums[(account, cc)] = amount
                if text is not None:
                    texts.setdefault(account, text)
        return _line_specs(sums, texts)
    rows = (
        Payslip.objects.filter(run=run, stopped=False)
        .order_by("pk")
        .values_list("cost_centre", "data__ledger", "retro")
        .iterator(chunk_size=2000)
    )
    return _ledger_lines(rows)


def run_entry_spec(run: PayRun) -> EntrySpec:
    """The run's journal entry: every payslip's ledger lines (and its retro differences)."""
    return EntrySpec(
        date=run.payment_date,
        description=f"Løn {run.label}",
        lines=run_ledger_lines(run),
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
                lines=_ledger_lines(
                    [(payslip.cost_centre, payslip.data.get("ledger", []), payslip.retro)], -1
                ),
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
