"""The approval flow of an invoice, with segregation of duties enforced here, not in views.

received → coded → attested (the requester confirms receipt) → approved (an approver within
their approval limit; above it, a second approver whose limit covers the amount) → posted
(a ledger entry through the ledger service) → scheduled → paid. Every step can reject with a
reason until the invoice is posted; posted money is never un-posted here.

Rules (Regnskabsbekendtgørelsen §§ 24, 28; Rigsrevisionen 7/2020):

* the attester never approves the same invoice, and the two approvers are two people;
* nobody approves an invoice they coded, or whose payment details they changed;
* no invoice is approved while a change of its bank account awaits confirmation, and whoever
  requested or confirmed a change never approves an invoice paid to that account
  (``vendors``);
* the operator's system administrators never approve;
* the payer is not the person who posted;
* a substitute acts only between the delegation's dates, and is logged "on behalf of";
* a duplicate (``duplicate_of`` set) is never approved, posted or paid.

Every transition locks the invoice row first (``select_for_update(of=("self",))``: the invoice
only, never the joined institution or vendor) and re-checks the state, so two people acting at
once cannot both succeed. A refusal on segregation of duties is an audit event of its own
(``payables.invoice.approve.refused``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from faelles.core.audit import (
    Refused,
    events_batched,
    record_event,
    record_events_bulk,
    refusals_recorded,
)
from faelles.core.bulk import gc_paused, update_rows
from faelles.core.money import round_money
from faelles.ledger.models import JournalEntry
from faelles.ledger.selectors import (
    PostingAccountNumbers,
    posting_accounts,
    posting_accounts_annotations,
    posting_accounts_from_row,
)
from faelles.ledger.services import (
    EntrySpec,
    LineSpec,
    entries_record_batch,
)
from faelles.payables import posting_dates, vendors
from faelles.payables.labels import state_in_sentence
from faelles.payables.models import (
    INVOICE_UNCHECKED_FIELDS,
    Invoice,
    InvoiceAllocation,
    InvoiceState,
)
from faelles.payables.workflow import (
    REJECT_ROLES,
    REJECTABLE_STATES,
    Action,
    can,
    set_next_actor,
    transition,
    wrong_state,
)
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, Role, User
from faelles.tenancy.selectors import ApprovalLimit

LEDGER_CURRENCY = "DKK"
SOURCE_TYPE = "payables.invoice"
PAYMENT_SOURCE_TYPE = "payables.payment"
__all__ = ["REJECTABLE_STATES", "REJECT_ROLES"]


def _refuse(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def merge_errors(errors: list[ValidationError]) -> ValidationError:
    """One ValidationError with every field's errors (codes kept)."""
    merged: dict[str, list[ValidationError]] = defaultdict(list)
    for error in errors:
        for field, items in error.error_dict.items():
            merged[field].extend(items)
    return ValidationError(dict(merged))


def _lock(invoice: Invoice) -> Invoice:
    locked: Invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("institution", "vendor")
        .get(pk=invoice.pk)
    )
    return locked


def _require(invoice: Invoice, action: Action) -> None:
    """Refuse (``wrong_state``) when the life cycle has no ``action`` in the invoice's state."""
    if not can(invoice, action):
        raise wrong_state(invoice)


def _not_duplicate(invoice: Invoice) -> None:
    if invoice.duplicate_of_id is not None:
        raise _refuse(
            "duplicate_of",
            "duplicate",
            _("This invoice is a duplicate of invoice %(pk)s and can never be approved or paid.")
            % {"pk": invoice.duplicate_of_id},
        )


def _role_holder(actor: User, invoice: Invoice, role: str) -> User | None:
    """On whose behalf ``actor`` acts in ``role`` (``None``: own); refuses without the role."""
    try:
        return selectors.acting_for(actor, invoice.institution, role)
    except LookupError:
        raise _refuse(
            "actor",
            "not_permitted",
            _("You do not hold the role %(role)s in %(inst)s.")
            % {"role": Role(role).label, "inst": invoice.institution},
        ) from None


def _persons(actor: User, on_behalf_of: User | None) -> set[int]:
    return {actor.pk} | ({on_behalf_of.pk} if on_behalf_of is not None else set())


def _save(
    invoice: Invoice, action: str, actor: User, on_behalf_of: User | None, **details: object
) -> None:
    set_next_actor(invoice)
    invoice.full_clean(validate_constraints=False)
    invoice.save()
    record_event(
        institution=invoice.institution,
        actor=actor,
        action=f"payables.invoice.{action}",
        obj=invoice,
        on_behalf_of=on_behalf_of,
        details={"state": invoice.state, **details},
    )


