"""The life cycle of an invoice in one table: state × action → next state, who may act, who
acts next.

Every service that changes an invoice's state goes through :func:`transition` (which refuses
an action the table does not have for the invoice's state and sets who acts next), the pages
and the API offer what :func:`allowed_actions` answers, reminders and the inbox read their
groups of states from here, and :meth:`Invoice.save` refuses a change of state that is not in
the table (:func:`check_change`). The services add the rules that need more than a role (the
requester attests, segregation of duties at approval, the ledger at posting).

``""`` is the state of an invoice not yet stored: intake creates it received, coded (coded
automatically by rule) or rejected (an exact duplicate). Actions with no roles are the
system's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from faelles.payables.models import InvoiceState
from faelles.tenancy.models import Role

if TYPE_CHECKING:
    from faelles.payables.models import Invoice
    from faelles.tenancy.models import User

NEW = ""

S = InvoiceState


class Action(StrEnum):
    RECEIVE = "receive"
    CODE_AUTOMATICALLY = "code_automatically"
    REJECT_DUPLICATE = "reject_duplicate"
    CODE = "code"
    FORWARD = "forward"
    SET_RATE = "rate"
    ATTEST = "attest"
    FIRST_APPROVE = "first_approve"
    APPROVE = "approve"
    POST_ON_APPROVAL = "post_on_approval"
    POST_WAITS = "post_waits"
    POST = "post"
    SCHEDULE = "schedule"
    PAY = "pay"
    REJECT = "reject"


class NextActor(StrEnum):
    """Who acts next once the transition is made."""

    REQUESTER = "requester"  # the requester if routed, else the invoice receivers
    APPROVERS = Role.APPROVER.value
    BOOKKEEPERS = Role.BOOKKEEPER.value
    PAYERS = Role.PAYER.value
    NOBODY = ""


@dataclass(frozen=True, slots=True)
class Transition:
    state: str
    action: Action
    next_state: str
    #: The roles that may take the action (empty: the system, or the step follows another).
    roles: frozenset[str]
    next_actor: NextActor


_CODERS = frozenset({Role.INVOICE_RECEIVER, Role.REQUESTER, Role.BOOKKEEPER})
_FORWARDERS = frozenset({Role.INVOICE_RECEIVER, Role.REQUESTER})
_ATTESTERS = frozenset({Role.REQUESTER, Role.INVOICE_RECEIVER})
_NONE: frozenset[str] = frozenset()


def _t(state: str, action: Action, to: str, roles: Iterable[str], then: NextActor) -> Transition:
    return Transition(state, action, to, frozenset(roles), then)


#: The table. Read it top to bottom as the invoice's way from intake to payment.
TRANSITIONS: tuple[Transition, ...] = (
    _t(NEW, Action.RECEIVE, S.RECEIVED, _NONE, NextActor.REQUESTER),
    _t(NEW, Action.CODE_AUTOMATICALLY, S.CODED, _NONE, NextActor.REQUESTER),
    _t(NEW, Action.REJECT_DUPLICATE, S.REJECTED, _NONE, NextActor.NOBODY),
    _t(S.RECEIVED, Action.CODE, S.CODED, _CODERS, NextActor.REQUESTER),
    _t(S.CODED, Action.CODE, S.CODED, _CODERS, NextActor.REQUESTER),
    _t(S.RECEIVED, Action.FORWARD, S.RECEIVED, _FORWARDERS, NextActor.REQUESTER),
    _t(S.CODED, Action.FORWARD, S.CODED, _FORWARDERS, NextActor.REQUESTER),
    _t(S.RECEIVED, Action.SET_RATE, S.RECEIVED, {Role.BOOKKEEPER}, NextActor.REQUESTER),
    _t(S.CODED, Action.SET_RATE, S.CODED, {Role.BOOKKEEPER}, NextActor.REQUESTER),
    _t(S.ATTESTED, Action.SET_RATE, S.ATTESTED, {Role.BOOKKEEPER}, NextActor.APPROVERS),
    _t(S.CODED, Action.ATTEST, S.ATTESTED, _ATTESTERS, NextActor.APPROVERS),
    _t(S.ATTESTED, Action.FIRST_APPROVE, S.ATTESTED, {Role.APPROVER}, NextActor.APPROVERS),
    _t(S.ATTESTED, Action.APPROVE, S.APPROVED, {Role.APPROVER}, NextActor.BOOKKEEPERS),
    # The final approval posts at once, in the same transaction (the approver posts).
    _t(S.APPROVED, Action.POST_ON_APPROVAL, S.POSTED, _NONE, NextActor.PAYERS),
    # ... or, when the ledger refuses, the invoice waits for a bookkeeper.
    _t(S.APPROVED, Action.POST_WAITS, S.APPROVED, _NONE, NextActor.BOOKKEEPERS),
    _t(S.APPROVED, Action.POST, S.POSTED, {Role.BOOKKEEPER}, NextActor.PAYERS),
    _t(S.POSTED, Action.SCHEDULE, S.SCHEDULED, {Role.PAYER}, NextActor.PAYERS),
    _t(S.SCHEDULED, Action.PAY, S.PAID, {Role.PAYER}, NextActor.NOBODY),
    _t(S.RECEIVED, Action.REJECT, S.REJECTED, _CODERS, NextActor.NOBODY),
    _t(S.CODED, Action.REJECT, S.REJECTED, _CODERS, NextActor.NOBODY),
    _t(S.ATTESTED, Action.REJECT, S.REJECTED, {Role.APPROVER}, NextActor.NOBODY),
    _t(S.APPROVED, Action.REJECT, S.REJECTED, {Role.BOOKKEEPER, Role.APPROVER}, NextActor.NOBODY),
)

BY_KEY: dict[tuple[str, str], Transition] = {(t.state, t.action): t for t in TRANSITIONS}
if len(BY_KEY) != len(TRANSITIONS):  # pragma: no cover - a broken table fails at import
    raise AssertionError("an action appears twice for one state")

#: Who acts next in each state (every transition into a state names the same).
NEXT_ACTOR: dict[str, NextActor] = {}
for _tr in TRANSITIONS:
    if NEXT_ACTOR.setdefault(_tr.next_state, _tr.next_actor) != _tr.next_actor:  # pragma: no cover
        raise AssertionError(f"two next actors for {_tr.next_state}")

#: Every change of state the table allows, as (from, to); staying in a state always is.
CHANGES: frozenset[tuple[str, str]] = frozenset((t.state, t.next_state) for t in TRANSITIONS)
INITIAL_STATES: frozenset[str] = frozenset(t.next_state for t in TRANSITIONS if t.state == NEW)


def states_for(action: Action) -> frozenset[str]:
    """The states in which ``action`` can be taken."""
    return frozenset(t.state for t in TRANSITIONS if t.action == action)


def roles_for_action(state: str, action: Action) -> frozenset[str]:
    t = BY_KEY.get((state, action))
    return t.roles if t is not None else frozenset()


def _forward_from(state: str) -> set[str]:
    """The states reachable from ``state`` without a rejection (``state`` included)."""
    seen = {state}
    todo = [state]
    while todo:
        here = todo.pop()
        for t in TRANSITIONS:
            if t.state == here and t.action != Action.REJECT and t.next_state not in seen:
                seen.add(t.next_state)
                todo.append(t.next_state)
    return seen


#: The states where somebody still has to act (every state with a way out).
OPEN_STATES: tuple[str, ...] = tuple(
    s for s in InvoiceState.values if any(t.state == s and t.next_state != s for t in TRANSITIONS)
)
#: The open states before posting: somebody must act before the invoice can be paid on time
#: (reminded before the due date, escalated after it).
ACTIVE_STATES: tuple[str, ...] = tuple(
    s for s in OPEN_STATES if S.POSTED in _forward_from(s) and s != S.POSTED
)
#: The states an approved invoice can be in (approved, and every state after).
APPROVED_STATES: tuple[str, ...] = tuple(
    s for s in InvoiceState.values if s in _forward_from(S.APPROVED)
)
CODABLE_STATES = states_for(Action.CODE)
REJECTABLE_STATES = states_for(Action.REJECT)
#: The roles that may reject an invoice in each state (those who act on it then).
REJECT_ROLES: dict[str, frozenset[str]] = {
    t.state: t.roles for t in TRANSITIONS if t.action == Action.REJECT
}


def wrong_state(invoice: Invoice, message: str | None = None) -> ValidationError:
    from faelles.payables.labels import state_in_sentence

    text = message or _("The invoice is %(state)s; this step is not possible now.")
    return ValidationError(
        {
            "state": [
                ValidationError(
                    text % {"state": state_in_sentence(invoice.state)}, code="wrong_state"
                )
            ]
        }
    )


def can(invoice: Invoice, action: Action) -> bool:
    """Whether the table has ``action`` for the invoice's state."""
    return (invoice.state, action) in BY_KEY


