"""Reads of insight: an institution's key figures with the distribution across institutions
beside each, the operator's side-by-side view, the task inventory and the business cases.

Who sees what (the roles are ``faelles.tenancy.roles``' own, as the control app uses them):
an institution's management and controllers (local administrators, controllers) and the
operator's staff serving it see its figures, tasks and business cases
(``view_roles(Area.SERVICE_CONTACT)``: the people who hold the service agreement to account);
the operator's staff see every institution they serve side by side
(``view_roles(Area.OPERATOR_CONTROL)``). The distribution beside a figure (minimum, quartiles,
maximum, the institution's place) is computed over every institution with a value that month:
it names no other institution.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from faelles.core.access import institutions_with_role, restrict
from faelles.insight.measure import q2
from faelles.insight.models import HIGHER_IS_BETTER, Figure, KeyFigure
from faelles.tenancy.roles import CASE_WORKER, LOCAL_ADMIN, OPERATOR_ADMIN, Area, view_roles

INSIGHT_ROLES = view_roles(Area.SERVICE_CONTACT)
OPERATOR_ROLES = view_roles(Area.OPERATOR_CONTROL)
#: Who keeps an institution's task inventory and business cases: its local administrators
#: and the operator's staff serving it (controllers read, they do not write).
WRITE_ROLES = frozenset({LOCAL_ADMIN, OPERATOR_ADMIN, CASE_WORKER})


@dataclass(frozen=True, slots=True)
class Distribution:
    """A figure's spread over the institutions with a value (quartiles inclusive, as Excel's
    QUARTILE.INC) and a place (1 = best; equal values share the better place)."""

    count: int
    minimum: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    maximum: Decimal

    def place(
        self, value: Decimal | None, values: list[Decimal], higher_better: bool
    ) -> int | None:
        if value is None:
            return None
        better = [v for v in values if (v > value if higher_better else v < value)]
        return len(better) + 1


def distribution(values: list[Decimal]) -> Distribution | None:
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        q1 = med = q3 = ordered[0]
    else:
        q1, med, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Distribution(
        len(ordered),
        q2(ordered[0]),
        q2(Decimal(q1)),
        q2(Decimal(med)),
        q2(Decimal(q3)),
        q2(ordered[-1]),
    )


@dataclass(frozen=True, slots=True)
class FigureRow:
    figure: str
    label: str
    value: Decimal | None
    basis: int
    source: str
    distribution: Distribution | None
    place: int | None
    higher_is_better: bool


def months_available(user: Any, institution: Any = None) -> list[date]:
    """The months with figures the user may see, newest first."""
    roles = INSIGHT_ROLES if institution is not None else OPERATOR_ROLES
    qs = restrict(KeyFigure, user=user, institution=institution, roles=roles)
    return sorted(set(qs.values_list("month", flat=True)), reverse=True)


def _population(month: date) -> dict[str, list[Decimal]]:
    """Every institution's values of ``month`` per figure (no names: the distribution)."""
    values: dict[str, list[Decimal]] = {f: [] for f in Figure.values}
    for figure, value in KeyFigure.objects.filter(month=month, value__isnull=False).values_list(
        "figure", "value"
    ):
        if value is not None:
            values[figure].append(value)
    return values


def institution_figures(user: Any, institution: Any, month: date) -> list[FigureRow]:
    """The institution's figures of ``month``, each with the distribution across every
    institution and its place (empty when the user may not see the institution)."""
    own = {
        k.figure: k
        for k in restrict(
            KeyFigure, user=user, institution=institution, roles=INSIGHT_ROLES
        ).filter(month=month)
    }
    if not own:
        return []
    population = _population(month)
    rows = []
    for figure, label in Figure.choices:
        k = own.get(figure)
        values = population[figure]
        dist = distribution(values)
        value = k.value if k else None
        higher = HIGHER_IS_BETTER[figure]
        rows.append(
            FigureRow(
                figure,
                str(label),
                value,
                k.basis if k else 0,
                k.source if k else "",
                dist,
                dist.place(value, values, higher) if dist else None,
                higher,
            )
        )
    return rows


def institution_series(user: Any, institution: Any, figure: str, months: int = 12) -> list[Any]:
    """``(month, value)`` of one figure for the last ``months`` months with figures."""
    qs = (
        restrict(KeyFigure, user=user, institution=institution, roles=INSIGHT_ROLES)
        .filter(figure=figure)
        .order_by("-month")
        .values_list("month", "value")[:months]
    )
    return list(reversed(list(qs)))


def served_institutions(user: Any) -> QuerySet[Any]:
    return institutions_with_role(user, OPERATOR_ROLES).order_by("short_name")


