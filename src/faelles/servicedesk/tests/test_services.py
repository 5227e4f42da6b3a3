"""The ticket's life cycle, its clocks computed from its history, priority, assignment,
order lines, rating and numbering."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from faelles.core.audit import Denied
from faelles.core.models import AuditEvent, OutgoingMail
from faelles.servicedesk import clocks, services
from faelles.servicedesk.models import SlaState, Status, Ticket
from faelles.servicedesk.tests.factories import make_desk

pytestmark = pytest.mark.django_db

CET = timezone(timedelta(hours=1))


def t(day: int, hh: int, mm: int = 0) -> datetime:
    """A time in March 2026 (Monday 2 March), Copenhagen winter time."""
    return datetime(2026, 3, day, hh, mm, tzinfo=CET)


def _open(desk, **kw):
    values = {
        "actor": desk.requester,
        "institution": desk.institution,
        "title": "Printeren virker ikke",
        "description": "Den blinker rødt.",
        "at": t(2, 9),
    }
    values.update(kw)
    return services.ticket_open(**values)


def test_a_request_is_numbered_per_institution_and_year():
    a, b = make_desk("a"), make_desk("b")
    first = _open(a)
    second = _open(a, at=t(2, 9, 5))
    other = _open(b, actor=b.requester)
    assert [first.reference, second.reference, other.reference] == [
        "SD-2026-000001",
        "SD-2026-000002",
        "SD-2026-000001",
    ]
    assert first.requester == a.requester
    assert first.priority == 4 and first.service_level == a.level


def test_priority_is_impact_times_urgency():
    assert services.priority_of(1, 1) == 1
    assert services.priority_of(1, 2) == services.priority_of(2, 1) == 2
    assert services.priority_of(2, 2) == services.priority_of(1, 3) == 3
    assert services.priority_of(3, 3) == services.priority_of(2, 3) == 4
    with pytest.raises(ValidationError):
        services.priority_of(0, 4)


def test_waiting_for_the_customer_pauses_the_resolution_clock_and_the_answer_resumes_it():
    desk = make_desk()
    ticket = _open(desk, impact=2, urgency=2)  # priority 3: 120 / 960 minutes
    services.ticket_transition(actor=desk.agent, ticket=ticket, action="start", at=t(2, 9, 30))
    services.ticket_transition(actor=desk.agent, ticket=ticket, action="wait", at=t(2, 10))
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
    assert (ticket.resolution_due, ticket.sla_state) == (None, SlaState.PAUSED)

    services.ticket_message(
        actor=desk.requester, ticket=ticket, body="Den står i rum 14.", at=t(3, 9)
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    # 60 minutes ran on Monday; 900 remain from Tuesday 09:00: 420 on Tuesday, 480 on
    # Wednesday → Wednesday 16:00.
    assert ticket.resolution_due == t(4, 16)

    services.ticket_transition(
        actor=desk.agent, ticket=ticket, action="resolve", reason="Toner skiftet.", at=t(3, 11)
    )
    ticket.refresh_from_db()
    result = clocks.clocks_for(ticket)
    assert (result.response.elapsed_minutes, result.response.met) == (30, True)
    assert (
        result.resolution.elapsed_minutes,
        result.resolution.paused_minutes,
        result.resolution.met,
    ) == (180, 420, True)
    assert ticket.status == Status.RESOLVED
    assert ticket.sla_state == SlaState.MET
    assert ticket.responded_at == t(2, 9, 30)
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["opened", "responded", "start", "paused", "message", "resumed", "resolved"]
    # The requester is told (the outbox), threaded by the reference.
    assert (
        OutgoingMail.objects.filter(
            to=desk.requester.email, subject__startswith=f"[{ticket.reference}] "
        ).count()
        == 1
    )


def test_a_priority_change_keeps_the_elapsed_time():
    desk = make_desk()
    ticket = _open(desk)  # priority 4: 240 / 1920
    services.ticket_prioritise(actor=desk.agent, ticket=ticket, impact=1, urgency=1, at=t(2, 10))
    ticket.refresh_from_db()
    assert ticket.priority == 1  # 30 / 240 from now on
    # The resolution clock has run 60 minutes: 180 remain → 13:00. The response clock had
    # reached its new target of 30 at 09:30: breached, and due in the past.
    assert ticket.resolution_due == t(2, 13)
    assert ticket.response_due == t(2, 9, 30)
    assert ticket.breach_at == t(2, 9, 30)
    live = clocks.live(ticket, at=t(2, 10))
    assert (live.response_state, live.resolution_state, live.state) == (
        "breached",
        "running",
        "breached",
    )


def test_the_cached_due_times_are_the_computed_ones_after_every_event():
    desk = make_desk()
    ticket = _open(desk, category=desk.category)
    for step in (
        lambda: services.ticket_transition(
            actor=desk.agent, ticket=ticket, action="wait", at=t(2, 11)
        ),
        lambda: services.ticket_transition(
            actor=desk.agent, ticket=ticket, action="resume", at=t(2, 14)
        ),
        lambda: services.ticket_prioritise(
            actor=desk.agent, ticket=ticket, impact=2, urgency=1, at=t(2, 15)
        ),
    ):
        step()
        ticket.refresh_from_db()
        computed = clocks.clocks_for(ticket)
        assert ticket.response_due == computed.response.due
        assert ticket.resolution_due == computed.resolution.due


def test_warning_before_breach_and_escalation_once():
    from faelles.servicedesk.escalation import tickets_escalate

    desk = make_desk()
    ticket = _open(desk, category=desk.category)  # priority 4: response 240, warn at 80 %
    ticket.refresh_from_db()
    assert ticket.team == desk.team
    assert ticket.warning_at == t(2, 12, 12)  # 192 business minutes after 09:00
    assert tickets_escalate(now=t(2, 12, 11)) == {"warned": 0, "escalated": 0, "checked": 0}
    assert tickets_escalate(now=t(2, 12, 13)) == {"warned": 1, "escalated": 0, "checked": 1}
    assert tickets_escalate(now=t(2, 12, 14)) == {"warned": 0, "escalated": 0, "checked": 0}
    warning = OutgoingMail.objects.get(kind=OutgoingMail.Kind.REMINDER)
    assert (warning.to, warning.subject) == (
        "1linje@drift.example",
        f"[{ticket.reference}] SLA close to breach",
    )
    # The response target (240) is breached after 13:00.
    assert tickets_escalate(now=t(2, 13, 1))["escalated"] == 1
    assert tickets_escalate(now=t(2, 13, 30))["escalated"] == 0
    ticket.refresh_from_db()
    assert (ticket.escalation_level, ticket.sla_state) == (1, SlaState.BREACHED)
    assert OutgoingMail.objects.filter(kind=OutgoingMail.Kind.ESCALATION).count() == 1
    assert list(
        ticket.events.filter(kind__in=["warned", "escalated"]).values_list("kind", flat=True)
    ) == [
        "warned",
        "escalated",
    ]
    assert AuditEvent.objects.filter(action="servicedesk.ticket.escalated").count() == 1


def test_a_paused_ticket_is_not_escalated():
    from faelles.servicedesk.escalation import tickets_escalate

    desk = make_desk()
    ticket = _open(desk)
    services.ticket_transition(actor=desk.agent, ticket=ticket, action="wait", at=t(2, 9, 10))
    ticket.refresh_from_db()
    assert (ticket.warning_at, ticket.breach_at) == (None, None)
    assert tickets_escalate(now=t(20, 9)) == {"warned": 0, "escalated": 0, "checked": 0}


def test_only_the_service_desk_resolves_and_a_refusal_is_recorded():
    desk = make_desk()
    ticket = _open(desk)
    with pytest.raises(Denied):
        services.ticket_transition(
            actor=desk.requester, ticket=ticket, action="resolve", reason="x", at=t(2, 10)
        )
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert AuditEvent.objects.filter(action="servicedesk.ticket.resolve.refused").count() == 1
    with pytest.raises(ValidationError):
        services.ticket_transition(actor=desk.agent, ticket=ticket, action="resolve", reason="")
    with pytest.raises(ValidationError):
        services.ticket_transition(actor=desk.agent, ticket=ticket, action="reopen")


def test_the_requester_rates_and_that_closes_the_ticket_once():
    desk = make_desk()
    ticket = _open(desk)
    services.ticket_transition(
        actor=desk.agent, ticket=ticket, action="resolve", reason="Genstartet.", at=t(2, 10)
    )
    with pytest.raises(Denied):
        services.ticket_rate(actor=desk.colleague, ticket=ticket, rating=5)
    services.ticket_rate(actor=desk.requester, ticket=ticket, rating=4, comment="Hurtigt.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating, ticket.rating_comment) == (Status.CLOSED, 4, "Hurtigt.")
    assert ticket.closed_at is not None
    with pytest.raises(ValidationError):
        services.ticket_rate(actor=desk.requester, ticket=ticket, rating=5)


def test_an_answer_to_a_resolved_ticket_reopens_it_and_the_clock_runs_on():
    desk = make_desk()
    ticket = _open(desk)
    services.ticket_transition(
        actor=desk.agent, ticket=ticket, action="resolve", reason="Genstartet.", at=t(2, 10)
    )
    services.ticket_message(
        actor=desk.requester, ticket=ticket, body="Den blinker igen.", at=t(2, 14)
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    # 60 minutes before the resolution; from 14:00 the clock runs on: 1920 − 60 = 1860 left
    # = 120 on Monday, 480 Tue–Thu (1440), 300 on Friday → Friday 13:00.
    assert ticket.resolution_due == t(6, 13)


def test_order_lines_are_priced_from_the_contracts_price_list():
    desk = make_desk()
    ticket = _open(desk, category=desk.fm_category, domain="facilities", location=desk.room)
    assert ticket.contract == desk.contract
    line = services.order_line_add(
        actor=desk.agent, ticket=ticket, price_item=desk.cleaning, quantity="37"
    )
    assert (line.unit, line.unit_price, line.amount) == ("m2", Decimal("12.35"), Decimal("456.95"))
    own = services.order_line_add(
        actor=desk.agent,
        ticket=ticket,
        description="Flytning af skrivebord",
        quantity="2.5",
        unit_price="625",
    )
    assert own.amount == Decimal("1562.50")
    assert services.order_total(ticket) == Decimal("2019.45")
    with pytest.raises(Denied):
        services.order_line_add(
            actor=desk.requester, ticket=ticket, price_item=desk.hour, quantity="1"
        )
    other = make_desk("b")
    foreign_item = other.hour.__class__.objects.create(
        contract=other.contract.__class__.objects.create(
            operator=other.operator,
            supplier=other.supplier,
            reference="IT-HW-2",
            title="Hardware",
            domain="it",
            valid_from=other.contract.valid_from,
        ),
        code="X",
        description="x",
        unit="stk",
        unit_price=Decimal("1"),
    )
    with pytest.raises(ValidationError):
        services.order_line_add(
            actor=desk.agent, ticket=ticket, price_item=foreign_item, quantity="1"
        )
    assert ticket.order_lines.count() == 2


def test_assignment_to_a_supplier_needs_a_contract_that_covers_the_institution():
    desk = make_desk()
    other = make_desk("b")
    ticket = _open(desk)
    other.contract.institutions.remove(desk.institution)
    # Both desks share the wave contract only when built on one operator; here it is the
    # other operator's contract, which does not cover A.
    with pytest.raises(ValidationError):
        services.ticket_assign(actor=desk.agent, ticket=ticket, contract=other.contract)
    with pytest.raises(ValidationError):
        services.ticket_assign(actor=desk.agent, ticket=ticket, assignee=other.agent)
    services.ticket_assign(
        actor=desk.agent, ticket=ticket, team=desk.team, assignee=desk.agent, contract=desk.contract
    )
    ticket.refresh_from_db()
    assert (ticket.team, ticket.assignee, ticket.contract) == (desk.team, desk.agent, desk.contract)
    work_order = OutgoingMail.objects.get(to="ordre@fm.example")
    assert work_order.subject.startswith(f"[{ticket.reference}] ")


def test_someone_outside_the_institution_cannot_open_a_ticket_in_it():
    desk, other = make_desk(), make_desk("b")
    with pytest.raises(Denied):
        _open(desk, actor=other.requester)
    assert Ticket.objects.count() == 0
    assert AuditEvent.objects.filter(action="servicedesk.ticket.open.refused").count() == 1
