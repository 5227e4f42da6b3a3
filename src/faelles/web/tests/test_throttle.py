"""Login throttling per username and per address, the client address behind trusted proxies,
and the throttled current-password check on the password page."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from faelles.web import throttle
from faelles.web.models import LoginFailure
from faelles.web.tests.world import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/login/"
PASSWORD_PAGE = "/password/"


def _login(client, username, password, address="10.0.0.1", **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


@override_settings(LOGIN_THROTTLE_ATTEMPTS=5, LOGIN_THROTTLE_ADDRESS_ATTEMPTS=50)
def test_one_users_failures_do_not_lock_others_behind_the_same_address(client, world):
    for _ in range(5):
        _login(client, "reqa", "wrong", address="192.0.2.10")
    locked = _login(client, "reqa", PASSWORD, address="192.0.2.10")
    assert "Too many failed login attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    other = _login(client, "multi", PASSWORD, address="192.0.2.10")
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(world.multi.pk)


@override_settings(LOGIN_THROTTLE_ATTEMPTS=5, LOGIN_THROTTLE_ADDRESS_ATTEMPTS=8)
def test_address_is_locked_only_at_its_own_higher_limit(client, world):
    for i in range(7):
        _login(client, f"guess{i}", "wrong", address="192.0.2.20")
    assert _login(client, "reqa", PASSWORD, address="192.0.2.20").status_code == 302
    client.logout()
    _login(client, "guess7", "wrong", address="192.0.2.20")
    locked = _login(client, "multi", PASSWORD, address="192.0.2.20")
    assert locked.status_code == 200
    assert "Too many failed login attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(address="192.0.2.20").count() == 8


def _request(remote="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_forwarded_header_is_ignored_without_trusted_proxies():
    assert throttle.client_address(_request(forwarded="198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_trusted_proxy_gives_the_rightmost_forwarded_address():
    request = _request(forwarded="6.6.6.6, 198.51.100.7")
    assert throttle.client_address(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_two_trusted_proxies_give_the_second_address_from_the_right():
    request = _request(forwarded="6.6.6.6, 198.51.100.7, 10.0.0.2")
    assert throttle.client_address(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_short_or_bad_forwarded_header_falls_back_to_the_peer():
    assert throttle.client_address(_request(forwarded="198.51.100.7")) == "203.0.113.9"
    assert throttle.client_address(_request(forwarded="evil, 10.0.0.2")) == "203.0.113.9"
    assert throttle.client_address(_request()) == "203.0.113.9"


@override_settings(
    TRUSTED_PROXY_COUNT=1, LOGIN_THROTTLE_ATTEMPTS=50, LOGIN_THROTTLE_ADDRESS_ATTEMPTS=3
)
def test_login_behind_a_proxy_counts_the_forwarded_client(client, world):
    for i in range(3):
        _login(client, f"g{i}", "wrong", address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"198.51.100.3"}
    # Another client behind the same proxy is not locked; the guessing one is.
    ok = _login(client, "reqa", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert ok.status_code == 302
    client.logout()
    locked = _login(
        client, "multi", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.3"
    )
    assert "Too many failed login attempts" in locked.content.decode()


def _change(client, old, new="Ny-adgangskode-2024!", address="10.3.3.3"):
    return client.post(
        PASSWORD_PAGE,
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


@override_settings(LOGIN_THROTTLE_ATTEMPTS=3, LOGIN_THROTTLE_WINDOW_SECONDS=600)
def test_wrong_current_password_is_counted_and_then_locked(client, world):
    user = world.requester_a
    client.force_login(user)
    for _ in range(3):
        response = _change(client, "wrong")
        assert response.status_code == 200
        assert "The current password is wrong." in response.content.decode()
    assert LoginFailure.objects.filter(username="reqa").count() == 3
    locked = _change(client, PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed login attempts. Try again in 10 minutes." in locked.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # The locked attempt was not checked, so not counted.
    assert LoginFailure.objects.filter(username="reqa").count() == 3


@override_settings(LOGIN_THROTTLE_ATTEMPTS=3, LOGIN_THROTTLE_WINDOW_SECONDS=600)
def test_right_current_password_clears_the_failures(client, world):
    user = world.requester_a
    client.force_login(user)
    _change(client, "wrong")
    _change(client, "wrong")
    response = _change(client, PASSWORD)
    assert response.status_code == 302
    assert LoginFailure.objects.filter(username="reqa").count() == 0
    user.refresh_from_db()
    assert user.check_password("Ny-adgangskode-2024!")
