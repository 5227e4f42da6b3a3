"""Retention: how long each kind of record is kept, why, and the job that removes what expired.

Every kind of record with a legal period is declared once, as a :class:`RetentionRule`, by the
app that owns the model (from its ``AppConfig.ready``), so ``core`` knows no domain. A rule
says what it covers, its legal basis, its period, the dates the period runs from, and whether
the job deletes expired rows (``delete``) or only reports them as due (``report``).

Two kinds of period:

* **accounting material** (bogføringsloven § 10): kept for five years from the end of the
  financial year the material concerns. The financial year of a date is the institution's
  fiscal year from the ledger (registered with :func:`register_fiscal_years`), and the
  calendar year where the institution has none. A record that concerns several dates (an
  invoice received in one year, posted or paid in the next) is kept until the period of every
  one of them has ended: :meth:`RetentionClock.fiscal_expired` is one condition per date.
* **personal data** (GDPR art. 5(1)(e), storage limitation): kept no longer than its purpose
  needs, a number of days from one date (:meth:`RetentionClock.days_expired`).

``retention_report`` is a dry run: it counts, per rule, the rows past their period, those the
job would remove and those a guard keeps, and names the oldest date. ``retention_run`` is the
job (``faelles retention run`` and the daily Celery beat task): per rule and in one
transaction, it removes at most ``RETENTION_BATCH_LIMIT`` rows, logs what it removed, and
records one audit event on the operator chain. Running it again removes nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import structlog
from django.conf import settings
from django.db import models, transaction
from django.db.models import Min, Q
from django.utils import timezone

from faelles.core.audit import record_event

Action = Literal["delete", "report"]
DateRange = tuple[dt.date | None, dt.date]
FiscalYears = dict[int, list[tuple[dt.date, dt.date]]]

ACCOUNTING_YEARS = 5
BOOKKEEPING_ACT = (
    "Bogføringsloven § 10: accounting material is kept for 5 years from the end of the "
    "financial year it concerns"
)
GDPR_STORAGE_LIMITATION = (
    "GDPR art. 5(1)(e), storage limitation: personal data kept no longer than necessary "
    "for its purpose"
)
DEFAULT_BATCH_LIMIT = 5000

log = structlog.get_logger("faelles.retention")


@dataclass(frozen=True)
class RetentionRule:
    """One kind of record, its legal period and what the job may do when it has passed.

    ``due(clock)`` returns the rows whose period has passed; ``removable(clock)`` those of them
    the job deletes (the due rows that no guard keeps); ``remove(pks)`` deletes the given rows
    of ``due``'s model with everything that belongs to them and returns the count per model
    label. A ``report`` rule has neither ``removable`` nor ``remove``: its due rows are shown
    as due for archiving and never deleted by the job.
    """

    key: str
    records: str
    basis: str
    period: str
    runs_from: str
    action: Action
    due: Callable[[RetentionClock], models.QuerySet[Any]]
    oldest_field: str
    removable: Callable[[RetentionClock], models.QuerySet[Any]] | None = None
    remove: Callable[[list[Any]], dict[str, int]] | None = None
    guards: str = ""
    order: int = 100
    # False where the primary key is itself a secret (a session key, an API token).
    log_ids: bool = True

    def __post_init__(self) -> None:
        if self.action == "delete" and (self.removable is None or self.remove is None):
            raise ValueError(f"retention rule {self.key}: a delete rule needs removable and remove")
        if self.action == "report" and (self.removable is not None or self.remove is not None):
            raise ValueError(f"retention rule {self.key}: a report rule removes nothing")


_rules: dict[str, RetentionRule] = {}
_fiscal_year_providers: list[Callable[[], Iterable[tuple[int, dt.date, dt.date]]]] = []


def register(rule: RetentionRule) -> None:
    """Declare ``rule`` (again with the same key replaces it: ``ready`` may run twice)."""
    _rules[rule.key] = rule


def register_fiscal_years(provider: Callable[[], Iterable[tuple[int, dt.date, dt.date]]]) -> None:
    """Declare where the institutions' fiscal years come from: ``provider()`` yields
    ``(institution_id, start, end)`` for each fiscal year."""
    if provider not in _fiscal_year_providers:
        _fiscal_year_providers.append(provider)


def rules() -> list[RetentionRule]:
    """The declared rules in the order the job applies them."""
    return sorted(_rules.values(), key=lambda r: (r.order, r.key))


def rule(key: str) -> RetentionRule:
    try:
        return _rules[key]
    except KeyError:
        raise KeyError(f"no retention rule {key!r}") from None


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _merge(ranges: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def calendar_cutoff(today: dt.date, years: int) -> dt.date:
    """The last day of the latest calendar year whose period of ``years`` has ended by
    ``today``: year Y is kept through 31 December of Y + ``years``."""
    return dt.date(today.year - years - 1, 12, 31)


def expired_ranges(
    fiscal_years: list[tuple[dt.date, dt.date]], today: dt.date, years: int
) -> list[DateRange]:
    """The dates of one institution whose financial year ended more than ``years`` ago.

    A fiscal year (start, end) has expired when ``today`` is after ``end`` + ``years``; a date
    that no fiscal year covers falls in its calendar year. ``None`` as a start means "from
    the beginning of time".
    """
    cutoff = calendar_cutoff(today, years)
    result: list[DateRange] = [
        (start, end) for start, end in fiscal_years if today > add_years(end, years)
    ]
    # The gaps before, between and after the fiscal years follow the calendar year.
    lo: dt.date | None = None
    for start, end in _merge(fiscal_years):
        hi = min(start - dt.timedelta(days=1), cutoff)
        if lo is None or lo <= hi:
            result.append((lo, hi))
        lo = end + dt.timedelta(days=1)
    if lo is None or lo <= cutoff:
        result.append((lo, cutoff))
    return result


@dataclass
class RetentionClock:
    """The moment a report or run is made, and the expiry conditions relative to it."""

    today: dt.date
    now: dt.datetime
    fiscal_years: FiscalYears = field(default_factory=dict)

    @classmethod
    def at(cls, today: dt.date | None = None, *, now: dt.datetime | None = None) -> RetentionClock:
        """The clock at ``now`` (default: now), or at the end of the day ``today``; the
        fiscal years are read from the registered providers once."""
        if today is not None:
            now = _start_of(today + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)
        elif now is None:
            now = timezone.now()
        today = timezone.localdate(now)
        years: FiscalYears = {}
        for provider in _fiscal_year_providers:
            for institution_id, start, end in provider():
                years.setdefault(institution_id, []).append((start, end))
        return cls(today=today, now=now, fiscal_years=years)

    def fiscal_year_end(self, institution_id: int | None, day: dt.date) -> dt.date:
        """The last day of the financial year ``day`` falls in, for an institution."""
        for start, end in self.fiscal_years.get(institution_id or 0, []):
            if start <= day <= end:
                return end
        return dt.date(day.year, 12, 31)

    def expires_on(self, institution_id: int | None, day: dt.date, years: int) -> dt.date:
        """The first day on which material dated ``day`` may be removed."""
        return add_years(self.fiscal_year_end(institution_id, day), years) + dt.timedelta(days=1)

    def fiscal_expired(
        self,
        date_field: str,
        *,
        years: int = ACCOUNTING_YEARS,
        institution_field: str = "institution",
        is_datetime: bool = False,
        null_expired: bool = False,
    ) -> Q:
        """Rows whose ``date_field`` lies in a financial year that ended more than ``years``
        ago (the institution's fiscal year, else the calendar year). With ``null_expired`` an
        empty date does not hold the row back (a date that does not apply)."""

        def span(lo: dt.date | None, hi: dt.date) -> Q:
            if is_datetime:
                q = Q(**{f"{date_field}__lt": _start_of(hi + dt.timedelta(days=1))})
                if lo is not None:
                    q &= Q(**{f"{date_field}__gte": _start_of(lo)})
            else:
                q = Q(**{f"{date_field}__lte": hi})
                if lo is not None:
                    q &= Q(**{f"{date_field}__gte": lo})
            return q

        def any_of(ranges: list[DateRange]) -> Q:
            q = Q(pk__in=[])
            for lo, hi in ranges:
                q |= span(lo, hi)
            return q

        with_years = sorted(self.fiscal_years)
        q = (
            ~Q(**{f"{institution_field}__in": with_years})
            | Q(**{f"{institution_field}__isnull": True})
        ) & any_of(expired_ranges([], self.today, years))
        for institution_id in with_years:
            ranges = expired_ranges(self.fiscal_years[institution_id], self.today, years)
            q |= Q(**{institution_field: institution_id}) & any_of(ranges)
        if null_expired:
            q |= Q(**{f"{date_field}__isnull": True})
        return q

    def days_expired(self, date_field: str, days: int | float) -> Q:
        """Rows whose ``date_field`` (a datetime) is more than ``days`` days before now."""
        return Q(**{f"{date_field}__lt": self.now - dt.timedelta(days=days)})


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def batch_limit() -> int:
    return int(getattr(settings, "RETENTION_BATCH_LIMIT", DEFAULT_BATCH_LIMIT))


# --- report and run ------------------------------------------------------------------------------


def _oldest(qs: models.QuerySet[Any], field_name: str) -> str | None:
    value = qs.aggregate(oldest=Min(field_name))["oldest"]
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date().isoformat()
    return str(value)


def rule_report(rule: RetentionRule, clock: RetentionClock) -> dict[str, Any]:
    """What the job would do with one rule now; reads only."""
    due = rule.due(clock)
    due_count = due.count()
    removable = rule.removable(clock).count() if rule.removable is not None else 0
    return {
        "rule": rule.key,
        "records": rule.records,
        "basis": rule.basis,
        "period": rule.period,
        "runs_from": rule.runs_from,
        "action": rule.action,
        "guards": rule.guards,
        "due": due_count,
        "removable": removable,
        "held": due_count - removable,
        "oldest_due": _oldest(due, rule.oldest_field) if due_count else None,
    }


def retention_report(
    *, today: dt.date | None = None, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """The dry run: per rule, the rows past their period, those the job would remove, those
    a guard keeps and the oldest date among them. Changes nothing."""
    clock = RetentionClock.at(today, now=now)
    return [rule_report(r, clock) for r in rules()]


@transaction.atomic
def retention_rule_apply(
    *, actor: Any, rule: RetentionRule, clock: RetentionClock, limit: int, trigger: str
) -> dict[str, Any]:
    """Apply one rule: delete up to ``limit`` of its removable rows (oldest first), in one
    transaction with the audit event ``retention.run`` on the operator chain.

    The rows are selected again under lock inside the transaction, so a row that stopped
    being removable (a guard appeared) between report and run is left alone.
    """
    removed: dict[str, int] = {}
    ids: list[Any] = []
    if rule.removable is not None and rule.remove is not None:
        ids = list(
            rule.removable(clock)
            .select_for_update(of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            removed = {label: n for label, n in sorted(rule.remove(ids).items()) if n}
    due_after = rule.due(clock).count()
    details = {
        "action": rule.action,
        "trigger": trigger,
        "today": clock.today.isoformat(),
        "removed": removed,
        "ids": ids if rule.log_ids else [],
        "due_remaining": due_after,
        "limit_reached": len(ids) == limit,
    }
    record_event(
        institution=None,
        actor=actor,
        action="retention.run",
        object_type="retention.rule",
        object_id=rule.key,
        details=details,
    )
    log.info(
        "retention",
        rule=rule.key,
        action=rule.action,
        removed=removed,
        removed_rows=len(ids),
        due_remaining=due_after,
        trigger=trigger,
    )
    return {"rule": rule.key, **details}


def retention_run(
    *,
    actor: Any,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    limit: int | None = None,
    only: Iterable[str] | None = None,
    trigger: str = "command",
) -> list[dict[str, Any]]:
    """The deletion job: every rule in order (``only``: those keys), each in a transaction
    of its own, so one failing rule neither undoes nor stops the others (it is logged and
    reported with ``error``). Idempotent: a second run finds nothing more to remove."""
    clock = RetentionClock.at(today, now=now)
    limit = batch_limit() if limit is None else limit
    if limit < 1:
        raise ValueError("the limit must be at least 1")
    wanted = set(only) if only is not None else None
    if wanted is not None:
        unknown = wanted - set(_rules)
        if unknown:
            raise KeyError(f"no retention rule {', '.join(sorted(unknown))}")
    results = []
    for r in rules():
        if wanted is not None and r.key not in wanted:
            continue
        try:
            results.append(
                retention_rule_apply(actor=actor, rule=r, clock=clock, limit=limit, trigger=trigger)
            )
        except Exception as exc:  # one rule's failure must not stop the others
            log.error("retention.failed", rule=r.key, error=type(exc).__name__)
            results.append({"rule": r.key, "error": f"{type(exc).__name__}: {exc}"})
    return results


def delete_counts(result: tuple[int, dict[str, int]]) -> dict[str, int]:
    """The per-model counts of a ``QuerySet.delete()``, with lower-case labels."""
    return {label.lower(): n for label, n in result[1].items()}


def merge_counts(*counts: dict[str, int]) -> dict[str, int]:
    total: dict[str, int] = {}
    for c in counts:
        for label, n in c.items():
            total[label] = total.get(label, 0) + n
    return total


# --- the rules of core's own records -------------------------------------------------------------

DEFAULT_PERSONAL_DATA_LOG_DAYS = 730


def personal_data_log_days() -> int:
    return int(
        getattr(settings, "RETENTION_PERSONAL_DATA_LOG_DAYS", DEFAULT_PERSONAL_DATA_LOG_DAYS)
    )


def register_core_rules() -> None:
    """The audit trail (kept; reported when due for archiving) and the personal-data access
    log (deleted when its own period has passed)."""
    from faelles.core.models import AuditEvent, PersonalDataAccess

    register(
        RetentionRule(
            key="core.audit_event",
            records="audit events (the hash chain of every institution and of the operator)",
            basis=BOOKKEEPING_ACT
            + "; the trail documents the accounting material and who changed it",
            period="5 years from the end of the financial year; then due for archiving",
            runs_from="created_at",
            action="report",
            due=lambda clock: AuditEvent.objects.filter(
                clock.fiscal_expired("created_at", is_datetime=True)
            ),
            oldest_field="created_at",
            guards=(
                "never deleted by the job: removing events from the start of a chain would "
                "break `faelles audit verify`; due events are archived (exported with the "
                "chain head) by the operator under the archive rules"
            ),
            order=90,
        )
    )
    register(
        RetentionRule(
            key="core.personal_data_access",
            records="personal-data access log (who read whose data, for what purpose)",
            basis=GDPR_STORAGE_LIMITATION
            + "; the log answers data subjects and misuse investigations for its period",
            period="RETENTION_PERSONAL_DATA_LOG_DAYS days (default 730)",
            runs_from="accessed_at",
            action="delete",
            due=lambda clock: PersonalDataAccess.objects.filter(
                clock.days_expired("accessed_at", personal_data_log_days())
            ),
            removable=lambda clock: PersonalDataAccess.objects.filter(
                clock.days_expired("accessed_at", personal_data_log_days())
            ),
            remove=lambda ids: delete_counts(
                PersonalDataAccess.objects.filter(pk__in=ids).delete()
            ),
            oldest_field="accessed_at",
            order=80,
        )
    )
