"""The control pages: who sees which work list and hit, evidence of another institution kept
back, decisions through the page, and the operator's run queued on commit."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from faelles.control import plant
from faelles.control.models import ControlRun, Hit, HitStatus
from faelles.control.services import control_run
from faelles.control.tests.factories import invoice, make_world
from faelles.core.models import AuditEvent
from faelles.tenancy.models import OperatorStaff, ServiceAgreement, StaffRole
from faelles.tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _login(client, user, institution=None):
    client.force_login(user)
    if institution is not None:
        session = client.session
        session["faelles_institution_id"] = institution.pk
        session.save()


@pytest.fixture
def world():
    w = make_world()
    office_a = plant.vendor(w.a.pk, "Kontorleverandøren ApS", cvr="41000018")
    office_b = plant.vendor(w.b.pk, "Kontorleverandøren ApS", cvr="41000018")
    # a duplicate inside A, and one invoice sent to both A and B (the hit is B's: later)
    invoice(w.a, office_a, "INV-0012", "1250.00", date(2026, 3, 2))
    invoice(w.a, office_a, "INV 12", "1250.00", date(2026, 3, 3))
    invoice(w.a, office_a, "HEMMELIG-7", "777.00", date(2026, 3, 2))
    invoice(w.b, office_b, "HEMMELIG-7", "777.00", date(2026, 3, 5))
    control_run(actor=None, operator=w.operator, controls=["duplicate_invoices"])
    w.hit_a = Hit.objects.get(institution=w.a)
    w.hit_b = Hit.objects.get(institution=w.b)
    return w


def test_an_institution_controller_sees_the_own_ranked_work_list(client, world):
    _login(client, world.controller_a, world.a)
    response = client.get(reverse("control:work-list"))
    assert response.status_code == 200
    assert [h.pk for h in response.context["hits"]] == [world.hit_a.pk]


def test_the_operator_work_list_ranks_every_served_institution(client, world):
    _login(client, world.case_worker, world.a)
    response = client.get(reverse("control:operator"))
    assert response.status_code == 200
    # 0.919 × 1250 before 0.967 × 777
    assert [h.pk for h in response.context["hits"]] == [world.hit_a.pk, world.hit_b.pk]


@pytest.mark.parametrize("who", ["controller_a", "stranger"])
def test_the_operator_work_list_is_for_operator_staff(client, world, who):
    _login(client, getattr(world, who), world.a)
    assert client.get(reverse("control:operator")).status_code == 403
    assert client.post(reverse("control:operator")).status_code == 403
    assert ControlRun.objects.count() == 1


def test_a_person_without_a_control_role_sees_no_work_list_and_no_hit(client, world):
    _login(client, world.stranger, world.a)
    assert client.get(reverse("control:work-list")).status_code == 403
    assert client.get(reverse("control:hit-detail", args=[world.hit_a.pk])).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_institutions_controller_gets_404_and_nothing_changes(client, world, method):
    _login(client, world.controller_b, world.b)
    events = AuditEvent.objects.count()
    url = reverse("control:hit-detail", args=[world.hit_a.pk])
    response = getattr(client, method)(url, {"status": "dismissed"})
    assert response.status_code == 404
    world.hit_a.refresh_from_db()
    assert world.hit_a.status == HitStatus.OPEN
    assert AuditEvent.objects.count() == events


def test_the_hit_page_shows_the_evidence_side_by_side_and_hides_a_foreign_side(client, world):
    # B's controller sees B's hit, but not what A's invoice holds
    _login(client, world.controller_b, world.b)
    response = client.get(reverse("control:hit-detail", args=[world.hit_b.pk]))
    assert response.status_code == 200
    sides = response.context["sides"]
    assert sides[0] == {"hidden": True, "type": "invoice"}
    assert sides[1]["institution"] == world.b.pk
    assert response.content.decode().count("HEMMELIG-7") == 1
    # the operator's case worker serving both sees both sides
    _login(client, world.case_worker, world.b)
    response = client.get(reverse("control:hit-detail", args=[world.hit_b.pk]))
    assert [s["number"] for s in response.context["sides"]] == ["HEMMELIG-7", "HEMMELIG-7"]


def test_a_case_worker_serving_only_b_sees_b_and_not_a(client, world):
    only_b = UserFactory(username="kun-b")
    OperatorStaff.objects.create(operator=world.operator, user=only_b, role=StaffRole.CASE_WORKER)
    ServiceAgreement.objects.get(institution=world.b).staff.add(only_b)
    _login(client, only_b, world.b)
    response = client.get(reverse("control:operator"))
    assert [h.pk for h in response.context["hits"]] == [world.hit_b.pk]
    assert client.get(reverse("control:hit-detail", args=[world.hit_a.pk])).status_code == 404


def test_a_controller_decides_on_the_page(client, world):
    _login(client, world.controller_a, world.a)
    url = reverse("control:hit-detail", args=[world.hit_a.pk])
    response = client.post(url, {"status": "confirmed", "note": "betalt to gange"})
    assert response.status_code == 302
    world.hit_a.refresh_from_db()
    assert (world.hit_a.status, world.hit_a.decided_by) == ("confirmed", world.controller_a)
    response = client.get(reverse("control:precision"))
    assert response.status_code == 200
    assert [(r["control"], r["precision"]) for r in response.context["rows"]] == [
        ("duplicate_invoices", 1)
    ]


def test_an_invalid_decision_is_refused_and_recorded(client, world):
    _login(client, world.controller_a, world.a)
    url = reverse("control:hit-detail", args=[world.hit_a.pk])
    assert client.post(url, {"status": "open"}).status_code == 400
    world.hit_a.refresh_from_db()
    assert world.hit_a.status == HitStatus.OPEN
    assert AuditEvent.objects.filter(action="control.hit.decide.refused").count() == 1


def test_the_operator_runs_the_controls_from_the_page(
    client, world, django_capture_on_commit_callbacks
):
    _login(client, world.case_worker, world.a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("control:operator"), {"control": ["duplicate_invoices"]})
    assert response.status_code == 302
    latest = ControlRun.objects.order_by("-pk").first()
    assert latest.started_by == world.case_worker
    assert latest.summary["controls"]["duplicate_invoices"]["refreshed"] == 2