# --- attest ---------------------------------------------------------------------------------


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
            _not_duplicate(invoice)
        except ValidationError as exc:
            return exc, None
    if invoice.requester_id is not None:
        if actor.pk == invoice.requester_id:
            return None, None
        if invoice.requester_id not in principals:
            return _refuse(
                "actor",
                "not_requester",
                _("Only the requester %(user)s (or their substitute) attests this invoice.")
                % {"user": invoice.requester},
            ), None
        return None, principals[invoice.requester_id]
    if isinstance(receiver_for, LookupError):
        return _refuse(
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
    institution = _one_institution(invoices, _("Attest the invoices of one institution at a time."))
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
    locked = _lock_many(institution, invoices, for_posting=False)
    for invoice in locked:
        problem, on_behalf_of = _attest_problem(actor, invoice, principals, receiver_for)
        if problem is not None:
            refused[invoice.pk] = problem
            continue
        transition(invoice, Action.ATTEST)
        invoice.attested_by = actor
        invoice.attester_ids = sorted(_persons(actor, on_behalf_of))
        invoice.attested_at = now
        changed.append(invoice)
        events.append(_event(invoice, "attested", on_behalf_of, {}))
    attested = ["state", "attested_by", "attester_ids", "attested_at", "next_role", "assigned_to"]
    _clean(changed, attested)
    _write(changed, attested)
    record_events_bulk(institution=institution, actor=actor, events=events)
    _missing(invoices, locked, refused)
    return locked, refused


def _one_institution(invoices: list[Invoice], message: str) -> Institution:
    institution = invoices[0].institution
    if any(i.institution_id != institution.pk for i in invoices):
        raise _refuse("invoices", "mixed", message)
    return institution


def _missing(
    invoices: list[Invoice], locked: list[Invoice], refused: dict[int, ValidationError]
) -> None:
    """An invoice asked for but not found (another institution's) is refused as missing."""
    found = {i.pk for i in locked}
    for invoice in invoices:
        if invoice.pk not in found:
            refused[invoice.pk] = _refuse(
                "invoice", "not_found", _("Invoice %(pk)s was not found.") % {"pk": invoice.pk}
            )


def _write(invoices: list[Invoice], fields: Sequence[str]) -> None:
    """Write the changed fields of ``invoices`` in one statement (the states were checked
    against the life cycle by :func:`transition`)."""
    update_rows(Invoice, invoices, list(fields))
    for invoice in invoices:
        invoice._stored_state = invoice.state


# --- approve --------------------------------------------------------------------------------


def amount_in_ledger_currency(invoice: Invoice) -> Decimal | None:
    """The amount payable in DKK (by the recorded exchange rate for another currency);
    ``None`` for another currency without a rate."""
    return to_dkk(invoice, invoice.payable_amount)


def to_dkk(invoice: Invoice, amount: Decimal) -> Decimal | None:
    if invoice.currency == LEDGER_CURRENCY:
        return amount
    if invoice.exchange_rate is None:
        return None
    return round_money(amount * invoice.exchange_rate, LEDGER_CURRENCY)


@transaction.atomic
def invoice_set_exchange_rate(*, actor: User, invoice: Invoice, rate: Decimal) -> Invoice:
    """A bookkeeper records the DKK rate of a foreign-currency invoice before it is approved
    (the approval limit and the posting use it)."""
    invoice = _lock(invoice)
    on_behalf_of = _role_holder(actor, invoice, Role.BOOKKEEPER)
    _require(invoice, Action.SET_RATE)
    if invoice.currency == LEDGER_CURRENCY:
        raise _refuse("exchange_rate", "ledger_currency", _("The invoice is in DKK already."))
    rate = Decimal(rate)
    if rate <= 0:
        raise _refuse("exchange_rate", "invalid", _("The exchange rate must be above zero."))
    old = invoice.exchange_rate
    invoice.exchange_rate = rate
    _save(invoice, "exchange_rate_set", actor, on_behalf_of, rate=rate, old=old)
    return invoice


@dataclass(frozen=True, slots=True)
class Approver:
    """What the approval rules need to know of the approver in one institution."""

    limit: ApprovalLimit | None
    system_admin: bool


def approver_facts(actor: User, institution: Institution) -> Approver:
    """The approver's limit (own or as a substitute) and system-administrator role, in one
    query."""
    return Approver(*selectors.approver_for(actor, institution))


#: The refusals of an approval that are segregation of duties (recorded as audit events).
SOD_CODES = frozenset(
    {
        "system_admin",
        "not_approver",
        "attester",
        "coder",
        "payment_changed",
        "first_approver",
        "limit",
        "bank_change_pending",
        "bank_change_party",
        "payment_blocked",
    }
)


def _bank_problems(
    invoice: Invoice, persons: set[int], accounts: vendors.AccountFacts
) -> list[ValidationError]:
    account = vendors.account_of(invoice)
    pending = accounts.pending.get(account)
    out: list[ValidationError] = []
    if pending is not None:
        out.append(
            _refuse(
                "payment_blocked",
                "bank_change_pending",
                _(
                    "The change of the vendor's bank account to %(key)s (no. %(change)s) awaits "
                    "confirmation by a second person; until then no invoice to that account "
                    "can be approved."
                )
                % {"key": account[1], "change": pending},
            )
        )
    elif invoice.payment_blocked:
        out.append(
            _refuse(
                "payment_blocked",
                "payment_blocked",
                _(
                    "The invoice's payment details differ from the vendor's and are not "
                    "confirmed; it cannot be approved (reject it if the change was refused)."
                ),
            )
        )
    if persons & accounts.parties.get(account, set()):
        out.append(
            _refuse(
                "actor",
                "bank_change_party",
                _(
                    "You requested or confirmed the change of the vendor's bank account to "
                    "%(key)s; another person must approve invoices paid to it."
                )
                % {"key": account[1]},
            )
        )
    return out


def approval_problems(
    actor: User,
    invoice: Invoice,
    approver: Approver | None = None,
    accounts: vendors.AccountFacts | None = None,
) -> list[ValidationError]:
    """Why ``actor`` may not approve ``invoice`` now (empty: they may). ``approver`` and
    ``accounts`` (the bank-account changes behind the invoices) save looking them up again
    for each invoice of a batch."""
    if approver is None:
        approver = approver_facts(actor, invoice.institution)
    if accounts is None:
        accounts = vendors.account_facts([invoice])
    out: list[ValidationError] = []
    if invoice.duplicate_of_id is not None:
        try:
            _not_duplicate(invoice)
        except ValidationError as exc:
            out.append(exc)
    if not can(invoice, Action.APPROVE):
        out.append(
            _refuse(
                "state",
                "wrong_state",
                _("The invoice is %(state)s; only an attested invoice can be approved.")
                % {"state": state_in_sentence(invoice.state)},
            )
        )
    if approver.system_admin:
        out.append(
            _refuse(
                "actor",
                "system_admin",
                _("The operator's system administrators cannot approve invoices."),
            )
        )
    limit = approver.limit
    if limit is None:
        out.append(
            _refuse("actor", "not_approver", _("You are not an approver in this institution."))
        )
        return out
    persons = _persons(actor, limit.on_behalf_of)
    if persons & set(invoice.attester_ids or []):
        out.append(
            _refuse(
                "actor",
                "attester",
                _("You attested this invoice; another person must approve it."),
            )
        )
    if persons & set(invoice.coder_ids or []):
        out.append(
            _refuse("actor", "coder", _("You coded this invoice; another person must approve it."))
        )
    if invoice.payment_changed_by_id in persons:
        out.append(
            _refuse(
                "actor",
                "payment_changed",
                _("You changed the payment details of this vendor; you cannot approve it."),
            )
        )
    out.extend(_bank_problems(invoice, persons, accounts))
    if persons & set(invoice.first_approver_ids or []):
        out.append(
            _refuse(
                "actor",
                "first_approver",
                _("You approved this invoice already; a second approver must approve it."),
            )
        )
    if amount_in_ledger_currency(invoice) is None:
        out.append(
            _refuse(
                "currency",
                "no_rate",
                _(
                    "The invoice is in %(cur)s and has no exchange rate, so its amount cannot "
                    "be compared with an approval limit in DKK."
                )
                % {"cur": invoice.currency},
            )
        )
    elif invoice.first_approved_by_id is not None and limit.amount < abs(
        amount_in_ledger_currency(invoice) or Decimal(0)
    ):
        out.append(
            _refuse(
                "actor",
                "limit",
                _("The amount %(amount)s DKK exceeds your approval limit of %(limit)s.")
                % {"amount": amount_in_ledger_currency(invoice), "limit": limit.amount},
            )
        )
    return out


def refused_approval(problems: list[ValidationError], invoice: Invoice) -> ValidationError:
    """The problems as one error: a :class:`Refused` (recorded as
    ``payables.invoice.approve.refused``) when one of them is segregation of duties."""
    merged = merge_errors(problems)
    sod = [e for errs in merged.error_dict.values() for e in errs if e.code in SOD_CODES]
    if not sod:
        return merged
    refused = Refused(
        " ".join(sod[0].messages),
        code=str(sod[0].code),
        action="payables.invoice.approve",
        institution=invoice.institution,
        obj=invoice,
        details={"codes": sorted({str(e.code) for e in sod})},
    )
    refused.error_dict = merged.error_dict
    return refused


def _refusal_event(invoice: Invoice, reason: ValidationError) -> dict[str, Any] | None:
    codes = sorted({str(e.code) for errs in reason.error_dict.values() for e in errs})
    sod = [c for c in codes if c in SOD_CODES]
    if not sod:
        return None
    return {
        "action": "payables.invoice.approve.refused",
        "obj": invoice,
        "details": {"code": sod[0], "codes": sod, "reason": " ".join(reason.messages)},
    }


@refusals_recorded
@transaction.atomic
def invoice_approve(*, actor: User, invoice: Invoice) -> Invoice:
    """Approve an attested invoice within the approver's limit, then post it: the batch step
    with one invoice, so the rules exist once.

    Above the limit the approval is the first of two: a second approver whose limit covers
    the amount completes it. A posting that the ledger refuses (a closed period) leaves the
    invoice approved and waiting, with the reason in ``posting_error``. A refusal on
    segregation of duties is a :class:`Refused` (recorded after the rollback).
    """
    locked, problems = _approve_many(actor, [invoice], record_refusals=False)
    if problems:
        raise refused_approval(problems[invoice.pk], locked[0] if locked else invoice)
    return locked[0]


def _approve(
    actor: User, invoice: Invoice, approver: Approver, now: Any
) -> tuple[str, dict[str, object]]:
    """Record the approval on the invoice (not saved): final within the limit, otherwise the
    first of two. Returns the audit action and its details."""
    limit = approver.limit
    assert limit is not None
    details: dict[str, object] = {"amount": invoice.payable_amount, "limit": limit.amount}
    if limit.amount < abs(amount_in_ledger_currency(invoice) or Decimal(0)):
        transition(invoice, Action.FIRST_APPROVE)
        invoice.first_approved_by = actor
        invoice.first_approver_ids = sorted(_persons(actor, limit.on_behalf_of))
        invoice.first_approved_at = now
        return "first_approved", details
    transition(invoice, Action.APPROVE)
    invoice.approved_by = actor
    invoice.approved_at = now
    return "approved", details


_APPROVAL_FIELDS = [
    "state",
    "approved_by",
    "approved_at",
    "first_approved_by",
    "first_approver_ids",
    "first_approved_at",
    "next_role",
    "assigned_to",
    "posting_error",
]
_POSTING_FIELDS = [
    "state",
    "journal_entry",
    "posted_by",
    "posted_at",
    "posting_error",
    "next_role",
    "assigned_to",
]


@gc_paused()
@transaction.atomic
def invoices_approve_batch(*, actor: User, invoices: list[Invoice]) -> dict[int, str]:
    """Approve many attested invoices of one institution at once (bulk approval): one lock,
    one lookup of the approver, bulk updates, one audit batch, and the approved invoices
    posted with one ledger batch.

    Returns the invoices that were not approved, by id, with the reason. An invoice above the
    approver's limit gets its first approval; one the ledger refuses stays approved and waits
    with the reason in ``posting_error``, as with single approval.
    """
    if not invoices:
        return {}
    problems = _approve_many(actor, invoices, record_refusals=True)[1]
    return {pk: " ".join(merge_errors(p).messages) for pk, p in problems.items()}


def _approve_many(
    actor: User, invoices: list[Invoice], *, record_refusals: bool
) -> tuple[list[Invoice], dict[int, list[ValidationError]]]:
    """Approve ``invoices`` (one institution) and post the approved ones: the locked
    invoices and the problems of those refused. ``record_refusals`` records the refusals on
    segregation of duties as audit events with the batch (the single step raises them)."""
    institution = _one_institution(
        invoices, _("Approve the invoices of one institution at a time.")
    )
    # The approver's limit, delegations and role are read with the lock (one query).
    locked = _lock_many(institution, invoices, approver=actor)
    approver = (
        Approver(*selectors.approver_from_row(actor, locked[0]))
        if locked
        else approver_facts(actor, institution)
    )
    on_behalf_of = approver.limit.on_behalf_of if approver.limit else None
    accounts = vendors.account_facts(locked)
    refused: dict[int, list[ValidationError]] = {}
    changed: list[Invoice] = []
    events: list[dict[str, Any]] = []
    now = timezone.now()
    for invoice in locked:
        problems = approval_problems(actor, invoice, approver, accounts)
        if problems:
            refused[invoice.pk] = problems
            event = _refusal_event(invoice, merge_errors(problems))
            if event is not None and record_refusals:
                events.append({**event, "on_behalf_of": on_behalf_of})
            continue
        action, details = _approve(actor, invoice, approver, now)
        changed.append(invoice)
        events.append(_event(invoice, action, on_behalf_of, details))
    _clean(changed, _APPROVAL_FIELDS)
    approved = [i for i in changed if i.state == InvoiceState.APPROVED]
    # The ledger's events and the invoices' go to the chain with one append.
    with events_batched():
        # The posted invoices are written once, with their approval (one UPDATE); the others
        # (first approvals, postings that wait) with the approval alone.
        posted, waiting = _post_many(actor, institution, approved, now, also=_APPROVAL_FIELDS)
        events.extend(_event(i, "posted", None, _posted_details(i)) for i in posted)
        for invoice, reason in waiting:
            invoice.posting_error = " ".join(reason.messages)
            transition(invoice, Action.POST_WAITS)
            events.append(_event(invoice, "posting_waits", None, {"reason": invoice.posting_error}))
        written = {i.pk for i in posted}
        _write([i for i in changed if i.pk not in written], _APPROVAL_FIELDS)
        record_events_bulk(institution=institution, actor=actor, events=events)
    missing: dict[int, ValidationError] = {}
    _missing(invoices, locked, missing)
    refused.update((pk, [error]) for pk, error in missing.items())
    return locked, refused


def _lock_many(
    institution: Any,
    invoices: list[Invoice],
    *,
    for_posting: bool = True,
    approver: User | None = None,
) -> list[Invoice]:
    """The institution's invoices among ``invoices``, locked in id order, with what posting
    reads (vendor, the institution's posting accounts) when ``for_posting``, and what the
    approval rules need to know of ``approver`` (see ``selectors.approver_annotations``)."""
    query = (
        Invoice.objects.select_for_update(of=("self",))
        .filter(pk__in=[i.pk for i in invoices], institution=institution)
        .order_by("pk")
    )
    if for_posting:
        query = query.select_related("vendor").annotate(**posting_accounts_annotations())
    if approver is not None:
        query = query.annotate(**selectors.approver_annotations(approver, institution))
    locked = list(query)
    for invoice in locked:
        invoice.institution = institution
    return locked


def _posted_details(invoice: Invoice) -> dict[str, object]:
    """The posted event's details: the entry and its date (the posting date, which is the
    first day of a later open period when the invoice date's period is not open)."""
    entry = invoice.journal_entry
    return {"entry": invoice.journal_entry_id, "date": entry.date if entry else None}


def _event(
    invoice: Invoice, action: str, on_behalf_of: User | None, details: dict[str, object]
) -> dict[str, Any]:
    return {
        "action": f"payables.invoice.{action}",
        "obj": invoice,
        "on_behalf_of": on_behalf_of,
        "details": {"state": invoice.state, **details},
    }


_ALL_FIELDS = frozenset(f.name for f in Invoice._meta.fields)


def _clean(invoices: list[Invoice], fields: list[str]) -> None:
    """The model's checks of the fields a batch step changed (relations are set by the
    service itself, so the per-row queries of ``full_clean`` that check them are left out)."""
    exclude = sorted((_ALL_FIELDS - set(fields)) | INVOICE_UNCHECKED_FIELDS)
    for invoice in invoices:
        invoice.clean_fields(exclude=exclude)


# --- post -----------------------------------------------------------------------------------


def posting_spec(
    invoice: Invoice,
    allocations: Sequence[InvoiceAllocation] | None = None,
    accounts: PostingAccountNumbers | None = None,
) -> EntrySpec:
    """The ledger entry of an invoice: expenses by coding, purchase VAT receivable and vendor
    payable on the institution's posting accounts (``accounts``, read when not given; the
    common chart's 5620 and 9110 unless it chose others). A credit note is the mirror image. In another currency every line
    is converted at the invoice's exchange rate (the original amount kept on the line) and a
    rounding difference is put on the largest expense line. Raises ValidationError when the
    invoice cannot be posted yet."""
    if amount_in_ledger_currency(invoice) is None:
        raise _refuse(
            "currency",
            "no_rate",
            _(
                "The invoice is in %(cur)s; posting needs its exchange rate to DKK, which a "
                "bookkeeper records first."
            )
            % {"cur": invoice.currency},
        )
    if allocations is None:
        allocations = list(invoice.allocations.all())
    allocations = sorted(allocations, key=lambda a: (a.line_id, a.pk))
    coded = sum((a.amount for a in allocations), Decimal("0.00"))
    if not allocations or coded != invoice.net_amount:
        raise _refuse(
            "allocations",
            "not_coded",
            _("The coding adds up to %(coded)s, but the invoice's net amount is %(net)s.")
            % {"coded": coded, "net": invoice.net_amount},
        )
    if invoice.net_amount + invoice.vat_amount != invoice.payable_amount:
        raise _refuse(
            "payable_amount",
            "prepaid",
            _(
                "The amount payable %(payable)s is not net plus VAT (%(total)s): prepaid "
                "amounts and rounding cannot be posted yet."
            )
            % {
                "payable": invoice.payable_amount,
                "total": invoice.net_amount + invoice.vat_amount,
            },
        )
    sign = Decimal(-1) if invoice.is_credit_note else Decimal(1)
    groups: dict[tuple[str, str, str, str], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for a in allocations:
        groups[(a.account, a.org_unit, a.purpose, a.vat_code)] += a.amount
    foreign = invoice.currency != LEDGER_CURRENCY
    rate = invoice.exchange_rate if foreign and invoice.exchange_rate else Decimal(1)

    def dkk(amount: Decimal) -> Decimal:
        return to_dkk(invoice, amount) or Decimal(0)

    expenses = {key: dkk(amount) for key, amount in groups.items()}
    vat_dkk = dkk(invoice.vat_amount)
    payable_dkk = dkk(invoice.payable_amount)
    rest = payable_dkk - vat_dkk - sum(expenses.values(), Decimal(0))
    if rest and expenses:
        largest = max(expenses, key=lambda k: abs(expenses[k]))
        expenses[largest] += rest
    text = f"{invoice.vendor.name} {invoice.number}"[:200]
    lines: list[LineSpec] = []

    def add(account: str, amount: Decimal, original: Decimal, **dims: str | None) -> None:
        extra: dict[str, object] = {}
        if foreign:
            extra = {"currency": invoice.currency, "currency_amount": original, "rate": rate}
        if amount > 0:
            lines.append(LineSpec(account=account, debit=amount, text=text, **dims, **extra))  # type: ignore[arg-type]
        elif amount < 0:
            lines.append(LineSpec(account=account, credit=-amount, text=text, **dims, **extra))  # type: ignore[arg-type]

    for key, amount in expenses.items():
        account, org_unit, purpose, vat_code = key
        add(
            account,
            sign * amount,
            sign * groups[key],
            org_unit=org_unit or None,
            purpose=purpose or None,
            vat_code=vat_code or None,
        )
    if accounts is None:
        accounts = posting_accounts(invoice.institution_id)
    add(accounts.input_vat, sign * vat_dkk, sign * invoice.vat_amount)
    add(accounts.payables, -sign * payable_dkk, -sign * invoice.payable_amount)
    with translation.override(settings.LANGUAGE_CODE):  # the books speak one language
        kind = _("Credit note") if invoice.is_credit_note else _("Invoice")
    return EntrySpec(
        date=invoice.issue_date,
        description=f"{kind} {invoice.number} {invoice.vendor.name}"[:200],
        voucher_ref=invoice.number[:50],
        lines=lines,
        source_type=SOURCE_TYPE,
        source_id=str(invoice.pk),
    )


@transaction.atomic
def invoice_post(*, actor: User, invoice: Invoice) -> Invoice:
    """Post an approved invoice that is waiting (a bookkeeper, e.g. once the period is open):
    the batch step with one invoice. Refused with the ledger's reasons when it still cannot
    be posted.

    Idempotent in the ledger: the entry's source is the invoice, so it is posted once.
    """
    locked, refused = _post_batch(actor, [invoice])
    if refused:
        raise refused[invoice.pk]
    return locked[0]


@gc_paused()
@transaction.atomic
def invoices_post_batch(*, actor: User, invoices: list[Invoice]) -> dict[int, str]:
    """Post many approved invoices of one institution at once (a bookkeeper, e.g. after a
    period is reopened): one lock, one ledger batch, bulk updates and one audit batch.

    Returns the invoices that could not be posted, by id, with the reason; the rest are
    posted. Posting stays idempotent per invoice in the ledger.
    """
    if not invoices:
        return {}
    refused = _post_batch(actor, invoices)[1]
    return {pk: " ".join(error.messages) for pk, error in refused.items()}


def _post_batch(
    actor: User, invoices: list[Invoice]
) -> tuple[list[Invoice], dict[int, ValidationError]]:
    institution = _one_institution(invoices, _("Post the invoices of one institution at a time."))
    on_behalf_of = _role_holder(actor, invoices[0], Role.BOOKKEEPER)
    refused: dict[int, ValidationError] = {}
    ready: list[Invoice] = []
    locked = _lock_many(institution, invoices)
    for invoice in locked:
        if invoice.duplicate_of_id is not None:
            try:
                _not_duplicate(invoice)
            except ValidationError as exc:
                refused[invoice.pk] = exc
        elif not can(invoice, Action.POST):
            refused[invoice.pk] = wrong_state(invoice)
        else:
            ready.append(invoice)
    with events_batched():
        posted, waiting = _post_many(actor, institution, ready, timezone.now(), action=Action.POST)
        refused.update((invoice.pk, reason) for invoice, reason in waiting)
        record_events_bulk(
            institution=institution,
            actor=actor,
            events=[_event(i, "posted", on_behalf_of, _posted_details(i)) for i in posted],
        )
    _missing(invoices, locked, refused)
    return locked, refused


def _post_many(
    actor: User,
    institution: Any,
    invoices: list[Invoice],
    now: Any,
    *,
    also: Sequence[str] = (),
    action: Action = Action.POST_ON_APPROVAL,
) -> tuple[list[Invoice], list[tuple[Invoice, ValidationError]]]:
    """Post approved, locked invoices with one ledger batch and one bulk update; returns the
    posted invoices and those that wait, with the reason. No audit events: the caller writes
    them with its own. ``also`` names more fields the caller changed on them (written in the
    same statement)."""
    waiting: list[tuple[Invoice, ValidationError]] = []
    ready: list[tuple[Invoice, EntrySpec]] = []
    # One query for every invoice's coding (prefetch_related costs a queryset per row).
    codings: dict[int, list[InvoiceAllocation]] = defaultdict(list)
    # No ORDER BY: the model's ordering joins invoices, institutions and lines to sort.
    for allocation in InvoiceAllocation.objects.filter(invoice__in=invoices).order_by():
        codings[allocation.invoice_id].append(allocation)
    accounts = None
    if invoices:
        # Read with the lock (_lock_many) when the invoices carry them.
        first = invoices[0]
        accounts = (
            posting_accounts_from_row(first)
            if hasattr(first, "posting_payables")
            else posting_accounts(institution)
        )
    for invoice in invoices:
        try:
            ready.append((invoice, posting_spec(invoice, codings[invoice.pk], accounts)))
        except ValidationError as exc:
            waiting.append((invoice, exc))
    result = entries_records_batch_safe(actor, institution, [spec for _i, spec in ready])
    entries = {e.source_id: e for e in result[0]}
    refusals: dict[str, ValidationError] = {}
    _later_periods(actor, institution, ready, result[1], entries, refusals)
    posted: list[Invoice] = []
    for invoice, spec in ready:
        if spec.source_id in refusals:
            waiting.append((invoice, refusals[spec.source_id]))
            continue
        entry = entries.get(spec.source_id)
        if entry is None:
            entry = JournalEntry.objects.get(
                institution=institution, source_type=SOURCE_TYPE, source_id=spec.source_id
            )
        transition(invoice, action)
        invoice.journal_entry = entry
        invoice.posted_by = actor
        invoice.posted_at = now
        invoice.posting_error = ""
        posted.append(invoice)
    _write(posted, sorted({*_POSTING_FIELDS, *also}))
    return posted, waiting


def _later_periods(
    actor: User,
    institution: Any,
    ready: list[tuple[Invoice, EntrySpec]],
    rejected: dict[int, list[Any]],
    entries: dict[str, JournalEntry],
    refusals: dict[str, ValidationError],
) -> None:
    """The entries the ledger refused because the invoice date's period is closed, locked or
    missing, posted again on the first day of the first open period after it (the invoice
    keeps its date; see ``posting_dates``). Adds the entries posted to ``entries`` and the
    refusals, by source, to ``refusals``."""
    if not rejected:
        return
    moved: dict[str, EntrySpec] = {}
    periods = None
    for index, problems in rejected.items():
        spec = ready[index][1]
        if not posting_dates.is_period_refusal(problems):
            refusals[spec.source_id] = posting_dates.ledger_refusal(problems)
            continue
        if periods is None:
            periods = posting_dates.periods_of(institution)
        later = posting_dates.moved(spec, periods)
        if isinstance(later, ValidationError):
            refusals[spec.source_id] = later
        else:
            moved[spec.source_id] = later
    specs = list(moved.values())
    result = entries_records_batch_safe(actor, institution, specs)
    entries.update((e.source_id, e) for e in result[0])
    for index, problems in result[1].items():
        source = specs[index].source_id
        refusals[source] = posting_dates.ledger_refusal(problems)


def entries_records_batch_safe(
    actor: User, institution: Any, specs: list[EntrySpec]
) -> tuple[list[JournalEntry], dict[int, list[Any]]]:
    """The ledger batch: posted entries and the refused specs by index. The invoices posted
    are locked by the caller, so no concurrent transaction posts the same sources."""
    if not specs:
        return [], {}
    result = entries_record_batch(
        actor=actor, institution=institution, specs=specs, sources_locked=True
    )
    return result.posted, result.rejected


# --- pay ------------------------------------------------------------------------------------


def _payer_checks(actor: User, invoice: Invoice) -> User | None:
    _not_duplicate(invoice)
    if invoice.payment_blocked:
        raise _refuse(
            "payment_blocked",
            "payment_blocked",
            _(
                "The invoice's payment details differ from the vendor's; someone other than "
                "its approver must confirm them before it is paid."
            ),
        )
    on_behalf_of = _role_holder(actor, invoice, Role.PAYER)
    if invoice.posted_by_id in _persons(actor, on_behalf_of):
        raise _refuse("actor", "poster", _("You posted this invoice; another person must pay it."))
    return on_behalf_of


@transaction.atomic
def invoice_schedule(*, actor: User, invoice: Invoice) -> Invoice:
    """A payer sends a posted invoice to payment: it is scheduled, and the next payment run's
    proposal takes it whatever its due date (``payments._candidates``). Refused at once, with
    the reason, when a run could not take it (blocked, a duplicate, no or malformed payment
    details, a change of the vendor's bank account awaiting confirmation)."""
    from faelles.payables.payments import run_problem

    invoice = _lock(invoice)
    _require(invoice, Action.SCHEDULE)
    on_behalf_of = _payer_checks(actor, invoice)
    problem = run_problem(invoice)
    if problem is not None:
        raise _refuse(
            "payment_means",
            problem.code,
            _("The invoice cannot go into a payment run: %(reason)s") % {"reason": problem.message},
        )
    transition(invoice, Action.SCHEDULE)
    invoice.scheduled_by = actor
    _save(invoice, "scheduled", actor, on_behalf_of)
    return invoice


@transaction.atomic
def invoice_mark_paid(*, actor: User, invoice: Invoice, paid_on: date | None = None) -> Invoice:
    """A payer records that an invoice sent to payment was paid outside Fælles (e.g. with a
    payment card) before a payment run took it; the payment entry is posted (vendor payable
    against the bank, the institution's posting accounts, in DKK), on ``paid_on`` or, when
    that day's period is closed, the first day of the next open period. Payment runs are the
    way to pay; invoices in a run are paid with the run."""
    invoice = _lock(invoice)
    _require(invoice, Action.PAY)
    on_behalf_of = _payer_checks(actor, invoice)
    if invoice.payment_run_id is not None:
        raise _refuse(
            "payment_run",
            "in_payment_run",
            _("The invoice is paid with payment run %(run)s.") % {"run": invoice.payment_run_id},
        )
    paid_on = paid_on or timezone.localdate()
    amount = amount_in_ledger_currency(invoice) or Decimal(0)
    sign = Decimal(-1) if invoice.is_credit_note else Decimal(1)
    text = f"{invoice.vendor.name} {invoice.number}"[:200]
    accounts = posting_accounts(invoice.institution_id)
    if sign > 0:
        lines = [
            LineSpec(account=accounts.payables, debit=amount, text=text),
            LineSpec(account=accounts.bank, credit=amount, text=text),
        ]
    else:
        lines = [
            LineSpec(account=accounts.bank, debit=amount, text=text),
            LineSpec(account=accounts.payables, credit=amount, text=text),
        ]
    with translation.override(settings.LANGUAGE_CODE):  # the books speak one language
        payment = _("Payment")
    spec = EntrySpec(
        date=paid_on,
        description=f"{payment} {invoice.number} {invoice.vendor.name}"[:200],
        voucher_ref=invoice.number[:50],
        lines=lines,
        source_type=PAYMENT_SOURCE_TYPE,
        source_id=str(invoice.pk),
    )
    entry = posting_dates.entry_record_in_open_period(
        actor=actor, institution=invoice.institution, spec=spec
    )
    transition(invoice, Action.PAY)
    invoice.paid_by = actor
    invoice.paid_at = timezone.now()
    _save(invoice, "paid", actor, on_behalf_of, entry=entry.pk)
    return invoice


# --- reject ---------------------------------------------------------------------------------


@transaction.atomic
def invoice_reject(*, actor: User, invoice: Invoice, reason: str) -> Invoice:
    """Reject an invoice that is not posted yet, with a reason that is kept (and will be the
    response to the supplier)."""
    reason = reason.strip()
    if not reason:
        raise _refuse("reason", "required", _("Give a reason for the rejection."))
    invoice = _lock(invoice)
    if not can(invoice, Action.REJECT):
        raise wrong_state(invoice, _("The invoice is %(state)s and can no longer be rejected."))
    roles = REJECT_ROLES[invoice.state]
    held = selectors.roles_for(actor, invoice.institution) & roles
    if not held:
        raise _refuse("actor", "not_permitted", _("You do not have a role that may reject it now."))
    on_behalf_of = _role_holder(actor, invoice, sorted(held)[0])
    old = invoice.state
    invoice.rejected_in_state = old
    transition(invoice, Action.REJECT)
    invoice.rejected_by = actor
    invoice.rejected_at = timezone.now()
    invoice.rejection_reason = reason[:2000]
    _save(
        invoice, "rejected", actor, on_behalf_of, reason=invoice.rejection_reason, **{"from": old}
    )
    return invoice
