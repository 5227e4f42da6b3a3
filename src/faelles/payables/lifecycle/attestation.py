"""Attest: the requester (or their substitute; without a requester an invoice receiver)
confirms that what was invoiced was received."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import record_events_bulk
from faelles.core.bulk import gc_paused
from faelles.payables.lifecycle.common import (
    clean_changed,
    lock_many,
    not_duplicate,
    one_institution,
    persons_of,
    refuse,
    refuse_missing,
    step_event,
    write_rows,
)
from faelles.payables.models import Invoice
from faelles.payables.workflow import Action, can, transition, wrong_state
from faelles.tenancy import selectors
from faelles.tenancy.models import Role, User


@transaction.atomic
def invoice_attest(*, actor: User, invoice: Invoice) -> Invoice:
    """The requester confirms that what was invoiced was received (a substitute of the
    requester may, between the delegation's dates). Without a requester an invoice receiver
    attests. The batch step with one invoice: the rules exist once."""
    locked, refused = _attest_many(actor, [invoice])
    if refused:
        raise refused[invoice.pk]
    return locked[0]


@gc_paused()
@transaction.atomic
def invoices_attest_batch(*, actor: User, invoices: list[Invoice]) -> dict[int, str]:
    """Attest many coded invoices of one institution at once (a requester confirming a
    week's deliveries): one lock, one bulk update and one audit batch. Returns the invoices
    not attested, by id, with the reason."""
    if not invoices:
        return {}
    refused = _attest_many(actor, invoices)[1]
    return {pk: " ".join(error.messages) for pk, error in refused.items()}


def _attest_problem(
    actor: User,
    invoice: Invoice,
    principals: dict[int, User],
    receiver_for: User | LookupError | None,
) -> tuple[ValidationError | None, User | None]:
    """Why ``actor`` may not attest ``invoice`` (``None``: they may), and on whose behalf."""
    if not can(invoice, Action.ATTEST):
        return wrong_state(invoice), None
    if invoice.duplicate_of_id is not None:
        try:
            not_duplicate(invoice)
        except ValidationError as exc:
            return exc, None
    if invoice.requester_id is not None:
        if actor.pk == invoice.requester_id:
            return None, None
        if invoice.requester_id not in principals:
            return refuse(
                "actor",
                "not_requester",
                _("Only the requester %(user)s (or their substitute) attests this invoice.")
                % {"user": invoice.requester},
            ), None
        return None, principals[invoice.requester_id]
    if isinstance(receiver_for, LookupError):
        return refuse(
            "actor",
            "not_permitted",
            _("You do not hold the role %(role)s in %(inst)s.")
            % {"role": Role.INVOICE_RECEIVER.label, "inst": invoice.institution},
        ), None
    return None, receiver_for


def _attest_many(
    actor: User, invoices: list[Invoice]
) -> tuple[list[Invoice], dict[int, ValidationError]]:
    """Attest ``invoices`` (one institution): the locked invoices and the refused ones."""
    institution = one_institution(invoices, _("Attest the invoices of one institution at a time."))
    principals = {
        d.principal_id: d.principal
        for d in selectors.active_delegations_for(actor, institution).select_related("principal")
    }
    receiver_for: User | LookupError | None
    try:
        receiver_for = selectors.acting_for(actor, institution, Role.INVOICE_RECEIVER)
    except LookupError as exc:
        receiver_for = exc
    refused: dict[int, ValidationError] = {}
    changed: list[Invoice] = []
    events: list[dict[str, Any]] = []
    now = timezone.now()
    locked = lock_many(institution, invoices, for_posting=False)
    for invoice in locked:
        problem, on_behalf_of = _attest_problem(actor, invoice, principals, receiver_for)
        if problem is not None:
            refused[invoice.pk] = problem
            continue
        transition(invoice, Action.ATTEST)
        invoice.attested_by = actor
        invoice.attester_ids = sorted(persons_of(actor, on_behalf_of))
        invoice.attested_at = now
        changed.append(invoice)
        events.append(step_event(invoice, "attested", on_behalf_of, {}))
    attested = ["state", "attested_by", "attester_ids", "attested_at", "next_role", "assigned_to"]
    clean_changed(changed, attested)
    write_rows(changed, attested)
    record_events_bulk(institution=institution, actor=actor, events=events)
    refuse_missing(invoices, locked, refused)
    return locked, refused
