"""Every write of invoice handling, in one place for the adapters (pages, API, commands).

Intake lives in :mod:`faelles.payables.intake` (store the bytes first, then read, route and
create the invoices, one document or a batch); the operator's handling of unroutable
documents is here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faelles.core.audit import record_event
from faelles.payables.coding import AllocationSpec, coding_rule_create, invoice_code
from faelles.payables.intake import (
    DOCUMENT_LEVEL_LINE_ID,
    SUSPECT_WINDOW_DAYS,
    Intake,
    document_receive,
    documents_process_waiting,
    documents_receive,
    number_key,
    process_assigned,
)
from faelles.payables.lifecycle.approval import (
    invoice_approve,
    invoice_set_exchange_rate,
    invoices_approve_batch,
)
from faelles.payables.lifecycle.attestation import invoice_attest, invoices_attest_batch
from faelles.payables.lifecycle.payment import invoice_mark_paid, invoice_schedule
from faelles.payables.lifecycle.posting import invoice_post, invoices_post_batch
from faelles.payables.lifecycle.rejection import invoice_reject
from faelles.payables.models import DocumentStatus, ReceivedDocument
from faelles.payables.reading import MAX_DOCUMENT_BYTES
from faelles.payables.routing import invoice_forward, routing_rule_create
from faelles.payables.vendors import (
    invoice_confirm_payment_details,
    vendor_bank_change_confirm,
    vendor_bank_change_refuse,
    vendor_bank_change_request,
)
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, StaffRole, User

__all__ = [
    "DOCUMENT_LEVEL_LINE_ID",
    "MAX_DOCUMENT_BYTES",
    "SUSPECT_WINDOW_DAYS",
    "AllocationSpec",
    "Intake",
    "coding_rule_create",
    "document_assign",
    "document_receive",
    "document_reject",
    "documents_process_waiting",
    "documents_receive",
    "invoice_approve",
    "invoice_attest",
    "invoice_code",
    "invoice_confirm_payment_details",
    "invoice_forward",
    "invoice_mark_paid",
    "invoice_post",
    "invoice_reject",
    "invoice_schedule",
    "invoice_set_exchange_rate",
    "invoices_approve_batch",
    "invoices_attest_batch",
    "invoices_post_batch",
    "number_key",
    "routing_rule_create",
    "vendor_bank_change_confirm",
    "vendor_bank_change_refuse",
    "vendor_bank_change_request",
]

ASSIGN_ROLES = frozenset({StaffRole.CASE_WORKER, StaffRole.OPERATOR_ADMIN})


def _refuse(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _unroutable(document: ReceivedDocument) -> ReceivedDocument:
    locked = ReceivedDocument.objects.select_for_update().get(pk=document.pk)
    if locked.status != DocumentStatus.UNROUTABLE:
        raise _refuse(
            "status",
            "not_unroutable",
            _("The document is %(status)s, not waiting in the unroutable queue.")
            % {"status": locked.get_status_display()},
        )
    return locked


@transaction.atomic
def document_assign(*, actor: User, document: ReceivedDocument, institution: Institution) -> Intake:
    """Operator staff serving ``institution`` assign an unroutable document to it; it is then
    read, validated and turned into an invoice as if it had been routed there."""
    if not selectors.own_roles_for(actor, institution) & ASSIGN_ROLES:
        raise _refuse(
            "institution",
            "not_permitted",
            _("You do not serve %(inst)s as operator staff.") % {"inst": institution},
        )
    document = _unroutable(document)
    record_event(
        institution=None,
        actor=actor,
        action="payables.document.assigned",
        obj=document,
        details={"institution": institution.pk, "receiver": document.receiver_id},
    )
    return process_assigned(document, institution)


@transaction.atomic
def document_reject(*, actor: User, document: ReceivedDocument, reason: str) -> ReceivedDocument:
    """Operator staff reject an unroutable document, with the reason kept as a finding."""
    reason = reason.strip()
    if not reason:
        raise _refuse("reason", "required", _("Give a reason for the rejection."))
    if not selectors.staff_roles_for(actor) & ASSIGN_ROLES:
        raise _refuse(
            "actor", "not_permitted", _("Only the operator's staff handle unroutable documents.")
        )
    document = _unroutable(document)
    document.status = DocumentStatus.REJECTED
    document.findings = [
        *document.findings,
        {"rule": "UNROUTABLE", "flag": "fatal", "location": "/", "message": reason[:1000]},
    ]
    document.save(update_fields=["status", "findings"])
    record_event(
        institution=None,
        actor=actor,
        action="payables.document.rejected",
        obj=document,
        details={"reason": reason[:1000], "receiver": document.receiver_id},
    )
    return document
