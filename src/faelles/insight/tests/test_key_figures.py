"""Key figures measured exactly on the small planted month, the distribution beside them, the
refresh (service, task on commit, command) and its audit event."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from faelles.core.models import AuditEvent
from faelles.insight import config, selectors
from faelles.insight.models import Figure, KeyFigure
from faelles.insight.selectors import distribution
from faelles.insight.services import key_figures_refresh, key_figures_refresh_queue
from faelles.insight.tests.factories import MARCH, make_world, plant_march

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = make_world()
    plant_march(w)
    return w


def _values(inst) -> dict[str, tuple[Decimal | None, int, str]]:
    return {
        k.figure: (k.value, k.basis, k.source)
        for k in KeyFigure.objects.filter(institution=inst, month=MARCH)
    }


def test_the_planted_month_measures_exactly(world):
    summary = key_figures_refresh(actor=None, month=date(2026, 3, 17))
    assert summary["month"] == "2026-03"
    assert _values(world.a) == {
        Figure.INVOICES: (Decimal("2.00"), 2, ""),
        # (10 h + 30 h) / 2
        Figure.HOURS_TO_APPROVAL: (Decimal("20.00"), 2, ""),
        Figure.TOUCHLESS_SHARE: (Decimal("50.00"), 2, ""),
        # (1 + 3) touches × 6 min / 60 × 450 kr. / 2 invoices
        Figure.COST_PER_INVOICE: (Decimal("90.00"), 2, "touches"),
        Figure.DAYS_TO_PAYMENT: (Decimal("15.00"), 2, ""),
        Figure.ON_TIME_SHARE: (Decimal("50.00"), 2, ""),
        # 2 invoices / (37 + 18.5) / 37 FTE
        Figure.INVOICES_PER_FTE: (Decimal("1.33"), 2, "payroll"),
        # (4 + 10) / 2 days
        Figure.CASE_DAYS: (Decimal("7.00"), 2, ""),
        Figure.SLA_MET_SHARE: (Decimal("50.00"), 2, ""),
        Figure.RETRO_SHARE: (Decimal("25.00"), 4, ""),
    }
    b = _values(world.b)
    # 2.0 registered hours × 450 kr. / 1 invoice
    assert b[Figure.COST_PER_INVOICE] == (Decimal("900.00"), 1, "registered_hours")
    assert b[Figure.ON_TIME_SHARE] == (Decimal("100.00"), 1, "")
    assert b[Figure.INVOICES_PER_FTE] == (None, 0, "")
    c = _values(world.c)
    assert c[Figure.INVOICES] == (Decimal("0.00"), 0, "")
    assert c[Figure.COST_PER_INVOICE] == (None, 0, "")
    assert KeyFigure.objects.filter(month=MARCH).count() == 3 * len(Figure.values)


def test_a_refresh_is_idempotent_and_an_audit_event(world):
    key_figures_refresh(actor=world.case_worker, month=MARCH)
    first = sorted(KeyFigure.objects.values_list("institution_id", "figure", "value"))
    key_figures_refresh(actor=world.case_worker, month=MARCH)
    assert sorted(KeyFigure.objects.values_list("institution_id", "figure", "value")) == first
    events = AuditEvent.objects.filter(action="insight.key_figures.refreshed")
    assert events.count() == 2
    assert events.first().details["month"] == "2026-03"
    assert events.first().institution_id is None


def test_the_distribution_has_inclusive_quartiles_and_the_place():
    d = distribution([Decimal("90"), Decimal("900")])
    assert (d.minimum, d.q1, d.median, d.q3, d.maximum) == (
        Decimal("90.00"),
        Decimal("292.50"),
        Decimal("495.00"),
        Decimal("697.50"),
        Decimal("900.00"),
    )
    assert d.place(Decimal("90"), [Decimal("90"), Decimal("900")], higher_better=False) == 1
    assert d.place(Decimal("90"), [Decimal("90"), Decimal("900")], higher_better=True) == 2
    assert distribution([]) is None


def test_the_institution_sees_its_figures_with_the_spread_of_all(world):
    key_figures_refresh(actor=None, month=MARCH)
    rows = {r.figure: r for r in selectors.institution_figures(world.controller_a, world.a, MARCH)}
    cost = rows[Figure.COST_PER_INVOICE]
    assert cost.value == Decimal("90.00")
    assert cost.distribution.count == 2
    assert (cost.distribution.minimum, cost.distribution.maximum) == (
        Decimal("90.00"),
        Decimal("900.00"),
    )
    assert cost.place == 1
    invoices = rows[Figure.INVOICES]
    assert (invoices.distribution.count, invoices.place) == (3, 1)
    # another institution's figures are not the controller's to see
    assert selectors.institution_figures(world.controller_a, world.b, MARCH) == []


def test_the_queued_refresh_runs_on_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        key_figures_refresh_queue(actor=world.case_worker, month=date(2026, 3, 9))
    assert len(callbacks) == 1
    assert KeyFigure.objects.filter(month=MARCH).count() == 3 * len(Figure.values)


def test_the_command_prints_json_lines_and_a_summary(world):
    out = StringIO()
    call_command("insight", "refresh", "--month", "2026-03", "--json", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[-1] == {
        "summary": {"month": "2026-03", "institutions": 3, "rows": 30, "with_value": 17}
    }
    cost_a = next(
        r for r in lines if r.get("institution") == "A" and r["figure"] == "cost_per_invoice"
    )
    assert cost_a == {
        "institution": "A",
        "month": "2026-03",
        "figure": "cost_per_invoice",
        "value": "90.00",
        "basis": 2,
        "source": "touches",
    }


def test_the_apqc_benchmark_keeps_usd_and_converts(settings):
    settings.INSIGHT_USD_DKK = "7.00"
    b = config.apqc_benchmark()
    assert (b["top_quartile_usd"], b["median_usd"]) == (Decimal("2.07"), Decimal("5.83"))
    assert (b["top_quartile_dkk"], b["median_dkk"]) == (Decimal("14.49"), Decimal("40.81"))
