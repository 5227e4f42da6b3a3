"""The task inventory and the ripeness screening: exact scores, volumes measured by the
platform, candidates ranked across the served institutions only, the services' audit events
and refusals, and the pages (404 for another institution's task, nothing changed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from faelles.core.audit import Refused
from faelles.core.models import AuditEvent
from faelles.insight import screening, selectors, services
from faelles.insight.models import Figure, Task, TaskHours
from faelles.insight.services import key_figures_refresh
from faelles.insight.tests.factories import MARCH, make_world, plant_march
from faelles.insight.tests.test_views import login

pytestmark = pytest.mark.django_db
ON = date(2026, 4, 15)  # the year window: April 2025 – March 2026


def test_the_score_is_the_documented_weighted_sum():
    assert screening.volume_score(999) == 1
    assert screening.volume_score(1_000) == 2
    assert screening.volume_score(5_000) == 3
    assert screening.volume_score(20_000) == 4
    assert screening.volume_score(100_000) == 5
    # 0.40 × 5 + 0.35 × 3 + 0.25 × 4
    assert screening.score(5, 6_000, 4) == Decimal("4.05")
    assert screening.verdict(Decimal("3.50")) == "ripe"
    assert screening.verdict(Decimal("3.49")) == "possible"
    assert screening.verdict(Decimal("2.49")) == "not_ripe"


@pytest.fixture
def world():
    w = make_world()
    plant_march(w)
    key_figures_refresh(actor=None, month=MARCH)
    return w


def _task(inst, name, code, **kw):
    return Task.objects.create(institution=inst, name=name, form_code=code, **kw)


def test_volume_is_measured_where_the_platform_can(world):
    invoices = _task(
        world.a,
        "Fakturabehandling",
        "04.01.02",
        volume_per_year=50,
        measures=Figure.COST_PER_INVOICE,
    )
    from faelles.insight import plant

    plant.closed_case(world.a.pk, plant_dt(2025, 6, 1), None, task_code="11.02.03")
    plant.closed_case(world.a.pk, plant_dt(2026, 1, 1), None, task_code="11.02.03")
    plant.closed_case(world.a.pk, plant_dt(2024, 1, 1), None, task_code="11.02.03")  # too old
    grants = _task(world.a, "Tilskudssager", "11.02.03", volume_per_year=9)
    manual = _task(
        world.a, "Arkivering", "02.01.01", volume_per_year=1500, hours_per_year=Decimal("80")
    )
    TaskHours.objects.create(
        institution=world.a, task=manual, month=date(2026, 2, 1), hours=Decimal("7.5")
    )
    screened = {s.task.pk: s for s in selectors.screen([invoices, grants, manual], ON)}
    # March's 2 invoices are the only measured month in the window
    assert (screened[invoices.pk].volume, screened[invoices.pk].volume_measured) == (2, True)
    assert (screened[grants.pk].volume, screened[grants.pk].volume_measured) == (2, True)
    assert (screened[manual.pk].volume, screened[manual.pk].volume_measured) == (1500, False)
    assert (screened[manual.pk].hours, screened[manual.pk].hours_registered) == (
        Decimal("7.5"),
        True,
    )
    # 0.40 × 3 + 0.35 × 2 + 0.25 × 3
    assert screened[manual.pk].score == Decimal("2.65")


def plant_dt(y, m, d):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime(y, m, d, 10, tzinfo=ZoneInfo("Europe/Copenhagen"))


def test_candidates_rank_form_codes_across_the_served_institutions_only(world):
    _task(
        world.a,
        "Kreditorbogholderi",
        "04.02.01",
        volume_per_year=30_000,
        standardisability=5,
        bindings=5,
        hours_per_year=Decimal("900"),
    )
    _task(
        world.b,
        "Fakturaer",
        "04.02.01",
        volume_per_year=80_000,
        standardisability=4,
        bindings=4,
        hours_per_year=Decimal("1200"),
        systems="IndFak, Navision",
    )
    _task(world.a, "Klagesager", "11.05.01", volume_per_year=200, standardisability=2, bindings=1)
    _task(
        world.c,
        "Hemmelig opgave",
        "99.99.99",
        volume_per_year=500_000,
        standardisability=5,
        bindings=5,
    )
    ranked = selectors.candidates(world.case_worker, ON)
    # B's invoice-handling task of the planted month (04.01.02, 1 invoice measured) is there too
    assert [c.form_code for c in ranked] == ["04.02.01", "04.01.02", "11.05.01"]
    top = ranked[0]
    assert top.institutions == ["A", "B"]
    assert top.volume == 110_000
    assert (top.standardisability, top.bindings) == (Decimal("4.50"), Decimal("4.50"))
    # 0.40 × 4.5 + 0.35 × 5 + 0.25 × 4.5
    assert top.score == Decimal("4.68")
    assert top.verdict == "ripe"
    assert top.hours == Decimal("2100")
    assert top.systems == ["IndFak", "Navision"]
    # an institution's controller is no operator: no candidates
    assert selectors.candidates(world.controller_a, ON) == []


def test_saving_a_task_is_audited_and_a_controller_is_refused(world):
    task = services.task_save(
        actor=world.case_worker,
        institution=world.a,
        data={"name": "Løn", "form_code": "05.01.01", "volume_per_year": 1200},
    )
    event = AuditEvent.objects.get(action="insight.task.created")
    assert event.institution_id == world.a.pk
    assert event.details["form_code"] == "05.01.01"
    with pytest.raises(Refused):
        services.task_save(
            actor=world.controller_a, institution=world.a, data={"name": "X"}, task=task
        )
    task.refresh_from_db()
    assert task.name == "Løn"
    assert AuditEvent.objects.filter(action="insight.task.save.refused").count() == 1
    services.task_hours_register(
        actor=world.case_worker, task=task, month=date(2026, 3, 9), hours=Decimal("12.5")
    )
    services.task_hours_register(
        actor=world.case_worker, task=task, month=date(2026, 3, 1), hours=Decimal("10.0")
    )
    assert list(TaskHours.objects.filter(task=task).values_list("month", "hours")) == [
        (MARCH, Decimal("10.0"))
    ]
    last = AuditEvent.objects.filter(action="insight.task_hours.registered").order_by("-pk").first()
    assert (last.details["before"], last.details["hours"]) == ("12.5", "10.0")


def test_the_task_pages_and_isolation(client, world):
    task_b = _task(world.b, "Fakturaer B", "04.01.02")
    login(client, world.admin_b, world.b)
    response = client.post(
        reverse("insight:tasks"),
        {
            "name": "Rejseafregning",
            "form_code": "04.03.01",
            "volume_per_year": "700",
            "hours_per_year": "120",
            "systems": "RejsUd",
            "standardisability": "4",
            "bindings": "3",
        },
    )
    assert response.status_code == 302
    created = Task.objects.get(name="Rejseafregning")
    assert created.institution == world.b
    response = client.post(
        reverse("insight:task-detail", args=[created.pk]),
        {"action": "hours", "month": "2026-03", "hours": "11.5"},
    )
    assert response.status_code == 302
    assert TaskHours.objects.get(task=created).hours == Decimal("11.5")
    csv = client.get(reverse("insight:tasks"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Rejseafregning" in csv and "Fakturaer B" in csv
    # A's controller: B's task is 404 for reading and writing, nothing changes
    login(client, world.controller_a, world.a)
    events = AuditEvent.objects.count()
    for method in ("get", "post"):
        r = getattr(client, method)(
            reverse("insight:task-detail", args=[task_b.pk]),
            {"action": "hours", "month": "2026-03", "hours": "9"},
        )
        assert r.status_code == 404
    assert AuditEvent.objects.count() == events
    assert not TaskHours.objects.filter(task=task_b).exists()
    assert "Fakturaer B" not in client.get(
        reverse("insight:tasks"), {"format": "csv"}
    ).content.decode("utf-8-sig")
    # A's controller reads A's inventory but may not add to it
    r = client.post(
        reverse("insight:tasks"),
        {
            "name": "Y",
            "form_code": "1",
            "volume_per_year": "1",
            "hours_per_year": "1",
            "standardisability": "3",
            "bindings": "3",
        },
    )
    assert r.status_code == 403
    assert not Task.objects.filter(name="Y").exists()


def test_the_candidates_page_is_the_operators(client, world):
    _task(world.a, "Kreditorbogholderi", "04.02.01", volume_per_year=30_000)
    login(client, world.case_worker, world.a)
    response = client.get(reverse("insight:candidates"))
    assert response.status_code == 200
    assert [c.form_code for c, _v in response.context["candidates"]] == ["04.02.01", "04.01.02"]
    login(client, world.controller_a, world.a)
    assert client.get(reverse("insight:candidates")).status_code == 403
