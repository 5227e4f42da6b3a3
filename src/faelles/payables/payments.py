"""Payment runs: a payer gathers an institution's posted, due and unblocked invoices, net of
the same vendors' posted credit notes, into a run; a payer who posted none of them releases
it, which produces the ISO 20022 pain.001.001.03 credit-transfer file for the bank; marking
the run paid posts the payment entry (vendor payables 9110 debit, bank 5810 credit) and the
invoices become paid.

A run pays to an IBAN, a Danish domestic account (reg. + account), a FIK payment slip (card
types 71, 73, 75) or a giro payment slip (01, 04, 15), whichever the invoice names (see
``bank``); the file has one payment information block per payment type. An invoice whose
payment details are missing or malformed is left out of the run with the reason (``plan``,
``left_out``); a vendor whose credit notes exceed its invoices waits until new invoices arrive.

Segregation of duties: a run is released by a second payer — never by its creator (nor by
anyone the creator acted for as a substitute, nor the creator's substitute) and never by a
person who posted one of its invoices. Refusals are audit events of their own
(``payables.payment_run.release.refused``).

Locks, in one order: the institution's row first (``FOR NO KEY UPDATE``: it serialises the
payment runs of one institution without blocking inserts that refer to the institution), then
the invoices in primary-key order, each lock naming its own rows only. Concurrent creations
for one institution therefore queue: the first takes the invoices, the others find nothing
left and are refused cleanly (``draft_run_exists`` / ``nothing_to_pay``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from stdnum import iban as stdnum_iban

from faelles.core import metrics
from faelles.core.audit import Refused, record_event, record_events_bulk, refusals_recorded
from faelles.ledger.selectors import posting_accounts
from faelles.ledger.services import EntrySpec, LineSpec
from faelles.payables import bank, posting_dates, vendors
from faelles.payables.bank import Payee, payee_for
from faelles.payables.models import Invoice, InvoiceState, PaymentRequest, PaymentRun
from faelles.payables.workflow import Action, transition
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, Role, User

PAIN_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
SOURCE_TYPE = "payables.paymentrun"


def _refuse(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _payer(
    actor: User, institution: Institution, action: str = "", run: PaymentRun | None = None
) -> User | None:
    """On whose behalf ``actor`` acts as payer; refused (and, with ``action``, audited)
    without the role."""
    try:
        return selectors.acting_for(actor, institution, Role.PAYER)
    except LookupError:
        message = _("Only payers handle payment runs.")
        if action:
            raise Refused(
                message, code="not_permitted", action=action, institution=institution, obj=run
            ) from None
        raise _refuse("actor", "not_permitted", message) from None


def _payer_persons(actor: User, institution: Institution) -> set[int]:
    """The payer and everyone they act for as a substitute payer."""
    principals = selectors.delegated_roles_for(actor, institution).get(Role.PAYER, [])
    return {actor.pk, *(p.pk for p in principals)}


PAYMENT_TYPES = ("IBAN", "DOMESTIC", "FIK71", "FIK73", "FIK75", "GIRO01", "GIRO04", "GIRO15")
NO_MESSAGE = frozenset({"71", "04", "15"})  # card types whose slip carries no message


@dataclass(frozen=True, slots=True)
class Transfer:
    """One credit transfer of a run: the vendor, where to, how much, and the invoices and
    credit notes it settles."""

    vendor: str
    payee: Payee
    amount: Decimal
    invoices: tuple[Invoice, ...]
    #: A payment request (a grant, a benefit) is a transfer of its own, with no invoices.
    requests: tuple[PaymentRequest, ...] = ()

    @property
    def numbers(self) -> str:
        return " ".join([*(i.number for i in self.invoices), *(r.reference for r in self.requests)])


@dataclass(frozen=True, slots=True)
class LeftOut:
    """An invoice a run cannot pay, and why (a stable code and a message)."""

    invoice: Invoice
    code: str
    message: str


def plan(invoices: list[Invoice]) -> tuple[list[Transfer], list[LeftOut]]:
    """The transfers that pay ``invoices`` (ordered by pk, with their vendors).

    Per vendor, the invoices paid to the same account without a payment id (IBAN, domestic
    account, FIK 73, giro 01) are one transfer, net of the vendor's credit notes, with the
    invoice numbers as the message; such a transfer that would not be positive waits with its
    credit notes. An invoice with a payment id (FIK 71/75, giro 04/15) is a transfer of its
    own for its full amount, as the id names that one invoice; a vendor paid only that way
    keeps its credit notes for a later run. An invoice whose payment details are missing or
    malformed is left out with the reason.
    """
    by_vendor: dict[int, list[Invoice]] = defaultdict(list)
    for invoice in invoices:
        by_vendor[invoice.vendor_id].append(invoice)
    transfers: list[Transfer] = []
    left_out: list[LeftOut] = []
    for group in by_vendor.values():
        name = group[0].vendor.name
        pooled: dict[str, tuple[Payee, list[Invoice]]] = {}
        for invoice in group:
            if invoice.is_credit_note:
                continue
            try:
                payee = payee_for(invoice.payment_means)
            except ValidationError as exc:
                for errors in exc.error_dict.values():
                    for error in errors:
                        left_out.append(LeftOut(invoice, str(error.code), " ".join(error.messages)))
                continue
            if payee is None:
                left_out.append(
                    LeftOut(
                        invoice,
                        "no_payment_details",
                        _("The invoice names no account, IBAN or payment slip to pay."),
                    )
                )
            elif payee.per_invoice:
                transfers.append(Transfer(name, payee, invoice.payable_amount, (invoice,)))
            else:
                pooled.setdefault(payee.group_key, (payee, []))[1].append(invoice)
        credits = [i for i in group if i.is_credit_note]
        for no, (payee, debts) in enumerate(pooled.values()):
            settled = debts + credits if no == 0 else debts
            amount = sum((i.payable_amount for i in debts), Decimal(0))
            if no == 0:
                amount -= sum((i.payable_amount for i in credits), Decimal(0))
            if amount > 0:
                transfers.append(Transfer(name, payee, amount, tuple(settled)))
    transfers.sort(key=lambda t: PAYMENT_TYPES.index(t.payee.payment_type))
    return transfers, left_out


#: The states a run takes invoices from: posted (when due by the execution date) and sent to
#: payment by a payer (``invoice_schedule``; taken by the next run whatever the due date).
RUN_STATES = (InvoiceState.POSTED, InvoiceState.SCHEDULED)


def _candidates(institution: Institution, execution_date: date, lock: bool) -> list[Invoice]:
    """The unblocked invoices (and credit notes) a run may pay, in pk order: the posted ones
    due by ``execution_date`` and those a payer sent to payment, not in a run yet; ``lock``
    locks those rows only (not the joined vendors)."""
    query = Invoice.objects.for_institution(institution)
    if lock:
        query = query.select_for_update(of=("self",))
    return [
        invoice
        for invoice in query.filter(
            state__in=RUN_STATES,
            payment_blocked=False,
            duplicate_of__isnull=True,
            payment_run__isnull=True,
        )
        .select_related("vendor")
        .order_by("pk")
        if invoice.state == InvoiceState.SCHEDULED
        or invoice.is_credit_note
        or invoice.due_date is None
        or invoice.due_date <= execution_date
    ]


def run_problem(invoice: Invoice) -> LeftOut | None:
    """Why the next payment run could not take ``invoice`` (blocked, a duplicate, no or
    malformed payment details, a bank-account change awaiting confirmation), or ``None``.
    Asked when a payer sends an invoice to payment, so the reason is said at once."""
    if invoice.duplicate_of_id is not None:
        return LeftOut(invoice, "duplicate", _("A duplicate invoice is never paid."))
    if invoice.payment_blocked:
        return LeftOut(
            invoice,
            "payment_blocked",
            _(
                "The invoice's payment details differ from the vendor's; someone other than "
                "its approver must confirm them before it is paid."
            ),
        )
    if invoice.is_credit_note:
        return None  # netted against the vendor's invoices in the run
    problems = plan([invoice])[1] or _pending_left_out(invoice.institution, [invoice])[1]
    return problems[0] if problems else None


def _pending_left_out(
    institution: Institution, invoices: list[Invoice]
) -> tuple[list[Invoice], list[LeftOut]]:
    """Leave out the invoices to an account whose change awaits confirmation."""
    pending = vendors.pending_accounts(institution)
    if not pending:
        return invoices, []
    keep: list[Invoice] = []
    out: list[LeftOut] = []
    for invoice in invoices:
        if vendors.account_of(invoice) in pending:
            out.append(
                LeftOut(
                    invoice,
                    "bank_change_pending",
                    _("A change of the vendor's bank account to this account awaits confirmation."),
                )
            )
        else:
            keep.append(invoice)
    return keep, out


def request_transfers(requests: list[PaymentRequest]) -> list[Transfer]:
    """One transfer per payment request (its payment details were checked when it was made)."""
    transfers = []
    for request in requests:
        payee = payee_for(request.payment_means)
        if payee is not None:
            transfers.append(Transfer(request.payee_name, payee, request.amount, (), (request,)))
    return transfers


def _open_requests(institution: Institution, execution_date: date, lock: bool) -> list[Any]:
    query = PaymentRequest.objects.for_institution(institution)
    if lock:
        query = query.select_for_update(of=("self",))
    return list(
        query.filter(
            state=PaymentRequest.State.OPEN,
            payment_run__isnull=True,
            due_date__lte=execution_date,
        ).order_by("pk")
    )


def _plan_for(
    institution: Institution, execution_date: date, lock: bool
) -> tuple[list[Transfer], list[LeftOut]]:
    invoices, waiting = _pending_left_out(
        institution, _candidates(institution, execution_date, lock)
    )
    transfers, problems = plan(invoices)
    transfers += request_transfers(_open_requests(institution, execution_date, lock))
    transfers.sort(key=lambda t: PAYMENT_TYPES.index(t.payee.payment_type))
    return transfers, waiting + problems


def left_out(institution: Institution, execution_date: date) -> list[LeftOut]:
    """The posted, due and unblocked invoices a run on ``execution_date`` cannot pay."""
    return _plan_for(institution, execution_date, lock=False)[1]


def _lock_institution(institution: Institution) -> None:
    """The institution-level lock every payment-run creation takes first (see the module)."""
    list(
        Institution.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk=institution.pk)
        .values_list("pk", flat=True)
    )


@refusals_recorded
@transaction.atomic
def payment_run_create(
    *,
    actor: User,
    institution: Institution,
    execution_date: date,
    debtor_iban: str,
    debtor_bic: str = "",
) -> PaymentRun:
    """Gather the invoices to pay on ``execution_date`` (due by then) net of credit notes.

    Serialised per institution (the institution's row is locked first), so two payers
    creating runs at once get one run; the second is refused with ``draft_run_exists`` (a
    draft for the same date holds the invoices) or ``nothing_to_pay``."""
    on_behalf_of = _payer(actor, institution, "payables.payment_run.create")
    debtor_iban = debtor_iban.replace(" ", "").upper()
    if not stdnum_iban.is_valid(debtor_iban):
        raise _refuse(
            "debtor_iban",
            "invalid_iban",
            _("%(v)s is not a valid IBAN for the account to pay from.") % {"v": debtor_iban},
        )
    _lock_institution(institution)
    transfers, problems = _plan_for(institution, execution_date, lock=True)
    if not transfers and problems:
        raise ValidationError(
            {
                "payment_means": [
                    ValidationError(
                        _("%(n)s (%(v)s): %(m)s")
                        % {"n": p.invoice.number, "v": p.invoice.vendor.name, "m": p.message},
                        code=p.code,
                    )
                    for p in problems
                ]
            }
        )
    chosen = [invoice for t in transfers for invoice in t.invoices]
    requests = [request for t in transfers for request in t.requests]
    total = sum((t.amount for t in transfers), Decimal("0.00"))
    if not chosen and not requests:
        draft = (
            PaymentRun.objects.for_institution(institution)
            .filter(state=PaymentRun.State.DRAFT, execution_date=execution_date)
            .order_by("pk")
            .first()
        )
        if draft is not None:
            raise _refuse(
                "execution_date",
                "draft_run_exists",
                _(
                    "There is already a draft payment run (no. %(run)s) for %(d)s with the "
                    "invoices to pay; no invoices are left for another run."
                )
                % {"run": draft.pk, "d": execution_date.isoformat()},
            )
        raise _refuse(
            "execution_date",
            "nothing_to_pay",
            _("No posted, due and unblocked invoices to pay by %(d)s.")
            % {"d": execution_date.isoformat()},
        )
    run = PaymentRun(
        institution=institution,
        execution_date=execution_date,
        debtor_iban=debtor_iban,
        debtor_bic=debtor_bic.strip().upper(),
        total=total,
        created_by=actor,
        creator_ids=sorted(_payer_persons(actor, institution)),
    )
    run.full_clean()
    run.save()
    for invoice in chosen:
        invoice.payment_run = run
        if invoice.state == InvoiceState.POSTED:
            transition(invoice, Action.SCHEDULE)
            invoice.scheduled_by = actor
        # A payer sent the others to payment: they are scheduled already, and keep who did.
    Invoice.objects.bulk_update(
        chosen, ["payment_run", "state", "scheduled_by", "next_role", "assigned_to"]
    )
    for request in requests:
        request.payment_run = run
        request.state = PaymentRequest.State.SCHEDULED
    PaymentRequest.objects.bulk_update(requests, ["payment_run", "state"])
    _invoice_events(institution, actor, on_behalf_of, chosen, "scheduled", run)
    record_event(
        institution=institution,
        actor=actor,
        action="payables.payment_run.created",
        obj=run,
        on_behalf_of=on_behalf_of,
        details={
            "execution_date": execution_date,
            "invoices": [i.pk for i in chosen],
            "payment_requests": [r.pk for r in requests],
            "total": total,
            "left_out": [{"invoice": p.invoice.pk, "code": p.code} for p in problems],
        },
    )
    metrics.after_commit(metrics.PAYMENT_RUNS.labels("created").inc)
    return run


def _invoice_events(
    institution: Institution,
    actor: User,
    on_behalf_of: User | None,
    invoices: list[Invoice],
    step: str,
    run: PaymentRun,
) -> None:
    record_events_bulk(
        institution=institution,
        actor=actor,
        events=[
            {
                "action": f"payables.invoice.{step}",
                "obj": invoice,
                "on_behalf_of": on_behalf_of,
                "details": {"state": invoice.state, "payment_run": run.pk},
            }
            for invoice in invoices
        ],
    )


def _lock(run: PaymentRun, state: str) -> PaymentRun:
    locked: PaymentRun = (
        PaymentRun.objects.select_for_update(of=("self",))
        .select_related("institution")
        .get(pk=run.pk)
    )
    if locked.state != state:
        raise _refuse(
            "state",
            "wrong_state",
            _("The payment run is %(s)s.") % {"s": str(locked.get_state_display()).lower()},
        )
    return locked


def transfers_of(run: PaymentRun) -> list[Transfer]:
    """The run's transfers (the plan of its invoices and its payment requests, as when it
    was made)."""
    transfers = plan(list(run.invoices.select_related("vendor").order_by("pk")))[0]
    transfers += request_transfers(list(run.payment_requests.order_by("pk")))
    transfers.sort(key=lambda t: PAYMENT_TYPES.index(t.payee.payment_type))
    return transfers


def payee_label(invoice: Invoice) -> str:
    """How the invoice is paid, for the pages (``IBAN …``, ``Konto …``, ``FIK +71<…``)."""
    try:
        payee = payee_for(invoice.payment_means)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return payee.label if payee else "–"


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{PAIN_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _creditor_account(tx: etree._Element, payee: Payee) -> None:
    """Domestic account: the bank's registration number as the creditor agent's Danish
    clearing code (DKNCC) and the 14-digit BBAN (reg + account) as a generic account id with
    scheme BBAN. FIK and giro: the creditor number / giro account as a generic account id
    (the card type is the payment information block's local instrument)."""
    if payee.kind == bank.DOMESTIC:
        member = _sub(_sub(_sub(tx, "CdtrAgt"), "FinInstnId"), "ClrSysMmbId")
        _sub(_sub(member, "ClrSysId"), "Cd", "DKNCC")
        _sub(member, "MmbId", payee.reg)


def _account_id(tx: etree._Element, payee: Payee) -> None:
    account = _sub(_sub(tx, "CdtrAcct"), "Id")
    if payee.kind == bank.IBAN:
        _sub(account, "IBAN", payee.account)
        return
    other = _sub(account, "Othr")
    _sub(other, "Id", payee.account)
    if payee.kind == bank.DOMESTIC:
        _sub(_sub(other, "SchmeNm"), "Cd", "BBAN")


def pain001(run: PaymentRun) -> bytes:
    """The ISO 20022 pain.001.001.03 customer credit transfer initiation of the run: one
    payment information block per payment type (IBAN, domestic account, FIK 71/73/75, giro
    01/04/15), in that order; FIK and giro blocks name the card type as the local instrument
    (proprietary code ``71`` …), a payment id travels as the structured creditor reference
    (type SCOR), and the invoice numbers as the unstructured message where the slip takes
    one."""
    transfers = transfers_of(run)
    blocks: dict[str, list[Transfer]] = defaultdict(list)
    for transfer in transfers:
        blocks[transfer.payee.payment_type].append(transfer)

    def control_sum(items: list[Transfer]) -> str:
        return f"{sum((t.amount for t in items), Decimal(0)):.2f}"

    root = etree.Element(f"{{{PAIN_NS}}}Document", nsmap={None: PAIN_NS})  # type: ignore[dict-item]
    init = _sub(root, "CstmrCdtTrfInitn")
    header = _sub(init, "GrpHdr")
    _sub(header, "MsgId", f"FAELLES-{run.institution_id}-{run.pk}")
    _sub(header, "CreDtTm", timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"))
    _sub(header, "NbOfTxs", str(len(transfers)))
    _sub(header, "CtrlSum", control_sum(transfers))
    _sub(_sub(header, "InitgPty"), "Nm", run.institution.name[:70])
    no = 0
    for payment_type, items in blocks.items():
        info = _sub(init, "PmtInf")
        _sub(info, "PmtInfId", f"RUN-{run.pk}-{payment_type}")
        _sub(info, "PmtMtd", "TRF")
        _sub(info, "NbOfTxs", str(len(items)))
        _sub(info, "CtrlSum", control_sum(items))
        card_type = items[0].payee.card_type
        if card_type:
            _sub(_sub(_sub(info, "PmtTpInf"), "LclInstrm"), "Prtry", card_type)
        _sub(info, "ReqdExctnDt", run.execution_date.isoformat())
        _sub(_sub(info, "Dbtr"), "Nm", run.institution.name[:70])
        _sub(_sub(_sub(info, "DbtrAcct"), "Id"), "IBAN", run.debtor_iban)
        agent = _sub(_sub(info, "DbtrAgt"), "FinInstnId")
        if run.debtor_bic:
            _sub(agent, "BIC", run.debtor_bic)
        else:
            _sub(_sub(agent, "Othr"), "Id", "NOTPROVIDED")
        for transfer in items:
            no += 1
            payee = transfer.payee
            tx = _sub(info, "CdtTrfTxInf")
            _sub(_sub(tx, "PmtId"), "EndToEndId", f"RUN{run.pk}-{no}"[:35])
            _sub(_sub(tx, "Amt"), "InstdAmt", f"{transfer.amount:.2f}").set("Ccy", "DKK")
            _creditor_account(tx, payee)
            _sub(_sub(tx, "Cdtr"), "Nm", transfer.vendor[:70])
            _account_id(tx, payee)
            remittance = _sub(tx, "RmtInf")
            if payee.card_type not in NO_MESSAGE:
                _sub(remittance, "Ustrd", transfer.numbers[:140])
            if payee.payment_id:
                reference = _sub(_sub(remittance, "Strd"), "CdtrRefInf")
                _sub(_sub(_sub(reference, "Tp"), "CdOrPrtry"), "Cd", "SCOR")
                _sub(reference, "Ref", payee.payment_id)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def release_problem(actor: User, run: PaymentRun) -> tuple[str, str] | None:
    """Why ``actor`` may not release ``run`` (code and message), ``None`` when they may."""
    persons = _payer_persons(actor, run.institution)
    creators = {run.created_by_id, *(run.creator_ids or [])}
    if persons & creators:
        return "creator", str(_("You created this payment run; a second payer must release it."))
    posted_by_them = [i.number for i in run.invoices.order_by("pk") if i.posted_by_id in persons]
    if posted_by_them:
        return "poster", str(
            _("You posted invoices in this run (%(n)s); another payer must release it.")
            % {"n": ", ".join(posted_by_them[:5])}
        )
    requested_by_them = [
        r.reference for r in run.payment_requests.order_by("pk") if r.created_by_id in persons
    ]
    if requested_by_them:
        return "requester", str(
            _("You decided payments in this run (%(n)s); another payer must release it.")
            % {"n": ", ".join(requested_by_them[:5])}
        )
    return None


@refusals_recorded
@transaction.atomic
def payment_run_release(*, actor: User, run: PaymentRun) -> PaymentRun:
    """A second payer — not the run's creator, nor whom the creator acted for, and none who
    posted one of its invoices — releases the run; the pain.001 file is made by a background
    task after the release commits (:func:`payment_run_file_make`)."""
    run = _lock(run, PaymentRun.State.DRAFT)
    action = "payables.payment_run.release"
    on_behalf_of = _payer(actor, run.institution, action, run)
    problem = release_problem(actor, run)
    if problem is not None:
        raise Refused(
            problem[1],
            code=problem[0],
            action=action,
            institution=run.institution,
            obj=run,
            details={"created_by": run.created_by_id, "total": run.total},
        )
    run.state = PaymentRun.State.RELEASED
    run.released_by = actor
    run.released_at = timezone.now()
    run.file = None
    run.file_sha256 = ""
    run.save()
    record_event(
        institution=run.institution,
        actor=actor,
        action="payables.payment_run.released",
        obj=run,
        on_behalf_of=on_behalf_of,
        details={"total": run.total, "invoices": run.invoices.count()},
    )
    metrics.after_commit(metrics.PAYMENT_RUNS.labels("released").inc)
    run_id = run.pk
    transaction.on_commit(lambda: _queue_file(run_id))
    return run


def _queue_file(run_id: int) -> None:
    from faelles.payables import tasks

    tasks.payment_run_file_make.delay(run_id)


@transaction.atomic
def payment_run_file_make(*, run_id: int) -> PaymentRun | None:
    """Make the released run's pain.001 file (the background task after the release commits):
    the bytes and their SHA-256 are stored on the run, and the download serves exactly those.
    Idempotent: a run that has its file, or is not released (nor paid), is left as it is and
    ``None`` is answered. A system action; the audit event names the file's hash."""
    run = (
        PaymentRun.objects.select_for_update(of=("self",))
        .select_related("institution")
        .filter(pk=run_id)
        .first()
    )
    if run is None or run.file is not None or run.state == PaymentRun.State.DRAFT:
        return None
    content = pain001(run)
    run.file = content
    run.file_sha256 = hashlib.sha256(content).hexdigest()
    run.file_made_at = timezone.now()
    run.save(update_fields=["file", "file_sha256", "file_made_at"])
    record_event(
        institution=run.institution,
        actor=None,
        action="payables.payment_run.file_made",
        obj=run,
        details={"sha256": run.file_sha256, "bytes": len(content)},
    )
    return run


@transaction.atomic
def payment_run_mark_paid(
    *, actor: User, run: PaymentRun, paid_on: date | None = None
) -> PaymentRun:
    """The bank has paid: post the payment entry and mark the invoices paid."""
    run = _lock(run, PaymentRun.State.RELEASED)
    on_behalf_of = _payer(actor, run.institution)
    # The run, then its invoices (pk order), then the ledger: the order of every payment step.
    invoices = list(run.invoices.select_for_update(of=("self",)).order_by("pk"))
    paid_on = paid_on or run.execution_date
    transfers = transfers_of(run)
    accounts = posting_accounts(run.institution)
    spec = EntrySpec(
        date=paid_on,
        description=f"Betalingskørsel {run.pk}",
        voucher_ref=f"RUN-{run.pk}",
        source_type=SOURCE_TYPE,
        source_id=str(run.pk),
        lines=[
            *[
                LineSpec(account=accounts.payables, debit=t.amount, text=t.vendor[:200])
                for t in transfers
            ],
            LineSpec(account=accounts.bank, credit=run.total, text=f"RUN-{run.pk}"),
        ],
    )
    entry = posting_dates.entry_record_in_open_period(
        actor=actor, institution=run.institution, spec=spec
    )
    now = timezone.now()
    for invoice in invoices:
        transition(invoice, Action.PAY)
        invoice.paid_by = actor
        invoice.paid_at = now
    Invoice.objects.bulk_update(
        invoices, ["state", "paid_by", "paid_at", "next_role", "assigned_to"]
    )
    _invoice_events(run.institution, actor, on_behalf_of, invoices, "paid", run)
    run.payment_requests.filter(state=PaymentRequest.State.SCHEDULED).update(
        state=PaymentRequest.State.PAID, paid_at=now
    )
    run.state = PaymentRun.State.PAID
    run.paid_by = actor
    run.paid_at = now
    run.journal_entry = entry
    run.save()
    record_event(
        institution=run.institution,
        actor=actor,
        action="payables.payment_run.paid",
        obj=run,
        on_behalf_of=on_behalf_of,
        details={"entry": entry.pk, "total": run.total},
    )
    metrics.after_commit(metrics.PAYMENT_RUNS.labels("paid").inc)
    return run
