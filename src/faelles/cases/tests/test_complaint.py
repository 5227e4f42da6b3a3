"""A complaint to a board, end to end on the shipped model: every outcome, the journal, the
decision with reasons and complaint guidance, letters, deadlines and the appeal."""

from __future__ import annotations

import datetime as dt

import pytest

from faelles.cases import services
from faelles.cases.models import (
    Case,
    CaseDeadline,
    CaseDecision,
    CaseDocument,
    CaseJournalEntry,
    CaseStatus,
    CaseTask,
    CaseTaskState,
)
from faelles.cases.tests.factories import T0, complaint_case, make_board, open_task
from faelles.core.audit import Refused
from faelles.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _register(world, case, *, party=True, days=10, now=T0):
    return services.case_task_complete(
        actor=world.worker,
        task=open_task(case, "register"),
        data={"complainant_is_party": party, "days_since_decision": days, "minutes": 20},
        now=now,
    )


def _draft(world, case, now):
    return services.case_task_complete(
        actor=world.worker,
        task=open_task(case, "draft_decision"),
        data={
            "outcome": "not_upheld",
            "reasons": "Udbuddet var lovligt.",
            "legal_basis": "Lov om Klagenævnet for Udbud § 13",
            "minutes": 90,
        },
        now=now,
    )


def _approve(world, case, now, approved=True):
    return services.case_task_complete(
        actor=world.manager,
        task=open_task(case, "approve_decision"),
        data={"approved": approved, "minutes": 15},
        now=now,
    )


def test_a_complaint_is_opened_numbered_and_waits_for_registration():
    world = make_board()
    case = complaint_case(world)
    assert case.number == "KLFU-2026-00001"
    assert case.status == CaseStatus.OPEN
    assert case.version.number == 1
    task = open_task(case)
    assert (task.spec_id, task.role, task.form) == ("register", "case_worker", "complaint_register")
    assert task.due_at == T0 + dt.timedelta(days=5)
    party = case.parties.get(role="complainant")
    assert party.cpr_masked == "XXXXXX-XXXX"
    events = AuditEvent.objects.filter(action="cases.case.open")
    assert events.count() == 1
    assert "0101901234" not in str(events.get().details)


def test_a_late_complaint_is_dismissed_with_a_letter():
    world = make_board()
    case = complaint_case(world)
    case = _register(world, case, days=40)
    assert case.status == CaseStatus.CLOSED
    assert case.outcome == "end_dismissed"
    letter = case.documents.get(direction=CaseDocument.Direction.OUTGOING)
    assert letter.content_type == "application/pdf"
    assert bytes(letter.content).startswith(b"%PDF-1.")
    decision = case.journal.get(kind=CaseJournalEntry.Kind.DECISION)
    assert decision.data["outputs"] == {"admissible": False, "admissibility_reason": "late"}


def test_a_complaint_runs_hearing_decision_and_the_appeal_period_to_the_end():
    world = make_board()
    case = complaint_case(world)
    case = _register(world, case)
    hearing = CaseDeadline.objects.get(case=case, kind="hearing_deadline")
    assert hearing.due_at == T0 + dt.timedelta(days=14)
    assert hearing.warn_at == T0 + dt.timedelta(days=11)
    assert case.next_timer_at == hearing.due_at
    assert open_task(case).spec_id == "await_statements"
    # The hearing deadline passes: the timer fires and the case goes on to the draft.
    assert services.timers_fire_due(now=T0 + dt.timedelta(days=13)) == 0
    assert services.deadlines_warn(now=T0 + dt.timedelta(days=12)) == 1
    assert services.timers_fire_due(now=T0 + dt.timedelta(days=15)) == 1
    case.refresh_from_db()
    hearing.refresh_from_db()
    assert hearing.state == CaseDeadline.State.PASSED
    assert (
        CaseTask.objects.get(case=case, spec_id="await_statements").state == CaseTaskState.CANCELLED
    )
    now = T0 + dt.timedelta(days=20)
    case = _draft(world, case, now)
    case = _approve(world, case, now, approved=False)  # sent back
    case = _draft(world, case, now)
    case = _approve(world, case, now)
    decision = CaseDecision.objects.get(case=case)
    assert decision.outcome == "not_upheld"
    assert decision.reasons == "Udbuddet var lovligt."
    assert "Erhvervsankenævnet" in decision.complaint_guidance
    assert decision.drafted_by == world.worker
    assert decision.approved_by == world.manager
    assert decision.published_at == now
    assert decision.appeal_deadline == now + dt.timedelta(days=28)
    assert open_task(case).spec_id == "appeal_period"
    # Nobody appeals: the appeal period ends and the decision is final.
    services.timers_fire_due(now=now + dt.timedelta(days=29))
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, "end_final")
    assert case.closed_at == now + dt.timedelta(days=29)
    minutes = sorted(CaseTask.objects.filter(case=case).values_list("spec_id", "minutes"))
    assert sum(m for _s, m in minutes) == 20 + 90 + 15 + 90 + 15


def test_an_appeal_opens_a_linked_case_at_the_appeals_body_with_the_documents():
    world = make_board()
    case = complaint_case(world)
    case = _register(world, case)
    services.case_task_complete(
        actor=world.worker,
        task=open_task(case, "await_statements"),
        data={"statements": "Ingen bemærkninger"},
        now=T0,
    )
    case = _draft(world, case, T0)
    case = _approve(world, case, T0)
    case = services.case_task_complete(
        actor=world.worker, task=open_task(case, "appeal_period"), data={"appealed": True}, now=T0
    )
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, "end_appealed")
    appeal = Case.objects.get(appeal_of=case)
    assert appeal.institution == world.appeals
    assert appeal.number == "EAN-2026-00001"
    source = sorted(case.documents.values_list("sha256", flat=True))
    assert sorted(appeal.documents.values_list("sha256", flat=True)) == source
    assert appeal.parties.count() == 2
    assert open_task(appeal).spec_id == "register"
    assert (
        AuditEvent.objects.filter(institution=world.appeals, action="cases.case.open").count() == 1
    )


def test_the_drafter_may_not_approve_and_nothing_changes():
    world = make_board()
    case = complaint_case(world)
    case = _register(world, case)
    services.case_task_complete(
        actor=world.worker, task=open_task(case, "await_statements"), data={}, now=T0
    )
    case = _draft(world, case, T0)
    # The operator's case worker is no approver; make the drafter an approver too.
    from faelles.tenancy.models import Role
    from faelles.tenancy.tests.factories import MembershipFactory

    MembershipFactory(institution=world.board, user=world.worker, role=Role.APPROVER)
    before = Case.objects.get(pk=case.pk).state
    with pytest.raises(Refused) as exc:
        services.case_task_complete(
            actor=world.worker,
            task=open_task(case, "approve_decision"),
            data={"approved": True},
            now=T0,
        )
    assert exc.value.refusal_code == "four_eyes"
    assert Case.objects.get(pk=case.pk).state == before
    assert AuditEvent.objects.filter(action="cases.task.complete.refused").count() == 1


def test_a_form_with_missing_reasons_is_refused():
    world = make_board()
    case = complaint_case(world)
    case = _register(world, case)
    services.case_task_complete(
        actor=world.worker, task=open_task(case, "await_statements"), data={}, now=T0
    )
    with pytest.raises(Refused) as exc:
        services.case_task_complete(
            actor=world.worker,
            task=open_task(case, "draft_decision"),
            data={"outcome": "upheld", "reasons": "", "legal_basis": "x"},
            now=T0,
        )
    assert exc.value.refusal_code == "form_invalid"
    assert open_task(case).spec_id == "draft_decision"
