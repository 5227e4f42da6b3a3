"""Every write of the control app: running the controls, and a controller's decision on a hit.

``control_run`` reads set-based (``checks``), then stores the findings in one transaction:
a finding whose fingerprint is already a hit refreshes that hit (score, money, evidence, last
run) and keeps its decision; a new finding whose pattern a controller dismissed before is
*suppressed* (counted, not stored); the rest become open hits. The run is an audit event on
the operator chain; each decision one on the institution's chain.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.control import checks, evidence
from faelles.control.models import (
    WORK_LIST_THRESHOLD,
    Control,
    ControlRun,
    Hit,
    HitStatus,
)
from faelles.core.access import require_role
from faelles.core.audit import Refused, record_event, refusals_recorded
from faelles.tenancy.models import Institution, Operator, ServiceAgreement, User
from faelles.tenancy.roles import Area, view_roles

CONTROL_NAMES: tuple[str, ...] = tuple(Control.values)
DECISIONS = (HitStatus.CONFIRMED, HitStatus.DISMISSED, HitStatus.KNOWN)


def institutions_in_scope(operator: Operator | None = None, *, on: date | None = None) -> list[int]:
    """The active institutions ``operator`` serves under a current agreement (all active
    institutions when ``operator`` is ``None``)."""
    today = on or timezone.localdate()
    qs = Institution.objects.filter(is_active=True)
    if operator is not None:
        served = ServiceAgreement.objects.filter(
            Q(operator=operator),
            Q(valid_from__lte=today),
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        ).values("institution")
        qs = qs.filter(pk__in=served)
    return sorted(qs.values_list("pk", flat=True))


def _chunks(items: list[Any], size: int = 5000) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def control_run(
    *,
    actor: User | None,
    operator: Operator | None = None,
    controls: Iterable[str] | None = None,
    institutions: list[int] | None = None,
    linkage_backend: str = "duckdb",
) -> ControlRun:
    """Run ``controls`` (all by default) over the institutions ``operator`` serves (or the
    ``institutions`` given) and store the hits. Answers the finished run; its ``summary``
    counts hits, new, refreshed and suppressed ones and the money at stake per control."""
    names = list(controls or CONTROL_NAMES)
    unknown = sorted(set(names) - set(CONTROL_NAMES))
    if unknown:
        raise ValueError(f"unknown controls: {', '.join(unknown)}")
    scope = institutions if institutions is not None else institutions_in_scope(operator)
    with transaction.atomic():
        run = ControlRun.objects.create(operator=operator, controls=names, started_by=actor)
    started = time.perf_counter()
    outcome = checks.run_controls(scope, names, linkage_backend=linkage_backend)
    found_seconds = time.perf_counter() - started
    with transaction.atomic():
        summary = _store(run, outcome.findings, names)
        summary["institutions"] = len(scope)
        summary["seconds"] = {**outcome.seconds, "find": round(found_seconds, 3)}
        if outcome.notes:
            summary["notes"] = outcome.notes
        run.state = ControlRun.State.DONE
        run.finished_at = timezone.now()
        summary["seconds"]["total"] = round(time.perf_counter() - started, 3)
        run.summary = summary
        run.save(update_fields=["state", "finished_at", "summary"])
        record_event(
            institution=None,
            actor=actor,
            action="control.run.finished",
            obj=run,
            details={
                "controls": names,
                "institutions": len(scope),
                "hits": summary["hits"],
                "new": summary["new"],
                "suppressed": summary["suppressed"],
            },
        )
    return run


def _jsonable(value: Any) -> str:
    """A stable text for comparing a finding with its stored hit (JSON round trip)."""
    return json.dumps(value, sort_keys=True, default=str)


def _store(run: ControlRun, findings: list[checks.Finding], names: list[str]) -> dict[str, Any]:
    per: dict[str, Counter[str]] = {n: Counter() for n in names}
    money: dict[str, Decimal] = dict.fromkeys(names, Decimal("0.00"))
    dismissed = set(
        Hit.objects.filter(control__in=names, status=HitStatus.DISMISSED).values_list(
            "control", "pattern"
        )
    )
    existing: dict[tuple[int, str, str], Hit] = {}
    prints = [f.fingerprint for f in findings]
    for chunk in _chunks(sorted(set(prints))):
        for row in Hit.objects.filter(control__in=names, fingerprint__in=chunk):
            existing[(row.institution_id, row.control, row.fingerprint)] = row
    sides = evidence.sides_for(findings)
    new: list[Hit] = []
    changed: list[Hit] = []
    seen: list[int] = []
    for f, fingerprint in zip(findings, prints, strict=True):
        counts = per[f.control]
        ev = {
            "sides": [sides.get((o["type"], o["id"]), o) for o in f.objects],
            "facts": {k: v for k, v in f.facts.items() if k != "people"},
            "reason_code": f.reason_code,
            "params": f.params,
        }
        priority = (f.score * f.amount).quantize(Decimal("0.01"))
        hit = existing.get((f.institution_id, f.control, fingerprint))
        if hit is not None:
            fresh = (f.score, f.amount, ev, f.reason, f.institutions, f.objects)
            stored = (
                hit.score,
                hit.amount,
                hit.evidence,
                hit.reason,
                hit.institutions,
                hit.objects_involved,
            )
            if _jsonable(fresh) == _jsonable(stored):
                seen.append(hit.pk)  # the same finding: only its last run changes
            else:
                hit.score, hit.amount, hit.priority = f.score, f.amount, priority
                hit.evidence, hit.reason, hit.last_run = ev, f.reason, run
                hit.institutions, hit.objects_involved = f.institutions, f.objects
                changed.append(hit)
            counts["refreshed"] += 1
        elif (f.control, f.pattern) in dismissed:
            counts["suppressed"] += 1
            continue
        else:
            new.append(
                Hit(
                    institution_id=f.institution_id,
                    control=f.control,
                    fingerprint=fingerprint,
                    pattern=f.pattern,
                    score=f.score,
                    amount=f.amount,
                    priority=priority,
                    institutions=f.institutions,
                    objects_involved=f.objects,
                    evidence=ev,
                    reason=f.reason,
                    first_run=run,
                    last_run=run,
                )
            )
            counts["new"] += 1
        counts["hits"] += 1
        if f.score >= WORK_LIST_THRESHOLD:
            counts["work_list"] += 1
            money[f.control] += f.amount
    Hit.objects.bulk_create(new, batch_size=2000)
    for chunk in _chunks(seen):
        Hit.objects.filter(pk__in=chunk).update(last_run=run)
    Hit.objects.bulk_update(
        changed,
        [
            "score",
            "amount",
            "priority",
            "evidence",
            "reason",
            "last_run",
            "institutions",
            "objects_involved",
        ],
        batch_size=2000,
    )
    controls = {
        n: {
            "hits": per[n]["hits"],
            "new": per[n]["new"],
            "refreshed": per[n]["refreshed"],
            "suppressed": per[n]["suppressed"],
            "work_list": per[n]["work_list"],
            "amount": str(money[n]),
        }
        for n in names
    }
    return {
        "run": run.pk,
        "controls": controls,
        "hits": sum(c["hits"] for c in controls.values()),
        "new": sum(c["new"] for c in controls.values()),
        "suppressed": sum(c["suppressed"] for c in controls.values()),
        "work_list": sum(c["work_list"] for c in controls.values()),
        "amount": str(sum(money.values(), Decimal("0.00"))),
    }


def control_run_queue(
    *,
    actor: User,
    operator: Operator | None = None,
    institutions: list[int] | None = None,
    controls: Iterable[str] | None = None,
) -> None:
    """Queue a run (Celery, after the caller's transaction commits): over ``institutions``
    when given (the ones the actor serves), else over those ``operator`` serves."""
    from faelles.control import tasks

    names = list(controls or CONTROL_NAMES)
    operator_id = operator.pk if operator is not None else None
    transaction.on_commit(
        lambda: tasks.control_run_task.delay(
            actor_id=actor.pk, operator_id=operator_id, controls=names, institutions=institutions
        )
    )


@refusals_recorded
@transaction.atomic
def hit_decide(*, actor: User, hit: Hit, status: str, note: str = "") -> Hit:
    """A controller's decision on a hit: confirmed, dismissed or already known. Only holders
    of a control role in the hit's institution decide; a dismissed hit's pattern is not raised
    again by later runs. Deciding again replaces the decision (both are in the audit trail)."""
    if status not in DECISIONS:
        raise Refused(
            _("A hit is confirmed, dismissed or already known."),
            code="invalid_decision",
            action="control.hit.decide",
            institution=hit.institution,
            obj=hit,
            field="status",
        )
    try:
        require_role(actor, hit.institution, *view_roles(Area.CONTROL))
    except Exception:
        raise Refused(
            _("Only controllers decide on control hits."),
            code="not_permitted",
            action="control.hit.decide",
            institution=hit.institution,
            obj=hit,
        ) from None
    locked = Hit.objects.select_for_update().get(pk=hit.pk)
    before = locked.status
    locked.status = status
    locked.note = note[:2000]
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "note", "decided_by", "decided_at"])
    record_event(
        institution=locked.institution,
        actor=actor,
        action="control.hit.decided",
        obj=locked,
        details={
            "control": locked.control,
            "status": status,
            "before": before,
            "score": locked.score,
            "amount": locked.amount,
        },
    )
    return locked
