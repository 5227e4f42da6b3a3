"""The date an invoice (or its payment) is posted on, as Danish state accounting does it.

An invoice is posted on its invoice date when the ledger period of that date is open. When
that period is closed or locked, or no period covers the date (a year that was never opened
or has been closed), it is posted on the first day of the first open period after the
invoice date; the invoice keeps its own date (``issue_date``) and the journal entry carries
the posting date, so the invoice page can show both. The ledger's rules stay as they are:
nothing is ever posted into a closed or locked period, and an invoice is never moved back
into an earlier period. An invoice dated after every open period (a future year not opened
yet) waits, with a message that names the fiscal year to open.

The usual case costs nothing extra: the entry is tried on its own date first, and the
periods are read (one query) only when the ledger refuses that date.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from faelles.ledger.models import JournalEntry, Period, PeriodState
from faelles.ledger.services import EntrySpec, LedgerError, entry_record
from faelles.ledger.validation import Problem
from faelles.tenancy.models import Institution, User

#: The ledger's refusals that a later open period answers.
PERIOD_PROBLEMS = frozenset({"no_period", "period_not_open"})

Periods = list[tuple[date, date, str]]


def periods_of(institution: Institution | int) -> Periods:
    """The institution's periods (start, end, state) in date order (one query)."""
    return list(
        Period.objects.for_institution(institution)
        .order_by("start")
        .values_list("start", "end", "state")
    )


def is_period_refusal(problems: list[Problem]) -> bool:
    return any(p.code in PERIOD_PROBLEMS for p in problems)


def posting_date(on: date, periods: Periods) -> date | None:
    """``on`` when its period is open, else the first day of the first open period that
    starts after it; ``None`` when there is none (posting must wait)."""
    for start, end, state in periods:
        if start <= on <= end and state == PeriodState.OPEN:
            return on
    for start, _end, state in periods:
        if start > on and state == PeriodState.OPEN:
            return start
    return None


def no_open_period(on: date, periods: Periods) -> ValidationError:
    """Why nothing can be posted for ``on`` (no open period on or after it), naming what a
    bookkeeper must open."""
    later = [end for _start, end, _state in periods if end >= on]
    if later:
        message = _(
            "No open fiscal period on or after %(date)s: the periods from then on are closed "
            "or locked. A bookkeeper must reopen a period or open the fiscal year %(year)s."
        ) % {"date": on.isoformat(), "year": max(later).year + 1}
    else:
        message = _(
            "No fiscal period covers %(date)s, and no open period comes after it. A "
            "bookkeeper must open the fiscal year %(year)s; the invoice is then posted."
        ) % {"date": on.isoformat(), "year": on.year}
    return ValidationError({"ledger": [ValidationError(message, code="no_open_period")]})


def moved(spec: EntrySpec, periods: Periods) -> EntrySpec | ValidationError:
    """``spec`` on its posting date, or why it must wait."""
    day = posting_date(spec.date, periods)
    if day is None:
        return no_open_period(spec.date, periods)
    return replace(spec, date=day)


def ledger_refusal(problems: list[Problem]) -> ValidationError:
    return ValidationError({"ledger": [ValidationError(str(p), code=p.code) for p in problems]})


def entry_record_in_open_period(
    *, actor: User, institution: Institution, spec: EntrySpec
) -> JournalEntry:
    """Record ``spec`` on its date, or, when the ledger refuses that date's period, on the
    first day of the first open period after it (a payment made on a day whose period is
    closed). Raises ValidationError (``ledger``) when it cannot be posted."""
    try:
        return entry_record(actor=actor, institution=institution, spec=spec)
    except LedgerError as exc:
        if not is_period_refusal(exc.problems):
            raise ledger_refusal(exc.problems) from None
    later = moved(spec, periods_of(institution))
    if isinstance(later, ValidationError):
        raise later
    try:
        return entry_record(actor=actor, institution=institution, spec=later)
    except LedgerError as exc:
        raise ledger_refusal(exc.problems) from None
