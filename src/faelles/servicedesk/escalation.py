"""Warnings before an SLA breach and escalation of a breach (the beat job, every 5 minutes).

The work list comes from the cached columns (``warning_at``, ``breach_at``, each with a
partial index over open tickets); each candidate's clocks are then computed from its history
at ``now``, so a stale cache never warns or escalates wrongly. Idempotent: a ticket is warned
once (``warned_at``) and escalated once per breach (``escalation_level``); a rerun finds
nothing new.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from faelles.core.audit import record_event
from faelles.core.mail import Mail, mails_queue
from faelles.core.models import OutgoingMail
from faelles.servicedesk import clocks
from faelles.servicedesk.models import OPEN_STATUSES, SlaState, Ticket, TicketEvent

BATCH = 500


def _recipients(ticket: Ticket) -> list[str]:
    to = []
    if ticket.assignee is not None and ticket.assignee.email:
        to.append(ticket.assignee.email)
    if ticket.team is not None and ticket.team.email:
        to.append(ticket.team.email)
    return sorted(set(to))


def _mail(ticket: Ticket, kind: str, subject: str) -> None:
    mails_queue(
        actor=None,
        mails=[
            Mail(
                institution=ticket.institution,
                kind=kind,
                to=to,
                subject=f"[{ticket.reference}] {subject}",
                body=f"{ticket.title}\n{ticket.institution}",
                obj=ticket,
            )
            for to in _recipients(ticket)
        ],
    )


def _one(pk: int, now: datetime) -> str | None:
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("service_level", "institution", "assignee", "team")
            .filter(pk=pk, status__in=OPEN_STATUSES)
            .first()
        )
        if ticket is None:
            return None
        state = clocks.live(ticket, at=now)
        if state is None:
            return None
        outcome = None
        fields: dict[str, Any] = {"sla_state": state.state}
        if state.state == SlaState.BREACHED and ticket.escalation_level == 0:
            outcome = "escalated"
            fields.update(escalation_level=1)
            if ticket.warned_at is None:
                fields["warned_at"] = now
            _mail(ticket, OutgoingMail.Kind.ESCALATION, _("SLA breached"))
        elif state.state == SlaState.WARNING and ticket.warned_at is None:
            outcome = "warned"
            fields["warned_at"] = now
            _mail(ticket, OutgoingMail.Kind.REMINDER, _("SLA close to breach"))
        Ticket.objects.filter(pk=pk).update(**fields)
        if outcome is not None:
            TicketEvent.objects.create(
                institution_id=ticket.institution_id,
                ticket=ticket,
                at=max(now, ticket.updated_at),
                kind=outcome,
                data={
                    "response": state.response_state,
                    "resolution": state.resolution_state,
                },
            )
            record_event(
                institution=ticket.institution,
                actor=None,
                action=f"servicedesk.ticket.{outcome}",
                obj=ticket,
                details={"reference": ticket.reference, "state": state.state},
            )
        return outcome


def tickets_escalate(*, now: datetime) -> dict[str, int]:
    """Warn the open tickets whose clocks have used the warning share of a target and
    escalate those that breached one; answers the counts."""
    open_ = Q(status__in=OPEN_STATUSES)
    due = Ticket.objects.filter(
        (open_ & Q(warned_at__isnull=True, warning_at__lte=now))
        | (open_ & Q(escalation_level=0, breach_at__lte=now))
    )
    counts = {"warned": 0, "escalated": 0, "checked": 0}
    for pk in due.order_by("pk").values_list("pk", flat=True)[:BATCH]:
        counts["checked"] += 1
        outcome = _one(pk, now)
        if outcome is not None:
            counts[outcome] += 1
    return counts
