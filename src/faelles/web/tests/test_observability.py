"""Watching the platform: /healthz and /readyz for the load balancer, /metrics for Prometheus
(and who may read it), and one structured log line per request with its request id, user id,
institution and duration, and no personal data."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from faelles.core.tests.observe import json_log, scrape, value
from faelles.redact import contains_cpr
from faelles.tenancy.models import Role
from faelles.tenancy.tests.factories import InstitutionFactory, member
from faelles.web import health
from faelles.web.middleware import new_request_id

CPR = "2307854417"
NEW_ID = re.compile(r"[a-z2-7]{24}")

# --- /healthz ------------------------------------------------------------------------------


def test_healthz_answers_ok_without_asking_the_database(client):
    # No database access is allowed in this test: a query would fail it.
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Content-Type"] == "text/plain"
    assert response["Cache-Control"] == "no-store"


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["faelles.example.dk"], METRICS_TOKEN="")
@pytest.mark.django_db
def test_the_probes_answer_plain_http_with_any_host_and_no_login():
    """A load balancer asks by address over http: the probes answer, everything else is
    redirected to https or refused for its host."""
    client = Client(HTTP_HOST="10.0.0.7")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/login/").status_code == 400  # the host check still guards the rest
    other = Client(HTTP_HOST="faelles.example.dk")
    assert other.get("/login/").status_code == 301  # and the SSL redirect


def test_the_probes_take_no_writes(client):
    for path in ("/healthz", "/readyz"):
        response = client.post(path)
        assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")


# --- /readyz -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_readyz_answers_200_with_each_check(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "broker": "not used (tasks run in the web process)",
        },
    }


@pytest.mark.django_db
def test_readyz_answers_503_naming_an_unapplied_migration(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    last = MigrationRecorder.Migration.objects.filter(app="payables").order_by("-id").first()
    last.delete()  # as if the code were deployed before `migrate` ran

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["not_ready"] == ["migrations"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"] == f"unapplied: payables.{last.name}"


@pytest.mark.django_db
def test_readyz_answers_503_when_the_broker_does_not_answer_and_hides_its_address(client):
    url = "redis://:s3cret-password@127.0.0.1:1/0"  # nothing listens on port 1
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=url):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["not_ready"] == ["broker"]
    assert body["checks"]["broker"] == "error: ConnectionError"
    assert "s3cret" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_503_is_not_an_error_report(client, mailoutbox, settings):
    settings.ADMINS = [("Drift", "drift@example.dk")]
    settings.DEBUG = False
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1"):
        assert client.get("/readyz").status_code == 503
    assert mailoutbox == []


def _redis_answers(url: str) -> bool:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return False
    return True


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.django_db
@pytest.mark.skipif(not _redis_answers(REDIS_TEST_URL), reason="no Redis answers")
def test_with_a_live_broker_readyz_is_ready_and_the_queue_length_is_scraped(client):
    import redis

    queue = "celery"
    r = redis.Redis.from_url(REDIS_TEST_URL)
    r.delete(queue, f"{queue}\x06\x163")
    r.lpush(queue, "a", "b")
    r.lpush(f"{queue}\x06\x163", "c")  # kombu's list for priority 3
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=REDIS_TEST_URL):
            response = client.get("/readyz")
            samples = scrape(client)
    finally:
        r.delete(queue, f"{queue}\x06\x163")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"
    assert value(samples, "faelles_celery_queue_length", queue="celery") == 3


@pytest.mark.django_db
def test_in_eager_mode_there_is_no_queue_to_measure(client):
    samples = scrape(client)
    assert not [name for name, _labels in samples if name == "faelles_celery_queue_length"]


# --- /metrics access -----------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(METRICS_ALLOWED_NETWORKS=["127.0.0.0/8", "10.20.0.0/16"], METRICS_TOKEN="")
def test_metrics_answer_only_allowed_addresses():
    client = Client()
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    refused = client.get("/metrics", REMOTE_ADDR="10.21.3.4")
    assert (refused.status_code, refused.content) == (403, b"forbidden\n")
    # A forged X-Forwarded-For counts for nothing without trusted proxies.
    forged = client.get("/metrics", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert forged.status_code == 403


@pytest.mark.django_db
@override_settings(METRICS_ALLOWED_NETWORKS=["127.0.0.0/8"], METRICS_TOKEN="scrape-token-1")
def test_metrics_answer_a_bearer_token_from_anywhere():
    client = Client()
    outside = {"REMOTE_ADDR": "192.0.2.1"}
    assert client.get("/metrics", **outside).status_code == 403
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-2", **outside)
    assert wrong.status_code == 403
    basic = client.get("/metrics", HTTP_AUTHORIZATION="Basic scrape-token-1", **outside)
    assert basic.status_code == 403
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-1", **outside)
    assert right.status_code == 200
    assert right["Content-Type"].startswith("text/plain; version=")
    assert b"faelles_http_requests_total" in right.content


@pytest.mark.django_db
def test_metrics_take_no_writes(client):
    assert client.post("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 405


def _settings_in(env: dict[str, str], expression: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "faelles.settings", **env},
        check=False,
    )
    return result.stdout.strip() or result.stderr.strip().splitlines()[-1]


PRODUCTION = {
    "FAELLES_ENV": "production",
    "SECRET_KEY": "k" * 50,
    "ALLOWED_HOSTS": "faelles.example.dk",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_in_production_metrics_are_for_loopback_only_and_logs_are_json():
    out = _settings_in(
        PRODUCTION,
        "settings.METRICS_ALLOWED_NETWORKS, repr(settings.METRICS_TOKEN), settings.LOG_FORMAT",
    )
    assert out == "['127.0.0.0/8', '::1/128'] '' json"
    development = _settings_in({"FAELLES_ENV": "development"}, "settings.LOG_FORMAT")
    assert development == "console"


def test_a_bad_network_or_log_format_refuses_to_start():
    out = _settings_in({**PRODUCTION, "METRICS_ALLOWED_NETWORKS": "10.0.0.0/33"}, "1")
    assert out.startswith("django.core.exceptions.ImproperlyConfigured: METRICS_ALLOWED_NETWORKS")
    out = _settings_in({**PRODUCTION, "LOG_FORMAT": "xml"}, "1")
    assert out == (
        "django.core.exceptions.ImproperlyConfigured: LOG_FORMAT must be 'json' or 'console', "
        "not 'xml'."
    )


# --- the request log and request metrics ---------------------------------------------------


@pytest.fixture
def person(db):
    institution = InstitutionFactory()
    user = member(institution, Role.BOOKKEEPER, username="anna.jensen", email="anna@example.dk")
    return user, institution


def test_a_request_logs_one_json_line_with_ids_and_duration_and_no_personal_data(client, person):
    user, institution = person
    client.force_login(user)
    given = "lb-7f3a9c2e-0001"
    with json_log() as log:
        response = client.get(f"/?q={CPR}&name=anna.jensen", HTTP_X_REQUEST_ID=given)
    assert response.status_code == 200
    assert response["X-Request-ID"] == given
    [line] = log.lines(event="request")
    assert line["logger"] == "faelles.request"
    assert line["level"] == "info"
    assert {k: line[k] for k in ("request_id", "user_id", "institution_id")} == {
        "request_id": given,
        "user_id": user.pk,
        "institution_id": institution.pk,
    }
    assert {k: line[k] for k in ("method", "route", "status")} == {
        "method": "GET",
        "route": "web:home",
        "status": 200,
    }
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["db_queries"] >= 1 and line["db_ms"] >= 0
    text = log.text()
    for personal in ("anna.jensen", "anna@example.dk", CPR, CPR[:6], "Fornavn", "Testesen"):
        assert personal not in text


def test_the_api_logs_the_token_s_user(client, person):
    user, _institution = person
    token = Token.objects.create(user=user)
    with json_log() as log:
        response = client.get("/api/v1/payables/invoices", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    [line] = log.lines(event="request")
    assert line["user_id"] == user.pk
    assert line["route"] == response.wsgi_request.resolver_match.view_name
    assert token.key not in log.text()


def test_a_malformed_request_id_is_replaced_and_lines_inside_the_request_carry_it(client):
    with json_log() as log:
        response = client.get("/login/", HTTP_X_REQUEST_ID="no spaces\nor newlines")
    generated = response["X-Request-ID"]
    assert NEW_ID.fullmatch(generated)
    [line] = log.lines(event="request")
    assert (line["request_id"], line["route"], line["status"]) == (generated, "web:login", 200)
    assert "user_id" not in line and "institution_id" not in line  # nobody logged in


def test_new_request_ids_never_look_like_a_cpr_number():
    # A hex id held ten date-like digits about one time in twenty, and the scrubber masked it.
    ids = [new_request_id() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    assert [i for i in ids if contains_cpr(i)] == []
    assert all(NEW_ID.fullmatch(i) for i in ids)


@pytest.mark.django_db
def test_an_unknown_path_is_logged_as_unmatched_not_as_its_path(client):
    with json_log() as log:
        response = client.get(f"/no-such-page/{CPR}/")
    assert response.status_code == 404
    [line] = log.lines(event="request")
    assert (line["route"], line["status"]) == ("unmatched", 404)
    assert CPR not in log.text() and CPR[:6] not in log.text()


def test_requests_are_counted_by_route_and_status_with_their_database_time(client, person):
    user, _institution = person
    client.force_login(user)
    before = scrape(client)
    client.get("/")
    client.get("/")
    client.get("/no-such-page/")
    after = scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("faelles_http_requests_total", method="GET", route="web:home", status="200") == 2
    assert moved("faelles_http_requests_total", method="GET", route="unmatched", status="404") == 1
    # The scrape itself is a request too.
    assert moved("faelles_http_requests_total", method="GET", route="metrics", status="200") == 1
    assert moved("faelles_http_request_duration_seconds_count", method="GET", route="web:home") == 2
    assert moved("faelles_http_request_db_seconds_count", route="web:home") == 2
    assert moved("faelles_http_request_db_seconds_sum", route="web:home") > 0
    assert moved("faelles_http_db_queries_total", route="web:home") >= 2


# --- the task log and task metrics ---------------------------------------------------------

TASK = "faelles.tenancy.tasks.send_password_link"


def test_a_task_logs_one_line_with_the_request_s_ids_and_is_counted(client, person, mailoutbox):
    from faelles.core import logs
    from faelles.tenancy.tasks import send_password_link

    user, institution = person
    before = scrape(client)
    with (
        json_log() as log,
        logs.bind(request_id="req-12345678", user_id=user.pk, institution_id=institution.pk),
    ):
        result = send_password_link.delay(user.pk, "https://faelles.example.dk")
    after = scrape(client)

    assert result.get() is True and len(mailoutbox) == 1
    [line] = log.lines(event="task")
    assert (line["logger"], line["level"], line["task"], line["outcome"]) == (
        "faelles.task",
        "info",
        TASK,
        "success",
    )
    assert line["task_id"] == result.id
    assert (line["request_id"], line["user_id"], line["institution_id"]) == (
        "req-12345678",
        user.pk,
        institution.pk,
    )
    assert isinstance(line["duration_ms"], float) and line["retries"] == 0
    for personal in ("anna.jensen", "anna@example.dk", "Fornavn"):
        assert personal not in log.text()
    assert (
        value(after, "faelles_celery_tasks_total", task=TASK, outcome="success")
        - value(before, "faelles_celery_tasks_total", task=TASK, outcome="success")
        == 1
    )
    assert (
        value(after, "faelles_celery_task_duration_seconds_count", task=TASK)
        - value(before, "faelles_celery_task_duration_seconds_count", task=TASK)
        == 1
    )
    # The task's context is gone once it has run; the request's stays until the request ends.
    from faelles.core.logs import context

    assert "task" not in context() and "task_id" not in context()


def test_a_failed_task_logs_an_error_without_the_cpr_number_in_its_exception(
    client, person, monkeypatch
):
    from faelles.tenancy import tasks

    user, _institution = person

    def broken(*args, **kwargs):
        raise ValueError(f"mail server refused recipient with CPR {CPR}")

    monkeypatch.setattr(tasks, "send_mail", broken)
    before = scrape(client)
    with json_log() as log, pytest.raises(ValueError):
        tasks.send_password_link.delay(user.pk)
    after = scrape(client)

    [line] = log.lines(event="task")
    assert (line["level"], line["outcome"]) == ("error", "failure")
    assert CPR not in log.text() and CPR[:6] not in log.text()
    assert (
        value(after, "faelles_celery_tasks_total", task=TASK, outcome="failure")
        - value(before, "faelles_celery_tasks_total", task=TASK, outcome="failure")
        == 1
    )


def test_the_request_s_ids_travel_with_a_queued_task(person):
    from faelles.core import logs, tasklog
    from faelles.tenancy.tasks import send_password_link

    user, institution = person
    headers: dict[str, object] = {}
    with logs.bind(request_id="req-abcdefgh", user_id=user.pk, institution_id=institution.pk):
        tasklog.publish_context(headers=headers)
    sent = {"request_id": "req-abcdefgh", "user_id": user.pk, "institution_id": institution.pk}
    assert headers == {tasklog.CONTEXT_HEADER: sent}

    # A worker, outside any request, runs it with those headers.
    with json_log() as log:
        send_password_link.apply(args=(user.pk,), headers=headers)
    [line] = log.lines(event="task")
    assert {k: line[k] for k in sent} == sent
