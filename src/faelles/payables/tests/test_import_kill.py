"""An import killed with SIGKILL midway and run again loses nothing and duplicates nothing
(PostgreSQL: the import runs in a child process against the test database)."""

import json
import os
import signal
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from faelles.core.audit import verify_chains
from faelles.payables import demo
from faelles.payables.models import DocumentStatus, Invoice, ReceivedDocument
from faelles.payables.tests.factories import make_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

N = 40
GLN = "5798009811578"


def _url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _import(folder: Path, *, kill_after: int | None = None) -> list[dict]:
    env = {**os.environ, "DATABASE_URL": _url()}
    cmd = [sys.executable, "-m", "faelles.cli", "payables", "import", "--json", "--batch", "4"]
    cmd.append(str(folder))
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
    records = []
    assert proc.stdout is not None
    for line in proc.stdout:
        records.append(json.loads(line))
        if kill_after is not None and len(records) >= kill_after:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=300)
    return records


def test_an_import_killed_midway_and_run_again_loses_and_doubles_nothing(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the child process needs a shared database server (PostgreSQL)")
    world = make_world()
    for n in range(N):
        vendor = demo.VENDORS[n % len(demo.VENDORS)]
        text, unspsc, price = vendor[3][0]
        (tmp_path / f"{n:03d}.xml").write_bytes(
            demo._document(
                number=f"K-{n:04d}",
                issue=date(2026, 3, 15),
                buyer_gln=GLN,
                buyer_name="Styrelsen",
                vendor=vendor,
                lines=[(text, unspsc, Decimal(1 + n % 3), Decimal(price))],
                buyer_reference="X",
            )
        )

    first = _import(tmp_path, kill_after=10)
    assert 10 <= len(first) < N
    assert ReceivedDocument.objects.count() < N

    second = _import(tmp_path)

    assert second[-1]["summary"]["accepted"] + second[-1]["summary"]["duplicate"] == N
    assert ReceivedDocument.objects.count() == N
    assert ReceivedDocument.objects.filter(status=DocumentStatus.ACCEPTED).count() == N
    assert Invoice.objects.for_institution(world.institution).count() == N
    assert Invoice.objects.values("number").distinct().count() == N
    assert verify_chains(world.institution) == []
    assert verify_chains(None) == []
