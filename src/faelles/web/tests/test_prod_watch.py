"""Watching production mode (`make prod`: two gunicorn workers and a Celery worker): /readyz
sees the database, the broker and the migrations; /metrics adds up the requests of every
gunicorn worker and the tasks of the Celery worker (prometheus_client's multiprocess mode); the
log is one JSON object per line, with the request's and the task's ids."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from faelles.web.tests.test_prod import BIN, BROKER, PROJECT, _drop, _free_port, _postgres_url

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TASK = "faelles.tenancy.tasks.send_password_link"


def _get(url: str, **headers: str) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def _sample(body: bytes, name: str, **labels: str) -> float | None:
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return None


def _json_lines(text: str) -> list[dict[str, object]]:
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def test_production_is_watched_across_processes(tmp_path):
    base, _ = _postgres_url().rsplit("/", 1)
    port = _free_port()
    name = f"faelles_watchtest_{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": f"{base}/{name}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_WORKER_NAME": f"watchtest{port}",
        "FAELLES_VAR": str(tmp_path / "var"),
        "PROD_PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "CELERY_CONCURRENCY": "1",
        "BIN": str(BIN),
    }
    for var in ("FAELLES_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "STATIC_ROOT", "DEBUG"):
        env.pop(var, None)
    for var in [v for v in env if v.startswith(("METRICS_", "LOG_", "PROMETHEUS_"))]:
        env.pop(var)
    log = tmp_path / "prod.log"
    _drop(base, name)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["bash", str(PROJECT / "scripts" / "prod.sh")],
            cwd=PROJECT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                pytest.fail(f"make prod stopped ({proc.returncode}):\n{log.read_text()[-4000:]}")
            try:
                if _get(f"{root}/readyz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()[-4000:]
            time.sleep(0.5)

        status, body, _headers = _get(f"{root}/readyz")
        assert status == 200
        assert json.loads(body) == {
            "status": "ready",
            "checks": {"database": "ok", "migrations": "ok", "broker": "ok"},
        }
        for n in range(6):
            status, _body, headers = _get(
                f"{root}/login/", **{"X-Request-ID": f"watch-req-{n:04d}"}
            )
            assert (status, headers["X-Request-ID"]) == (200, f"watch-req-{n:04d}")

        prod_env = {
            **env,
            "FAELLES_ENV": "production",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": (tmp_path / "var" / "secret_key").read_text().strip(),
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "var" / "prometheus"),
        }
        queued = subprocess.run(
            [
                str(BIN / "faelles"),
                "shell",
                "-c",
                "from faelles.core import logs; "
                "from faelles.tenancy.tasks import send_password_link; "
                "ctx = logs.bind(request_id='watch-task-0001', user_id=7); ctx.__enter__(); "
                "send_password_link.delay(999999)",
            ],
            env=prod_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert queued.returncode == 0, queued.stderr

        # The worker's child counts the task in the shared directory; any gunicorn worker
        # answers the scrape with every process's numbers.
        deadline = time.monotonic() + 60
        while True:
            status, body, _headers = _get(f"{root}/metrics")
            assert status == 200
            if _sample(body, "faelles_celery_tasks_total", task=TASK, outcome="success") == 1:
                break
            assert time.monotonic() < deadline, body.decode()[-3000:]
            time.sleep(0.5)
        for _ in range(4):
            status, body, _headers = _get(f"{root}/metrics")
            login = {"method": "GET", "route": "web:login", "status": "200"}
            assert _sample(body, "faelles_http_requests_total", **login) == 6
            assert _sample(body, "faelles_celery_queue_length", queue="celery") == 0

        lines = _json_lines(log.read_text())
        requests = [line for line in lines if line.get("event") == "request"]
        assert {line["request_id"] for line in requests} >= {f"watch-req-{n:04d}" for n in range(6)}
        assert all(
            line["route"] == "web:login"
            for line in requests
            if line["request_id"].startswith("watch-req")
        )
        [task] = [line for line in lines if line.get("event") == "task"]
        assert (task["task"], task["outcome"], task["request_id"], task["user_id"]) == (
            TASK,
            "success",
            "watch-task-0001",
            7,
        )
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        _drop(base, name)