def side_by_side(user: Any, month: date) -> tuple[list[Any], list[dict[str, Any]]]:
    """The served institutions (columns) and one row per figure with each institution's value
    and place, and the distribution over every institution."""
    institutions = list(served_institutions(user))
    figures = restrict(KeyFigure, user=user, roles=OPERATOR_ROLES).filter(month=month)
    by: dict[tuple[str, int], KeyFigure] = {(k.figure, k.institution_id): k for k in figures}
    population = _population(month)
    rows = []
    for figure, label in Figure.choices:
        values = population[figure]
        dist = distribution(values)
        higher = HIGHER_IS_BETTER[figure]
        cells = []
        for inst in institutions:
            k = by.get((figure, inst.pk))
            value = k.value if k else None
            cells.append(
                {
                    "institution": inst,
                    "value": value,
                    "place": dist.place(value, values, higher) if dist else None,
                }
            )
        rows.append({"figure": figure, "label": str(label), "cells": cells, "distribution": dist})
    return institutions, rows


# --- the task inventory ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScreenedTask:
    task: Any
    volume: int
    volume_measured: bool
    hours: Decimal
    hours_registered: bool
    volume_score: int
    score: Decimal
    verdict: str
    shadow: bool


def _year_window(on: date) -> tuple[date, date]:
    """The 12 whole months before ``on``'s month: [first month, ``on``'s month)."""
    end = on.replace(day=1)
    start = date(end.year - 1, end.month, 1)
    return start, end


def measured_volumes(tasks: list[Any], on: date) -> dict[int, int]:
    """Volume per year measured by the platform, per task pk (where it can be): the invoices
    received in the last 12 months for a task that feeds the cost per invoice; the cases with
    the task's FORM code opened in them. Two queries for all tasks."""
    from datetime import datetime, time

    from django.db.models import Count, Sum
    from django.utils import timezone

    from faelles.cases.models import Case

    start, end = _year_window(on)
    out: dict[int, int] = {}
    insts = {t.institution_id for t in tasks}
    invoices = {
        r["institution_id"]: int(r["n"] or 0)
        for r in KeyFigure.objects.filter(
            institution_id__in=insts, figure=Figure.INVOICES, month__gte=start, month__lt=end
        )
        .order_by()
        .values("institution_id")
        .annotate(n=Sum("basis"))
    }
    tz = timezone.get_current_timezone()
    cases = {
        (r["institution_id"], r["task_code"]): r["n"]
        for r in Case.objects.filter(
            institution_id__in=insts,
            task_code__in={t.form_code for t in tasks},
            opened_at__gte=timezone.make_aware(datetime.combine(start, time()), tz),
            opened_at__lt=timezone.make_aware(datetime.combine(end, time()), tz),
        )
        .order_by()
        .values("institution_id", "task_code")
        .annotate(n=Count("pk"))
    }
    for t in tasks:
        if t.measures == Figure.COST_PER_INVOICE and invoices.get(t.institution_id):
            out[t.pk] = invoices[t.institution_id]
        elif (t.institution_id, t.form_code) in cases:
            out[t.pk] = cases[(t.institution_id, t.form_code)]
    return out


def registered_hours(tasks: list[Any], on: date) -> dict[int, Decimal]:
    """Hours registered on each task in the last 12 months (tasks with registrations only)."""
    from django.db.models import Sum

    from faelles.insight.models import TaskHours

    start, end = _year_window(on)
    return {
        r["task_id"]: Decimal(str(r["h"])).quantize(Decimal("0.1"))
        for r in TaskHours.objects.filter(
            task__in=[t.pk for t in tasks], month__gte=start, month__lt=end
        )
        .order_by()
        .values("task_id")
        .annotate(h=Sum("hours"))
        if r["h"] is not None
    }


def screen(tasks: list[Any], on: date) -> list[ScreenedTask]:
    """Each task with its volume and hours (measured where possible) and its ripeness score,
    best first."""
    from faelles.insight import screening

    volumes = measured_volumes(tasks, on)
    hours = registered_hours(tasks, on)
    out = []
    for t in tasks:
        volume = volumes.get(t.pk, t.volume_per_year)
        value = screening.score(t.standardisability, volume, t.bindings)
        out.append(
            ScreenedTask(
                task=t,
                volume=volume,
                volume_measured=t.pk in volumes,
                hours=hours.get(t.pk, t.hours_per_year),
                hours_registered=t.pk in hours,
                volume_score=screening.volume_score(volume),
                score=value,
                verdict=screening.verdict(value),
                shadow=bool(
                    t.responsibility_id
                    and t.responsibility
                    and t.responsibility.owner == "operator"
                ),
            )
        )
    out.sort(key=lambda s: (-s.score, -s.hours, s.task.form_code, s.task.name))
    return out


def tasks_for(user: Any, institution: Any) -> QuerySet[Any]:
    from faelles.insight.models import Task

    return (
        restrict(Task, user=user, institution=institution, roles=INSIGHT_ROLES)
        .select_related("responsibility", "institution")
        .order_by("form_code", "name")
    )


