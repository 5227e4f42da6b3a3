"""The vendor master's payment details, with history, and the bank-account changes.

A change of a vendor's bank details is an object of its own (:class:`VendorBankChange`):

* **requested** — by intake, when an invoice arrives with payment details that differ from
  the vendor master (later invoices to the same account join the pending change), or by a
  person who enters new details (:func:`vendor_bank_change_request`);
* **confirmed** by a second person (:func:`vendor_bank_change_confirm`) who is neither a
  requester nor an approver of an unpaid invoice to that account or of an invoice in the same
  payment run as one; the new details become the vendor master (the old version stays as
  history) and the invoices to the account are unblocked;
* or **refused** (:func:`vendor_bank_change_refuse`): the invoices to the account stay
  blocked, to be rejected.

While a change is pending no invoice to its account is approved, and whoever requested or
confirmed a change never approves an invoice paid to that account (``approval``). Every
refused attempt is an audit event of its own (``faelles.core.audit.Refused``).

Locks: the vendor row, then the change, then the invoices in primary-key order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import Refused, record_event, record_events_bulk, refusals_recorded
from faelles.payables.bank import payee_for
from faelles.payables.models import (
    Invoice,
    InvoiceState,
    Vendor,
    VendorBankChange,
    VendorPaymentDetails,
)
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, Role, User

CONFIRM_ROLES = frozenset({Role.INVOICE_RECEIVER, Role.BOOKKEEPER, Role.LOCAL_ADMIN})
#: Invoices that are done with: their approvers no longer stand in the way of a change.
SETTLED_STATES = frozenset({InvoiceState.PAID, InvoiceState.REJECTED})
Account = tuple[int, str]  # (vendor pk, payment key)


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


def account_of(invoice: Invoice) -> Account:
    return (invoice.vendor_id, payment_key(invoice.payment_means))


# --- what the approval and payment rules need to know -------------------------------------------


@dataclass(slots=True)
class AccountFacts:
    """The bank-account changes behind a set of invoices' accounts: the pending change of an
    account (by pk) and the people who requested or confirmed a change that made it the
    vendor master."""

    pending: dict[Account, int] = field(default_factory=dict)
    parties: dict[Account, set[int]] = field(default_factory=lambda: defaultdict(set))


def account_facts(invoices: Iterable[Invoice]) -> AccountFacts:
    """One query for every account the invoices are paid to (batch paths pass them all)."""
    accounts = {account_of(i) for i in invoices}
    facts = AccountFacts()
    vendor_ids = {vendor for vendor, key in accounts if key}
    if not vendor_ids:
        return facts
    rows = (
        VendorBankChange.objects.filter(
            vendor_id__in=vendor_ids,
            state__in=[VendorBankChange.State.REQUESTED, VendorBankChange.State.CONFIRMED],
        )
        .order_by()
        .values_list("pk", "vendor_id", "key", "state", "requester_ids", "decider_ids")
    )
    for pk, vendor_id, key, state, requester_ids, decider_ids in rows:
        account = (vendor_id, key)
        if account not in accounts:
            continue
        if state == VendorBankChange.State.REQUESTED:
            facts.pending[account] = pk
        else:
            facts.parties[account].update(requester_ids or [], decider_ids or [])
    return facts


def pending_accounts(institution: Institution) -> set[Account]:
    """The accounts of an institution with a change awaiting confirmation."""
    return set(
        VendorBankChange.objects.for_institution(institution)
        .filter(state=VendorBankChange.State.REQUESTED)
        .order_by()
        .values_list("vendor_id", "key")
    )


# --- services -----------------------------------------------------------------------------------


def _persons(actor: User, institution: Institution, roles: Iterable[str]) -> set[int]:
    """The actor and everyone they act for as a substitute in ``roles`` (all of them count
    for segregation of duties)."""
    persons = {actor.pk}
    delegated = selectors.delegated_roles_for(actor, institution)
    for role in roles:
        persons.update(p.pk for p in delegated.get(role, []))
    return persons


def _confirm_role(actor: User, institution: Institution, action: str, obj: Any) -> User | None:
    """On whose behalf ``actor`` handles bank changes; a refusal (audited) without a role."""
    held = selectors.roles_for(actor, institution) & CONFIRM_ROLES
    if not held:
        raise Refused(
            _("You do not have a role that may handle vendors' bank details."),
            code="not_permitted",
            action=action,
            institution=institution,
            obj=obj,
        )
    return selectors.acting_for(actor, institution, sorted(held)[0])


def _event(change: VendorBankChange, step: str, **details: Any) -> dict[str, Any]:
    return {
        "action": f"payables.bank_change.{step}",
        "obj": change,
        "details": {
            "vendor": change.vendor_id,
            "old": change.previous.key if change.previous else "",
            "new": change.key,
            **details,
        },
    }


def bank_changes_from_intake(
    institution: Institution, invoices: Sequence[Invoice]
) -> list[dict[str, Any]]:
    """Open (or join) the pending change of each account the blocked, newly stored invoices
    are paid to, requested by intake itself. Returns the audit events of the changes opened
    here, for the caller's batch (intake writes them with its own).

    Race-free without locks: the one-pending-change-per-account constraint decides, and a
    change opened meanwhile by another batch is joined.
    """
    blocked = [i for i in invoices if i.payment_blocked and i.pk is not None]
    if not blocked:
        return []
    first: dict[Account, Invoice] = {}
    for invoice in sorted(blocked, key=lambda i: i.pk):
        account = account_of(invoice)
        if account[1]:
            first.setdefault(account, invoice)
    if not first:
        return []
    vendor_ids = {vendor for vendor, _key in first}
    masters: dict[int, VendorPaymentDetails] = {}
    for details in VendorPaymentDetails.objects.filter(vendor_id__in=vendor_ids).order_by(
        "vendor_id", "-pk"
    ):
        masters.setdefault(details.vendor_id, details)
    VendorBankChange.objects.bulk_create(
        [
            VendorBankChange(
                institution=institution,
                vendor_id=vendor_id,
                key=key,
                details=invoice.payment_means,
                previous=masters.get(vendor_id),
                source_invoice=invoice,
            )
            for (vendor_id, key), invoice in first.items()
        ],
        ignore_conflicts=True,
    )
    mine = {i.pk for i in first.values()}
    opened = VendorBankChange.objects.filter(
        institution=institution,
        state=VendorBankChange.State.REQUESTED,
        source_invoice_id__in=mine,
    ).select_related("previous")
    return [
        _event(c, "requested", invoice=c.source_invoice_id, by="intake")
        for c in sorted(opened, key=lambda c: c.pk)
    ]


@refusals_recorded
@transaction.atomic
def vendor_bank_change_request(
    *,
    actor: User,
    vendor: Vendor,
    payment_means: list[dict[str, Any]],
    reason: str = "",
) -> VendorBankChange:
    """A person enters new bank details for a vendor (the vendor wrote or called): a pending
    change that a second person confirms. The same details already pending are joined (the
    actor becomes one more requester)."""
    vendor = Vendor.objects.select_for_update(of=("self",)).get(pk=vendor.pk)
    institution = vendor.institution
    action = "payables.bank_change.request"
    on_behalf_of = _confirm_role(actor, institution, action, vendor)
    try:
        payee = payee_for(payment_means)
    except ValidationError as exc:
        raise ValidationError({"payment_means": exc.messages}) from None
    key = payment_key(payment_means)
    if payee is None or not key:
        raise ValidationError(
            {
                "payment_means": [
                    ValidationError(
                        _("Give an IBAN, a Danish account or a payment slip to pay to."),
                        code="required",
                    )
                ]
            }
        )
    master = current_details(vendor)
    if master is not None and master.key == key:
        raise ValidationError(
            {
                "payment_means": [
                    ValidationError(
                        _("These are the vendor's payment details already."), code="unchanged"
                    )
                ]
            }
        )
    persons = sorted(_persons(actor, institution, CONFIRM_ROLES))
    change = (
        VendorBankChange.objects.select_for_update(of=("self",))
        .filter(vendor=vendor, key=key, state=VendorBankChange.State.REQUESTED)
        .first()
    )
    joined = change is not None
    if change is None:
        change = VendorBankChange(
            institution=institution,
            vendor=vendor,
            key=key,
            details=payment_means,
            previous=master,
            requested_by=actor,
            requester_ids=persons,
            reason=reason.strip()[:2000],
        )
        change.full_clean()
        change.save()
    else:
        change.requester_ids = sorted({*(change.requester_ids or []), *persons})
        if change.requested_by_id is None:
            change.requested_by = actor
        change.full_clean()
        change.save(update_fields=["requester_ids", "requested_by"])
    step = _event(change, "requested", joined=joined, reason=reason.strip()[:2000])
    record_event(institution=institution, actor=actor, on_behalf_of=on_behalf_of, **step)
    return change


def _lock_change(change: VendorBankChange) -> VendorBankChange:
    """The vendor row, then the change (the fixed order of every bank-change service)."""
    list(Vendor.objects.select_for_update(of=("self",)).filter(pk=change.vendor_id))
    locked: VendorBankChange = (
        VendorBankChange.objects.select_for_update(of=("self",))
        .select_related("vendor", "previous", "institution")
        .get(pk=change.pk)
    )
    if locked.state != VendorBankChange.State.REQUESTED:
        raise ValidationError(
            {
                "state": [
                    ValidationError(
                        _("The bank-account change is %(s)s already.")
                        % {"s": str(locked.get_state_display()).lower()},
                        code="wrong_state",
                    )
                ]
            }
        )
    return locked


def _account_invoices(change: VendorBankChange) -> list[Invoice]:
    """The vendor's invoices paid to the change's account (not duplicates), in pk order."""
    return [
        i
        for i in Invoice.objects.filter(vendor_id=change.vendor_id, duplicate_of__isnull=True)
        .only(
            "pk",
            "number",
            "state",
            "vendor",
            "payment_means",
            "payment_blocked",
            "approved_by",
            "first_approver_ids",
            "payment_run",
        )
        .order_by("pk")
        if payment_key(i.payment_means) == change.key
    ]


def _approvers(invoices: Iterable[Invoice]) -> set[int]:
    people: set[int] = set()
    for invoice in invoices:
        if invoice.approved_by_id is not None:
            people.add(invoice.approved_by_id)
        people.update(invoice.first_approver_ids or [])
    return people


def barred_from_confirming(change: VendorBankChange) -> dict[str, set[int]]:
    """Who may not confirm ``change``, by reason: its requesters, and the approvers of the
    unpaid invoices to its account and of every invoice in a payment run with one of them."""
    invoices = [i for i in _account_invoices(change) if i.state not in SETTLED_STATES]
    runs = {i.payment_run_id for i in invoices if i.payment_run_id is not None}
    in_runs = list(
        Invoice.objects.filter(payment_run_id__in=runs).only(
            "pk", "approved_by", "first_approver_ids"
        )
        if runs
        else []
    )
    return {
        "requester": set(change.requester_ids or []),
        "approver": _approvers(invoices) | _approvers(in_runs),
    }


@refusals_recorded
@transaction.atomic
def vendor_bank_change_confirm(*, actor: User, change: VendorBankChange) -> VendorBankChange:
    """A second person confirms the new bank details: they become the vendor master and the
    invoices to the account may be approved and paid."""
    change = _lock_change(change)
    institution = change.institution
    action = "payables.bank_change.confirm"
    on_behalf_of = _confirm_role(actor, institution, action, change)
    persons = _persons(actor, institution, CONFIRM_ROLES)
    barred = barred_from_confirming(change)
    if persons & barred["requester"]:
        raise Refused(
            _("You requested this bank-account change; a second person must confirm it."),
            code="requester",
            action=action,
            institution=institution,
            obj=change,
        )
    if persons & barred["approver"]:
        raise Refused(
            _(
                "You approved an invoice paid to this account; a person who approved none of "
                "them must confirm the change."
            ),
            code="approver",
            action=action,
            institution=institution,
            obj=change,
        )
    now = timezone.now()
    new = VendorPaymentDetails(
        institution=institution,
        vendor=change.vendor,
        key=change.key,
        details=change.details,
        source_invoice_id=change.source_invoice_id,
        confirmed_by=actor,
    )
    new.full_clean()
    new.save()
    change.state = VendorBankChange.State.CONFIRMED
    change.decided_by = actor
    change.decider_ids = sorted(persons)
    change.decided_at = now
    change.result = new
    change.full_clean(validate_constraints=False)
    change.save()
    blocked = [
        i
        for i in Invoice.objects.select_for_update(of=("self",))
        .filter(vendor_id=change.vendor_id, payment_blocked=True)
        .order_by("pk")
        if payment_key(i.payment_means) == change.key
    ]
    for invoice in blocked:
        invoice.payment_blocked = False
        invoice.payment_changed_by = actor
    Invoice.objects.bulk_update(blocked, ["payment_blocked", "payment_changed_by"])
    unblocked = [i.pk for i in blocked]
    step = _event(change, "confirmed", invoices=unblocked)
    record_events_bulk(
        institution=institution,
        actor=actor,
        events=[
            {**step, "on_behalf_of": on_behalf_of},
            {
                "action": "payables.vendor.payment_details_confirmed",
                "obj": change.vendor,
                "on_behalf_of": on_behalf_of,
                "details": {**step["details"], "change": change.pk},
            },
            *(
                {
                    "action": "payables.invoice.payment_details_confirmed",
                    "obj": invoice,
                    "on_behalf_of": on_behalf_of,
                    "details": {"change": change.pk, "new": change.key},
                }
                for invoice in blocked
            ),
        ],
    )
    return change


@refusals_recorded
@transaction.atomic
def vendor_bank_change_refuse(
    *, actor: User, change: VendorBankChange, reason: str
) -> VendorBankChange:
    """Refuse new bank details (the vendor knows nothing of them): the invoices to the account
    stay blocked and are to be rejected."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": [ValidationError(_("Give a reason for the refusal."), code="required")]}
        )
    change = _lock_change(change)
    institution = change.institution
    on_behalf_of = _confirm_role(actor, institution, "payables.bank_change.refuse", change)
    change.state = VendorBankChange.State.REFUSED
    change.decided_by = actor
    change.decider_ids = sorted(_persons(actor, institution, CONFIRM_ROLES))
    change.decided_at = timezone.now()
    change.reason = reason[:2000]
    change.full_clean(validate_constraints=False)
    change.save()
    step = _event(change, "refused", reason=change.reason)
    record_event(institution=institution, actor=actor, on_behalf_of=on_behalf_of, **step)
    return change


