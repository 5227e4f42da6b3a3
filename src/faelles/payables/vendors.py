"""The vendor master's payment details, with history, and the payment block.

An invoice whose payment details differ from the vendor master's current ones is blocked for
payment until a person other than its approver confirms the change; the confirmation makes
the invoice's details the new current version (the old ones stay as history), and the person
who confirmed may then not approve the invoice (segregation of duties, see ``approval``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faelles.core.audit import record_event
from faelles.payables.models import Invoice, Vendor, VendorPaymentDetails
from faelles.tenancy import selectors
from faelles.tenancy.models import Role, User

CONFIRM_ROLES = frozenset({Role.INVOICE_RECEIVER, Role.BOOKKEEPER, Role.LOCAL_ADMIN})


def payment_key(means: list[dict[str, Any]]) -> str:
    """A canonical text for the invoice's payment details (order-independent)."""
    parts = []
    for m in means:
        kind = m.get("kind", "")
        if kind == "iban":
            parts.append(f"iban:{str(m.get('iban', '')).replace(' ', '').upper()}")
        elif kind == "dk_account":
            parts.append(f"dk:{m.get('reg', '')}-{m.get('account', '')}")
        elif kind == "fik":
            parts.append(f"fik:{m.get('card_type', '')}:{m.get('creditor', '')}")
        elif kind == "giro":
            parts.append(f"giro:{m.get('card_type', '')}:{m.get('account', '')}")
        elif kind == "account":
            parts.append(f"account:{m.get('account', '')}")
    return " ".join(sorted(set(parts)))[:200]


def current_details(vendor: Vendor) -> VendorPaymentDetails | None:
    return VendorPaymentDetails.objects.filter(vendor=vendor).order_by("-pk").first()


@transaction.atomic
def invoice_confirm_payment_details(*, actor: User, invoice: Invoice) -> Invoice:
    """Confirm that the invoice's new payment details are the vendor's: they become the vendor
    master (the old version stays as history) and the invoice may be paid. Not by the
    invoice's approver; whoever confirms cannot approve it afterwards."""
    invoice = Invoice.objects.select_for_update().select_related("vendor").get(pk=invoice.pk)
    institution = invoice.institution
    held = selectors.roles_for(actor, institution) & CONFIRM_ROLES
    if not held:
        raise ValidationError(
            {
                "actor": [
                    ValidationError(
                        _("You do not have a role that may confirm payment details."),
                        code="not_permitted",
                    )
                ]
            }
        )
    if not invoice.payment_blocked:
        raise ValidationError(
            {
                "payment_blocked": [
                    ValidationError(
                        _("The invoice's payment details match the vendor's."), code="not_blocked"
                    )
                ]
            }
        )
    on_behalf_of = selectors.acting_for(actor, institution, sorted(held)[0])
    approvers = {invoice.approved_by_id, *(invoice.first_approver_ids or [])} - {None}
    persons = {actor.pk} | ({on_behalf_of.pk} if on_behalf_of is not None else set())
    if persons & approvers:
        raise ValidationError(
            {
                "actor": [
                    ValidationError(
                        _("You approved this invoice; another person must confirm its details."),
                        code="approver",
                    )
                ]
            }
        )
    old = current_details(invoice.vendor)
    new = VendorPaymentDetails.objects.create(
        institution=institution,
        vendor=invoice.vendor,
        key=payment_key(invoice.payment_means),
        details=invoice.payment_means,
        source_invoice=invoice,
        confirmed_by=actor,
    )
    invoice.payment_blocked = False
    invoice.payment_changed_by = actor
    invoice.save(update_fields=["payment_blocked", "payment_changed_by"])
    record_event(
        institution=institution,
        actor=actor,
        action="payables.vendor.payment_details_confirmed",
        obj=invoice.vendor,
        on_behalf_of=on_behalf_of,
        details={"invoice": invoice.pk, "old": old.key if old else "", "new": new.key},
    )
    record_event(
        institution=institution,
        actor=actor,
        action="payables.invoice.payment_details_confirmed",
        obj=invoice,
        on_behalf_of=on_behalf_of,
        details={"old": old.key if old else "", "new": new.key},
    )
    return invoice
