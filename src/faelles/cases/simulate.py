"""Run every branch of a case type with generated inputs, in a transaction that is rolled back.

A *decision point* is a moment where a case waits: a user task (its options are the
combinations of the form's sample values — both booleans, every choice, the declared samples
of numbers that feed the DMN tables — plus "let the deadline pass" when a timer is attached)
or a timer alone (then the only option is to let time pass). The explorer replays the case
from the start for each branch (depth first over the options), so every path through the
gateways and decision tables is run through the real services. A task met for the third time
on one path takes its first option (loops are run once, not forever).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from faelles.cases import services
from faelles.cases.models import Case, CaseStatus, CaseTask, CaseTaskState, CaseType
from faelles.cases.registry import FORMS
from faelles.cases.shipped import SHIPPED

MAX_STEPS = 80
MAX_BRANCHES = 500


@dataclass(frozen=True)
class Option:
    label: str
    data: dict[str, Any] | None  # None: let the timer fire


@dataclass
class Point:
    """One decision point of a run: the task (or timer) and its options."""

    key: str
    options: list[Option]


@dataclass
class RunResult:
    choices: list[int] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    outcome: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.outcome)


class _Rollback(Exception):
    pass


def _form_options(form_name: str) -> list[Option]:
    form = FORMS[form_name]
    fields = list(form.fields)
    combos = itertools.product(*(f.sample_values() for f in fields)) if fields else [()]
    options = []
    for combo in combos:
        data = {f.name: v for f, v in zip(fields, combo, strict=True)}
        label = ",".join(f"{k}={v}" for k, v in data.items() if isinstance(v, bool | int | str))
        options.append(Option(f"{form_name}({label})", {**data, "minutes": 10}))
    return options


def _points(case: Case) -> Point | None:
    task = (
        CaseTask.objects.filter(case=case, state=CaseTaskState.OPEN)
        .order_by("spec_id", "pk")
        .first()
    )
    if task is not None:
        options = _form_options(task.form)
        if case.next_timer_at is not None:
            options.append(Option(f"{task.spec_id}:deadline passes", None))
        return Point(task.spec_id, options)
    if case.next_timer_at is not None:
        return Point("timer", [Option("time passes", None)])
    return None


def run_case(
    case_type: CaseType,
    choose: Callable[[Point, int], int],
    *,
    start: dt.datetime | None = None,
    title: str = "Simulated case",
    parties: list[services.PartyInput] | None = None,
    overrides: dict[str, Any] | None = None,
) -> RunResult:
    """Open a case and drive it to its end, asking ``choose(point, visits)`` at every decision
    point. ``overrides`` replace the generated value of a form field wherever it is asked
    (the property tests draw the DMN inputs this way). The caller decides what is rolled
    back."""
    result = RunResult()
    now = start or timezone.now()
    case = services.case_open(
        actor=None,
        case_type=case_type,
        title=title,
        parties=parties
        if parties is not None
        else [
            services.PartyInput(
                kind="company", role="applicant", name="Simulation ApS", cvr="13585628"
            )
        ],
        now=now,
    )
    visits: dict[str, int] = {}
    for _step in range(MAX_STEPS):
        case.refresh_from_db()
        if case.status != CaseStatus.OPEN:
            break
        point = _points(case)
        if point is None:
            result.error = "the case waits for nothing but is not closed"
            return result
        visits[point.key] = visits.get(point.key, 0) + 1
        index = choose(point, visits[point.key])
        if visits[point.key] > 2:
            index = 0
        option = point.options[index]
        result.choices.append(index)
        result.counts.append(len(point.options) if visits[point.key] <= 2 else 1)
        result.labels.append(option.label)
        now = now + dt.timedelta(days=1)
        if option.data is None:
            due = case.next_timer_at
            assert due is not None
            now = max(now, due + dt.timedelta(seconds=1))
            services.case_timers_fire(case_id=case.pk, now=now)
        else:
            task = (
                CaseTask.objects.filter(case=case, state=CaseTaskState.OPEN, spec_id=point.key)
                .order_by("pk")
                .first()
            )
            assert task is not None
            data = dict(option.data)
            for name in data.keys() & (overrides or {}).keys():
                data[name] = (overrides or {})[name]
            services.case_task_complete(actor=None, task=task, data=data, now=now)
    case.refresh_from_db()
    if case.status == CaseStatus.CLOSED:
        result.outcome = case.outcome
    elif case.status == CaseStatus.OPEN:
        result.error = f"not finished after {MAX_STEPS} steps"
    else:
        result.error = case.error or "failed"
    return result


def explore(case_type: CaseType, *, max_branches: int = MAX_BRANCHES) -> list[RunResult]:
    """Every branch of ``case_type``, each run in a savepoint that is rolled back."""
    results: list[RunResult] = []
    stack: list[list[int]] = [[]]
    while stack and len(results) < max_branches:
        prefix = stack.pop()
        position = {"k": 0}

        def choose(
            point: Point,
            visits: int,
            prefix: list[int] = prefix,
            position: dict[str, int] = position,
        ) -> int:
            k = position["k"]
            position["k"] += 1
            return prefix[k] if k < len(prefix) else 0

        try:
            with transaction.atomic():
                try:
                    result = run_case(case_type, choose)
                except Exception as exc:  # a failed branch is a finding, not a crash
                    result = RunResult(error=f"{type(exc).__name__}: {exc}")
                raise _Rollback
        except _Rollback:
            pass
        results.append(result)
        if result.error and not result.choices:
            break
        for k in range(len(prefix), len(result.choices)):
            for j in range(result.counts[k] - 1, 0, -1):
                stack.append([*result.choices[:k], j])
    return results


#: The purposes (formål) the shipped grant and benefit models book their payments on.
PAYMENT_PURPOSES = {"TILSKUD": "Tilskudspulje", "YDELSE": "Ydelser til personer"}


def books_for_payments(institution: Any, years: Any) -> None:
    """What grant and benefit payments need in the institution's books: the common chart,
    open fiscal years and the purposes the shipped models name (idempotent)."""
    from faelles.ledger import services as ledger
    from faelles.ledger.models import Purpose
    from faelles.tenancy.services.users import system_user

    actor = system_user()
    ledger.chart_adopt(actor=actor, institution=institution)
    for year in years:
        ledger.fiscal_year_open(actor=actor, institution=institution, year=year)
    have = set(Purpose.objects.for_institution(institution).values_list("code", flat=True))
    for code, name in PAYMENT_PURPOSES.items():
        if code not in have:
            ledger.purpose_create(actor=actor, institution=institution, code=code, name=name)


def simulation_world(code: str) -> CaseType:
    """A throwaway institution (and appeals body) with the shipped case type ``code``."""
    from faelles.tenancy.models import Institution

    suffix = timezone.now().strftime("%H%M%S%f")
    institution = Institution.objects.create(
        name=f"Simulation {code}", short_name=f"SIM{suffix}"[:30], kind=Institution.Kind.AGENCY
    )
    shipped = SHIPPED[code]
    version = services.case_type_import(
        actor=None,
        institution=institution,
        files=shipped.read(),
        code=shipped.code,
        name=shipped.name,
        task_code=shipped.task_code,
        kle=shipped.kle,
        check_role=False,
    )
    case_type = version.case_type
    if code in ("grant-pool", "benefit"):
        year = timezone.now().year
        books_for_payments(institution, range(min(year, 2026) - 1, max(year, 2026) + 3))
    if code == "complaint":
        appeals = Institution.objects.create(
            name=f"Simulation appeals {code}",
            short_name=f"SIA{suffix}"[:30],
            kind=Institution.Kind.AGENCY,
        )
        target = services.case_type_import(
            actor=None,
            institution=appeals,
            files=shipped.read(),
            code=shipped.code,
            check_role=False,
        ).case_type
        services.case_type_configure(actor=None, case_type=case_type, appeal_case_type=target)
        case_type.refresh_from_db()
    return case_type


def simulate(codes: list[str]) -> list[dict[str, Any]]:
    """One summary per case type: {"case_type", "branches", "completed", "failed", ...}.
    Everything written is rolled back."""
    summaries = []
    for code in codes:
        try:
            with transaction.atomic():
                case_type = simulation_world(code)
                results = explore(case_type)
                raise _Capture(results)
        except _Capture as captured:
            results = captured.results
        outcomes: dict[str, int] = {}
        for r in results:
            if r.ok:
                outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
        summaries.append(
            {
                "case_type": code,
                "branches": len(results),
                "completed": sum(1 for r in results if r.ok),
                "failed": sum(1 for r in results if not r.ok),
                "outcomes": dict(sorted(outcomes.items())),
                "failures": [{"path": r.labels, "error": r.error} for r in results if not r.ok][
                    :10
                ],
            }
        )
    return summaries


class _Capture(Exception):
    def __init__(self, results: list[RunResult]) -> None:
        super().__init__("rolled back")
        self.results = results
