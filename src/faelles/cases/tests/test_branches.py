"""Property tests: every shipped model runs to completion whatever the DMN inputs and the
choices at each task (Hypothesis), and a case survives a restart in the middle."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faelles.cases import engine, services
from faelles.cases.models import Case, CaseJournalEntry, CaseStatus, CaseTask, CaseTaskState
from faelles.cases.simulate import run_case, simulation_world
from faelles.cases.tests.factories import T0, complaint_case, make_board, open_task

pytestmark = pytest.mark.django_db

EXPECTED_ENDS = {
    "complaint": {"end_dismissed", "end_final", "end_appealed"},
    "grant-pool": {"end_completed", "end_reclaim", "end_refused", "end_ineligible"},
    "benefit": {"end_completed", "end_stopped", "end_refused"},
}

DMN_INPUTS = {
    "complaint": st.fixed_dictionaries(
        {"days_since_decision": st.integers(0, 3650), "complainant_is_party": st.booleans()}
    ),
    "grant-pool": st.fixed_dictionaries(
        {
            "quality": st.integers(1, 5),
            "relevance": st.integers(1, 5),
            "applicant_eligible": st.booleans(),
        }
    ),
    "benefit": st.fixed_dictionaries({"months": st.integers(1, 4), "entitled": st.booleans()}),
}


def _admissible(days: int, party: bool) -> bool:
    return party and days <= 28


@pytest.mark.parametrize("code", sorted(EXPECTED_ENDS))
def test_every_shipped_model_runs_to_an_end_event_on_any_input(code):
    case_type = simulation_world(code)

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(inputs=DMN_INPUTS[code], data=st.data())
    def run(inputs, data):
        def choose(point, visits):
            return data.draw(st.integers(0, len(point.options) - 1), label=point.key)

        with transaction.atomic():
            result = run_case(case_type, choose, overrides=inputs, start=T0)
            case = Case.objects.filter(case_type=case_type).order_by("-pk").first()
            decisions = list(
                case.journal.filter(kind=CaseJournalEntry.Kind.DECISION).values_list(
                    "data", flat=True
                )
            )
            transaction.set_rollback(True)
        assert result.error == ""
        assert result.outcome in EXPECTED_ENDS[code]
        if code == "complaint":
            dmn = next(d for d in decisions if "decision_table" in d)
            admissible = _admissible(inputs["days_since_decision"], inputs["complainant_is_party"])
            assert dmn["outputs"]["admissible"] is admissible
            assert (result.outcome == "end_dismissed") is (not admissible)
        if code == "grant-pool" and inputs["applicant_eligible"]:
            dmn = next(d for d in decisions if "decision_table" in d)
            assert dmn["outputs"]["grant"] is (inputs["quality"] + inputs["relevance"] >= 7)

    run()


def test_a_restart_in_the_middle_of_a_case_loses_nothing():
    """Everything the case needs is in the database: drop every in-process cache (as a new
    process would start), reload and go on to the end."""
    world = make_board()
    case = complaint_case(world)
    case = services.case_task_complete(
        actor=world.worker,
        task=open_task(case, "register"),
        data={"complainant_is_party": True, "days_since_decision": 3},
        now=T0,
    )
    stored = Case.objects.get(pk=case.pk).state
    # The stored state round-trips exactly.
    spec = engine.restore_spec(case.version.spec)
    assert engine.dump(engine.load(stored, spec)) == stored
    # "Restart": no cached specs, no objects from before.
    engine._spec_from_json.cache_clear()
    engine._compiled.cache_clear()
    del case, spec
    case = Case.objects.get(number="KLFU-2026-00001")
    assert open_task(case).spec_id == "await_statements"
    assert case.next_timer_at == T0 + dt.timedelta(days=14)
    data = (
        engine.load(case.state, engine.restore_spec(case.version.spec))
        .get_tasks(state=engine.TaskState.READY)[0]
        .data
    )
    assert data["admissible"] is True and data["days_since_decision"] == 3
    services.case_task_complete(
        actor=world.worker, task=open_task(case, "await_statements"), data={}, now=T0
    )
    services.case_task_complete(
        actor=world.worker,
        task=open_task(case, "draft_decision"),
        data={"outcome": "upheld", "reasons": "r", "legal_basis": "l"},
        now=T0,
    )
    services.case_task_complete(
        actor=world.manager,
        task=open_task(case, "approve_decision"),
        data={"approved": True},
        now=T0,
    )
    services.case_task_complete(
        actor=world.worker, task=open_task(case, "appeal_period"), data={"appealed": False}, now=T0
    )
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, "end_final")
    kinds = list(case.journal.values_list("kind", flat=True))
    assert kinds.count(CaseJournalEntry.Kind.TASK) == 5
    assert CaseTask.objects.filter(case=case, state=CaseTaskState.DONE).count() == 5


def _jsonb_order(value):
    """``value`` with every object's keys in PostgreSQL jsonb's order (shorter keys first,
    then by bytes); lists keep their order."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return {k: _jsonb_order(value[k]) for k in keys}
    if isinstance(value, list):
        return [_jsonb_order(v) for v in value]
    return value


