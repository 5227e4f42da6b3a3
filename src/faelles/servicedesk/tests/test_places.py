"""Locations and assets of an institution (issue 14, item 2): the register kept by the
institution's contact person (the facility manager) and the operator's agents, tickets naming
a room and an asset, and the isolation between institutions on every page and picker."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from faelles.core.audit import Denied
from faelles.core.models import AuditEvent
from faelles.servicedesk import places, services
from faelles.servicedesk.models import Asset, Location, Ticket, TicketEvent
from faelles.servicedesk.tests.factories import make_desk
from faelles.tenancy.middleware import SESSION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def desks():
    a = make_desk("a")
    b = make_desk("b", operator=a.operator)
    return a, b


def _client(user, institution=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    if institution is not None:
        session = client.session
        session[SESSION_KEY] = institution.pk
        session.save()
    return client


def _options(response, name) -> set[int]:
    """The ids a select named ``name`` on the page offers."""
    html = response.content.decode()
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, name
    return {int(v) for v in re.findall(r'value="(\d+)"', match.group(1))}


def _audit(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# --- the register on the pages -------------------------------------------------------------


def test_the_contact_person_registers_a_building_a_floor_and_a_room(desks):
    a, _b = desks
    client = _client(a.contact, a.institution)
    assert client.get(reverse("servicedesk:location-new")).status_code == 200

    response = client.post(
        reverse("servicedesk:location-new"),
        {"level": "building", "code": "NB", "name": "Nybygning", "address": "Havnegade 1"},
    )
    building = Location.objects.get(code="NB")
    assert response.status_code == 302
    assert response["Location"] == reverse("servicedesk:location-detail", args=[building.pk])
    client.post(
        reverse("servicedesk:location-new"),
        {"level": "floor", "code": "NB-1", "name": "1. sal", "parent": building.pk},
    )
    floor = Location.objects.get(code="NB-1")
    client.post(
        reverse("servicedesk:location-new"),
        {
            "level": "room",
            "code": "NB-1-07",
            "name": "Kontor 7",
            "parent": floor.pk,
            "area_m2": "18.50",
        },
    )
    room = Location.objects.get(code="NB-1-07")
    assert (room.institution, room.level, room.parent, room.area_m2) == (
        a.institution,
        "room",
        floor,
        Decimal("18.50"),
    )
    events = _audit("servicedesk.location.created")
    assert [(e.actor, e.institution, e.details["code"], e.details["level"]) for e in events] == [
        (a.contact, a.institution, "NB", "building"),
        (a.contact, a.institution, "NB-1", "floor"),
        (a.contact, a.institution, "NB-1-07", "room"),
    ]
    assert events[2].details["changed"] == ["parent", "code", "name", "address", "area_m2"]


def test_a_room_directly_in_a_building_is_refused(desks):
    a, _b = desks
    client = _client(a.contact, a.institution)
    response = client.post(
        reverse("servicedesk:location-new"),
        {"level": "room", "code": "X", "name": "X", "parent": a.building.pk},
    )
    assert response.status_code == 200
    assert b"A floor lies in a building and a room on a floor." in response.content
    assert not Location.objects.filter(code="X").exists()
    assert _audit("servicedesk.location.created") == []


def test_changing_a_location_keeps_its_level_and_records_what_changed(desks):
    a, _b = desks
    client = _client(a.agent, a.institution)
    url = reverse("servicedesk:location-edit", args=[a.room.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "level": "building",
            "code": a.room.code,
            "name": "Mødelokale 14A",
            "parent": a.room.parent_id,
        },
    )
    assert response.status_code == 302
    a.room.refresh_from_db()
    assert (a.room.level, a.room.name) == ("room", "Mødelokale 14A")
    [event] = _audit("servicedesk.location.changed")
    assert (event.actor, event.details["changed"]) == (a.agent, ["name"])
    with pytest.raises(ValidationError) as exc:
        places.location_save(
            actor=a.agent,
            institution=a.institution,
            level="building",
            code=a.room.code,
            name="x",
            location=a.room,
        )
    assert exc.value.message_dict == {
        "level": ["The level of a place is fixed once it is registered."]
    }


def test_the_location_list_filters_by_level_building_and_text(desks):
    a, b = desks
    client = _client(a.contact, a.institution)

    def codes(**params):
        page = client.get(reverse("servicedesk:locations"), params)
        assert page.status_code == 200
        return [line.split('"')[1] for line in page.content.decode().split("data-location=")[1:]]

    assert codes() == ["a-B1", "a-B1-2", "a-B1-2-14"]  # never B's
    assert codes(level="room") == ["a-B1-2-14"]
    assert codes(building=a.building.pk) == ["a-B1", "a-B1-2", "a-B1-2-14"]
    assert codes(building=b.building.pk) == []
    assert codes(q="mødelokale") == ["a-B1-2-14"]


def test_the_contact_person_registers_and_changes_an_asset(desks):
    a, b = desks
    client = _client(a.contact, a.institution)
    page = client.get(reverse("servicedesk:asset-new"))
    assert page.status_code == 200
    # The pickers offer A's locations and people, never B's.
    assert _options(page, "location") == set(
        Location.objects.filter(institution=a.institution).values_list("pk", flat=True)
    )
    assert a.requester.pk in _options(page, "user")
    assert b.requester.pk not in _options(page, "user")

    response = client.post(
        reverse("servicedesk:asset-new"),
        {
            "tag": "a-VENT-1",
            "name": "Ventilationsaggregat",
            "kind": "installation",
            "serial": "VX-88",
            "location": a.building.pk,
            "is_active": "on",
        },
    )
    asset = Asset.objects.get(tag="a-VENT-1")
    assert response["Location"] == reverse("servicedesk:asset-detail", args=[asset.pk])
    assert (asset.institution, asset.kind, asset.location, asset.is_active) == (
        a.institution,
        "installation",
        a.building,
        True,
    )
    client.post(
        reverse("servicedesk:asset-edit", args=[asset.pk]),
        {
            "tag": "a-VENT-1",
            "name": "Ventilationsaggregat",
            "kind": "installation",
            "serial": "VX-88",
            "location": a.room.pk,
            "user": a.requester.pk,
        },
    )
    asset.refresh_from_db()
    assert (asset.location, asset.user, asset.is_active) == (a.room, a.requester, False)
    [created] = _audit("servicedesk.asset.created")
    [changed] = _audit("servicedesk.asset.changed")
    assert created.details["asset_kind"] == "installation"
    assert changed.details["changed"] == ["location", "user", "is_active"]


def test_an_asset_used_by_a_person_of_another_institution_is_refused(desks):
    a, b = desks
    with pytest.raises(ValidationError) as exc:
        places.asset_save(
            actor=a.contact,
            institution=a.institution,
            tag="a-PC-9",
            name="PC",
            kind="it",
            user=b.requester,
        )
    assert exc.value.message_dict == {"user": ["The person is not one of the institution's."]}
    with pytest.raises(ValidationError) as exc:
        places.asset_save(
            actor=a.contact,
            institution=a.institution,
            tag="a-PC-9",
            name="PC",
            kind="it",
            location=b.room,
        )
    assert exc.value.message_dict == {"location": ["The location belongs to another institution."]}
    assert not Asset.objects.filter(tag="a-PC-9").exists()


def test_the_asset_list_filters_by_kind_use_and_text(desks):
    a, _b = desks
    Asset.objects.create(
        institution=a.institution, tag="a-ELEV", name="Elevator", kind="installation"
    )
    Asset.objects.create(
        institution=a.institution, tag="a-PC-OLD", name="Gammel PC", kind="it", is_active=False
    )
    client = _client(a.contact, a.institution)

    def tags(**params):
        page = client.get(reverse("servicedesk:assets"), params)
        return [x.split('"')[1] for x in page.content.decode().split("data-asset=")[1:]]

    assert tags() == ["a-ELEV", "a-PC-1", "a-PC-OLD"]
    assert tags(kind="installation") == ["a-ELEV"]
    assert tags(active="no") == ["a-PC-OLD"]
    assert tags(q="bærbar") == ["a-PC-1"]


def test_a_person_without_the_contact_role_is_refused_the_register(desks):
    a, _b = desks
    client = _client(a.requester, a.institution)
    for name in ("locations", "location-new", "assets", "asset-new"):
        assert client.get(reverse(f"servicedesk:{name}")).status_code == 403, name
    for name, pk in (("location-detail", a.room.pk), ("asset-detail", a.asset.pk)):
        assert client.get(reverse(f"servicedesk:{name}", args=[pk])).status_code == 404
    with pytest.raises(Denied):
        places.location_save(
            actor=a.requester, institution=a.institution, level="building", code="Q", name="Q"
        )
    [refused] = _audit("servicedesk.location.save.refused")
    assert refused.actor == a.requester


# --- tickets on a room and an asset -----------------------------------------------------------


def test_the_detail_pages_show_the_tickets_raised_on_the_room_and_the_asset(desks):
    a, _b = desks
    on_room = services.ticket_open(
        actor=a.requester, institution=a.institution, title="Kold radiator", location=a.room
    )
    on_asset = services.ticket_open(
        actor=a.requester, institution=a.institution, title="Skærm sort", asset=a.asset
    )
    services.ticket_open(actor=a.requester, institution=a.institution, title="Andet")
    agent = _client(a.agent, a.institution)

    room_page = agent.get(reverse("servicedesk:location-detail", args=[a.room.pk]))
    assert room_page.status_code == 200
    assert room_page.content.count(b"data-ticket=") == 1
    assert f'href="/servicedesk/tickets/{on_room.pk}/"'.encode() in room_page.content
    # The building shows the tickets of the rooms in it, and the room's assets.
    building_page = agent.get(reverse("servicedesk:location-detail", args=[a.building.pk]))
    assert f'data-ticket="{on_room.reference}"'.encode() in building_page.content
    assert a.asset.tag.encode() in building_page.content
    asset_page = agent.get(reverse("servicedesk:asset-detail", args=[a.asset.pk]))
    assert asset_page.content.count(b"data-ticket=") == 1
    assert f'data-ticket="{on_asset.reference}"'.encode() in asset_page.content
    # The contact person's links open the portal's ticket page.
    contact_page = _client(a.contact, a.institution).get(
        reverse("servicedesk:asset-detail", args=[a.asset.pk])
    )
    assert f'href="/servicedesk/my/{on_asset.pk}/"'.encode() in contact_page.content


def test_a_requester_names_a_room_and_an_asset_in_the_portal(desks):
    a, b = desks
    client = _client(a.requester, a.institution)
    page = client.get(reverse("servicedesk:portal-new"))
    assert _options(page, "asset") == {a.asset.pk}
    assert b.room.pk not in _options(page, "location")
    assert a.room.pk in _options(page, "location")
    form = {"kind": "incident", "title": "Skærm", "description": "Sort", "urgency": "3"}
    response = client.post(
        reverse("servicedesk:portal-new"), {**form, "location": a.room.pk, "asset": a.asset.pk}
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.location, ticket.asset) == (a.room, a.asset)
    # B's room or asset is not a valid choice: no ticket.
    for field, obj in (("location", b.room), ("asset", b.asset)):
        again = client.post(reverse("servicedesk:portal-new"), {**form, field: obj.pk})
        assert again.status_code == 200
        assert Ticket.objects.count() == 1


def test_an_agent_names_the_room_and_asset_of_a_ticket(desks):
    a, b = desks
    ticket = services.ticket_open(actor=a.requester, institution=a.institution, title="Lys")
    client = _client(a.agent, a.institution)
    page = client.get(reverse("servicedesk:ticket-detail", args=[ticket.pk]))
    assert b'id="place-form"' in page.content
    assert _options(page, "asset") == {a.asset.pk}
    assert _options(page, "location") == set(
        Location.objects.filter(institution=a.institution).values_list("pk", flat=True)
    )
    url = reverse("servicedesk:ticket-action", args=[ticket.pk, "place"])

    client.post(url, {"location": a.room.pk, "asset": a.asset.pk})

    ticket.refresh_from_db()
    assert (ticket.location, ticket.asset) == (a.room, a.asset)
    [event] = TicketEvent.objects.filter(ticket=ticket, kind="placed")
    assert event.data == {"location": a.room.pk, "asset": a.asset.pk}
    [audit] = _audit("servicedesk.ticket.placed")
    assert (audit.actor, audit.details["location"], audit.details["asset"]) == (
        a.agent,
        a.room.pk,
        a.asset.pk,
    )
    # B's room is refused on the page and by the service; nothing changes.
    response = client.post(url, {"location": b.room.pk, "asset": ""}, follow=True)
    assert b"Choose a location and an asset of the institution." in response.content
    with pytest.raises(ValidationError) as exc:
        places.ticket_place(actor=a.agent, ticket=ticket, location=b.room, asset=b.asset)
    assert exc.value.message_dict == {
        "location": ["It belongs to another institution."],
        "asset": ["It belongs to another institution."],
    }
    ticket.refresh_from_db()
    assert (ticket.location, ticket.asset) == (a.room, a.asset)
    assert len(_audit("servicedesk.ticket.placed")) == 1
    # The requester may not place a ticket.
    with pytest.raises(Denied):
        places.ticket_place(actor=a.requester, ticket=ticket, location=None, asset=None)


# --- isolation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["contact", "agent", "requester"])
def test_another_institutions_location_and_asset_answer_404_and_nothing_changes(desks, who):
    a, b = desks
    outsider = getattr(b, who)
    if who == "agent":
        # An agent serving only B (A's agent serves A; the fixture's operator is shared).
        a.agreement.staff.remove(a.agent)
        outsider = a.agent
        b.agreement.staff.add(outsider)
    client = _client(outsider, b.institution)
    before = (
        list(Location.objects.values_list("pk", "name", "code").order_by("pk")),
        list(Asset.objects.values_list("pk", "name", "location_id").order_by("pk")),
        AuditEvent.objects.count(),
    )
    for name, pk, methods in (
        ("location-detail", a.room.pk, ("GET",)),
        ("location-edit", a.room.pk, ("GET", "POST")),
        ("asset-detail", a.asset.pk, ("GET",)),
        ("asset-edit", a.asset.pk, ("GET", "POST")),
    ):
        url = reverse(f"servicedesk:{name}", args=[pk])
        assert client.get(url).status_code == 404, (name, "GET")
        if "POST" in methods:
            body = {"code": "X", "name": "X", "tag": "X", "kind": "it", "level": "room"}
            assert client.post(url, body).status_code == 404, (name, "POST")
    # Nor are they offered on any of the outsider's own pages.
    for name in ("locations", "assets", "portal-new", "location-new", "asset-new"):
        page = client.get(reverse(f"servicedesk:{name}"))
        assert page.status_code in (200, 403), name
        assert f'data-location="{a.room.code}"'.encode() not in page.content
        assert f'data-asset="{a.asset.tag}"'.encode() not in page.content
        if page.status_code == 200 and 'name="location"' in page.content.decode():
            assert a.room.pk not in _options(page, "location"), name
    after = (
        list(Location.objects.values_list("pk", "name", "code").order_by("pk")),
        list(Asset.objects.values_list("pk", "name", "location_id").order_by("pk")),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_the_services_refuse_another_institutions_parent_and_objects(desks):
    a, b = desks
    with pytest.raises(ValidationError) as exc:
        places.location_save(
            actor=a.contact,
            institution=a.institution,
            level="floor",
            code="a-X",
            name="X",
            parent=b.building,
        )
    assert exc.value.message_dict == {"parent": ["The parent belongs to another institution."]}
    with pytest.raises(ValidationError):
        places.location_save(
            actor=a.contact,
            institution=a.institution,
            level="room",
            code=b.room.code,
            name="X",
            location=b.room,
        )
    with pytest.raises(Denied):
        # A's contact person is no one at B.
        places.asset_save(
            actor=a.contact, institution=b.institution, tag="b-X", name="X", kind="it"
        )
    assert not Location.objects.filter(code="a-X").exists()
    assert not Asset.objects.filter(tag="b-X").exists()
    with pytest.raises(ValidationError) as exc:
        services.ticket_open(
            actor=a.requester, institution=a.institution, title="X", location=b.room, asset=b.asset
        )
    assert exc.value.message_dict == {
        "location": ["It belongs to another institution."],
        "asset": ["It belongs to another institution."],
    }
