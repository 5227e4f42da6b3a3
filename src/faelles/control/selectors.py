"""Reads of the control app: the ranked work lists and precision per control over time.

Every read goes through the access gate with the control area's roles: an institution's
controllers see the hits of their institution; the operator's staff see the hits of every
institution they serve.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from faelles.control.models import WORK_LIST_THRESHOLD, Control, ControlRun, Hit, HitStatus
from faelles.core.access import access_object, restrict
from faelles.tenancy.roles import Area, view_roles

CONTROL_ROLES = view_roles(Area.CONTROL)
OPERATOR_ROLES = view_roles(Area.OPERATOR_CONTROL)


def hits_for(user: Any, *, institution: Any = None, operator: bool = False) -> QuerySet[Hit]:
    """The hits ``user`` may see (in ``institution`` when given), highest priority first."""
    roles = OPERATOR_ROLES if operator else CONTROL_ROLES
    return restrict(Hit, user=user, institution=institution, roles=roles).order_by(
        "-priority", "-score", "pk"
    )


def work_list(
    user: Any,
    *,
    institution: Any = None,
    operator: bool = False,
    status: str | None = HitStatus.OPEN,
    control: str | None = None,
    possible: bool = False,
) -> QuerySet[Hit]:
    """The ranked work list: open hits at or above the threshold (``possible``: those below
    it), optionally of one control or status (``None``: every status)."""
    qs = hits_for(user, institution=institution, operator=operator).select_related("institution")
    qs = (
        qs.filter(score__lt=WORK_LIST_THRESHOLD)
        if possible
        else qs.filter(score__gte=WORK_LIST_THRESHOLD)
    )
    if status:
        qs = qs.filter(status=status)
    if control:
        qs = qs.filter(control=control)
    return qs


def access_hit(user: Any, pk: Any) -> Hit:
    """The hit with ``pk`` if ``user`` holds a control role in its institution; 404 else."""
    return access_object(
        Hit.objects.select_related("institution", "decided_by"),
        user=user,
        pk=pk,
        roles=CONTROL_ROLES,
    )


def precision(user: Any, *, institution: Any = None) -> list[dict[str, Any]]:
    """Per control and month of the decision: confirmed, dismissed, already known and
    precision = confirmed / (confirmed + dismissed) (``None`` with no decisions yet)."""
    rows = (
        hits_for(user, institution=institution)
        .exclude(status=HitStatus.OPEN)
        .annotate(month=TruncMonth("decided_at"))
        .order_by()
        .values("control", "month")
        .annotate(
            confirmed=Count("pk", filter=Q(status=HitStatus.CONFIRMED)),
            dismissed=Count("pk", filter=Q(status=HitStatus.DISMISSED)),
            known=Count("pk", filter=Q(status=HitStatus.KNOWN)),
        )
    )
    order = list(Control.values)
    out = []
    for r in sorted(rows, key=lambda r: (order.index(r["control"]), r["month"])):
        decided = r["confirmed"] + r["dismissed"]
        out.append(
            {
                "control": r["control"],
                "label": Control(r["control"]).label,
                "month": r["month"],
                "confirmed": r["confirmed"],
                "dismissed": r["dismissed"],
                "known": r["known"],
                "precision": (
                    (Decimal(r["confirmed"]) / decided).quantize(Decimal("0.01"))
                    if decided
                    else None
                ),
            }
        )
    return out


def open_counts(user: Any, *, institution: Any = None, operator: bool = False) -> dict[str, Any]:
    """Open hits on the work list and money at stake, per control."""
    counts: dict[str, dict[str, Any]] = defaultdict(lambda: {"hits": 0, "amount": Decimal(0)})
    for control, amount in work_list(user, institution=institution, operator=operator).values_list(
        "control", "amount"
    ):
        counts[control]["hits"] += 1
        counts[control]["amount"] += amount
    return dict(counts)


def recent_runs(user: Any, limit: int = 5) -> list[ControlRun]:
    """The latest runs, for the operator's staff (runs are not an institution's)."""
    from faelles.core.access import institutions_with_role

    if not institutions_with_role(user, OPERATOR_ROLES).exists():
        return []
    return list(ControlRun.objects.order_by("-started_at", "-pk")[:limit])
