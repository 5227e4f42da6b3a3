"""Reads of case handling: through the access gate, the work lists, case times and costs."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from faelles.cases.models import (
    Case,
    CaseDecision,
    CaseDocument,
    CaseParty,
    CaseStatus,
    CaseTask,
    CaseTaskState,
    CaseType,
)
from faelles.cases.registry import ROLES
from faelles.core.access import access_object, restrict, roles_of
from faelles.tenancy.roles import CASE_MODELLERS, Area, view_roles


def _view() -> frozenset[str]:
    return view_roles(Area.CASES)


def cases_for(user: Any, institution: Any = None) -> QuerySet[Case]:
    return restrict(Case, user=user, institution=institution, roles=_view())


def case_types_for(user: Any, institution: Any = None) -> QuerySet[CaseType]:
    return restrict(CaseType, user=user, institution=institution, roles=_view() | CASE_MODELLERS)


def access_case(user: Any, pk: Any) -> Case:
    qs = Case.objects.select_related("case_type", "version", "institution", "appeal_of")
    return access_object(qs, user=user, pk=pk, roles=_view())


def access_case_type(user: Any, pk: Any) -> CaseType:
    return access_object(CaseType, user=user, pk=pk, roles=_view() | CASE_MODELLERS)


def access_task(user: Any, pk: Any) -> CaseTask:
    qs = CaseTask.objects.select_related("case", "case__institution", "case__case_type")
    return access_object(qs, user=user, pk=pk, roles=_view())


def access_document(user: Any, pk: Any) -> CaseDocument:
    return access_object(
        CaseDocument.objects.select_related("case"), user=user, pk=pk, roles=_view()
    )


def access_party(user: Any, pk: Any) -> CaseParty:
    qs = CaseParty.objects.select_related("case", "case__institution")
    return access_object(qs, user=user, pk=pk, roles=_view())


def lanes_of(user: Any, institution: Any) -> set[str]:
    """The lanes (case roles) ``user`` works in ``institution``."""
    held = roles_of(user, institution)
    return {lane for lane, roles in ROLES.items() if held & roles}


def may_work(user: Any, task: CaseTask) -> bool:
    return task.role in lanes_of(user, task.case.institution)


def may_model(user: Any, institution: Any) -> bool:
    return bool(roles_of(user, institution) & CASE_MODELLERS)


def may_open(user: Any, institution: Any) -> bool:
    return "case_worker" in lanes_of(user, institution)


def worklist(user: Any, institution: Any, *, limit: int = 200) -> list[CaseTask]:
    """The open tasks of the lanes ``user`` works in ``institution``, the most urgent first
    (served by the (institution, state, role, due_at) index)."""
    if institution is None:
        return []
    lanes = lanes_of(user, institution)
    if not lanes:
        return []
    return list(
        CaseTask.objects.filter(
            institution=institution, state=CaseTaskState.OPEN, role__in=sorted(lanes)
        )
        .select_related("case")
        # The engine state is not shown: leave it in the database.
        .defer("case__state")
        .order_by("due_at", "created_at", "pk")[:limit]
    )


def case_cost(case: Case, rate: Decimal) -> dict[str, Any]:
    minutes = CaseTask.objects.filter(case=case).aggregate(m=Sum("minutes"))["m"] or 0
    return {"minutes": minutes, "cost": (rate * minutes / 60).quantize(Decimal("0.01"))}


def costs_by_task(case_type: CaseType, rate: Decimal) -> list[dict[str, Any]]:
    """Time and cost registered per task of a case type (all versions), and per closed case."""
    rows = (
        CaseTask.objects.filter(case__case_type=case_type, state=CaseTaskState.DONE)
        .values("spec_id", "name")
        .annotate(n=Count("pk"), minutes=Sum("minutes"))
        .order_by("spec_id")
    )
    result = []
    for row in rows:
        minutes = row["minutes"] or 0
        result.append(
            {
                **row,
                "avg_minutes": round(minutes / row["n"], 1) if row["n"] else 0,
                "cost": (rate * minutes / 60).quantize(Decimal("0.01")),
            }
        )
    return result


AGE_BANDS = ((0, 30), (31, 90), (91, 180), (181, None))


def _band(days: int) -> str:
    for low, high in AGE_BANDS:
        if high is None or days <= high:
            return f"{low}-{high}" if high is not None else f"{low}+"
    return ""


def case_times(*, now: dt.datetime | None = None, days: int = 365) -> list[dict[str, Any]]:
    """Published case times per institution and case type: closed cases of the last ``days``
    (count, average and median days from opened to closed) and the age bands of open cases,
    and the decisions published. Public: no personal data, no case numbers."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    types = {
        t.pk: t
        for t in CaseType.objects.filter(published=True, is_active=True).select_related(
            "institution"
        )
    }
    closed: dict[int, list[float]] = defaultdict(list)
    for type_id, opened, closed_at in Case.objects.filter(
        case_type_id__in=types, status=CaseStatus.CLOSED, closed_at__gte=since
    ).values_list("case_type_id", "opened_at", "closed_at"):
        if closed_at is not None:
            closed[type_id].append((closed_at - opened).total_seconds() / 86400)
    bands: dict[int, dict[str, int]] = defaultdict(lambda: {_band(lo): 0 for lo, _h in AGE_BANDS})
    for type_id, opened in Case.objects.filter(
        case_type_id__in=types, status=CaseStatus.OPEN
    ).values_list("case_type_id", "opened_at"):
        bands[type_id][_band((now - opened).days)] += 1
    published = dict(
        CaseDecision.objects.filter(case__case_type_id__in=types, published_at__isnull=False)
        .values("case__case_type_id")
        .annotate(n=Count("pk"))
        .values_list("case__case_type_id", "n")
    )
    rows = []
    for type_id, case_type in types.items():
        durations = closed.get(type_id, [])
        rows.append(
            {
                "institution": case_type.institution.name,
                "case_type": case_type.name,
                "code": case_type.code,
                "closed": len(durations),
                "average_days": round(statistics.fmean(durations), 1) if durations else None,
                "median_days": round(statistics.median(durations), 1) if durations else None,
                "open": sum(bands[type_id].values()),
                "age_bands": dict(bands[type_id]),
                "decisions_published": published.get(type_id, 0),
            }
        )
    rows.sort(key=lambda r: (r["institution"], r["case_type"]))
    return rows


def open_counts(institution: Any) -> dict[str, int]:
    return dict(
        Case.objects.filter(institution=institution)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
