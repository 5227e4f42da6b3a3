"""Retention of sign-in records: failed logins leave once out of the throttle window, expired
sessions and the API tokens of deactivated users are removed; live ones stay, and no session
key or token (a secret) is written to the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework.authtoken.models import Token

from faelles.core import retention
from faelles.core.models import AuditEvent
from faelles.tenancy.models import User
from faelles.web.models import LoginFailure

pytestmark = pytest.mark.django_db

RULES = ["web.login_failure", "web.session", "web.api_token"]


def test_sign_in_records_go_when_they_serve_no_purpose(settings):
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900
    now = timezone.now()
    old = LoginFailure.objects.create(username="a", attempted_at=now - timedelta(seconds=901))
    recent = LoginFailure.objects.create(username="a", attempted_at=now - timedelta(seconds=899))
    expired, live = SessionStore(), SessionStore()
    expired.create()
    live.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=now - timedelta(seconds=1)
    )
    Session.objects.filter(session_key=live.session_key).update(
        expire_date=now + timedelta(seconds=1)
    )
    gone_user = User.objects.create_user("left", password="x", is_active=False)
    active = User.objects.create_user("stays", password="x")
    gone_token = Token.objects.create(user=gone_user)
    kept_token = Token.objects.create(user=active)

    results = {r["rule"]: r for r in retention.retention_run(actor=None, now=now, only=RULES)}

    assert list(LoginFailure.objects.values_list("pk", flat=True)) == [recent.pk]
    assert results["web.login_failure"]["ids"] == [old.pk]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert list(Token.objects.values_list("key", flat=True)) == [kept_token.key]
    assert results["web.session"]["removed"] == {"sessions.session": 1}
    assert results["web.api_token"]["removed"] == {"authtoken.token": 1}
    assert results["web.session"]["ids"] == results["web.api_token"]["ids"] == []
    trail = str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert expired.session_key not in trail
    assert gone_token.key not in trail