def access_task(user: Any, pk: Any) -> Any:
    """The task with ``pk`` if ``user`` holds an insight role in its institution; 404 else."""
    from faelles.core.access import access_object
    from faelles.insight.models import Task

    return access_object(
        Task.objects.select_related("institution", "responsibility"),
        user=user,
        pk=pk,
        roles=INSIGHT_ROLES,
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    form_code: str
    names: list[str]
    institutions: list[str]
    volume: int
    hours: Decimal
    standardisability: Decimal
    bindings: Decimal
    volume_score: int
    score: Decimal
    verdict: str
    systems: list[str]


def candidates(user: Any, on: date) -> list[Candidate]:
    """FORM codes across the institutions the operator's staff member serves, ranked as
    candidates for sharing (``screening``)."""
    from faelles.insight import screening
    from faelles.insight.models import Task

    tasks = list(
        restrict(Task, user=user, roles=OPERATOR_ROLES)
        .select_related("institution", "responsibility")
        .order_by("form_code", "institution__short_name")
    )
    screened = screen(tasks, on)
    groups: dict[str, list[ScreenedTask]] = {}
    for s in screened:
        groups.setdefault(s.task.form_code, []).append(s)
    out = []
    for code, items in groups.items():
        n = len(items)
        volume = sum(i.volume for i in items)
        std = (sum((Decimal(i.task.standardisability) for i in items), Decimal(0)) / n).quantize(
            TWO_PLACES
        )
        bind = (sum((Decimal(i.task.bindings) for i in items), Decimal(0)) / n).quantize(TWO_PLACES)
        value = screening.score(std, volume, bind)
        systems = sorted({s for i in items for s in i.task.system_list})
        out.append(
            Candidate(
                form_code=code,
                names=sorted({i.task.name for i in items}),
                institutions=sorted({i.task.institution.short_name for i in items}),
                volume=volume,
                hours=sum((i.hours for i in items), Decimal(0)),
                standardisability=std,
                bindings=bind,
                volume_score=screening.volume_score(volume),
                score=value,
                verdict=screening.verdict(value),
                systems=systems,
            )
        )
    out.sort(key=lambda c: (-c.score, -c.hours, -len(c.institutions), c.form_code))
    return out


TWO_PLACES = Decimal("0.01")


# --- business cases and shadow work ------------------------------------------------------------


def cases_for(user: Any, institution: Any) -> QuerySet[Any]:
    from faelles.insight.models import BusinessCase

    return restrict(BusinessCase, user=user, institution=institution, roles=INSIGHT_ROLES)


def access_case(user: Any, pk: Any) -> Any:
    """The business case with ``pk`` if ``user`` holds an insight role in its institution."""
    from faelles.core.access import access_object
    from faelles.insight.models import BusinessCase

    return access_object(
        BusinessCase.objects.select_related("institution", "task"),
        user=user,
        pk=pk,
        roles=INSIGHT_ROLES,
    )


@dataclass(frozen=True, slots=True)
class FollowUpMonth:
    month: date
    planned: Decimal
    realised: Decimal | None
    source: str
    note: str
    planned_cumulative: Decimal
    realised_cumulative: Decimal
    deviation: Decimal  # realised cumulative − planned cumulative


def follow_up(case: Any, *, until: date | None = None) -> list[FollowUpMonth]:
    """Plan against realised gains month by month, from the first planned or realised month
    to the last (or ``until``), with running totals."""
    from faelles.insight.models import BenefitPlanLine, BenefitRealisation

    planned = dict(
        BenefitPlanLine.objects.for_institution(case.institution)
        .filter(case=case)
        .values_list("month", "planned")
    )
    realised = {
        r.month: r
        for r in BenefitRealisation.objects.for_institution(case.institution).filter(case=case)
    }
    months = sorted(set(planned) | set(realised))
    if not months:
        return []
    from faelles.insight.business_case import add_months

    out = []
    month, last = months[0], months[-1]
    if until is not None:
        last = min(last, until)
    pc = rc = Decimal(0)
    while month <= last:
        p = planned.get(month, Decimal(0))
        r = realised.get(month)
        pc += p
        rc += r.realised if r else Decimal(0)
        out.append(
            FollowUpMonth(
                month,
                p,
                r.realised if r else None,
                r.source if r else "",
                r.note if r else "",
                pc,
                rc,
                rc - pc,
            )
        )
        month = add_months(month, 1)
    return out


@dataclass(frozen=True, slots=True)
class ShadowRow:
    institution: Any
    task: Any
    month: date
    hours: Decimal
    cost: Decimal


def shadow_work(user: Any, *, institution: Any = None, operator: bool = False) -> list[ShadowRow]:
    """Hours registered on tasks that the institution's service agreement gives the operator
    (the task's agreement task is owned by the operator): work that stayed behind, with its
    cost at the hourly rate. One query."""
    from faelles.insight import config
    from faelles.insight.models import TaskHours
    from faelles.tenancy.models import Responsibility

    roles = OPERATOR_ROLES if operator else INSIGHT_ROLES
    rate = config.hourly_rate()
    rows = (
        restrict(TaskHours, user=user, institution=institution, roles=roles)
        .filter(task__responsibility__owner=Responsibility.Owner.OPERATOR, hours__gt=0)
        .select_related("task", "institution", "task__responsibility")
        .order_by("institution__short_name", "-month", "task__name")
    )
    return [
        ShadowRow(r.institution, r.task, r.month, r.hours, (r.hours * rate).quantize(q2_unit()))
        for r in rows
    ]


def q2_unit() -> Decimal:
    return Decimal("0.01")
