"""The life cycle of a purchase order as one table: which event moves an order from which
state to which. The services read it; ``check`` refuses a change the table does not have."""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from faelles.purchasing.models import OrderState, PurchaseOrder

S = OrderState


class Event(StrEnum):
    ACCEPT = "accept"  # Order Response AP or CA
    REJECT = "reject"  # Order Response RE
    CHANGE = "change"  # Order Change
    CANCEL = "cancel"  # Order Cancellation
    DESPATCH = "despatch"  # Despatch Advice
    RECEIVE_PART = "receive_part"  # goods receipt, something still outstanding
    RECEIVE_ALL = "receive_all"  # goods receipt, nothing outstanding


_OPEN = (S.SENT, S.ACCEPTED, S.DESPATCHED, S.PARTLY_RECEIVED)

TRANSITIONS: MappingProxyType[tuple[str, str], str] = MappingProxyType(
    {
        (S.SENT, Event.ACCEPT): S.ACCEPTED,
        (S.ACCEPTED, Event.ACCEPT): S.ACCEPTED,
        (S.SENT, Event.REJECT): S.REJECTED,
        (S.SENT, Event.CHANGE): S.SENT,
        (S.ACCEPTED, Event.CHANGE): S.SENT,  # a change awaits the supplier's answer again
        (S.SENT, Event.CANCEL): S.CANCELLED,
        (S.ACCEPTED, Event.CANCEL): S.CANCELLED,
        (S.SENT, Event.DESPATCH): S.DESPATCHED,
        (S.ACCEPTED, Event.DESPATCH): S.DESPATCHED,
        (S.DESPATCHED, Event.DESPATCH): S.DESPATCHED,
        (S.PARTLY_RECEIVED, Event.DESPATCH): S.PARTLY_RECEIVED,
        **{(state, Event.RECEIVE_PART): S.PARTLY_RECEIVED for state in _OPEN},
        **{(state, Event.RECEIVE_ALL): S.RECEIVED for state in _OPEN},
    }
)


def next_state(order: PurchaseOrder, event: Event) -> str:
    """The state ``event`` moves ``order`` to; a ValidationError when it cannot happen now."""
    try:
        return TRANSITIONS[(order.state, event)]
    except KeyError:
        raise ValidationError(
            _("Order %(number)s is %(state)s; that cannot happen to it now.")
            % {"number": order.number, "state": OrderState(order.state).label.lower()},
            code="wrong_state",
        ) from None


def apply(order: PurchaseOrder, event: Event) -> str:
    """Move ``order`` (not saved) by ``event``; answer the old state."""
    old = order.state
    order.state = next_state(order, event)
    return old
