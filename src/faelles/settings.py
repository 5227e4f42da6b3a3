"""Project wiring. Everything that differs between machines comes from the environment.

Embedded default (``make run``, ``make test``): SQLite under ``var/``, eager Celery, DEBUG on.
Production: set ``FAELLES_ENV=production``, ``SECRET_KEY``, ``DATABASE_URL``, ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from faelles.core import logs as _logs

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("FAELLES_HOME", BASE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("FAELLES_VAR", PROJECT_DIR / "var"))

# Exactly two environments; anything else (a typo, another case) refuses to start rather than
# silently falling back to the development defaults (DEBUG on, a known secret key).
ENVIRONMENTS = ("development", "production")
ENV = os.environ.get("FAELLES_ENV", "development")
if ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"FAELLES_ENV must be 'development' or 'production' (lower case), not {ENV!r}."
    )
PRODUCTION = ENV == "production"

if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
    DEBUG = False
    ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    _missing = [
        name
        for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS))
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(
            "FAELLES_ENV=production needs " + " and ".join(_missing) + " in the environment."
        )
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
    DEBUG = os.environ.get("DEBUG", "1") == "1"
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "faelles.core",
    "faelles.tenancy",
    "faelles.web",
    "faelles.ledger",
    "faelles.payables",
    "faelles.cases",
    "faelles.control",
    "faelles.payroll",
    "faelles.servicedesk",
    "faelles.economics",
    "faelles.insight",
    "faelles.purchasing",
]

MIDDLEWARE = [
    # /healthz and /readyz first: answered before the host check, SSL redirect and login.
    "faelles.web.health.HealthCheckMiddleware",
    # The request log and metrics time everything after them.
    "faelles.web.middleware.RequestLogMiddleware",
    "faelles.web.middleware.SecurityHeadersMiddleware",
    "faelles.web.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "faelles.tenancy.middleware.CurrentInstitutionMiddleware",
]

ROOT_URLCONF = "faelles.urls"
WSGI_APPLICATION = "faelles.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "faelles.web.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise. In production each gunicorn
# worker and Celery process keeps its connection (CONN_MAX_AGE seconds, default 600, checked
# before reuse) instead of opening one per request (docs/design/operations.md, "Under load").
_default_sqlite = f"sqlite:///{VAR_DIR / 'faelles.sqlite3'}"
if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default needs its folder
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600" if PRODUCTION else "0")),
        conn_health_checks=PRODUCTION,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("FAELLES_TEST_DB") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "tenancy.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Single sign-on with OpenID Connect (faelles.web.oidc): on when the deployment names its
# identity broker (NemLog-in and MitID Erhverv sit behind one): the client id and secret and the
# broker's endpoints. The broker's identity is mapped to an EXISTING user by one claim
# (OIDC_USERNAME_CLAIM, default "email") compared with one user field (OIDC_USER_FIELD, "email"
# or "username"); no user is ever created at login. Password login stays for the demo;
# LOCAL_LOGIN_ENABLED=0 turns it off (the default in production with single sign-on).
_OIDC_REQUIRED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")  # when set, the id_token's iss must match
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")  # end_session_endpoint
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email")
OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM", "email")
OIDC_USER_FIELD = os.environ.get("OIDC_USER_FIELD", "email")
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_STORE_ID_TOKEN = bool(OIDC_OP_LOGOUT_ENDPOINT)  # kept in the session as id_token_hint
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc:callback"
SSO_ENABLED = all(os.environ.get(name) for name in _OIDC_REQUIRED)
if not SSO_ENABLED and any(os.environ.get(name) for name in _OIDC_REQUIRED):
    raise ImproperlyConfigured(
        "Single sign-on needs all of "
        + ", ".join(name for name in _OIDC_REQUIRED if not os.environ.get(name))
        + " as well."
    )
if PRODUCTION and SSO_ENABLED and not OIDC_OP_ISSUER:
    # A broker's keys may sign for several tenants; only the issuer tells them apart.
    raise ImproperlyConfigured("Single sign-on in production needs OIDC_OP_ISSUER as well.")
if OIDC_USER_FIELD not in ("email", "username"):
    raise ImproperlyConfigured("OIDC_USER_FIELD must be 'email' or 'username'.")
LOCAL_LOGIN_ENABLED = (
    os.environ.get("LOCAL_LOGIN_ENABLED", "0" if PRODUCTION and SSO_ENABLED else "1") == "1"
)
if not (LOCAL_LOGIN_ENABLED or SSO_ENABLED):
    raise ImproperlyConfigured("LOCAL_LOGIN_ENABLED=0 needs single sign-on, or nobody can log in.")
AUTHENTICATION_BACKENDS = [
    *(["faelles.web.oidc.FaellesOIDCBackend"] if SSO_ENABLED else []),
    *(["django.contrib.auth.backends.ModelBackend"] if LOCAL_LOGIN_ENABLED else []),
]

# E-mail (one-time links for setting a password): printed to the console in development,
# SMTP from the environment in production. EMAIL_LINK_BASE_URL is the site address used in
# links that a worker mails (e.g. https://faelles.example.dk); empty: the requesting address.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
EMAIL_LINK_BASE_URL = os.environ.get("EMAIL_LINK_BASE_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Fælles <faelles@localhost>")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: this many failed attempts for one username within the window lock that
# username until the window has passed; a client address is locked only after the higher
# address limit (many people share one address behind a NAT or proxy). The same throttle
# guards the current-password check on the password page.
LOGIN_THROTTLE_ATTEMPTS = int(os.environ.get("LOGIN_THROTTLE_ATTEMPTS", "5"))
LOGIN_THROTTLE_ADDRESS_ATTEMPTS = int(os.environ.get("LOGIN_THROTTLE_ADDRESS_ATTEMPTS", "50"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("LOGIN_THROTTLE_WINDOW_SECONDS", "900"))
# The client address is REMOTE_ADDR unless this many proxies of our own stand in front: then it
# is the TRUSTED_PROXY_COUNT-th address from the right of X-Forwarded-For (the one our
# outermost proxy saw). Never trust the header without proxies: the client writes it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Request bodies: the intake cap of one document (payables.reading.MAX_DOCUMENT_BYTES, 10 MiB)
# plus 1 MiB for multipart framing and form fields. Larger declared bodies get 413 before any
# byte is read (faelles.web.middleware.RequestBodyLimitMiddleware).
MAX_REQUEST_BODY_BYTES = int(
    os.environ.get("MAX_REQUEST_BODY_BYTES", str(10 * 1024 * 1024 + 1024 * 1024))
)

# Content-Security-Policy on every response: scripts only from our own origin (no inline
# scripts, no eval); inline style attributes are allowed (data bars set their width inline;
# styles cannot run code). Permissions-Policy turns off device features the platform never uses.
# The logout form redirects to the identity broker's end-session page when single sign-on
# names one, so its origin joins form-action.
_logout_origin = "/".join(os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "").split("/")[:3])
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    f"base-uri 'self'; form-action 'self'{' ' + _logout_origin if _logout_origin else ''}; "
    "frame-ancestors 'none'",
)
PERMISSIONS_POLICY = os.environ.get(
    "PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()",
)

# Internationalisation: Danish first, English through Django i18n.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Web: tables in the DKFDS look.
DJANGO_TABLES2_TEMPLATE = "web/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table--compact table--zebra"}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "faelles.web.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "COERCE_DECIMAL_TO_STRING": True,
    # Error bodies pass through the CPR scrubber (faelles.redact).
    "EXCEPTION_HANDLER": "faelles.web.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fælles API",
    "DESCRIPTION": "The REST API of Fælles, the shared-service platform.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ServiceEnum": "faelles.tenancy.models.Service",
        "PartyKindEnum": "faelles.cases.models.CaseParty.Kind",
        "PartyRoleEnum": "faelles.cases.models.CaseParty.PartyRole",
    },
    # The API docs' Swagger UI is served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: eager in the embedded default; a broker URL switches to real workers.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = "CELERY_BROKER_URL" not in os.environ
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# A worker keeps the handlers of LOGGING (structured lines, the CPR filter) instead of its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Task modules that are no app's ``tasks`` module (autodiscovery finds those): the outbox.
CELERY_IMPORTS = ("faelles.core.mail",)
# Outgoing mail (faelles.core.mail): seconds before the first retry of a failed attempt,
# doubled for each further one (5 attempts in all).
MAIL_RETRY_BACKOFF_SECONDS = float(os.environ.get("MAIL_RETRY_BACKOFF_SECONDS", "60"))
# Periodic work (``celery beat``): the retention job once a day at night (faelles.core.retention).
CELERY_BEAT_SCHEDULE = {
    # Case handling: fire due timers (deadlines, periods) and warn before deadlines.
    "cases-timers": {
        "task": "faelles.cases.tasks.timers_fire",
        "schedule": crontab(minute="*/5"),
    },
    "retention-daily": {
        "task": "faelles.core.tasks.retention_run",
        "schedule": crontab(hour=2, minute=30),
    },
    # Documents stored but never processed (a process stopped in between): every 15 minutes.
    "payables-documents-waiting": {
        "task": "faelles.payables.tasks.documents_process_waiting",
        "schedule": crontab(minute="*/15"),
    },
    # Service desk: warn before an SLA breach and escalate a breach (faelles.servicedesk).
    "servicedesk-escalate": {
        "task": "faelles.servicedesk.tasks.tickets_escalate",
        "schedule": crontab(minute="*/5"),
    },
}
# Retention (docs/design/operations.md): rows removed per rule per run, and how long the
# personal-data access log is kept.
RETENTION_BATCH_LIMIT = int(os.environ.get("RETENTION_BATCH_LIMIT", "5000"))
RETENTION_PERSONAL_DATA_LOG_DAYS = int(os.environ.get("RETENTION_PERSONAL_DATA_LOG_DAYS", "730"))

# Logging: every handler carries the CPR filter (faelles.redact), so no log line, exception
# text or error mail shows a CPR number. Django's own loggers are named so that they use these
# handlers instead of Django's defaults (which lack the filter); the error report (technical 500
# page, administrators' mail) is scrubbed by the exception reporter.
DEFAULT_EXCEPTION_REPORTER = "faelles.web.errors.CprScrubbingExceptionReporter"
# Lines are structured (faelles.core.logs): LOG_FORMAT=json (one JSON object per line, the
# production default) or console (readable, the development default). The request log
# (logger faelles.request) and the task log (faelles.task) are at REQUEST_LOG_LEVEL (INFO).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "console")
if LOG_FORMAT not in _logs.FORMATS:
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'console', not {LOG_FORMAT!r}.")
_logs.configure()
_request_log_level = os.environ.get("REQUEST_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_cpr": {"()": "faelles.redact.CprRedactingFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "structured": _logs.formatter(LOG_FORMAT),
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "structured",
            "filters": ["redact_cpr"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_cpr"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "redact_cpr"],
        },
    },
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "faelles.request": {"level": _request_log_level},
        "faelles.task": {"level": _request_log_level},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Metrics (/metrics, Prometheus's text format; faelles.web.health): answered to a client
# address inside METRICS_ALLOWED_NETWORKS (comma-separated addresses or networks; default any
# address in development, loopback only in production) or to a request with
# "Authorization: Bearer <METRICS_TOKEN>" when METRICS_TOKEN is set. Several processes (gunicorn
# workers, Celery's children) add up their samples in PROMETHEUS_MULTIPROC_DIR when it is set.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
# Numbers read from the database at scrape time (invoices waiting per state) are read at most
# this often per process.
METRICS_DB_CACHE_SECONDS = float(os.environ.get("METRICS_DB_CACHE_SECONDS", "30"))
METRICS_ALLOWED_NETWORKS = [
    n.strip()
    for n in os.environ.get(
        "METRICS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128" if PRODUCTION else "0.0.0.0/0,::/0"
    ).split(",")
    if n.strip()
]
try:
    [ipaddress.ip_network(n, strict=False) for n in METRICS_ALLOWED_NETWORKS]
except ValueError as _exc:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {_exc}") from None

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Plain http on loopback only (`make prod` on one machine): SECURE_SSL_REDIRECT=0 and
    # SECURE_COOKIES=0. Behind TLS leave both on.
    SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "1") == "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
