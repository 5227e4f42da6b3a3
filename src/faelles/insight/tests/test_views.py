"""The insight pages and exports: who sees which institution's figures, the operator's side by
side (only the institutions served), the SVG without decimal commas, the CSV in Danish Excel's
format, and the refresh queued on commit."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from faelles.core.models import AuditEvent
from faelles.insight.models import KeyFigure
from faelles.insight.services import key_figures_refresh
from faelles.insight.tests.factories import MARCH, make_world, plant_march

pytestmark = pytest.mark.django_db


def login(client, user, institution=None):
    client.force_login(user)
    if institution is not None:
        session = client.session
        session["faelles_institution_id"] = institution.pk
        session.save()


@pytest.fixture
def world():
    w = make_world()
    plant_march(w)
    key_figures_refresh(actor=None, month=MARCH)
    return w


def test_the_controller_sees_the_own_figures_and_place(client, world):
    login(client, world.controller_a, world.a)
    response = client.get(reverse("insight:institution"), {"month": "2026-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="cost_per_invoice"' in html
    assert 'data-value="90.00"' in html
    assert 'data-value="900.00"' not in html  # B's cost is not on A's page
    rows = {r.figure: r for r, _strip in response.context["rows"]}
    assert rows["cost_per_invoice"].place == 1
    # SVG coordinates never carry a decimal comma, whatever the language
    for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        for attr in re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"', svg):
            assert "," not in attr


def test_the_institution_csv_is_danish_excel(client, world):
    login(client, world.controller_a, world.a)
    response = client.get(reverse("insight:institution"), {"month": "2026-03", "format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = text.split("\r\n")
    cost = next(line for line in lines if line.startswith(("Cost per invoice", "Omkostning")))
    assert cost.split(";")[1:4] == ["90,00", "2", "touches"]
    assert "900,00" in cost  # the maximum of the spread, not B's name
    assert "B" not in [cell for line in lines for cell in line.split(";")]


def test_without_an_insight_role_in_the_institution_the_page_is_refused(client, world):
    login(client, world.bookkeeper_a, world.a)
    assert client.get(reverse("insight:institution")).status_code == 403
    assert client.get(reverse("insight:institution"), {"format": "csv"}).status_code == 403


def test_another_institutions_manager_asking_for_a_sees_only_the_own(client, world):
    # the session cannot make A current for B's local administrator: B's page is shown
    login(client, world.admin_b, world.a)
    response = client.get(reverse("insight:institution"), {"month": "2026-03"})
    assert response.status_code == 200
    assert response.context["current_institution"] == world.b
    rows = {r.figure: r for r, _strip in response.context["rows"]}
    assert (
        rows["cost_per_invoice"].value
        == KeyFigure.objects.get(institution=world.b, figure="cost_per_invoice").value
    )
    assert 'data-value="90.00"' not in response.content.decode()


def test_the_operator_sees_only_the_served_institutions_side_by_side(client, world):
    login(client, world.case_worker, world.a)
    response = client.get(reverse("insight:operator"), {"month": "2026-03"})
    assert response.status_code == 200
    assert [i.short_name for i in response.context["institutions"]] == ["A", "B"]
    cost = next(r for r in response.context["rows"] if r["figure"] == "cost_per_invoice")
    assert [(c["institution"].short_name, c["value"], c["place"]) for c in cost["cells"]] == [
        ("A", KeyFigure.objects.get(institution=world.a, figure="cost_per_invoice").value, 1),
        ("B", KeyFigure.objects.get(institution=world.b, figure="cost_per_invoice").value, 2),
    ]
    csv = client.get(reverse("insight:operator"), {"month": "2026-03", "format": "csv"})
    header = csv.content.decode("utf-8-sig").split("\r\n")[0].split(";")
    assert header[1:3] == ["A", "B"] and "C" not in header


@pytest.mark.parametrize("who", ["controller_a", "admin_b", "bookkeeper_a"])
def test_the_operator_page_is_for_operator_staff(client, world, who):
    login(client, getattr(world, who), world.a)
    events = AuditEvent.objects.count()
    assert client.get(reverse("insight:operator")).status_code == 403
    assert client.post(reverse("insight:operator"), {"month": "2026-04"}).status_code == 403
    assert AuditEvent.objects.count() == events
    assert not KeyFigure.objects.filter(month="2026-04-01").exists()


def test_the_operator_measures_a_month_on_commit(client, world, django_capture_on_commit_callbacks):
    login(client, world.case_worker, world.a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("insight:operator"), {"month": "2026-04"})
    assert response.status_code == 302
    assert KeyFigure.objects.filter(month="2026-04-01", institution=world.a).count() == 10


def test_every_chart_parses_in_danish_and_the_strips_too(client, world):
    from lxml import etree

    from faelles.web.tests.svg import chart_svgs, check_numbers

    login(client, world.case_worker, world.a)
    strips = []
    for url in (reverse("insight:institution"), reverse("insight:operator")):
        html = client.get(url, {"month": "2026-03"}).content.decode()
        charts = chart_svgs(html)
        assert charts
        assert all(check_numbers(svg) > 0 for svg in charts.values())
        strips += re.findall(r'<svg[^>]*class="insight-strip".*?</svg>', html, flags=re.S)
    assert len(strips) == 10  # the institution page: one strip per figure
    for text in strips:
        assert check_numbers(etree.fromstring(text.encode())) > 0
