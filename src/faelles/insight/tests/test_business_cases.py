"""Business cases (Statens business case-model): PERT expected values, years, risk reserve,
net present value, payback, the monthly plan, a baseline measured from the key figures, the
follow-up (measured and entered gains against the plan), shadow work, and the pages'
isolation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from faelles.core.audit import Refused
from faelles.core.models import AuditEvent
from faelles.insight import business_case, selectors, services
from faelles.insight.models import (
    BenefitPlanLine,
    BenefitRealisation,
    BusinessCase,
    Figure,
    Task,
    TaskHours,
)
from faelles.insight.services import key_figures_refresh
from faelles.insight.tests.factories import MARCH, make_world, plant_march
from faelles.insight.tests.test_views import login
from faelles.tenancy.models import Responsibility

pytestmark = pytest.mark.django_db
APRIL = date(2026, 4, 1)


@pytest.fixture
def world():
    w = make_world()
    plant_march(w)
    key_figures_refresh(actor=None, month=MARCH)
    key_figures_refresh(actor=None, month=APRIL)
    return w


def make_case(w, **extra):
    data = {
        "title": "Fælles fakturabehandling",
        "current_scenario": "Hver styrelse konterer og godkender selv.",
        "future_scenario": "Autokontering og fælles modtagelse hos operatøren.",
        "start_month": date(2026, 4, 17),
        "horizon_years": 2,
        "risk_reserve_pct": Decimal("10"),
        "baseline_figure": Figure.COST_PER_INVOICE,
        **extra,
    }
    case = services.business_case_create(actor=w.case_worker, institution=w.a, data=data)
    for kind, low, likely, high in [
        ("one_off_cost", "100", "120", "200"),
        ("running_cost", "12", "12", "12"),
        ("running_benefit", "60", "120", "240"),
    ]:
        services.business_case_item_add(
            actor=w.case_worker,
            case=case,
            data={
                "kind": kind,
                "description": kind,
                "low": Decimal(low),
                "likely": Decimal(likely),
                "high": Decimal(high),
                "from_year": 1,
                "benefit_owner": "Økonomichefen" if "benefit" in kind else "",
            },
        )
    return case


def test_the_baseline_is_measured_from_the_key_figures(world):
    case = make_case(world)
    assert case.start_month == APRIL
    # March is the only month of the 12 before April with a measured cost per invoice
    assert case.baseline_value == Decimal("90.00")
    assert case.baseline_source.startswith(
        "measured 2026-03–2026-03"
    ) or case.baseline_source.startswith("målt 2026-03–2026-03")
    entered = make_case(world, title="Med indtastet baseline", baseline_value=Decimal("75.00"))
    assert entered.baseline_value == Decimal("75.00")


def test_the_economy_follows_the_model(world):
    case = make_case(world)
    items = list(case.items.all())
    assert [(i.kind, i.expected) for i in items] == [
        ("one_off_cost", Decimal("130.00")),
        ("running_benefit", Decimal("130.00")),
        ("running_cost", Decimal("12.00")),
    ]
    e = business_case.economy(case, items)
    assert [(y.costs, y.risk_reserve, y.benefits, y.net, y.cumulative) for y in e.years] == [
        (
            Decimal("142.00"),
            Decimal("14.20"),
            Decimal("130.00"),
            Decimal("-26.20"),
            Decimal("-26.20"),
        ),
        (Decimal("12.00"), Decimal("1.20"), Decimal("130.00"), Decimal("116.80"), Decimal("90.60")),
    ]
    # −26.20 + 116.80 / 1.035
    assert e.npv == Decimal("86.65")
    assert e.payback_year == 2


def test_the_plan_spreads_each_year_exactly(world):
    case = make_case(world)
    plan = list(BenefitPlanLine.objects.filter(case=case).values_list("month", "planned"))
    assert len(plan) == 24
    assert plan[0] == (APRIL, Decimal("10.83"))
    assert plan[11] == (date(2027, 3, 1), Decimal("10.87"))
    assert sum(p for _m, p in plan) == Decimal("260.00")


def test_the_follow_up_sets_measured_and_entered_gains_against_the_plan(world):
    case = make_case(world)
    # April: A's one invoice approved, 1 touch: 45.00 kr.; gain (90 − 45) × 1
    services.realisation_measure(actor=world.case_worker, case=case, month=APRIL)
    services.realisation_record(
        actor=world.case_worker,
        case=case,
        month=date(2026, 5, 1),
        amount=Decimal("5.00"),
        note="skønnet",
    )
    rows = selectors.follow_up(case, until=date(2026, 5, 1))
    assert [(r.month, r.planned, r.realised, r.source, r.deviation) for r in rows] == [
        (APRIL, Decimal("10.83"), Decimal("45.00"), "measured", Decimal("34.17")),
        (date(2026, 5, 1), Decimal("10.83"), Decimal("5.00"), "entered", Decimal("28.34")),
    ]
    assert rows[0].note.startswith("(90.00 − 45.00) × 1 ")
    events = AuditEvent.objects.filter(action="insight.business_case.realised").order_by("pk")
    assert [e.details["source"] for e in events] == ["measured", "entered"]
    # a controller reads but does not record
    with pytest.raises(Refused):
        services.realisation_record(
            actor=world.controller_a, case=case, month=APRIL, amount=Decimal("1")
        )
    assert BenefitRealisation.objects.get(case=case, month=APRIL).realised == Decimal("45.00")


def test_shadow_work_is_hours_on_the_operators_tasks(world):
    payment = Responsibility.objects.create(
        institution=world.a,
        agreement=world.agreement_a,
        service="payables",
        task="Betaling og rykkerhåndtering",
        owner="operator",
    )
    coding = Responsibility.objects.create(
        institution=world.a,
        agreement=world.agreement_a,
        service="payables",
        task="Kontering af fakturaer",
        owner="institution",
    )
    shadow = Task.objects.create(
        institution=world.a, name="Rykkere", form_code="04.01.05", responsibility=payment
    )
    own = Task.objects.create(
        institution=world.a, name="Kontering", form_code="04.01.03", responsibility=coding
    )
    TaskHours.objects.create(institution=world.a, task=shadow, month=MARCH, hours=Decimal("3.0"))
    TaskHours.objects.create(institution=world.a, task=own, month=MARCH, hours=Decimal("40.0"))
    rows = selectors.shadow_work(world.controller_a, institution=world.a)
    assert [(r.task.name, r.month, r.hours, r.cost) for r in rows] == [
        ("Rykkere", MARCH, Decimal("3.0"), Decimal("1350.00"))
    ]
    assert selectors.shadow_work(world.admin_b, institution=world.a) == []
    assert len(selectors.shadow_work(world.case_worker, operator=True)) == 1


def test_the_case_pages_and_their_isolation(client, world):
    case = make_case(world)
    login(client, world.controller_a, world.a)
    assert client.get(reverse("insight:case-detail", args=[case.pk])).status_code == 200
    response = client.get(reverse("insight:follow-up", args=[case.pk]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 24
    csv = client.get(reverse("insight:follow-up", args=[case.pk]), {"format": "csv"})
    assert csv.content.decode("utf-8-sig").split("\r\n")[1].startswith("2026-04;10,83;")
    # the controller may not add to it
    r = client.post(reverse("insight:case-detail", args=[case.pk]), {"action": "approve"})
    assert r.status_code == 403
    # B's manager: 404 on every case route, nothing changes
    login(client, world.admin_b, world.b)
    events = AuditEvent.objects.count()
    for name in ("insight:case-detail", "insight:follow-up"):
        for method in ("get", "post"):
            r = getattr(client, method)(
                reverse(name, args=[case.pk]),
                {"action": "approve", "month": "2026-04", "amount": "1"},
            )
            assert r.status_code == 404
    assert AuditEvent.objects.count() == events
    case.refresh_from_db()
    assert case.status == BusinessCase.Status.DRAFT
    assert not client.get(reverse("insight:cases")).context["cases"].filter(pk=case.pk).exists()
    # the operator's staff serving A approve it through the page
    login(client, world.case_worker, world.a)
    r = client.post(reverse("insight:case-detail", args=[case.pk]), {"action": "approve"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == BusinessCase.Status.APPROVED


def test_the_shadow_work_page_and_its_export(client, world):
    payment = Responsibility.objects.create(
        institution=world.a,
        agreement=world.agreement_a,
        service="payables",
        task="Betaling og rykkerhåndtering",
        owner="operator",
    )
    task = Task.objects.create(
        institution=world.a, name="Rykkere", form_code="04.01.05", responsibility=payment
    )
    TaskHours.objects.create(institution=world.a, task=task, month=MARCH, hours=Decimal("3.0"))
    login(client, world.controller_a, world.a)
    response = client.get(reverse("insight:shadow"))
    assert response.status_code == 200
    assert response.context["total_cost"] == Decimal("1350.00")
    csv = client.get(reverse("insight:shadow"), {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.split("\r\n")[1] == "A;2026-03;Rykkere;04.01.05;3,0;1350,00"
    assert client.get(reverse("insight:shadow"), {"scope": "operator"}).status_code == 403
    login(client, world.admin_b, world.b)
    assert client.get(reverse("insight:shadow")).context["rows"] == []
    login(client, world.case_worker, world.a)
    assert len(client.get(reverse("insight:shadow"), {"scope": "operator"}).context["rows"]) == 1
