"""Case-handling benchmark on PostgreSQL: one step of a long case, and the work list.

    .venv/bin/python bench/cases_bench.py [--history 200] [--steps 100] [--cases 100000]

On a fresh database ``faelles_bench_cases`` at $BENCH_PG_URL (default the local server):

* a complaint case is driven until ``--history`` tasks are completed (the decision is sent back
  again and again: draft, approve "no", draft, …); then ``--steps`` more steps are timed, each
  one ``case_task_complete`` as the pages call it (lock, load the engine state, run, mirror the
  work list, journal, audit, compact, store): ``step_ms_p50``, ``step_ms_p99``;
* the stored state's size and the time to load and store it are measured at several history
  lengths, with compaction (as stored) and without (the engine's own serializer on the same
  workflow): ``state_bytes_by_history``, ``serialize_ms_by_history`` and the ``*_uncompacted``
  figures — flat versus growing;
* ``--cases`` open cases (each with one open task) are added to the institution in bulk and
  the work-list page is requested as the case worker, through the whole Django stack:
  ``worklist_ms`` (median of 20) and ``worklist_ms_p99``.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/faelles_bench_cases")


def _fresh_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return round(ordered[k], 2)


def _worklist_times(world_board, worker) -> list[float]:
    from django.test import Client
    from django.urls import reverse

    from faelles.tenancy.middleware import SESSION_KEY

    client = Client()
    client.force_login(worker)
    session = client.session
    session[SESSION_KEY] = world_board.pk
    session.save()
    url = reverse("cases:worklist")
    assert client.get(url).status_code == 200
    times = []
    for _ in range(20):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def worklist_only() -> dict:
    """The work list again on the database a full run left behind (``--worklist-only``)."""
    from django.test.utils import setup_test_environment

    from faelles.cases.models import Case
    from faelles.tenancy.models import Institution, User

    setup_test_environment()
    board = Institution.objects.get(short_name="KLFU")
    times = _worklist_times(board, User.objects.get(username="sagsbehandler"))
    return {
        "worklist_ms": _pct(times, 50),
        "worklist_ms_p99": _pct(times, 99),
        "open_cases": Case.objects.filter(institution=board, status="open").count(),
        "database": "postgresql",
    }


def run(history: int, steps: int, cases: int) -> dict:
    import datetime as dt

    from django.db import connection
    from django.test.utils import setup_test_environment

    from faelles.cases import engine, services
    from faelles.cases.models import Case, CaseJournalEntry, CaseTask, CaseTaskState
    from faelles.cases.tests.factories import T0, complaint_case, make_board, open_task

    setup_test_environment()
    world = make_board()
    case = complaint_case(world)
    now = T0
    services.case_task_complete(
        actor=world.worker,
        task=open_task(case, "register"),
        data={"complainant_is_party": True, "days_since_decision": 3},
        now=now,
    )
    services.case_task_complete(
        actor=world.worker, task=open_task(case, "await_statements"), data={}, now=now
    )
    draft = {
        "outcome": "upheld",
        "reasons": "Begrundelse " * 20,
        "legal_basis": "§ 13",
        "minutes": 30,
    }

    def one_round(timed: list[float] | None) -> None:
        for actor, spec, data in (
            (world.worker, "draft_decision", draft),
            (world.manager, "approve_decision", {"approved": False, "minutes": 5}),
        ):
            task = open_task(case, spec)
            started = time.perf_counter()
            services.case_task_complete(actor=actor, task=task, data=data, now=now)
            if timed is not None:
                timed.append((time.perf_counter() - started) * 1000)

    # The engine's own serializer without compaction, on an in-memory twin, for comparison.
    spec = engine.restore_spec(case.version.spec)
    twin = engine.load(Case.objects.get(pk=case.pk).state, spec)

    def twin_round() -> None:
        token = engine.SERVICE_CALL.set(lambda n, p, d: {})
        try:
            for data in (draft, {"approved": False}):
                task = engine.ready_user_tasks(twin)[0]
                task.data.update(data)
                task.run()
                twin.do_engine_steps()
        finally:
            engine.SERVICE_CALL.reset(token)

    def measure(workflow) -> tuple[int, float]:
        started = time.perf_counter()
        for _ in range(20):
            state = engine.dump(workflow)
            engine.load(state, spec)
        ms = (time.perf_counter() - started) / 20 * 1000
        return len(json.dumps(state)), round(ms, 3)

    sizes: dict[int, int] = {}
    serialize: dict[int, float] = {}
    sizes_raw: dict[int, int] = {}
    serialize_raw: dict[int, float] = {}
    checkpoints = {0, 50, 100, history}
    done = CaseTask.objects.filter(case=case, state=CaseTaskState.DONE).count()
    while done < history + 2:
        hist = done - 2
        if hist in checkpoints:
            stored = Case.objects.get(pk=case.pk)
            sizes[hist], serialize[hist] = measure(engine.load(stored.state, spec))
            sizes_raw[hist], serialize_raw[hist] = measure_raw(twin, spec)
        one_round(None)
        twin_round()
        done += 2
    stored = Case.objects.get(pk=case.pk)
    sizes[history], serialize[history] = measure(engine.load(stored.state, spec))
    sizes_raw[history], serialize_raw[history] = measure_raw(twin, spec)

    timed: list[float] = []
    for _ in range(steps // 2):
        one_round(timed)
    tasks_in_history = CaseTask.objects.filter(case=case, state=CaseTaskState.DONE).count()
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        one_round(None)
    queries_per_step = len(queries) / 2
    # The engine's share of a step: load the stored state, complete the task, run on,
    # compact and dump (what the step does besides the database).
    engine_ms = []
    stored = Case.objects.get(pk=case.pk)
    token = engine.SERVICE_CALL.set(lambda n, p, d: {})
    try:
        for _ in range(50):
            started = time.perf_counter()
            workflow = engine.load(stored.state, engine.restore_spec(stored.version.spec))
            task = engine.ready_user_tasks(workflow)[0]
            task.data.update(draft)
            task.run()
            workflow.do_engine_steps()
            engine.compact(workflow)
            engine.dump(workflow)
            engine_ms.append((time.perf_counter() - started) * 1000)
    finally:
        engine.SERVICE_CALL.reset(token)

    # 100,000 open cases, each waiting at its first task, added in bulk.
    template = Case.objects.get(pk=complaint_case(world, now=T0).pk)
    started = time.perf_counter()
    batch = 5000
    for start in range(0, cases, batch):
        n = min(batch, cases - start)
        rows = [
            Case(
                institution=world.board,
                year=2025,
                seq=start + i + 1,
                number=f"KLFU-2025-{start + i + 1:06d}",
                case_type=template.case_type,
                version=template.version,
                title=f"Klage {start + i + 1}",
                state=template.state,
                opened_at=T0 - dt.timedelta(minutes=start + i),
                steps=1,
            )
            for i in range(n)
        ]
        made = Case.objects.bulk_create(rows, batch_size=batch)
        CaseTask.objects.bulk_create(
            [
                CaseTask(
                    institution=world.board,
                    case=c,
                    task_uuid=uuid.uuid4(),
                    spec_id="register" if k % 3 else "approve_decision",
                    name="Register the complaint" if k % 3 else "Approve the decision",
                    form="complaint_register" if k % 3 else "decision_approve",
                    role="case_worker" if k % 3 else "case_manager",
                    created_at=c.opened_at,
                    due_at=c.opened_at + dt.timedelta(days=5 + k % 40),
                )
                for k, c in enumerate(made)
            ],
            batch_size=batch,
        )
    bulk_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    times = _worklist_times(world.board, world.worker)
    open_cases = Case.objects.filter(institution=world.board, status="open").count()
    return {
        "step_ms_p50": _pct(timed, 50),
        "step_ms_p99": _pct(timed, 99),
        "step_ms_max": round(max(timed), 2),
        "steps_timed": len(timed),
        "queries_per_step": queries_per_step,
        "engine_step_ms_p50": _pct(engine_ms, 50),
        "engine_step_ms_p99": _pct(engine_ms, 99),
        "tasks_in_history": tasks_in_history,
        "journal_rows": CaseJournalEntry.objects.filter(case=case).count(),
        "state_bytes_by_history": sizes,
        "serialize_ms_by_history": serialize,
        "state_bytes_by_history_uncompacted": sizes_raw,
        "serialize_ms_by_history_uncompacted": serialize_raw,
        "worklist_ms": _pct(times, 50),
        "worklist_ms_p99": _pct(times, 99),
        "open_cases": open_cases,
        "bulk_insert_s": round(bulk_s, 1),
        "database": "postgresql",
    }


def measure_raw(workflow, spec) -> tuple[int, float]:
    """The engine's serializer on the uncompacted workflow (what storing it would cost)."""
    from faelles.cases import engine

    started = time.perf_counter()
    for _ in range(20):
        text = engine.SERIALIZER.serialize_json(workflow)
        engine.SERIALIZER.deserialize_json(text)
    ms = (time.perf_counter() - started) / 20 * 1000
    return len(text), round(ms, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=200)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument(
        "--worklist-only",
        action="store_true",
        help="only time the work list, on the database a full run left behind",
    )
    args = parser.parse_args()
    if args.worklist_only:
        _setup_django(PG_URL)
        print(json.dumps(worklist_only()))
        return
    _fresh_database(PG_URL)
    _setup_django(PG_URL)
    result = run(args.history, args.steps, args.cases)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