def transition(invoice: Invoice, action: Action, *, message: str | None = None) -> Transition:
    """Take ``action`` on ``invoice`` (not saved): its next state and who acts next. Refuses
    (``wrong_state``) when the table has no such action in the invoice's state."""
    t = BY_KEY.get((invoice.state, action))
    if t is None:
        raise wrong_state(invoice, message)
    invoice.state = t.next_state
    set_next_actor(invoice)
    return t


def set_next_actor(invoice: Invoice) -> None:
    """Who must act next, from the state and the table: the requester codes and attests
    (the invoice receivers when there is none), approvers approve, bookkeepers post, payers
    pay."""
    rule = NEXT_ACTOR.get(invoice.state, NextActor.NOBODY)
    if rule == NextActor.REQUESTER:
        if invoice.requester_id is not None:
            invoice.next_role, invoice.assigned_to_id = Role.REQUESTER, invoice.requester_id
        else:
            invoice.next_role, invoice.assigned_to_id = Role.INVOICE_RECEIVER, None
    else:
        invoice.next_role, invoice.assigned_to_id = str(rule), None


def check_change(old: str, new: str) -> None:
    """Refuse a change of state the table does not have (used by :meth:`Invoice.save`)."""
    if old == new or (old, new) in CHANGES:
        return
    raise ValidationError(
        {
            "state": [
                ValidationError(
                    _("An invoice cannot go from %(old)s to %(new)s.")
                    % {"old": old or _("new"), "new": new},
                    code="not_in_workflow",
                )
            ]
        }
    )


def allowed_actions(
    invoice: Invoice, user: User, roles: set[str] | None = None
) -> frozenset[Action]:
    """The actions the table lets ``user`` take on ``invoice`` now by their roles (own and as
    a substitute). The services then check the rules beyond the role (segregation of duties,
    the requester, the ledger); a duplicate is only ever rejected."""
    if roles is None:
        from faelles.tenancy import selectors

        roles = selectors.roles_for(user, invoice.institution)
    out = {t.action for t in TRANSITIONS if t.state == invoice.state and t.roles & roles}
    if invoice.duplicate_of_id is not None:
        out &= {Action.REJECT}
    return frozenset(out)


def table_rows() -> list[tuple[str, str, str, str, str]]:
    """The table as text rows (state, action, next state, roles, next actor) for the docs."""
    return [
        (
            t.state or "(new)",
            str(t.action),
            t.next_state,
            ", ".join(sorted(t.roles)) or "(system)",
            str(t.next_actor) or "nobody",
        )
        for t in TRANSITIONS
    ]
