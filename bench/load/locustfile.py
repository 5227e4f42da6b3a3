"""The load test's scenario (``make load``): the realistic mix of an operator's day.

70 % reads, in equal parts, of the four pages and lists people and integrations read most —
the approver's inbox (page), the invoice list API, an invoice page and the trial balance API —
and 30 % document intake through the API (one new Peppol BIS 3 invoice per request, posted
as raw XML by the invoice receiver's integration token). Tags: ``read`` (the four reads),
``intake`` (intake only: ``--tags intake``).

Open loop as far as locust allows: every simulated user asks at a constant rate
(``constant_throughput(1)``: one request a second, whatever the answers take up to that
second), so the offered load is the number of users per second and a slow server is not
offered less. A user whose request takes longer than a second falls behind, which the
achieved rate then shows.

Reads ``LOAD_WORLD`` (the JSON written by ``bench/load/prepare.py``). When the run ends,
writes ``LOAD_RESULT`` (JSON): ``{"total": {...}, "endpoints": {name: {...}}}`` with ``rate``
(requests per second achieved over the run), ``p50``, ``p95``, ``p99`` (ms; locust keeps
response times rounded to two significant digits above 100 ms) and ``errors`` (failed
requests: any status but 200/201, or a connection error).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from typing import Any

from locust import FastHttpUser, constant_throughput, events, tag, task

WORLD: dict[str, Any] = json.loads(open(os.environ["LOAD_WORLD"]).read())  # noqa: SIM115
CREDS = WORLD["credentials"]
_RUN = f"{int(time.time()) % 1_000_000:06d}"
_NUMBERS = itertools.count(1)
_STARTED: list[float] = []


def _token(role: str) -> dict[str, str]:
    return {"Authorization": f"Token {CREDS[role]['token']}"}


def _cookie(role: str) -> dict[str, str]:
    return {"Cookie": f"sessionid={CREDS[role]['session']}"}


class Clerk(FastHttpUser):
    """One person or integration: 7 of 10 requests read, 3 of 10 deliver a document."""

    wait_time = constant_throughput(1)

    @tag("read")
    @task(7 * 25)
    def inbox(self) -> None:
        self.client.get("/payables/", headers=_cookie("approver"), name="inbox")

    @tag("read")
    @task(7 * 25)
    def invoice_list_api(self) -> None:
        self.client.get(
            "/api/v1/payables/invoices/", headers=_token("approver"), name="invoice_list_api"
        )

    @tag("read")
    @task(7 * 25)
    def invoice_page(self) -> None:
        pk = random.choice(WORLD["invoice_ids"])
        self.client.get(
            f"/payables/invoices/{pk}/", headers=_cookie("approver"), name="invoice_page"
        )

    @tag("read")
    @task(7 * 25)
    def trial_balance_api(self) -> None:
        self.client.get(
            f"/api/v1/ledger/trial-balance/?institution={WORLD['institution']}&year=2026",
            headers=_token("bookkeeper"),
            name="trial_balance_api",
        )

    @tag("intake")
    @task(3 * 100)
    def document_intake_api(self) -> None:
        number = f"L{_RUN}-{os.getpid()}-{next(_NUMBERS)}"
        content = random.choice(WORLD["templates"]).replace(WORLD["number_mark"], number)
        with self.client.post(
            "/api/v1/payables/documents",
            data=content.encode(),
            headers={**_token("invoice_receiver"), "Content-Type": "application/xml"},
            name="document_intake_api",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")


@events.test_start.add_listener
def _started(environment: Any, **_kw: Any) -> None:
    _STARTED.append(time.time())


def _figures(entry: Any, seconds: float) -> dict[str, Any]:
    def pct(p: float) -> float | None:
        return float(entry.get_response_time_percentile(p)) if entry.num_requests else None

    return {
        "rate": round(entry.num_requests / seconds, 1) if seconds else 0.0,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "errors": entry.num_failures,
        "requests": entry.num_requests,
    }


@events.quitting.add_listener
def _write_result(environment: Any, **_kw: Any) -> None:
    stats = environment.stats
    began = _STARTED[0] if _STARTED else stats.total.start_time
    seconds = max(time.time() - began, 1e-9)
    result = {
        "total": _figures(stats.total, seconds),
        "endpoints": {
            name: _figures(entry, seconds)
            for (name, _method), entry in sorted(stats.entries.items())
        },
        "seconds": round(seconds, 1),
        "users": environment.runner.user_count if environment.runner else None,
    }
    target = os.environ.get("LOAD_RESULT")
    if target:
        with open(target, "w") as out:
            json.dump(result, out)
