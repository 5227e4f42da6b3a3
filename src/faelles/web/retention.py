"""Retention of the sign-in records: failed logins, sessions and API tokens.

None of them is accounting material; each holds personal data (a username, a client
address, a credential) that is needed only as long as it serves its purpose (GDPR art.
5(1)(e)): a failed login for the throttle window, a session until it expires, an API token
while its user may still sign in.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from rest_framework.authtoken.models import Token

from faelles.core import retention
from faelles.core.retention import RetentionClock, delete_counts
from faelles.web.models import LoginFailure


def failures_due(clock: RetentionClock) -> QuerySet[LoginFailure]:
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS / 86400
    return LoginFailure.objects.filter(clock.days_expired("attempted_at", window))


def sessions_due(clock: RetentionClock) -> QuerySet[Session]:
    return Session.objects.filter(expire_date__lt=clock.now)


def tokens_due(clock: RetentionClock) -> QuerySet[Token]:
    return Token.objects.filter(user__is_active=False)


def register_rules() -> None:
    retention.register(
        retention.RetentionRule(
            key="web.login_failure",
            records="failed logins (username and client address)",
            basis=retention.GDPR_STORAGE_LIMITATION,
            period="the login throttle window (LOGIN_THROTTLE_WINDOW_SECONDS)",
            runs_from="attempted_at",
            action="delete",
            due=failures_due,
            removable=failures_due,
            remove=lambda ids: delete_counts(LoginFailure.objects.filter(pk__in=ids).delete()),
            oldest_field="attempted_at",
            order=40,
        )
    )
    retention.register(
        retention.RetentionRule(
            key="web.session",
            records="sessions",
            basis=retention.GDPR_STORAGE_LIMITATION + "; an expired session serves nothing",
            period="until the session expires (SESSION_COOKIE_AGE)",
            runs_from="expire_date",
            action="delete",
            due=sessions_due,
            removable=sessions_due,
            remove=lambda ids: delete_counts(Session.objects.filter(pk__in=ids).delete()),
            oldest_field="expire_date",
            order=50,
            log_ids=False,
        )
    )
    retention.register(
        retention.RetentionRule(
            key="web.api_token",
            records="API tokens",
            basis=retention.GDPR_STORAGE_LIMITATION + "; a credential nobody may use",
            period="while its user is active",
            runs_from="the user's deactivation",
            action="delete",
            due=tokens_due,
            removable=tokens_due,
            remove=lambda ids: delete_counts(Token.objects.filter(pk__in=ids).delete()),
            oldest_field="created",
            order=60,
            log_ids=False,
        )
    )
