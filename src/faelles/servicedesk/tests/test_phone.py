"""An agent takes a call and opens a ticket on behalf of a person at a customer institution:
only the institutions the agent serves, a requester among that institution's users or the
name and e-mail of a caller without an account, channel phone, an audit event."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from faelles.core.models import AuditEvent
from faelles.servicedesk import services
from faelles.servicedesk.models import Ticket
from faelles.servicedesk.tests.factories import make_desk
from faelles.tenancy.tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desks():
    a = make_desk("a")
    b = make_desk("b", operator=a.operator)
    c = make_desk("c", operator=OperatorFactory())  # another operator's customer
    return a, b, c


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _options(response, name) -> set[int]:
    html = response.content.decode()
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, name
    return {int(v) for v in re.findall(r'value="(\d+)"', match.group(1))}


FORM = {
    "kind": "incident",
    "title": "Printer på 2. sal",
    "description": "Ringer: printeren skriver ikke ud.",
    "impact": "2",
    "urgency": "1",
}


def test_an_agent_opens_a_ticket_for_a_caller_who_is_a_user(desks):
    a, b, _c = desks
    a.agreement.staff.remove(a.agent)
    a.agreement.staff.add(b.agent)  # b's agent serves A and B, not C
    client = _client(b.agent)
    first = client.get(reverse("servicedesk:ticket-new"))
    assert first.status_code == 200
    assert _options(first, "institution") == {a.institution.pk, b.institution.pk}
    url = reverse("servicedesk:ticket-new") + f"?institution={a.institution.pk}"
    page = client.get(url)
    assert page.status_code == 200
    # Only A's people, rooms and assets are offered.
    assert a.requester.pk in _options(page, "requester")
    assert b.requester.pk not in _options(page, "requester")
    assert _options(page, "asset") == {a.asset.pk}

    response = client.post(
        url, {**FORM, "requester": a.requester.pk, "location": a.room.pk, "asset": a.asset.pk}
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("servicedesk:ticket-detail", args=[ticket.pk])
    assert (
        ticket.institution,
        ticket.requester,
        ticket.channel,
        ticket.priority,
        ticket.location,
        ticket.asset,
    ) == (a.institution, a.requester, "phone", 2, a.room, a.asset)
    [event] = AuditEvent.objects.filter(action="servicedesk.ticket.opened")
    assert (event.actor, event.institution, event.details["channel"]) == (
        b.agent,
        a.institution,
        "phone",
    )
    assert event.details["requester"] == a.requester.pk
    # The portal shows it to the requester as their own.
    mine = _client(a.requester).get(reverse("servicedesk:portal-ticket", args=[ticket.pk]))
    assert mine.status_code == 200


def test_an_agent_opens_a_ticket_for_a_caller_without_an_account(desks):
    a, _b, _c = desks
    client = _client(a.agent)
    url = reverse("servicedesk:ticket-new") + f"?institution={a.institution.pk}"

    client.post(url, {**FORM, "contact_name": "Vibeke Holm", "contact_email": "vh@kunde.dk"})

    ticket = Ticket.objects.get()
    assert (ticket.requester, ticket.contact_name, ticket.contact_email, ticket.channel) == (
        None,
        "Vibeke Holm",
        "vh@kunde.dk",
        "phone",
    )
    [event] = AuditEvent.objects.filter(action="servicedesk.ticket.opened")
    assert (event.details["requester"], event.details["contact_name"]) == (None, "Vibeke Holm")
    detail = client.get(reverse("servicedesk:ticket-detail", args=[ticket.pk]))
    assert "Vibeke Holm &lt;vh@kunde.dk&gt;" in detail.content.decode()


def test_a_call_without_a_requester_or_a_name_and_e_mail_is_refused(desks):
    a, _b, _c = desks
    client = _client(a.agent)
    url = reverse("servicedesk:ticket-new") + f"?institution={a.institution.pk}"
    response = client.post(url, {**FORM, "contact_name": "Vibeke Holm"})
    assert response.status_code == 200
    assert b"Choose the requester, or give the caller&#x27;s name and e-mail." in response.content
    assert Ticket.objects.count() == 0


def test_an_institution_the_agent_does_not_serve_answers_404(desks):
    a, _b, c = desks
    client = _client(a.agent)
    url = reverse("servicedesk:ticket-new") + f"?institution={c.institution.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {**FORM, "requester": c.requester.pk}).status_code == 404
    assert client.get(reverse("servicedesk:ticket-new") + "?institution=x").status_code == 404
    # Another institution's person is not a valid requester either.
    own = reverse("servicedesk:ticket-new") + f"?institution={a.institution.pk}"
    assert client.post(own, {**FORM, "requester": c.requester.pk}).status_code == 200
    assert Ticket.objects.count() == 0
    assert not AuditEvent.objects.filter(action="servicedesk.ticket.opened").exists()
    # Nor does the service accept them.
    with pytest.raises(ValidationError) as exc:
        services.ticket_open(
            actor=a.agent,
            institution=a.institution,
            title="X",
            channel="phone",
            requester=c.requester,
        )
    assert exc.value.message_dict == {"requester": ["The person is not one of the institution's."]}


def test_a_person_who_is_no_agent_cannot_take_calls(desks):
    a, _b, _c = desks
    for user in (a.requester, a.contact):
        client = _client(user)
        assert client.get(reverse("servicedesk:ticket-new")).status_code == 403
        url = reverse("servicedesk:ticket-new") + f"?institution={a.institution.pk}"
        assert client.post(url, {**FORM, "requester": a.requester.pk}).status_code == 403
    assert Ticket.objects.count() == 0
