"""The economics pages: who sees the price list and which charges, setting a price through the
page (with its audit event), charging a month from the page (queued on commit), and the 404
for another institution's charge — with nothing changed by a refused request."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from faelles.core.models import AuditEvent
from faelles.economics import services
from faelles.economics.models import Charge, ServicePrice
from faelles.economics.tests.factories import MARCH, TODAY, make_world, plant_march
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
    plant_march(w)
    services.charges_run(actor=w.admin, period=MARCH, today=TODAY)
    w.charge_a = Charge.objects.get(institution=w.a)
    w.charge_b = Charge.objects.get(institution=w.b)
    return w


def _state():
    return (Charge.objects.count(), ServicePrice.objects.count(), AuditEvent.objects.count())


# --- charges ------------------------------------------------------------------------------------


def test_an_institution_sees_its_own_charges_only(client, world):
    _login(client, world.bookkeeper_a, world.a)
    response = client.get(reverse("economics:charges"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["charges"]] == [world.charge_a.pk]
    assert response.context["may_charge"] is False
    body = response.content.decode()
    assert world.charge_a.number in body and world.charge_b.number not in body


def test_operator_staff_see_the_charges_of_the_institutions_they_serve(client, world):
    _login(client, world.case_worker, world.a)
    response = client.get(reverse("economics:charges"))
    assert [c.pk for c in response.context["charges"]] == [world.charge_a.pk]
    _login(client, world.admin)
    response = client.get(reverse("economics:charges") + "?month=2026-03")
    assert {c.pk for c in response.context["charges"]} == {world.charge_a.pk, world.charge_b.pk}
    assert response.context["may_charge"] is True


def test_a_person_without_a_ledger_role_sees_no_charges(client, world):
    _login(client, world.receiver_a, world.a)
    assert client.get(reverse("economics:charges")).status_code == 403
    assert (
        client.get(reverse("economics:charge-detail", args=[world.charge_a.pk])).status_code == 404
    )


def test_the_charge_shows_volumes_times_prices_and_links_the_issued_invoice(client, world):
    _login(client, world.bookkeeper_a, world.a)
    response = client.get(reverse("economics:charge-detail", args=[world.charge_a.pk]))
    assert response.status_code == 200
    assert [(ln.measure, ln.volume, str(ln.amount)) for ln in response.context["lines"]] == [
        ("cases", 2, "380.00"),
        ("invoices", 3, "1030.00"),
        ("payslips", 4, "600.00"),
        ("tickets", 2, "300.00"),
    ]
    body = response.content.decode()
    assert reverse("economics:charge-xml", args=[world.charge_a.pk]) in body
    # the bookkeeper also works in payables: the link leads to the invoice received there
    assert response.context["invoice_link"] is True
    assert reverse("payables:invoice-detail", args=[world.charge_a.invoice_id]) in body
    xml = client.get(reverse("economics:charge-xml", args=[world.charge_a.pk]))
    assert xml.status_code == 200
    assert xml["Content-Type"] == "application/xml"
    assert bytes(xml.content) == bytes(world.charge_a.xml)


@pytest.mark.parametrize("route", ["economics:charge-detail", "economics:charge-xml"])
def test_another_institution_gets_404_for_a_charge_and_nothing_changes(client, world, route):
    _login(client, world.controller_b, world.b)
    before = _state()
    assert client.get(reverse(route, args=[world.charge_a.pk])).status_code == 404
    assert client.post(reverse(route, args=[world.charge_a.pk])).status_code in (404, 405)
    assert client.get(reverse(route, args=[world.charge_b.pk])).status_code == 200
    assert _state() == before


def test_charging_a_month_from_the_page_queues_it_on_commit(
    client, world, django_capture_on_commit_callbacks
):
    _login(client, world.admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("economics:charges"), {"month": "2026-02"})
    assert response.status_code == 302
    # the first callback is the queued task; it issued invoices whose intake added its own
    assert callbacks[0].__qualname__ == "charges_queue.<locals>.<lambda>"
    # February: the fixed parts (1000 + 500 + 300) and the one ticket resolved 27 February
    february = Charge.objects.get(institution=world.a, period=date(2026, 2, 1))
    assert february.net == Decimal("1950.00")
    assert Charge.objects.filter(period=date(2026, 2, 1)).count() == 2


@pytest.mark.parametrize("who", ["case_worker", "bookkeeper_a", "controller_b"])
def test_only_an_operator_administrator_charges_from_the_page(client, world, who):
    _login(client, getattr(world, who), world.a)
    before = _state()
    assert client.post(reverse("economics:charges"), {"month": "2026-02"}).status_code == 403
    assert _state() == before


# --- the price list -----------------------------------------------------------------------------


def test_operator_staff_see_the_price_list_and_institutions_do_not(client, world):
    _login(client, world.case_worker)
    response = client.get(reverse("economics:prices"))
    assert response.status_code == 200
    [block] = response.context["catalogue"]
    assert block["admin"] is False
    assert sorted(v.measure for v in block["versions"]) == [
        "cases",
        "invoices",
        "payslips",
        "tickets",
    ]
    for user in (world.bookkeeper_a, world.controller_b, UserFactory(username="nobody")):
        _login(client, user)
        assert client.get(reverse("economics:prices")).status_code == 403


def test_an_administrator_sets_a_price_through_the_page_with_an_audit_event(client, world):
    _login(client, world.admin)
    response = client.post(
        reverse("economics:prices"),
        {
            "operator": world.operator.pk,
            "measure": "cases",
            "valid_from": "2026-06",
            "tiers": "0; 350,00; 45\n500; 5000; 30",
            "note": "Budget 2026, 2. halvår",
        },
    )
    assert response.status_code == 302
    price = ServicePrice.objects.get(measure="cases", valid_from=date(2026, 6, 1))
    assert price.tiers == [
        {"from": 0, "fixed": "350.00", "unit": "45.00"},
        {"from": 500, "fixed": "5000.00", "unit": "30.00"},
    ]
    event = AuditEvent.objects.filter(action="economics.price.set").latest("pk")
    assert (event.actor_id, event.institution_id) == (world.admin.pk, None)
    assert event.details["valid_from"] == "2026-06-01"


def test_a_malformed_price_is_shown_again_with_the_reason_and_changes_nothing(client, world):
    _login(client, world.admin)
    before = _state()
    response = client.post(
        reverse("economics:prices"),
        {
            "operator": world.operator.pk,
            "measure": "cases",
            "valid_from": "2026-06",
            "tiers": "0;1",
        },
    )
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == [
        "Skriv hvert bånd som: fra; fast del; pris pr. enhed."
    ]
    assert _state() == before


@pytest.mark.parametrize("who", ["case_worker", "bookkeeper_a"])
def test_only_an_administrator_sets_prices_through_the_page(client, world, who):
    _login(client, getattr(world, who), world.a)
    before = _state()
    response = client.post(
        reverse("economics:prices"),
        {
            "operator": world.operator.pk,
            "measure": "cases",
            "valid_from": "2026-06",
            "tiers": "0;1;1",
        },
    )
    assert response.status_code == 403
    assert _state() == before
