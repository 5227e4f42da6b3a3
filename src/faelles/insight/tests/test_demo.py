"""``faelles demo``'s insight part: a year of data in which the key figures differ between
institutions, tasks with shadow work, and a business case with measured gains; run twice it
adds nothing."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest

from faelles.insight import demo, selectors
from faelles.insight.models import BenefitRealisation, BusinessCase, Figure, KeyFigure, Task
from faelles.tenancy.demo import load_demo as tenancy_demo
from faelles.tenancy.models import User

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)


def test_the_demo_gives_a_year_of_figures_that_differ(settings):
    tenancy_demo(stdout=StringIO())
    out = StringIO()
    demo.load_demo(stdout=out, today=TODAY)
    assert "insight:" in out.getvalue()
    months = sorted(set(KeyFigure.objects.values_list("month", flat=True)))
    assert months[0] == date(2025, 12, 1) and months[-1] == date(2026, 12, 1)
    costs = list(
        KeyFigure.objects.filter(
            month=date(2026, 6, 1), figure=Figure.COST_PER_INVOICE, value__isnull=False
        ).values_list("value", flat=True)
    )
    assert len(costs) >= 5 and len(set(costs)) == len(costs)
    on_time = set(
        KeyFigure.objects.filter(month=date(2026, 6, 1), figure=Figure.ON_TIME_SHARE)
        .exclude(value__isnull=True)
        .values_list("value", flat=True)
    )
    assert len(on_time) > 3
    case = BusinessCase.objects.get()
    assert case.status == BusinessCase.Status.APPROVED
    assert case.baseline_value is not None and case.baseline_source
    gains = list(BenefitRealisation.objects.filter(case=case).values_list("realised", flat=True))
    assert len(gains) == 6 and all(g > 0 for g in gains)
    admin = User.objects.get(username="sa.admin")
    assert selectors.shadow_work(admin, operator=True)
    tasks = Task.objects.count()
    demo.load_demo(stdout=StringIO(), today=TODAY)
    assert Task.objects.count() == tasks
    assert BusinessCase.objects.count() == 1
