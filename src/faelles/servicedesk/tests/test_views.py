"""The pages and the API as each person uses them, with a cross-institution case on every
endpoint and a check that a refused action changed nothing."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faelles.core.models import AuditEvent
from faelles.servicedesk import services
from faelles.servicedesk.models import Article, Status, Ticket
from faelles.servicedesk.tests.factories import make_desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def desks():
    a = make_desk("a")
    b = make_desk("b", operator=a.operator)
    return a, b


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _ask(desk, title="VPN virker ikke", **kw):
    return services.ticket_open(
        actor=kw.pop("actor", desk.requester), institution=desk.institution, title=title, **kw
    )


def test_a_requester_raises_a_request_in_the_portal(desks):
    a, _b = desks
    client = _client(a.requester)
    page = client.get(reverse("servicedesk:portal-new"))
    assert page.status_code == 200
    response = client.post(
        reverse("servicedesk:portal-new"),
        {
            "kind": "incident",
            "category": a.category.pk,
            "service": a.service.pk,
            "location": a.room.pk,
            "title": "Skærmen flimrer",
            "description": "Siden i morges.",
            "urgency": "2",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("servicedesk:portal-ticket", args=[ticket.pk])
    assert (ticket.requester, ticket.kind, ticket.location, ticket.service) == (
        a.requester,
        "incident",
        a.room,
        a.service,
    )
    assert (ticket.impact, ticket.urgency, ticket.priority) == (3, 2, 4)
    assert ticket.team == a.team  # the category's default team
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert b'id="clocks" data-sla-state="running"' in detail.content


def test_the_portal_shows_own_tickets_and_a_contact_sees_the_institutions(desks):
    a, b = desks
    mine = _ask(a)
    theirs = _ask(a, actor=a.colleague, title="Adgangskort")
    _ask(b)

    def refs(user):
        body = _client(user).get(reverse("servicedesk:portal")).content.decode()
        return sorted(
            t.reference
            for t in Ticket.objects.all()
            if f'data-ticket="{t.reference}"' in body and t.institution == a.institution
        )

    assert refs(a.requester) == [mine.reference]
    assert refs(a.colleague) == [theirs.reference]
    assert refs(a.contact) == sorted([mine.reference, theirs.reference])
    assert (
        _client(a.colleague).get(reverse("servicedesk:portal-ticket", args=[mine.pk])).status_code
        == 404
    )
    assert (
        _client(a.contact).get(reverse("servicedesk:portal-ticket", args=[mine.pk])).status_code
        == 200
    )
    assert (
        _client(b.contact).get(reverse("servicedesk:portal-ticket", args=[mine.pk])).status_code
        == 404
    )


def test_agents_see_the_institutions_they_serve_and_others_get_404(desks):
    a, b = desks
    ticket = _ask(a)
    list_a = _client(a.agent).get(reverse("servicedesk:tickets"))
    assert list_a.status_code == 200
    assert f'data-ticket="{ticket.reference}"'.encode() in list_a.content
    list_b = _client(b.agent).get(reverse("servicedesk:tickets"))
    assert f'data-ticket="{ticket.reference}"'.encode() not in list_b.content
    url = reverse("servicedesk:ticket-detail", args=[ticket.pk])
    assert _client(a.agent).get(url).status_code == 200
    assert _client(b.agent).get(url).status_code == 404
    # The requester is no agent: the agents' pages are not theirs.
    assert _client(a.requester).get(url).status_code == 404
    assert _client(a.requester).get(reverse("servicedesk:tickets")).status_code == 403


def test_an_agent_works_a_ticket_through_the_pages(desks):
    a, b = desks
    ticket = _ask(a)
    agent = _client(a.agent)
    act = lambda name, data=None: agent.post(  # noqa: E731
        reverse("servicedesk:ticket-action", args=[ticket.pk, name]), data or {}
    )
    assert act("start").status_code == 302
    assert act("message", {"body": "Vi kigger på det."}).status_code == 302
    assert (
        act("message", {"body": "Noter: VPN-server genstartet", "internal": "on"}).status_code
        == 302
    )
    assert act("assign", {"team": a.team.pk, "assignee": a.agent.pk}).status_code == 302
    assert act("priority", {"impact": "1", "urgency": "2"}).status_code == 302
    assert act("resolve", {"reason": "Certifikat fornyet."}).status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee) == (Status.RESOLVED, 2, a.agent)
    assert ticket.resolution == "Certifikat fornyet."
    # The requester sees the reply but not the internal note.
    portal = _client(a.requester).get(reverse("servicedesk:portal-ticket", args=[ticket.pk]))
    assert "Vi kigger på det." in portal.content.decode()
    assert "VPN-server genstartet" not in portal.content.decode()
    # … and rates it, which closes it.
    rated = _client(a.requester).post(
        reverse("servicedesk:portal-ticket-action", args=[ticket.pk, "rate"]),
        {"rating": "5", "comment": "Tak"},
    )
    assert rated.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating) == (Status.CLOSED, 5)
    # Another institution's agent changes nothing.
    events = AuditEvent.objects.count()
    foreign = _client(b.agent).post(
        reverse("servicedesk:ticket-action", args=[ticket.pk, "reopen"]), {}
    )
    assert foreign.status_code == 404
    assert AuditEvent.objects.count() == events


def test_the_ticket_list_reads_in_a_fixed_number_of_queries_and_pages_by_key(desks):
    a, _b = desks
    for n in range(7):
        _ask(a, title=f"Sag {n}")
    agent = _client(a.agent)
    with CaptureQueriesContext(connection) as few:
        agent.get(reverse("servicedesk:tickets"))
    for n in range(20):
        _ask(a, title=f"Flere {n}")
    with CaptureQueriesContext(connection) as many:
        first = agent.get(reverse("servicedesk:tickets") + "?order=newest")
    assert len(many) == len(few)
    from faelles.servicedesk import views

    views_size = views.PAGE_SIZE
    assert views_size == 50
    body = first.content.decode()
    assert body.count("data-ticket=") == 27
    # Keyset pages with a small page size through the selector.
    from faelles.servicedesk.selectors import agent_tickets, keyset_page

    qs = agent_tickets(a.agent)
    seen, cursor = [], None
    while True:
        page = keyset_page(qs, cursor=cursor, size=10)
        seen += [t.pk for t in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == sorted(
        Ticket.objects.filter(institution=a.institution).values_list("pk", flat=True), reverse=True
    )
    due = keyset_page(qs, order="due", size=5)
    dues = [t.resolution_due for t in due.rows]
    assert dues == sorted(dues) and len(dues) == 5
    nxt = keyset_page(qs, order="due", size=5, cursor=due.next_cursor)
    assert nxt.rows[0].resolution_due >= dues[-1]
    assert not {t.pk for t in nxt.rows} & {t.pk for t in due.rows}


def test_attachments_are_seen_by_those_who_see_the_ticket(desks):
    a, b = desks
    ticket = _ask(
        a,
        description="Se billedet",
        attachments=[services.AttachmentSpec("fejl.png", "image/png", b"png-bytes")],
    )
    att = ticket.attachments.get()
    url = reverse("servicedesk:attachment", args=[att.pk])
    assert _client(a.requester).get(url).content == b"png-bytes"
    assert _client(a.agent).get(url).status_code == 200
    assert _client(a.colleague).get(url).status_code == 404
    assert _client(b.agent).get(url).status_code == 404
    assert _client(b.contact).get(url).status_code == 404


def test_the_knowledge_base_and_the_catalogue(desks):
    a, b = desks
    response = _client(a.agent).post(
        reverse("servicedesk:article-new"),
        {
            "title": "Sådan nulstiller du VPN",
            "body": "Genstart klienten.",
            "domain": "it",
            "publish": "on",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert article.institution == a.institution and article.is_published
    assert (
        "Sådan nulstiller du VPN"
        in _client(a.requester).get(reverse("servicedesk:articles")).content.decode()
    )
    assert (
        _client(a.requester)
        .get(reverse("servicedesk:article-detail", args=[article.pk]))
        .status_code
        == 200
    )
    assert (
        _client(b.requester)
        .get(reverse("servicedesk:article-detail", args=[article.pk]))
        .status_code
        == 404
    )
    assert (
        _client(a.requester)
        .post(reverse("servicedesk:article-new"), {"title": "x", "body": "y", "domain": "it"})
        .status_code
        == 403
    )
    assert Article.objects.count() == 1
    catalogue = _client(a.requester).get(reverse("servicedesk:catalogue"))
    assert catalogue.status_code == 200 and b"IT-ARB" in catalogue.content


def test_the_api_opens_lists_and_moves_tickets_per_institution(desks):
    a, b = desks
    requester = _client(a.requester)
    created = requester.post(
        "/api/v1/servicedesk/tickets",
        data=json.dumps(
            {"institution": a.institution.short_name, "title": "Ny skærm", "urgency": 2}
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reference"].startswith("SD-") and body["clocks"]["state"] == "running"
    pk = body["id"]
    foreign = _client(b.requester).post(
        "/api/v1/servicedesk/tickets",
        data=json.dumps({"institution": a.institution.short_name, "title": "x"}),
        content_type="application/json",
    )
    assert foreign.status_code == 400
    assert [t["id"] for t in requester.get("/api/v1/servicedesk/tickets").json()["results"]] == [pk]
    assert _client(b.agent).get("/api/v1/servicedesk/tickets").json()["results"] == []
    assert _client(b.agent).get(f"/api/v1/servicedesk/tickets/{pk}").status_code == 404
    events = AuditEvent.objects.count()
    refused = requester.post(
        f"/api/v1/servicedesk/tickets/{pk}/resolve",
        data=json.dumps({"reason": "selv løst"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert Ticket.objects.get(pk=pk).status == Status.NEW
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))[events:] == [
        "servicedesk.ticket.resolve.refused"
    ]
    done = _client(a.agent).post(
        f"/api/v1/servicedesk/tickets/{pk}/resolve",
        data=json.dumps({"reason": "Ny skærm sat op."}),
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    assert done.json()["clocks"]["state"] == "met"
    rated = requester.post(
        f"/api/v1/servicedesk/tickets/{pk}/rate",
        data=json.dumps({"rating": 4}),
        content_type="application/json",
    )
    assert rated.json()["rating"] == 4 and rated.json()["status"] == "closed"


def test_service_figures_per_customer_for_its_contacts(desks):
    a, b = desks
    met = _ask(a)
    services.ticket_transition(actor=a.agent, ticket=met, action="resolve", reason="ok")
    services.ticket_rate(actor=a.requester, ticket=met, rating=4)
    _ask(a, title="Stadig åben")
    fm = _ask(a, title="Rengøring", domain="facilities", category=a.fm_category)
    _ask(b)
    from datetime import timedelta

    from django.utils import timezone

    from faelles.servicedesk.selectors import figures

    numbers = figures(a.institution, since=timezone.now() - timedelta(days=30))
    assert {k: numbers["all"][k] for k in ("opened", "open", "met", "missed", "rated")} == {
        "opened": 3,
        "open": 2,
        "met": 1,
        "missed": 0,
        "rated": 1,
    }
    assert (numbers["all"]["met_percent"], numbers["all"]["rating"]) == (100, 4.0)
    assert (numbers["facilities"]["opened"], numbers["facilities"]["open"]) == (1, 1)
    assert fm.domain == "facilities"
    page = _client(a.contact).get(reverse("servicedesk:figures"))
    assert page.status_code == 200
    assert b'<td class="num" data-figure="opened">3</td>' in page.content
    assert _client(a.requester).get(reverse("servicedesk:figures")).status_code == 403
