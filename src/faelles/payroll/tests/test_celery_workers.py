"""A pay run on real Celery workers: ``faelles payroll run`` (a process of its own) with a
broker set sends the run's chunks of employees to a worker started as in production, waits
for them and sums the run. PostgreSQL (the worker, the command and the test share the test
database) and Redis (database 14, emptied first) are needed; skipped otherwise."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from faelles.payroll.models import PayRun, Payslip
from faelles.payroll.tests.factories import payroll_setup

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BIN = Path(sys.executable).parent
PROJECT = Path(__file__).resolve().parents[4]
BROKER = os.environ.get("PAYROLL_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")


def _env(tmp_path: Path) -> dict[str, str]:
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).flushdb()
    except Exception:
        pytest.skip(f"no Redis answers at {BROKER}")
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "FAELLES_VAR": str(tmp_path / "var"),
        "LOG_FORMAT": "console",
        "PAYROLL_CHUNK_SIZE": "2",
    }
    for var in ("FAELLES_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(var, None)
    return env


def test_a_pay_run_is_calculated_in_chunks_on_a_real_worker(tmp_path):
    env = _env(tmp_path)
    s = payroll_setup()
    for profile in ("AC", "HK", "HOURLY", "STUDENT", "AC"):
        s.employee(profile)
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
                f"payrolltest{os.getpid()}@%h",
            ],
            cwd=PROJECT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        result = subprocess.run(
            [
                str(BIN / "faelles"),
                "payroll",
                "run",
                "--institution",
                s.institution.short_name,
                "--period",
                "2026-05",
                "--json",
            ],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    assert result.returncode == 0, result.stderr + log.read_text()[-3000:]
    row = json.loads(result.stdout.splitlines()[0])
    assert (row["state"], row["payslips"], row["refused"]) == ("calculated", 5, 0)
    run = PayRun.objects.get()
    assert Payslip.objects.filter(run=run).count() == 5
    worker_log = log.read_text()
    # Five employees in chunks of two: three tasks, all run by the worker.
    assert worker_log.count("faelles.payroll.tasks.calculate_chunk") >= 3, worker_log[-3000:]
