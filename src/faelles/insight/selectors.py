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
from faelles.tenancy.roles import Area, view_roles

INSIGHT_ROLES = view_roles(Area.SERVICE_CONTACT)
OPERATOR_ROLES = view_roles(Area.OPERATOR_CONTROL)


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
