"""Every service-desk page a person may open is in the menu for them, and not for those who
may not: the agents' pages (tickets, calls, supplier scorecards), the contact persons' pages
(figures, locations, assets, inspections, statements, the customer-forum report) and the
portal's (asking, the knowledge base, the catalogue, the yearly survey)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from faelles.servicedesk.tests.factories import make_desk
from faelles.web.navigation import registered

pytestmark = pytest.mark.django_db

AGENTS = "agent"
CONTACTS = "contact"
EVERYONE = "requester"

#: Each page of the service desk's menu and the narrowest of the three people who may open it
#: (agents are contact persons and portal users too; contact persons use the portal).
PAGES = {
    "servicedesk:portal": EVERYONE,
    "servicedesk:articles": EVERYONE,
    "servicedesk:catalogue": EVERYONE,
    "servicedesk:survey-yearly": EVERYONE,
    "servicedesk:figures": CONTACTS,
    "servicedesk:locations": CONTACTS,
    "servicedesk:assets": CONTACTS,
    "servicedesk:inspections": CONTACTS,
    "servicedesk:statements": CONTACTS,
    "servicedesk:forum": CONTACTS,
    "servicedesk:tickets": AGENTS,
    "servicedesk:ticket-new": AGENTS,
    "servicedesk:contracts": AGENTS,
}
ALLOWED = {
    EVERYONE: (AGENTS, CONTACTS, EVERYONE),
    CONTACTS: (AGENTS, CONTACTS),
    AGENTS: (AGENTS,),
}


def _menu_links(user) -> tuple[Client, set[str]]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    return client, set(re.findall(r'<a href="([^"]+)" class="nav-link"', home.content.decode()))


def test_every_service_desk_menu_item_is_in_the_table():
    items = {i.url_name for i in registered() if i.url_name.startswith("servicedesk:")}
    assert items == set(PAGES)


def test_each_page_is_in_the_menu_of_who_may_open_it_and_of_no_one_else():
    desk = make_desk("a")
    people = {AGENTS: desk.agent, CONTACTS: desk.contact, EVERYONE: desk.requester}
    menus = {who: _menu_links(user) for who, user in people.items()}
    for name, narrowest in PAGES.items():
        url = reverse(name)
        for who, (client, links) in menus.items():
            allowed = who in ALLOWED[narrowest]
            assert (url in links) == allowed, (name, who)
            status = client.get(url).status_code
            if allowed:
                assert status == 200, (name, who)
            elif name != "servicedesk:contracts":
                assert status == 403, (name, who)
    # The contact persons' pages are not in the menu of a requester, and they are refused.
    assert reverse("servicedesk:forum") not in menus[EVERYONE][1]
