"""Single sign-on against a real OpenID Connect provider on a loopback port.

Nothing of mozilla-django-oidc is mocked: Django's test client starts the login, the provider
(``oidc_provider.Provider``) answers over HTTP, and the callback exchanges the code, fetches the
JWKS and userinfo and verifies the id_token.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client, override_settings

from faelles.core.audit import canonical_json, verify_chains
from faelles.core.models import AuditEvent
from faelles.tenancy.models import Role
from faelles.tenancy.tests.factories import (
    TEST_PASSWORD,
    InstitutionFactory,
    OperatorStaffFactory,
    UserFactory,
    member,
)
from faelles.web.models import LoginFailure
from faelles.web.tests.oidc_provider import CLIENT_ID, Provider

pytestmark = pytest.mark.django_db

LOGIN, AUTHENTICATE, CALLBACK, LOGOUT = (
    "/login/",
    "/oidc/authenticate/",
    "/oidc/callback/",
    "/logout/",
)
REFUSED = "auth.sso_login.refused"


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with Provider() as running, override_settings(**running.django_settings()):
        yield running


@pytest.fixture
def anna():
    """A bookkeeper in one institution; the broker knows her by her e-mail."""
    return member(InstitutionFactory(), Role.BOOKKEEPER, username="anna", email="anna@styrelsen.dk")


def _at_provider(provider, email, sub="sub-anna", **claims):
    provider.identity = {"sub": sub, "email": email, **claims}


def _sso(client, next_url=""):
    """Walk the whole code flow: Fælles → provider → Fælles's callback. Returns the answer of
    the callback."""
    start = client.get(AUTHENTICATE + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    authorize = start["Location"]
    at_provider = requests.get(authorize, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert (back.scheme, back.netloc, back.path) == ("http", "testserver", CALLBACK)
    return client.get(f"{back.path}?{back.query}")


def _events():
    return list(
        AuditEvent.objects.filter(chain="op")
        .order_by("seq")
        .values_list("action", "actor_id", "details")
    )


def _logged_in(client):
    return client.session.get("_auth_user_id")


# --- the flow ------------------------------------------------------------------------------------


def test_authenticate_redirects_to_the_provider_with_state_nonce_and_pkce(client, provider):
    response = client.get(AUTHENTICATE)
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider.base}/authorize"
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query["client_id"] == CLIENT_ID
    assert query["response_type"] == "code"
    assert query["redirect_uri"] == "http://testserver/oidc/callback/"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) == 32
    assert len(query["nonce"]) == 32
    assert query["scope"] == "openid email"


def test_known_user_with_a_role_is_logged_in_and_audited(client, provider, anna):
    _at_provider(provider, "Anna@Styrelsen.dk")
    response = _sso(client, next_url="/ledger/")
    assert response.status_code == 302
    assert response["Location"] == "/ledger/"
    assert _logged_in(client) == str(anna.pk)
    assert client.session["_auth_user_backend"] == "faelles.web.oidc.FaellesOIDCBackend"
    assert _events() == [
        (
            "auth.sso_login",
            anna.pk,
            {
                "issuer": provider.issuer,
                "subject": "sub-anna",
                "claim": "email",
                "value": "Anna@Styrelsen.dk",
            },
        )
    ]
    assert verify_chains() == []
    # The user now works in Fælles.
    assert client.get("/").status_code == 200


def test_operator_staff_without_membership_is_logged_in(client, provider):
    staff = OperatorStaffFactory(user=UserFactory(email="cw@operator.dk")).user
    _at_provider(provider, "cw@operator.dk")
    assert _sso(client).status_code == 302
    assert _logged_in(client) == str(staff.pk)


def test_user_can_be_matched_on_username_by_another_claim(client, provider):
    person = member(InstitutionFactory(), Role.APPROVER, username="5f1c9a2e-uuid", email="")
    _at_provider(provider, "", sub="5f1c9a2e-uuid")
    with override_settings(OIDC_USERNAME_CLAIM="sub", OIDC_USER_FIELD="username"):
        assert _sso(client).status_code == 302
    assert _logged_in(client) == str(person.pk)


def test_unknown_user_is_refused_and_no_account_is_created(client, provider, anna):
    users_before = sorted(UserFactory._meta.model.objects.values_list("pk", flat=True))
    _at_provider(provider, "stranger@example.dk", sub="sub-stranger")
    response = _sso(client)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert _logged_in(client) is None
    assert sorted(UserFactory._meta.model.objects.values_list("pk", flat=True)) == users_before
    assert _events() == [
        (
            REFUSED,
            None,
            {
                "code": "unknown_user",
                "reason": "No user matches the identity.",
                "issuer": provider.issuer,
                "subject": "sub-stranger",
                "claim": "email",
                "value": "stranger@example.dk",
            },
        )
    ]
    page = client.get(LOGIN)
    assert "Single sign-on did not log you in." in page.content.decode()


def test_user_without_any_role_is_refused(client, provider):
    nobody = UserFactory(email="nobody@styrelsen.dk")
    _at_provider(provider, "nobody@styrelsen.dk")
    assert _sso(client)["Location"] == LOGIN
    assert _logged_in(client) is None
    assert [(a, actor, d["code"]) for a, actor, d in _events()] == [
        (REFUSED, nobody.pk, "no_access")
    ]


def test_deactivated_user_is_refused(client, provider, anna):
    anna.is_active = False
    anna.save(update_fields=["is_active"])
    _at_provider(provider, "anna@styrelsen.dk")
    assert _sso(client)["Location"] == LOGIN
    assert _logged_in(client) is None
    assert [(a, actor, d["code"]) for a, actor, d in _events()] == [
        (REFUSED, anna.pk, "inactive_user")
    ]


def test_two_users_with_the_claimed_email_are_refused(client, provider, anna):
    member(InstitutionFactory(), Role.BOOKKEEPER, username="anna2", email="ANNA@styrelsen.dk")
    _at_provider(provider, "anna@styrelsen.dk")
    assert _sso(client)["Location"] == LOGIN
    assert _logged_in(client) is None
    assert [(a, actor, d["code"]) for a, actor, d in _events()] == [
        (REFUSED, None, "ambiguous_user")
    ]


def test_email_the_broker_marks_unverified_is_refused(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk", email_verified=False)
    assert _sso(client)["Location"] == LOGIN
    assert _logged_in(client) is None
    assert [d["code"] for _, _, d in _events()] == ["unverified"]


# --- the provider's answer is verified -------------------------------------------------------


def _refused_token(client, provider, check=None, code="invalid_token"):
    assert _sso(client)["Location"] == LOGIN
    assert _logged_in(client) is None
    events = _events()
    assert [(a, actor, d["code"]) for a, actor, d in events] == [(REFUSED, None, code)]
    if check is not None:
        assert events[0][2]["check"] == check
    return events[0][2]


def test_tampered_id_token_signature_is_refused(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk")
    provider.tamper_signature = True
    details = _refused_token(client, provider)
    assert details["error"] in {"SuspiciousOperation", "InvalidSignatureError"}


def test_id_token_signed_with_another_key_under_the_same_kid_is_refused(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk")
    provider.sign_with_foreign_key = True
    _refused_token(client, provider)


def test_wrong_nonce_is_refused(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk")
    provider.id_token_claims = lambda claims: {**claims, "nonce": "not-the-one-we-sent"}
    _refused_token(client, provider, check="JWT Nonce verification failed.")


def test_id_token_for_another_client_is_refused(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk")
    provider.id_token_claims = lambda claims: {**claims, "aud": "another-client"}
    _refused_token(client, provider, check="id_token is for another client")


def test_id_token_from_another_issuer_is_refused(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk")
    provider.id_token_claims = lambda claims: {**claims, "iss": "https://evil.example"}
    _refused_token(client, provider, check="id_token from another issuer")


def test_expired_id_token_is_refused(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk")
    provider.id_token_claims = lambda claims: {**claims, "exp": claims["iat"] - 600}
    details = _refused_token(client, provider)
    assert details["error"] == "ExpiredSignatureError"


def test_userinfo_about_another_subject_is_refused(client, provider, anna):
    UserFactory(email="boss@styrelsen.dk")
    _at_provider(provider, "anna@styrelsen.dk")
    provider.userinfo_claims = lambda claims: {"sub": "sub-boss", "email": "boss@styrelsen.dk"}
    _refused_token(client, provider, check="userinfo is about another subject than the id_token")


def test_provider_error_is_a_refusal_not_a_500(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk")
    provider.token_status = 500
    details = _refused_token(client, provider, code="provider_error")
    assert details["error"] == "HTTPError"


def test_callback_with_a_state_this_session_never_sent_is_refused(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk")
    client.get(AUTHENTICATE)  # the session holds a state, but not this one
    response = client.get(CALLBACK, {"code": "stolen", "state": "forged"})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert _logged_in(client) is None
    assert provider.token_requests == []  # the code was never even tried


def test_failed_callbacks_lock_the_address_before_the_provider_is_asked(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk")
    with override_settings(LOGIN_THROTTLE_ADDRESS_ATTEMPTS=2):
        for _ in range(2):
            client.get(AUTHENTICATE)
            assert client.get(CALLBACK, {"code": "made-up", "state": "forged"}).status_code == 302
        assert list(LoginFailure.objects.values_list("username", "address")) == [
            ("", "127.0.0.1"),
            ("", "127.0.0.1"),
        ]
        response = _sso(client)  # even a genuine login waits while the address is locked
        assert response["Location"] == LOGIN
        assert _logged_in(client) is None
        assert provider.token_requests == []
        assert _events() == []
        page = client.get(LOGIN).content.decode()
        assert "Too many failed login attempts from your address." in page


def test_a_callback_cannot_be_replayed(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk")
    start = client.get(AUTHENTICATE)
    back = requests.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"]
    callback = urlsplit(back)
    assert client.get(f"{callback.path}?{callback.query}").status_code == 302
    assert _logged_in(client) == str(anna.pk)
    client.logout()
    replay = client.get(f"{callback.path}?{callback.query}")
    assert replay["Location"] == LOGIN
    assert _logged_in(client) is None
    assert [a for a, _, _ in _events()] == ["auth.sso_login"]


def test_password_parameters_never_reach_the_provider(client, provider, anna):
    # A password login with code and state in the query string is not a single sign-on.
    response = client.post(
        f"{LOGIN}?code=x&state=y", {"username": "anna", "password": "wrong"}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 200
    assert _logged_in(client) is None
    assert provider.token_requests == []


def test_tokens_are_never_logged_or_audited(client, provider, anna, caplog):
    caplog.set_level(logging.DEBUG)
    _at_provider(provider, "anna@styrelsen.dk")
    assert _sso(client).status_code == 302
    provider.tamper_signature = True
    client.logout()
    _sso(client)
    assert len(provider.issued) == 4
    audited = canonical_json([details for _, _, details in _events()])
    for token in provider.issued:
        assert token not in audited
        assert token not in caplog.text


# --- logout --------------------------------------------------------------------------------------


def test_logout_ends_the_session_and_the_providers_session(client, provider, anna):
    _at_provider(provider, "anna@styrelsen.dk")
    _sso(client)
    id_token = provider.issued[0]
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert _logged_in(client) is None
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider.base}/logout"
    assert {k: v[0] for k, v in parse_qs(url.query).items()} == {
        "client_id": CLIENT_ID,
        "post_logout_redirect_uri": "http://testserver/login/",
        "id_token_hint": id_token,
    }
    back = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert back.headers["Location"] == "http://testserver/login/"
    assert provider.ended_sessions[0]["id_token_hint"] == id_token


def test_password_session_logs_out_locally_only(client, provider, anna):
    client.post(LOGIN, {"username": "anna", "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.1.2")
    assert _logged_in(client) == str(anna.pk)
    response = client.post(LOGOUT)
    assert response["Location"] == "/login/"
    assert _logged_in(client) is None


# --- the login page and local passwords ------------------------------------------------------


def test_login_page_offers_single_sign_on_and_passwords(client, provider):
    page = client.get(LOGIN + "?next=/ledger/").content.decode()
    assert 'href="/oidc/authenticate/?next=/ledger/"' in page
    assert "Log in with single sign-on" in page
    assert 'name="password"' in page


def test_local_passwords_can_be_switched_off(client, provider, anna):
    with override_settings(
        LOCAL_LOGIN_ENABLED=False,
        AUTHENTICATION_BACKENDS=["faelles.web.oidc.FaellesOIDCBackend"],
    ):
        page = client.get(LOGIN).content.decode()
        assert 'name="password"' not in page
        assert "/oidc/authenticate/" in page
        response = client.post(
            LOGIN, {"username": "anna", "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.1.3"
        )
        assert response.status_code == 200
        assert _logged_in(client) is None
        _at_provider(provider, "anna@styrelsen.dk")
        assert _sso(client).status_code == 302
        assert _logged_in(client) == str(anna.pk)


def test_without_single_sign_on_nothing_changes(client, anna):
    assert client.get(AUTHENTICATE).status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404
    page = client.get(LOGIN).content.decode()
    assert "/oidc/" not in page
    assert 'name="password"' in page
    client.post(LOGIN, {"username": "anna", "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.1.4")
    assert _logged_in(client) == str(anna.pk)


# --- the settings refuse half a configuration ----------------------------------------------------


def _settings_import(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OIDC_", "LOCAL_LOGIN", "FAELLES_ENV", "DATABASE_URL"))
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import faelles.settings as s; print(s.SSO_ENABLED, "
            "s.LOCAL_LOGIN_ENABLED, s.AUTHENTICATION_BACKENDS)",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


_FULL = {
    "OIDC_RP_CLIENT_ID": "c",
    "OIDC_RP_CLIENT_SECRET": "s",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://broker.example/auth",
    "OIDC_OP_TOKEN_ENDPOINT": "https://broker.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://broker.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://broker.example/jwks",
}


def test_settings_default_is_local_passwords_only():
    result = _settings_import()
    assert result.stdout.strip() == "False True ['django.contrib.auth.backends.ModelBackend']"


def test_settings_enable_single_sign_on_next_to_passwords_in_development():
    result = _settings_import(**_FULL)
    assert result.stdout.strip() == (
        "True True ['faelles.web.oidc.FaellesOIDCBackend', "
        "'django.contrib.auth.backends.ModelBackend']"
    )


def test_settings_refuse_half_a_single_sign_on_configuration():
    result = _settings_import(OIDC_RP_CLIENT_ID="c", OIDC_OP_TOKEN_ENDPOINT="https://x/token")
    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: Single sign-on needs all of OIDC_RP_CLIENT_SECRET" in result.stderr
    )


def test_settings_refuse_switching_off_passwords_without_single_sign_on():
    result = _settings_import(LOCAL_LOGIN_ENABLED="0")
    assert result.returncode == 1
    assert "LOCAL_LOGIN_ENABLED=0 needs single sign-on" in result.stderr


def test_settings_switch_off_passwords_on_request():
    result = _settings_import(**_FULL, LOCAL_LOGIN_ENABLED="0")
    assert result.stdout.strip() == "True False ['faelles.web.oidc.FaellesOIDCBackend']"


_PRODUCTION = {
    "FAELLES_ENV": "production",
    "SECRET_KEY": "k" * 50,
    "ALLOWED_HOSTS": "faelles.example",
}


def test_settings_in_production_turn_passwords_off_with_single_sign_on():
    result = _settings_import(**_PRODUCTION, **_FULL, OIDC_OP_ISSUER="https://broker.example")
    assert result.stdout.strip() == "True False ['faelles.web.oidc.FaellesOIDCBackend']"


def test_settings_in_production_need_the_issuer_for_single_sign_on():
    result = _settings_import(**_PRODUCTION, **_FULL)
    assert result.returncode == 1
    assert "Single sign-on in production needs OIDC_OP_ISSUER" in result.stderr
