"""With a broker, mail leaves on a real Celery worker: ``faelles payables remind`` (a process of
its own, as cron runs it) writes the reminder and its mail and, after commit, queues the send
task on Redis; a worker started as in production sends it (into a mail folder), or, with the
mail server's port closed, retries it a bounded number of times and leaves it failed and
visible, never sent. PostgreSQL (the worker and the test share the test database) and Redis
(database 13, emptied first) are needed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from faelles.core.models import AuditEvent, OutgoingMail
from faelles.payables import services
from faelles.payables.models import Invoice
from faelles.payables.tests.factories import make_world
from faelles.web.tests.test_prod import _free_port

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BIN = Path(sys.executable).parent
PROJECT = Path(__file__).resolve().parents[4]
BROKER = os.environ.get("TASKS_TEST_BROKER_URL", "redis://127.0.0.1:6379/13")


def _broker_ready() -> None:
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).flushdb()
    except Exception:
        pytest.skip(f"no Redis answers at {BROKER}")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "FAELLES_VAR": str(tmp_path / "var"),
        "MAIL_RETRY_BACKOFF_SECONDS": "0.3",
        "LOG_FORMAT": "console",
        **extra,
    }
    for var in ("FAELLES_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(var, None)
    return env


def _due_soon(dkk_document) -> Invoice:
    world = make_world()
    world.requester.email = "requester@example.dk"
    world.requester.save()
    services.routing_rule_create(
        actor=world.receiver,
        institution=world.institution,
        requester=world.requester,
        buyer_reference="0150abc",
    )
    due = (timezone.localdate() + timedelta(days=2)).isoformat()
    content = dkk_document(number="W1").replace(b"2017-12-01", due.encode())
    return services.document_receive(content=content, channel="api").invoice


def _run(env: dict[str, str], tmp_path: Path) -> OutgoingMail:
    """Start a worker, run the reminder command, and wait until its mail is sent or failed."""
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "faelles",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"taskstest{os.getpid()}@%h",
            ],
            cwd=PROJECT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        remind = subprocess.run(
            [str(BIN / "faelles"), "payables", "remind"],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert remind.returncode == 0, remind.stderr
        assert '"mails": 1' in remind.stdout
        deadline = time.monotonic() + 90
        while True:
            row = OutgoingMail.objects.get()
            if row.state != OutgoingMail.State.QUEUED:
                return row
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the mail stayed queued:\n{log.read_text()[-4000:]}")
            time.sleep(0.3)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def test_a_worker_sends_the_reminder_mail_after_the_reminder_commits(tmp_path, dkk_document):
    _broker_ready()
    folder = tmp_path / "mail"
    env = _env(
        tmp_path,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder),
    )
    invoice = _due_soon(dkk_document)

    row = _run(env, tmp_path)

    assert (row.state, row.attempts, row.kind, row.to) == (
        "sent",
        1,
        "reminder",
        "requester@example.dk",
    )
    assert row.sent_at is not None and row.object_id == str(invoice.pk)
    [written] = list(folder.iterdir())
    text = written.read_text()
    assert "To: requester@example.dk" in text
    assert f"Subject: {row.subject}" in text


def test_a_worker_retries_a_mail_the_server_refuses_and_leaves_it_failed(tmp_path, dkk_document):
    _broker_ready()
    env = _env(
        tmp_path,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(_free_port()),  # nothing listens there
        EMAIL_TIMEOUT="2",
    )
    _due_soon(dkk_document)

    row = _run(env, tmp_path)

    assert (row.state, row.attempts, row.sent_at) == ("failed", 5, None)
    assert row.last_error.startswith("ConnectionRefusedError: ")
    assert AuditEvent.objects.filter(action="core.mail.failed", object_id=str(row.pk)).count() == 1
