"""Single sign-on with OpenID Connect (authorization code flow with PKCE).

A deployment points Fælles at its identity broker (NemLog-in and MitID Erhverv sit behind such
brokers) with the ``OIDC_*`` settings; see ``settings.py``. The broker proves who the person is;
Fælles decides whether that person may work here:

* the broker's identity is mapped to an **existing** user by one claim
  (``OIDC_USERNAME_CLAIM``, default ``email``) compared with one user field
  (``OIDC_USER_FIELD``, ``email`` or ``username``). No account is ever created at login: the
  operator creates users and gives them roles.
* unknown, ambiguous and inactive users and users without any role anywhere are refused;
* every SSO login is the audit event ``auth.sso_login`` and every refused one
  ``auth.sso_login.refused`` (with a code), both on the operator chain. Tokens are never
  logged or audited; the events carry the issuer, the subject and the matched claim.
* every failed callback counts against the client address in the login throttle
  (``LOGIN_THROTTLE_ADDRESS_ATTEMPTS``); the broker itself guards the person's credentials.

On top of mozilla-django-oidc's checks (signature against the provider's JWKS, the algorithm,
the nonce, the state, PKCE) the id_token must name this client in ``aud`` (and as ``azp`` when
there are several audiences), carry ``exp`` and ``sub``, come from ``OIDC_OP_ISSUER`` when that is
set, and the userinfo answer must be about the same ``sub``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from faelles.core.audit import Refused, record_event, refusal_record, refusals_recorded
from faelles.tenancy import selectors
from faelles.tenancy.models import User
from faelles.web import throttle

logger = logging.getLogger(__name__)

LOGIN_ACTION = "auth.sso_login"
#: Session key marking a session that was opened by single sign-on.
SESSION_KEY = "faelles_sso"
_USER_FIELDS = frozenset({"email", "username"})


class TokenRejected(Exception):
    """The provider's answer breaks a rule of OpenID Connect Core that the library leaves out."""


def sso_enabled() -> bool:
    return bool(getattr(settings, "SSO_ENABLED", False))


@dataclass(frozen=True)
class Identity:
    """Who the identity broker says the person is (verified claims, no tokens)."""

    issuer: str
    subject: str
    claim: str
    value: str
    email_verified: bool | None

    def audit_details(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "subject": self.subject,
            "claim": self.claim,
            "value": self.value,
        }


def _refused(message: str, code: str, identity: Identity | None = None) -> Refused:
    return Refused(
        message,
        code=code,
        action=LOGIN_ACTION,
        institution=None,
        details=identity.audit_details() if identity is not None else None,
    )


def users_matching(identity: Identity) -> list[User]:
    """The users whose ``OIDC_USER_FIELD`` equals the identity's claim (case-insensitive)."""
    field = settings.OIDC_USER_FIELD
    if field not in _USER_FIELDS or not identity.value:
        return []
    return list(User.objects.filter(**{f"{field}__iexact": identity.value}).order_by("pk")[:2])


@refusals_recorded
@transaction.atomic
def sso_login(*, actor: User | None, identity: Identity, candidates: int = 1) -> User:
    """Let ``actor`` (the user the broker's identity maps to) in, and record the login.

    Refused, and recorded as ``auth.sso_login.refused``: no matching user (single sign-on never
    creates one), more than one, an e-mail the broker marks unverified, an inactive user, and a
    user with no role in any institution and no operator staff role.
    """
    if identity.claim == "email" and identity.email_verified is False:
        raise _refused("The identity broker has not verified the e-mail.", "unverified", identity)
    if candidates > 1:
        raise _refused("More than one user matches the identity.", "ambiguous_user", identity)
    if actor is None:
        raise _refused("No user matches the identity.", "unknown_user", identity)
    if not actor.is_active:
        raise _refused("The user is deactivated.", "inactive_user", identity)
    if not selectors.user_has_any_access(actor):
        raise _refused("The user has no role in any institution.", "no_access", identity)
    record_event(
        institution=None,
        actor=actor,
        action=LOGIN_ACTION,
        obj=actor,
        details=identity.audit_details(),
    )
    return actor


def sso_failure_record(*, code: str, reason: str, details: dict[str, Any] | None = None) -> None:
    """Record a login the provider's answer failed (bad token, provider error) as refused."""
    exc = _refused(reason, code)
    exc.refusal_details = dict(details or {})
    refusal_record(exc, actor=None)


class FaellesOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, mapped onto existing Fælles users and audited."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback view authenticates here: it always passes the nonce it kept in the
        # session with the state. A password login never reaches the provider.
        if request is None or not sso_enabled() or "nonce" not in kwargs or "password" in kwargs:
            return None
        try:
            user: User | None = super().authenticate(request, **kwargs)
        except Refused:
            return None  # recorded by sso_login
        except (TokenRejected, SuspiciousOperation, jwt.PyJWTError, KeyError, TypeError) as exc:
            details = {"error": type(exc).__name__}
            if isinstance(exc, TokenRejected | SuspiciousOperation):
                details["check"] = str(exc)[:200]  # our and the library's fixed texts
            sso_failure_record(
                code="invalid_token",
                reason="The identity broker's answer failed verification.",
                details=details,
            )
            return None
        except (requests.RequestException, ValueError) as exc:
            # Never the message: an HTTP error quotes the provider's answer.
            sso_failure_record(
                code="provider_error",
                reason="The identity broker could not be reached or answered wrongly.",
                details={"error": type(exc).__name__},
            )
            return None
        if user is not None:
            request.session[SESSION_KEY] = True
        return user

    def verify_token(self, token: Any, **kwargs: Any) -> Any:
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the id_token (userinfo as a JWT comes without a nonce)
            _check_id_token(payload, client_id=self.OIDC_RP_CLIENT_ID)
        return payload

    def get_userinfo(self, access_token: Any, id_token: Any, payload: Any) -> Any:
        claims = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise TokenRejected("userinfo is about another subject than the id_token")
        return claims

    def get_or_create_user(self, access_token: Any, id_token: Any, payload: Any) -> User:
        claims = self.get_userinfo(access_token, id_token, payload)
        claim = settings.OIDC_USERNAME_CLAIM
        value = claims.get(claim, payload.get(claim))
        verified = claims.get("email_verified", payload.get("email_verified"))
        identity = Identity(
            issuer=str(payload.get("iss", "")),
            subject=str(payload["sub"]),
            claim=claim,
            value=value.strip() if isinstance(value, str) else "",
            email_verified=verified if isinstance(verified, bool) else None,
        )
        found = users_matching(identity)
        return sso_login(
            actor=found[0] if len(found) == 1 else None, identity=identity, candidates=len(found)
        )


def _check_id_token(payload: dict[str, Any], *, client_id: str) -> None:
    """The id_token checks of OpenID Connect Core 3.1.3.7 that the library leaves out."""
    if not payload.get("sub") or "exp" not in payload:
        raise TokenRejected("id_token without sub or exp")
    audience = payload.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if client_id not in audiences:
        raise TokenRejected("id_token is for another client")
    if len(audiences) > 1 and payload.get("azp") != client_id:
        raise TokenRejected("id_token has several audiences and another azp")
    issuer = getattr(settings, "OIDC_OP_ISSUER", "")
    if issuer and payload.get("iss") != issuer:
        raise TokenRejected("id_token from another issuer")


# --- views --------------------------------------------------------------------------------------


class AuthenticateView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Start single sign-on: redirect to the broker with state, nonce and PKCE challenge."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]


class CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The broker sends the person back here with a code; a failure lands on the login page
    with a clear message (never a 500).

    Every failed callback counts against the client address in the login throttle, and while
    the address is locked the callback neither asks the provider nor writes audit events, so
    nobody can flood the provider or the audit chain with made-up codes.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        if throttle.locked_for_seconds(None, throttle.client_address(request)):
            messages.error(
                request, _("Too many failed login attempts from your address. Try again later.")
            )
            return HttpResponseRedirect(self.failure_url)
        try:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]
        except SuspiciousOperation:  # a state this session never sent
            return self.login_failure()

    @property
    def failure_url(self) -> str:
        return reverse("web:login")

    def login_failure(self) -> HttpResponse:
        throttle.login_failure_record(username=None, address=throttle.client_address(self.request))
        messages.error(
            self.request,
            _(
                "Single sign-on did not log you in. Your user may not exist in Fælles or have "
                "no role; ask your local administrator."
            ),
        )
        return HttpResponseRedirect(self.failure_url)


def provider_logout_url(request: HttpRequest, id_token: str | None) -> str | None:
    """The broker's end-session URL for a single sign-on session, if one is configured."""
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    if not (sso_enabled() and endpoint):
        return None
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("web:login")),
    }
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(params)}"


class LogoutView(auth_views.LogoutView):
    """Ends the Fælles session; a single sign-on session is then also ended at the broker
    when the deployment names its end-session endpoint (``OIDC_OP_LOGOUT_ENDPOINT``)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        was_sso = bool(request.session.get(SESSION_KEY))
        id_token = request.session.get("oidc_id_token")
        response: HttpResponse = super().post(request, *args, **kwargs)
        target = provider_logout_url(request, id_token) if was_sso else None
        return HttpResponseRedirect(target) if target else response


app_name = "oidc"
urlpatterns = [
    path("authenticate/", AuthenticateView.as_view(), name="authenticate"),
    path("callback/", CallbackView.as_view(), name="callback"),
]
