"""The shell: start page per role, navigation registry and the institution switcher."""

from __future__ import annotations

import pytest
from django.urls import reverse

from faelles.tenancy.middleware import SESSION_KEY
from faelles.web.navigation import NavItem, register, registered, visible_items

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_registry_replaces_an_item_with_the_same_url_name():
    before = len(registered())
    register(NavItem(label="X", url_name="test:x", roles={"payer"}, section="S"))
    register(NavItem(label="Y", url_name="test:x", roles={"payer"}, section="S"))
    items = [i for i in registered() if i.url_name == "test:x"]
    assert [i.label for i in items] == ["Y"]
    assert len(registered()) == before + 1
    assert "test:x" in {i.url_name for i in visible_items({"payer"})}
    assert "test:x" not in {i.url_name for i in visible_items({"requester"})}


def test_requester_sees_no_administration_menu(client, world):
    client.force_login(world.requester_a)
    html = client.get("/").content.decode()
    assert reverse("tenancy:endpoint-list") not in html
    assert "Welcome, Rasmus Rekvirent" in html
    assert "Requester" in html
    assert "You have no active delegations." in html


def test_local_admin_sees_administration_and_counts(client, world):
    client.force_login(world.admin_a)
    html = client.get("/").content.decode()
    assert reverse("tenancy:endpoint-list") in html
    assert "Administration of Alfa-styrelsen" in html
    assert reverse("tenancy:institution-create") not in html


def test_operator_admin_start_page_lists_served_institutions(client, world):
    client.force_login(world.op_admin)
    response = client.get("/")
    served = [inst.name for inst, _services in response.context["served"]]
    assert served == ["Alfa-styrelsen", "Beta-styrelsen"]


def test_case_worker_serves_only_assigned_institutions(client, world):
    client.force_login(world.case_worker)
    response = client.get("/")
    assert [inst.name for inst, _s in response.context["served"]] == ["Alfa-styrelsen"]


def test_switcher_shown_only_for_several_institutions(client, world):
    client.force_login(world.requester_a)
    assert 'name="institution"' not in client.get("/").content.decode()
    client.force_login(world.multi)
    assert 'name="institution"' in client.get("/").content.decode()


def test_switch_to_own_second_institution(client, world):
    client.force_login(world.multi)
    response = client.post(
        "/institution/", {"institution": world.b.pk, "next": "/administration/endpoints/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/administration/endpoints/"
    assert client.session[SESSION_KEY] == world.b.pk
    assert client.get("/").context["current_institution"] == world.b


def test_switch_refuses_a_foreign_institution(client, world):
    client.force_login(world.requester_a)
    client.get("/")
    response = client.post("/institution/", {"institution": world.b.pk})
    assert response.status_code == 404
    assert SESSION_KEY not in client.session
    assert client.get("/").context["current_institution"] == world.a


def test_switch_refuses_a_missing_institution_the_same_way(client, world):
    client.force_login(world.requester_a)
    assert client.post("/institution/", {"institution": 999999}).status_code == 404
    assert client.post("/institution/", {"institution": "x"}).status_code == 404


def test_switch_needs_post_and_ignores_foreign_next(client, world):
    client.force_login(world.multi)
    assert client.get("/institution/").status_code == 405
    response = client.post(
        "/institution/", {"institution": world.b.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_api_token_is_created_once_and_replaced(client, world):
    from rest_framework.authtoken.models import Token

    client.force_login(world.admin_a)
    first = client.post("/api-token/", {"action": "create"})
    key = first.context["new_key"]
    assert Token.objects.get(user=world.admin_a).key == key
    second = client.post("/api-token/", {"action": "create"})
    assert second.context["new_key"] != key
    assert Token.objects.filter(user=world.admin_a).count() == 1
    client.post("/api-token/", {"action": "delete"})
    assert not Token.objects.filter(user=world.admin_a).exists()
    assert key not in client.get("/api-token/").content.decode()


def test_every_registered_menu_item_resolves():
    for item in registered():
        if item.url_name.startswith("test:"):
            continue
        assert reverse(item.url_name).startswith("/"), item.url_name


def test_page_loads_dkfds_and_htmx_from_static(client, world):
    from django.contrib.staticfiles import finders

    client.force_login(world.admin_a)
    html = client.get("/").content.decode()
    for asset in ("dkfds/css/dkfds.min.css", "dkfds/js/dkfds.min.js", "dkfds/htmx/htmx.min.js"):
        assert f"/static/{asset}" in html
        assert finders.find(asset), asset


def test_start_panels_are_shown_by_role(client, world, settings, tmp_path):
    from faelles.web import navigation

    (tmp_path / "panel.html").write_text("<section>Panel {{ panel.word }}</section>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]},
    ]
    navigation.register_start_panel(
        navigation.StartPanel(
            name="test-panel",
            template_name="panel.html",
            roles={"requester"},
            context=lambda request: {"word": "for requesters"},
        )
    )
    try:
        client.force_login(world.requester_a)
        assert "Panel for requesters" in client.get("/").content.decode()
        client.force_login(world.admin_a)
        assert "Panel for requesters" not in client.get("/").content.decode()
    finally:
        navigation._PANELS.pop("test-panel")


def test_own_password_change(client, world):
    from faelles.core.models import AuditEvent
    from faelles.web.tests.world import PASSWORD

    client.force_login(world.requester_a)
    new = "Nyt-kodeord-2026!"
    wrong = client.post(
        "/password/",
        {"old_password": "nope", "new_password1": new, "new_password2": new},
    )
    assert "old_password" in wrong.context["form"].errors
    differ = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new + "x"},
    )
    assert "new_password2" in differ.context["form"].errors
    weak = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": "1234", "new_password2": "1234"},
    )
    assert "new_password1" in weak.context["form"].errors
    world.requester_a.refresh_from_db()
    assert world.requester_a.check_password(PASSWORD)

    done = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    world.requester_a.refresh_from_db()
    assert world.requester_a.check_password(new)
    # Still logged in after the change, and the change is audited.
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        action="user.password_change", object_id=str(world.requester_a.pk)
    ).exists()
