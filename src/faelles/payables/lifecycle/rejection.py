"""Reject: any step until the invoice is posted can reject it, with a reason that is kept."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.payables.lifecycle.common import lock_invoice, refuse, role_holder, save_step
from faelles.payables.models import Invoice
from faelles.payables.workflow import REJECT_ROLES, Action, can, transition, wrong_state
from faelles.tenancy import selectors
from faelles.tenancy.models import User


@transaction.atomic
def invoice_reject(*, actor: User, invoice: Invoice, reason: str) -> Invoice:
    """Reject an invoice that is not posted yet, with a reason that is kept (and will be the
    response to the supplier)."""
    reason = reason.strip()
    if not reason:
        raise refuse("reason", "required", _("Give a reason for the rejection."))
    invoice = lock_invoice(invoice)
    if not can(invoice, Action.REJECT):
        raise wrong_state(invoice, _("The invoice is %(state)s and can no longer be rejected."))
    roles = REJECT_ROLES[invoice.state]
    held = selectors.roles_for(actor, invoice.institution) & roles
    if not held:
        raise refuse("actor", "not_permitted", _("You do not have a role that may reject it now."))
    on_behalf_of = role_holder(actor, invoice, sorted(held)[0])
    old = invoice.state
    invoice.rejected_in_state = old
    transition(invoice, Action.REJECT)
    invoice.rejected_by = actor
    invoice.rejected_at = timezone.now()
    invoice.rejection_reason = reason[:2000]
    save_step(
        invoice, "rejected", actor, on_behalf_of, reason=invoice.rejection_reason, **{"from": old}
    )
    return invoice
