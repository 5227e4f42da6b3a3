"""Login throttling. Failed attempts are counted per username and per client address within
``LOGIN_THROTTLE_WINDOW_SECONDS``: a username is locked after ``LOGIN_THROTTLE_ATTEMPTS``
failures (guessing one person's password), an address only after the higher
``LOGIN_THROTTLE_ADDRESS_ATTEMPTS`` (one password tried on many usernames), so that one
person's typing errors do not lock everyone behind the same NAT or proxy. While locked, the
password is not even checked. The same counters guard the current-password check on the
password page.

The client address is ``REMOTE_ADDR``, or, behind ``TRUSTED_PROXY_COUNT`` proxies of our own,
the address the outermost of them saw (that many places from the right of X-Forwarded-For).
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from faelles.web.models import LoginFailure


def _ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address as far as our own proxies vouch for it.

    Without trusted proxies the header is ignored (the client writes it). With N proxies, each
    appends the address it received from, so the N-th entry from the right was written by our
    outermost proxy. A header with fewer entries, or an entry that is not an address, falls
    back to the peer address.
    """
    if request is None:
        return None
    remote = _ip(request.META.get("REMOTE_ADDR"))
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < proxies:
        return remote
    return _ip(hops[-proxies]) or remote


def _normalise(username: str | None) -> str:
    return (username or "").strip().casefold()[:150]


def _window_start(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def locked_for_seconds(username: str | None, address: str | None) -> int:
    """Seconds until a login for ``username`` from ``address`` may be tried again; 0 if now."""
    now = timezone.now()
    start = _window_start(now)
    recent = LoginFailure.objects.filter(attempted_at__gt=start)
    waits = [0]
    checks: list[tuple[Q, int]] = []
    if username:
        checks.append((Q(username=_normalise(username)), settings.LOGIN_THROTTLE_ATTEMPTS))
    if address:
        checks.append((Q(address=address), settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS))
    for condition, limit in checks:
        rows = recent.filter(condition)
        if rows.count() >= limit:
            # Locked until the oldest failures that make up the limit leave the window.
            times = list(
                rows.order_by("-attempted_at").values_list("attempted_at", flat=True)[:limit]
            )
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
