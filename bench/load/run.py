"""``make load``: the load test against production mode on PostgreSQL.

    .venv/bin/python bench/load/run.py [--rate 100] [--seconds 60] [--tags intake]

1. Prepares the data set on ``$LOAD_DATABASE_URL`` (default the local server's database
   ``faelles_load``): ``bench/load/prepare.py``, 60,000 invoices in one institution the first
   time (about two minutes on this machine), then only fresh credentials.
2. Starts production mode exactly as ``make prod`` does (``scripts/prod.sh``: collectstatic,
   migrate, a Celery worker and gunicorn with ``FAELLES_ENV=production``) on
   http://127.0.0.1:$LOAD_PORT (default 8011), with its own ``FAELLES_VAR`` (``var/load``) and
   Redis database (``redis://127.0.0.1:6379/11``), ``WEB_CONCURRENCY`` gunicorn workers
   (default 5), and waits until ``/readyz`` answers.
3. Warms every gunicorn worker (each endpoint a few times), then runs the locust scenario
   (``bench/load/locustfile.py``) headless for ``--seconds`` with ``--rate`` users, each asking
   once a second (``constant_throughput``): ``--rate`` requests per second offered.
   ``--tags intake`` offers document intake only.
4. Stops the servers and prints one JSON object last: ``{"total": {"rate", "p50", "p95",
   "p99", "errors"}, "endpoints": {name: {the same}}, "config": {...}}`` — latencies in ms,
   rate in requests per second achieved.

Exits non-zero when it cannot run (no PostgreSQL, the server does not start, locust is not
installed, no result); failed requests are counted in ``errors``, not an exit status.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


def _fail(message: str) -> None:
    print(f"load: {message}", file=sys.stderr)
    sys.exit(1)


def _get(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def _static_collected(root: Path) -> bool:
    """Whether ``root`` holds the static files of this code (its manifest is newer than every
    static source file): then production mode starts without collecting them again."""
    manifest = root / "staticfiles.json"
    if not manifest.exists():
        return False
    newest = max(
        (
            p.stat().st_mtime
            for p in (ROOT / "src" / "faelles").glob("*/static/**/*")
            if p.is_file()
        ),
        default=0.0,
    )
    return manifest.stat().st_mtime > newest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=int(os.environ.get("LOAD_RATE", "100")))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", "60")))
    parser.add_argument("--tags", default=os.environ.get("LOAD_TAGS", ""))
    parser.add_argument("--invoices", type=int, default=60000)
    args = parser.parse_args()
    if not (BIN / "locust").exists():
        _fail("locust is not installed: .venv/bin/pip install -e '.[bench]'")

    var = Path(os.environ.get("LOAD_VAR", ROOT / "var" / "load")).resolve()
    var.mkdir(parents=True, exist_ok=True)
    keyfile = var / "secret_key"
    if not keyfile.exists():
        keyfile.write_text(secrets.token_urlsafe(50))
        keyfile.chmod(0o600)
    port = os.environ.get("LOAD_PORT", "8011")
    workers = os.environ.get("WEB_CONCURRENCY", "5")
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get(
            "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/faelles_load"
        ),
        "FAELLES_VAR": str(var),
        "SECRET_KEY": keyfile.read_text().strip(),
        "CELERY_BROKER_URL": os.environ.get("LOAD_BROKER_URL", "redis://127.0.0.1:6379/11"),
        "PROD_HOST": "127.0.0.1",
        "PROD_PORT": port,
        "WEB_CONCURRENCY": workers,
        "CELERY_WORKER_NAME": f"load-{port}",
        "DEBUG": "0",
    }
    if _static_collected(var / "static"):
        env["COLLECTSTATIC"] = "0"
    world = var / "world.json"
    result = var / "result.json"
    result.unlink(missing_ok=True)

    # 1. The data set (creates the database if missing, as scripts/prod.sh would).
    created = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import os, psycopg\n"
            "base, name = os.environ['DATABASE_URL'].rsplit('/', 1)\n"
            "with psycopg.connect(base + '/postgres', autocommit=True, connect_timeout=10) as c:\n"
            "    if c.execute('SELECT 1 FROM pg_database WHERE datname = %s', [name]).fetchone()"
            " is None:\n"
            "        c.execute('CREATE DATABASE ' + name)\n",
        ],
        env=env,
        check=False,
    )
    if created.returncode != 0:
        _fail("cannot reach PostgreSQL")
    prepared = subprocess.run(
        [
            str(BIN / "python"),
            str(ROOT / "bench" / "load" / "prepare.py"),
            "--out",
            str(world),
            "--invoices",
            str(args.invoices),
        ],
        env={**env, "FAELLES_ENV": "development"},
        check=False,
    )
    if prepared.returncode != 0:
        _fail("preparing the data set failed")

    # 2. Production mode.
    log = (var / "server.log").open("wb")
    server = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "prod.sh")],
        env={**env, "BIN": str(BIN)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900  # collectstatic and migrate first
        while _get(f"{base}/readyz", timeout=5) != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                _fail(f"the server did not start; see {var / 'server.log'}")
            time.sleep(1)

        # 3. Warm every worker, then the scenario.
        data = json.loads(world.read_text())
        creds = data["credentials"]
        approver = {"Cookie": f"sessionid={creds['approver']['session']}"}
        token = {"Authorization": f"Token {creds['approver']['token']}"}
        books = {"Authorization": f"Token {creds['bookkeeper']['token']}"}
        for n in range(int(workers) * 4):
            for url, headers in (
                ("/payables/", approver),
                ("/api/v1/payables/invoices/", token),
                (f"/payables/invoices/{data['invoice_ids'][n]}/", approver),
                (
                    f"/api/v1/ledger/trial-balance/?institution={data['institution']}&year=2026",
                    books,
                ),
            ):
                status = _get(base + url, headers, timeout=30)
                if status != 200:
                    _fail(f"warming {url} answered {status}; see {var / 'server.log'}")
        command = [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "load" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--host",
            base,
            "--users",
            str(args.rate),
            "--spawn-rate",
            str(args.rate),
            "--run-time",
            f"{args.seconds}s",
            "--stop-timeout",
            "10",
            "--exit-code-on-error",
            "0",
        ]
        if args.tags:
            command += ["--tags", *args.tags.split(",")]
        subprocess.run(
            command,
            env={**env, "LOAD_WORLD": str(world), "LOAD_RESULT": str(result)},
            check=False,
        )
    finally:
        _stop(server)
        log.close()
    if not result.exists():
        _fail("locust wrote no result")
    figures = json.loads(result.read_text())
    figures["config"] = {
        "offered_rate": args.rate,
        "seconds": args.seconds,
        "tags": args.tags or "mix",
        "invoices": data["invoices"],
        "web_workers": int(workers),
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