@pytest.mark.parametrize("order", ["jsonb", "reversed"])
def test_the_stored_state_loads_the_same_whatever_the_order_of_its_keys(order):
    """The engine restores a task's data as a delta against its parent's: a task restored
    before its parent lost what it inherited (on PostgreSQL, whose jsonb sorts object keys, a
    decision's outcome read "decided"). The order of the stored task mapping must not matter."""
    world = make_board()
    case = complaint_case(world)
    case = services.case_task_complete(
        actor=world.worker,
        task=open_task(case, "register"),
        data={"complainant_is_party": True, "days_since_decision": 3},
        now=T0,
    )
    spec = engine.restore_spec(case.version.spec)
    stored = Case.objects.get(pk=case.pk).state
    if order == "jsonb":
        shuffled = _jsonb_order(stored)
    else:
        shuffled = {**stored, "tasks": dict(reversed(list(stored["tasks"].items())))}
    if order == "reversed":  # every child now comes before its parent
        position = {tid: n for n, tid in enumerate(shuffled["tasks"])}
        assert any(
            t["parent"] is not None and position[t["parent"]] > position[tid]
            for tid, t in shuffled["tasks"].items()
        )
    plain = engine.load(stored, spec)
    other = engine.load(shuffled, spec)
    assert {str(t.id): t.data for t in other.tasks.values()} == {
        str(t.id): t.data for t in plain.tasks.values()
    }
    [ready] = other.get_tasks(state=engine.TaskState.READY)
    assert (
        ready.task_spec.bpmn_id,
        ready.data["admissible"],
        ready.data["days_since_decision"],
    ) == (
        "await_statements",
        True,
        3,
    )
    assert engine.dump(other) == engine.dump(plain) == stored


def test_the_stored_state_stays_flat_as_history_grows():
    """Sending a decision back 30 times adds 60 completed tasks; the stored state does not grow
    with them (the journal keeps the history)."""
    world = make_board()
    case = complaint_case(world)
    services.case_task_complete(
        actor=world.worker,
        task=open_task(case, "register"),
        data={"complainant_is_party": True, "days_since_decision": 3},
        now=T0,
    )
    services.case_task_complete(
        actor=world.worker, task=open_task(case, "await_statements"), data={}, now=T0
    )
    sizes = []
    for _ in range(30):
        services.case_task_complete(
            actor=world.worker,
            task=open_task(case, "draft_decision"),
            data={"outcome": "upheld", "reasons": "r", "legal_basis": "l"},
            now=T0,
        )
        services.case_task_complete(
            actor=world.manager,
            task=open_task(case, "approve_decision"),
            data={"approved": False},
            now=T0,
        )
        case.refresh_from_db()
        sizes.append(len(engine.load(case.state, engine.restore_spec(case.version.spec)).tasks))
    assert CaseTask.objects.filter(case=case, state=CaseTaskState.DONE).count() == 62
    assert max(sizes) == min(sizes)
    assert max(sizes) < 15
