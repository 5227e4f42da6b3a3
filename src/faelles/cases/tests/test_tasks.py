"""The beat task fires due timers and warns before deadlines, once."""

from __future__ import annotations

import pytest

from faelles.cases import services
from faelles.cases.models import CaseDeadline, CaseTask, CaseTaskState
from faelles.cases.tasks import timers_fire
from faelles.cases.tests.factories import T0, complaint_case, make_board, open_task
from faelles.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_beat_task_fires_a_passed_hearing_deadline_once():
    world = make_board()
    case = complaint_case(world)
    services.case_task_complete(
        actor=world.worker,
        task=open_task(case, "register"),
        data={"complainant_is_party": True, "days_since_decision": 1},
        now=T0,
    )
    # The hearing deadline (T0 + 14 days) is long past by the wall clock.
    assert timers_fire.apply().get() == {"fired": 1, "warned": 1}
    assert open_task(case).spec_id == "draft_decision"
    assert (
        CaseTask.objects.get(case=case, spec_id="await_statements").state == CaseTaskState.CANCELLED
    )
    deadline = CaseDeadline.objects.get(case=case, kind="hearing_deadline")
    assert deadline.state == CaseDeadline.State.PASSED
    assert deadline.warned_at is not None
    # Again: nothing is due, nothing is warned twice.
    assert timers_fire.apply().get() == {"fired": 0, "warned": 0}
    assert AuditEvent.objects.filter(action="cases.timer.fire").count() == 1
