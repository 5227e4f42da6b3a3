"""Content-Security-Policy and Permissions-Policy on every response; no inline script in our
pages; the API schema and docs behind login in production."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def test_the_default_policy_allows_no_inline_or_foreign_script():
    assert settings.CONTENT_SECURITY_POLICY == CSP
    assert "camera=()" in settings.PERMISSIONS_POLICY
    assert "geolocation=()" in settings.PERMISSIONS_POLICY


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/login/", 200),
        ("/", 302),
        ("/no-such-page/", 404),
        ("/api/v1/payables/invoices", 403),
        ("/api/schema/", 200),
    ],
)
def test_every_response_carries_both_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Security-Policy"] == CSP
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY


def test_the_413_answer_carries_the_headers_too(client):
    response = client.post("/login/", {"username": "x"}, CONTENT_LENGTH=str(10**9))
    assert response.status_code == 413
    assert response["Content-Security-Policy"] == CSP


def _inline_script_problems(html):
    problems = [m for m in re.findall(r"<script\b[^>]*>", html) if "src=" not in m]
    problems += re.findall(r"\son[a-z]+\s*=", html)
    problems += re.findall(r"javascript:", html)
    return problems


@pytest.mark.parametrize("path", ["/login/", "/", "/password/", "/api-token/"])
def test_our_pages_have_no_inline_script(client, world, path):
    client.force_login(world.admin_a)
    if path == "/login/":
        client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert _inline_script_problems(response.content.decode()) == []


def test_the_api_docs_load_their_script_from_a_url(client):
    html = client.get("/api/docs/").content.decode()
    assert _inline_script_problems(html) == []
    assert '<script src="/api/docs/?script=' in html


def test_schema_and_docs_are_open_in_development(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@override_settings(PRODUCTION=True)
def test_schema_and_docs_need_login_in_production(client, world):
    anonymous = APIClient().get("/api/schema/")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    docs = client.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"] == "/login/?next=/api/docs/"
    assert client.get("/api/docs/?script=").status_code == 302
    client.force_login(world.admin_a)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/docs/?script=").status_code == 200
    token_user = APIClient()
    token_user.force_authenticate(world.admin_a)
    assert token_user.get("/api/schema/").status_code == 200