@transaction.atomic
def _pending_change_for(invoice: Invoice) -> VendorBankChange:
    """The pending change of the invoice's account, opened by intake if an older invoice
    was blocked before changes were objects of their own."""
    vendor_id, key = account_of(invoice)
    change = VendorBankChange.objects.filter(
        vendor_id=vendor_id, key=key, state=VendorBankChange.State.REQUESTED
    ).first()
    if change is not None:
        return change
    events = bank_changes_from_intake(invoice.institution, [invoice])
    if events:
        record_events_bulk(institution=invoice.institution, actor=None, events=events)
    return VendorBankChange.objects.get(
        vendor_id=vendor_id, key=key, state=VendorBankChange.State.REQUESTED
    )


def invoice_confirm_payment_details(*, actor: User, invoice: Invoice) -> Invoice:
    """Confirm the bank-account change behind a blocked invoice (the invoice page's button):
    :func:`vendor_bank_change_confirm` of the pending change of its account."""
    invoice = Invoice.objects.select_related("institution").get(pk=invoice.pk)
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
    if not selectors.roles_for(actor, invoice.institution) & CONFIRM_ROLES:
        # Checked before a pending change is opened for an old invoice.
        _refuse_confirm(actor=actor, invoice=invoice)
    vendor_bank_change_confirm(actor=actor, change=_pending_change_for(invoice))
    invoice.refresh_from_db()
    return invoice


@refusals_recorded
def _refuse_confirm(*, actor: User, invoice: Invoice) -> None:
    _confirm_role(actor, invoice.institution, "payables.bank_change.confirm", invoice)


def changes_pending(institution: Institution) -> Any:
    """The institution's changes awaiting confirmation, oldest first."""
    return (
        VendorBankChange.objects.for_institution(institution)
        .filter(state=VendorBankChange.State.REQUESTED)
        .select_related("vendor", "previous", "requested_by", "source_invoice")
        .order_by("requested_at", "pk")
    )


def invoices_to(change: VendorBankChange) -> list[Invoice]:
    """The invoices paid to the change's account (for its page)."""
    return _account_invoices(change)


__all__ = [
    "CONFIRM_ROLES",
    "AccountFacts",
    "account_facts",
    "account_of",
    "bank_changes_from_intake",
    "barred_from_confirming",
    "changes_pending",
    "current_details",
    "invoice_confirm_payment_details",
    "invoices_to",
    "payment_key",
    "pending_accounts",
    "vendor_bank_change_confirm",
    "vendor_bank_change_refuse",
    "vendor_bank_change_request",
]
