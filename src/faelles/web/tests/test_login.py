"""Login, logout, throttling and who may log in at all."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from faelles.web.models import LoginFailure
from faelles.web.tests.world import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/login/"


def _login(client, username, password, address="10.0.0.1"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_member_logs_in_and_lands_on_start_page(client, world):
    response = _login(client, "reqa", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(world.requester_a.pk)


def test_wrong_password_is_refused_and_counted(client, world):
    response = _login(client, "reqa", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert list(LoginFailure.objects.values_list("username", "address")) == [("reqa", "10.0.0.1")]


def test_user_without_memberships_cannot_log_in(client, world):
    response = _login(client, "nobody", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "has no role in any institution" in response.content.decode()
    # A correct password for someone without a role is not a guessing attempt.
    assert LoginFailure.objects.count() == 0


def test_operator_staff_without_membership_may_log_in(client, world):
    response = _login(client, "opadmin", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.op_admin.pk)


@override_settings(LOGIN_THROTTLE_ATTEMPTS=3, LOGIN_THROTTLE_WINDOW_SECONDS=600)
def test_username_is_locked_after_too_many_failures_even_with_right_password(client, world):
    for i in range(3):
        _login(client, "reqa", "wrong", address=f"10.0.0.{i + 1}")
    response = _login(client, "reqa", PASSWORD, address="10.9.9.9")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts. Try again in 10 minutes." in response.content.decode()
    # The locked attempt is not checked, so it is not counted either.
    assert LoginFailure.objects.count() == 3


@override_settings(
    LOGIN_THROTTLE_ATTEMPTS=3, LOGIN_THROTTLE_ADDRESS_ATTEMPTS=3, LOGIN_THROTTLE_WINDOW_SECONDS=600
)
def test_address_is_locked_after_failures_on_many_usernames(client, world):
    for name in ("a1", "a2", "a3"):
        _login(client, name, "wrong", address="192.0.2.7")
    locked = _login(client, "multi", PASSWORD, address="192.0.2.7")
    assert "Too many failed login attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    other = _login(client, "multi", PASSWORD, address="192.0.2.8")
    assert other.status_code == 302


@override_settings(LOGIN_THROTTLE_ATTEMPTS=3, LOGIN_THROTTLE_WINDOW_SECONDS=600)
def test_failures_older_than_the_window_do_not_count(client, world):
    for i in range(3):
        _login(client, "reqa", "wrong", address=f"10.0.1.{i}")
    LoginFailure.objects.update(attempted_at=timezone.now() - timezone.timedelta(seconds=601))
    response = _login(client, "reqa", PASSWORD, address="10.0.1.9")
    assert response.status_code == 302


@override_settings(LOGIN_THROTTLE_ATTEMPTS=3, LOGIN_THROTTLE_WINDOW_SECONDS=600)
def test_success_clears_the_username_failures(client, world):
    _login(client, "reqa", "wrong")
    _login(client, "reqa", "wrong")
    assert _login(client, "reqa", PASSWORD).status_code == 302
    assert LoginFailure.objects.filter(username="reqa").count() == 0


@override_settings(LOGIN_THROTTLE_ATTEMPTS=2, LOGIN_THROTTLE_WINDOW_SECONDS=600)
def test_admin_login_is_throttled_too(client, world):
    for _ in range(2):
        client.post(
            "/admin/login/", {"username": "opadmin", "password": "x"}, REMOTE_ADDR="10.1.1.1"
        )
    response = client.post(
        "/admin/login/", {"username": "opadmin", "password": PASSWORD}, REMOTE_ADDR="10.1.1.2"
    )
    assert "For mange mislykkede loginforsøg" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(client, world):
    client.force_login(world.requester_a)
    assert client.get("/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_page_is_danish_by_default(client, world):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert '<html lang="da"' in html
    assert "Log ind i Fælles" in html
    assert "Brug det brugernavn og den adgangskode" in html


@override_settings(LOGIN_THROTTLE_ATTEMPTS=1, LOGIN_THROTTLE_WINDOW_SECONDS=60)
def test_lock_message_in_danish(client, world):
    client.post(LOGIN, {"username": "reqa", "password": "x"}, REMOTE_ADDR="10.2.2.2")
    response = client.post(
        LOGIN, {"username": "reqa", "password": PASSWORD}, REMOTE_ADDR="10.2.2.3"
    )
    assert "For mange mislykkede loginforsøg. Prøv igen om 1 minut." in response.content.decode()


def test_user_without_role_gets_the_danish_message(client, world):
    response = client.post(LOGIN, {"username": "nobody", "password": PASSWORD})
    assert "Din bruger har ingen rolle i nogen institution" in response.content.decode()


def test_language_switch_to_english(client, world):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    html = client.get(LOGIN).content.decode()
    assert '<html lang="en"' in html
    assert "Log in to Fælles" in html
