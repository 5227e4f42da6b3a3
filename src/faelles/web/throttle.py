"""Login throttling: too many failed attempts for a username or from one address lock login
for the rest of the window (``LOGIN_THROTTLE_ATTEMPTS`` within
``LOGIN_THROTTLE_WINDOW_SECONDS``). While locked, the password is not even checked.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from faelles.web.models import LoginFailure


def client_address(request: HttpRequest | None) -> str | None:
    """The peer address. Behind a proxy, set it from a trusted header in the proxy itself."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _normalise(username: str | None) -> str:
    return (username or "").strip().casefold()[:150]


def _window_start(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def locked_for_seconds(username: str | None, address: str | None) -> int:
    """Seconds until a login for ``username`` from ``address`` may be tried again; 0 if now."""
    now = timezone.now()
    start = _window_start(now)
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    recent = LoginFailure.objects.filter(attempted_at__gt=start)
    waits = [0]
    for condition in (
        Q(username=_normalise(username)) if username else None,
        Q(address=address) if address else None,
    ):
        if condition is None:
            continue
        rows = recent.filter(condition)
        if rows.count() >= limit:
            # Locked until the oldest failures that make up the limit leave the window.
            times = list(rows.order_by("-attempted_at").values_list("attempted_at", flat=True))
            release = times[limit - 1] + timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
            waits.append(max(1, math.ceil((release - now).total_seconds())))
    return max(waits)


@transaction.atomic
def login_failure_record(*, username: str | None, address: str | None) -> LoginFailure:
    """Remember one failed attempt and drop those that have left the window."""
    now = timezone.now()
    LoginFailure.objects.filter(attempted_at__lte=_window_start(now)).delete()
    return LoginFailure.objects.create(
        username=_normalise(username), address=address, attempted_at=now
    )


@transaction.atomic
def login_success_record(*, username: str) -> None:
    """A correct password clears the failures counted against that username."""
    LoginFailure.objects.filter(username=_normalise(username)).delete()
