"""``faelles demo``'s facility management: a year of tickets with a working rhythm and some
breaches, monthly INSTA 800 inspections, surveys, posted chargeback statements and the
supplier's scorecards — once (a second run adds nothing)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import holidays
import pytest
from django.utils import timezone

from faelles.ledger import checks
from faelles.ledger.demo import load_demo as ledger_demo
from faelles.ledger.models import JournalEntry
from faelles.servicedesk.chargeback_models import Statement
from faelles.servicedesk.demo import FM_INSTITUTIONS, load_facilities_demo
from faelles.servicedesk.models import SlaState, Ticket
from faelles.servicedesk.quality_models import CleaningInspection, Scorecard, SurveyResponse
from faelles.tenancy.demo import load_demo as tenancy_demo
from faelles.tenancy.management.commands.demo import app_demo_loaders
from faelles.tenancy.models import Institution

pytestmark = pytest.mark.django_db


def _first_working_days_from_the_8th(start: date, today: date) -> list[date]:
    """Per month from ``start`` up to yesterday: the first day from the 8th that is a
    weekday, not a Danish public holiday and not 24 or 31 December."""
    dk = holidays.country_holidays("DK", years=range(start.year, today.year + 1))
    found: dict[tuple[int, int], date] = {}
    day = start
    while day < today:
        if (
            day.day >= 8
            and day.weekday() < 5
            and day not in dk
            and (day.month, day.day) not in ((12, 24), (12, 31))
        ):
            found.setdefault((day.year, day.month), day)
        day += timedelta(days=1)
    return sorted(found.values())


def test_the_demo_command_finds_the_service_desks_demo():
    assert "servicedesk" in [label for label, _loader in app_demo_loaders()]


def test_the_facilities_demo_fills_a_year_once():
    tenancy_demo(stdout=StringIO())
    ledger_demo(stdout=StringIO())
    today = timezone.localdate()
    out = StringIO()

    summary = load_facilities_demo(stdout=out, scale=0.4)

    insts = Institution.objects.filter(short_name__in=list(FM_INSTITUTIONS))
    tickets = Ticket.objects.filter(institution__in=insts)
    assert summary["tickets"] == tickets.count() > 100
    local = [timezone.localtime(t) for t in tickets.values_list("created_at", flat=True)]
    dk = holidays.country_holidays("DK", years=[today.year - 1, today.year])
    assert all(d.weekday() < 5 and d.date() not in dk for d in local)
    per_month = Counter(d.month for d in local)
    assert per_month[7] < per_month[9]  # the summer holiday is quiet
    states = Counter(tickets.values_list("sla_state", flat=True))
    assert states[SlaState.MISSED] > 0 and states[SlaState.MET] > 5 * states[SlaState.MISSED] / 2
    assert tickets.filter(order_lines__isnull=False).exists()
    # A monthly inspection per institution, some not approved.
    inspections = CleaningInspection.objects.filter(institution__in=insts)
    # One a month per institution, on the month's first working day from the 8th on (the
    # operator closes on 24 and 31 December too), in the twelve months before today and the
    # current month once such a day has passed.
    expected = _first_working_days_from_the_8th(date(today.year - 1, today.month, 1), today)
    assert inspections.count() == 4 * len(expected)
    for inst in insts:
        days = sorted(inspections.filter(institution=inst).values_list("inspected_on", flat=True))
        assert days == expected, inst.short_name
    assert (
        inspections.filter(approved=False).exists() and inspections.filter(approved=True).exists()
    )
    assert SurveyResponse.objects.filter(kind="ticket").exists()
    assert SurveyResponse.objects.filter(kind="yearly", year=today.year).exists()
    # Statements of the year's past months posted through the ledger; the books balance.
    posted = Statement.objects.filter(state="posted", period__year=today.year)
    assert posted.count() == 4 * (today.month - 1)
    assert JournalEntry.objects.filter(source_type="servicedesk.statement").count() == sum(
        1 for s in posted if s.total != 0
    )
    assert checks.run_all(list(insts)) == []
    assert Scorecard.objects.count() == (today.month - 1) // 3
    assert "bygst.admin" in out.getvalue()

    again = load_facilities_demo(stdout=StringIO(), scale=0.4)

    assert again["tickets"] == 0
    assert Ticket.objects.filter(institution__in=insts).count() == summary["tickets"]
    assert Statement.objects.count() == summary["statements"]
