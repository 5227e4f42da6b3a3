"""A small but real OpenID Connect provider for tests: an HTTP server on a free loopback port.

It serves the authorization endpoint (redirects back with a one-time code and the state), the
token endpoint (client secret, redirect URI and PKCE checked; an RS256-signed id_token carrying
the nonce), userinfo (bearer token), the JWKS and an end-session endpoint. Tests choose who logs
in at the provider (``identity``) and may spoil the answers (``id_token_claims``,
``tamper_signature``, ``sign_with_foreign_key``, ``userinfo_claims``, ``token_status``) to
check that Fælles refuses them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "faelles-test"
CLIENT_SECRET = "client-secret-for-tests"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Provider:
    def __init__(self) -> None:
        self.key = _key()
        self.foreign_key = _key()
        self.kid = "test-key-1"
        self.identity: dict[str, Any] = {}
        self.id_token_claims: Callable[[dict[str, Any]], dict[str, Any]] | None = None
        self.userinfo_claims: Callable[[dict[str, Any]], dict[str, Any]] | None = None
        self.tamper_signature = False
        self.sign_with_foreign_key = False
        self.token_status = 200
        self.codes: dict[str, dict[str, Any]] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.issued: list[str] = []  # every id_token and access token handed out
        self.ended_sessions: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.issuer = self.base
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def django_settings(self) -> dict[str, Any]:
        """What a deployment would set to point Fælles at this provider."""
        return {
            "SSO_ENABLED": True,
            "LOCAL_LOGIN_ENABLED": True,
            "AUTHENTICATION_BACKENDS": [
                "faelles.web.oidc.FaellesOIDCBackend",
                "django.contrib.auth.backends.ModelBackend",
            ],
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.base}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.base}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.base}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.base}/jwks",
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.base}/logout",
            "OIDC_STORE_ID_TOKEN": True,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_USERNAME_CLAIM": "email",
            "OIDC_USER_FIELD": "email",
        }

    # --- what the endpoints answer ---------------------------------------------------------

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {}, b"unknown client"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "challenge": query.get("code_challenge"),
            "method": query.get("code_challenge_method"),
            "identity": dict(self.identity),
        }
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": target}, b""

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.token_requests.append(form)
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if (
            form.get("grant_type") != "authorization_code"
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or grant is None
            or form.get("redirect_uri") != grant["redirect_uri"]
            or not _pkce_ok(form.get("code_verifier", ""), grant["challenge"], grant["method"])
        ):
            return _json(400, {"error": "invalid_grant"})
        if self.token_status != 200:
            return _json(self.token_status, {"error": "server_error"})
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **grant["identity"],
        }
        if self.id_token_claims is not None:
            claims = self.id_token_claims(claims)
        key = self.foreign_key if self.sign_with_foreign_key else self.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        if self.tamper_signature:
            head, body, signature = id_token.split(".")
            middle = len(signature) // 2
            flipped = "A" if signature[middle] != "A" else "B"
            id_token = ".".join(
                (head, body, signature[:middle] + flipped + signature[middle + 1 :])
            )
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = dict(grant["identity"])
        self.issued += [id_token, access_token]
        return _json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            },
        )

    def userinfo(self, authorization: str) -> tuple[int, dict[str, str], bytes]:
        claims = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return _json(401, {"error": "invalid_token"})
        if self.userinfo_claims is not None:
            claims = self.userinfo_claims(dict(claims))
        return _json(200, claims)

    def jwks(self) -> tuple[int, dict[str, str], bytes]:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return _json(200, {"keys": [jwk]})

    def end_session(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.ended_sessions.append(query)
        return 302, {"Location": query.get("post_logout_redirect_uri", "/")}, b""


def _pkce_ok(verifier: str, challenge: str | None, method: str | None) -> bool:
    if challenge is None:
        return False
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return method == "S256" and base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge


def _json(status: int, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, result: tuple[int, dict[str, str], bytes]) -> None:
            status, headers, body = result
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/authorize":
                self._answer(provider.authorize(query))
            elif url.path == "/userinfo":
                self._answer(provider.userinfo(self.headers.get("Authorization", "")))
            elif url.path == "/jwks":
                self._answer(provider.jwks())
            elif url.path == "/logout":
                self._answer(provider.end_session(query))
            else:
                self._answer((404, {}, b""))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                self._answer(provider.token(form))
            else:
                self._answer((404, {}, b""))

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet

    return Handler
