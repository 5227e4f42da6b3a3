"""`make prod` (scripts/prod.sh) brings up production mode: gunicorn, a Celery worker,
PostgreSQL and the broker. Started as a subprocess on a free port with a database of its own;
pages, static files and a logged-in page answer 200 with the security headers, and the worker
answers a ping; then everything stops cleanly."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PROJECT = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent
BROKER = os.environ.get("PROD_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "Prod-test-adgang-2024!"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or settings.DATABASES["default"]["ENGINE"].endswith(
        "sqlite3"
    ):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    return url


def _drop(base: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"make prod stopped early ({proc.returncode}):\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"no answer at {url} within {seconds} s:\n{log.read_text()[-4000:]}")


def test_make_prod_serves_pages_static_files_and_runs_a_worker(tmp_path):
    base, _ = _postgres_url().rsplit("/", 1)
    port = _free_port()
    name = f"faelles_prodtest_{os.getpid()}"
    worker = f"prodtest{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"{base}/{name}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_WORKER_NAME": worker,
        "FAELLES_VAR": str(tmp_path / "var"),
        "PROD_PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "CELERY_CONCURRENCY": "1",
        "BIN": str(BIN),
    }
    for var in ("FAELLES_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "STATIC_ROOT", "DEBUG"):
        env.pop(var, None)
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
        _wait_for(f"{root}/login/", proc, log, 300)
        prod_env = {
            **env,
            "FAELLES_ENV": "production",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": (tmp_path / "var" / "secret_key").read_text().strip(),
        }
        # One person to log in as, in the production database.
        made = subprocess.run(
            [
                str(BIN / "faelles"),
                "shell",
                "-c",
                "from faelles.tenancy.tests.factories import InstitutionFactory, member; "
                "from faelles.tenancy.models import Role; "
                f"u = member(InstitutionFactory(), Role.BOOKKEEPER, username='prodtest'); "
                f"u.set_password('{PASSWORD}'); u.save()",
            ],
            env=prod_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert made.returncode == 0, made.stderr

        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with browser.open(f"{root}/login/", timeout=10) as page:
            assert page.status == 200
            assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
            assert page.headers["Permissions-Policy"]
            html = page.read().decode()
        css = re.search(r'href="(/static/dkfds/css/dkfds\.min\.[0-9a-f]{12}\.css)"', html)
        assert css, "the login page names the hashed static file of the manifest"
        with browser.open(root + css.group(1), timeout=10) as static:
            assert static.status == 200
            assert static.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        token = next(c.value for c in jar if c.name == "csrftoken")
        form = urllib.parse.urlencode(
            {"username": "prodtest", "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        with browser.open(f"{root}/login/", data=form, timeout=10) as after:
            assert after.status == 200
            assert after.url == f"{root}/"
            assert after.headers["Content-Security-Policy"]
        with browser.open(f"{root}/api/docs/", timeout=10) as docs:
            assert docs.status == 200
        # Anonymous: the schema is behind login in production.
        with pytest.raises(urllib.error.HTTPError) as anonymous:
            urllib.request.urlopen(f"{root}/api/schema/", timeout=10)
        assert anonymous.value.code == 401

        ping = subprocess.run(
            [
                str(BIN / "celery"),
                "-A",
                "faelles.celery",
                "inspect",
                "ping",
                "-t",
                "10",
                "-d",
                f"{worker}@{socket.gethostname()}",
            ],
            env=prod_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert ping.returncode == 0, ping.stdout + ping.stderr
        assert "pong" in ping.stdout
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
                pytest.fail(f"make prod did not stop on SIGTERM:\n{log.read_text()[-4000:]}")
        _drop(base, name)
    # Stopped cleanly: nothing of it answers any more.
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{root}/login/", timeout=2)
