"""Payment runs: a payer gathers an institution's posted, due and unblocked invoices, net of
the same vendors' posted credit notes, into a run; a payer who posted none of them releases
it, which produces the ISO 20022 pain.001.001.03 credit-transfer file for the bank; marking
the run paid posts the payment entry (vendor payables 9110 debit, bank 5810 credit) and the
invoices become paid.

Only vendors with an IBAN on their invoices are paid by a run (FIK and giro payments and
domestic account numbers are a later step); a vendor whose credit notes exceed its invoices is
left out until new invoices arrive.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from stdnum import iban as stdnum_iban

from faelles.core.audit import record_event, record_events_bulk
from faelles.ledger.services import EntrySpec, LedgerError, LineSpec, entry_record
from faelles.payables.approval import BANK_ACCOUNT, VENDOR_PAYABLE_ACCOUNT
from faelles.payables.models import Invoice, InvoiceState, PaymentRun
from faelles.payables.routing import set_next_actor
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, Role, User

PAIN_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
SOURCE_TYPE = "payables.paymentrun"


def _refuse(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _payer(actor: User, institution: Institution) -> User | None:
    try:
        return selectors.acting_for(actor, institution, Role.PAYER)
    except LookupError:
        raise _refuse("actor", "not_permitted", _("Only payers handle payment runs.")) from None


IBAN_PATTERN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Za-z0-9]{1,30}")  # the pain.001 schema's


def vendor_iban(invoice: Invoice) -> str:
    """The IBAN the invoice asks to be paid to ('' when it names none the file can carry)."""
    for means in invoice.payment_means:
        if means.get("kind") == "iban" and means.get("iban"):
            value = str(means["iban"]).replace(" ", "").upper()
            if IBAN_PATTERN.fullmatch(value):
                return value
    return ""


@transaction.atomic
def payment_run_create(
    *,
    actor: User,
    institution: Institution,
    execution_date: date,
    debtor_iban: str,
    debtor_bic: str = "",
) -> PaymentRun:
    """Gather the invoices to pay on ``execution_date`` (due by then) net of credit notes."""
    on_behalf_of = _payer(actor, institution)
    debtor_iban = debtor_iban.replace(" ", "").upper()
    if not stdnum_iban.is_valid(debtor_iban):
        raise _refuse(
            "debtor_iban",
            "invalid_iban",
            _("%(v)s is not a valid IBAN for the account to pay from.") % {"v": debtor_iban},
        )
    candidates = list(
        Invoice.objects.for_institution(institution)
        .select_for_update()
        .filter(
            state=InvoiceState.POSTED,
            payment_blocked=False,
            duplicate_of__isnull=True,
            payment_run__isnull=True,
        )
        .select_related("vendor")
        .order_by("pk")
    )
    by_vendor: dict[int, list[Invoice]] = defaultdict(list)
    for invoice in candidates:
        if invoice.is_credit_note or (
            invoice.due_date is None or invoice.due_date <= execution_date
        ):
            by_vendor[invoice.vendor_id].append(invoice)
    chosen: list[Invoice] = []
    total = Decimal("0.00")
    for invoices in by_vendor.values():
        debts = [i for i in invoices if not i.is_credit_note and vendor_iban(i)]
        if not debts:
            continue
        credits = [i for i in invoices if i.is_credit_note]
        net = sum((i.payable_amount for i in debts), Decimal(0)) - sum(
            (i.payable_amount for i in credits), Decimal(0)
        )
        if net <= 0:
            continue
        chosen.extend(debts + credits)
        total += net
    if not chosen:
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
    )
    run.full_clean()
    run.save()
    for invoice in chosen:
        invoice.payment_run = run
        invoice.state = InvoiceState.SCHEDULED
        invoice.scheduled_by = actor
        set_next_actor(invoice)
    Invoice.objects.bulk_update(
        chosen, ["payment_run", "state", "scheduled_by", "next_role", "assigned_to"]
    )
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
            "total": total,
        },
    )
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
        PaymentRun.objects.select_for_update().select_related("institution").get(pk=run.pk)
    )
    if locked.state != state:
        raise _refuse(
            "state",
            "wrong_state",
            _("The payment run is %(s)s.") % {"s": locked.get_state_display()},
        )
    return locked


def _lines(run: PaymentRun) -> list[tuple[str, str, Decimal, list[Invoice]]]:
    """Per vendor: name, IBAN, net amount, invoices and credit notes."""
    groups: dict[int, list[Invoice]] = defaultdict(list)
    for invoice in run.invoices.select_related("vendor").order_by("pk"):
        groups[invoice.vendor_id].append(invoice)
    out = []
    for invoices in groups.values():
        debts = [i for i in invoices if not i.is_credit_note]
        net = sum((i.payable_amount for i in debts), Decimal(0)) - sum(
            (i.payable_amount for i in invoices if i.is_credit_note), Decimal(0)
        )
        out.append((invoices[0].vendor.name, vendor_iban(debts[0]), net, invoices))
    return out


def pain001(run: PaymentRun) -> bytes:
    """The ISO 20022 pain.001.001.03 customer credit transfer initiation of the run."""
    lines = _lines(run)

    def sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
        element = etree.SubElement(parent, f"{{{PAIN_NS}}}{tag}")
        if text is not None:
            element.text = text
        return element

    total = f"{sum((n for _v, _i, n, _x in lines), Decimal(0)):.2f}"
    root = etree.Element(f"{{{PAIN_NS}}}Document", nsmap={None: PAIN_NS})  # type: ignore[dict-item]
    init = sub(root, "CstmrCdtTrfInitn")
    header = sub(init, "GrpHdr")
    sub(header, "MsgId", f"FAELLES-{run.institution_id}-{run.pk}")
    sub(header, "CreDtTm", timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"))
    sub(header, "NbOfTxs", str(len(lines)))
    sub(header, "CtrlSum", total)
    sub(sub(header, "InitgPty"), "Nm", run.institution.name[:70])
    info = sub(init, "PmtInf")
    sub(info, "PmtInfId", f"RUN-{run.pk}")
    sub(info, "PmtMtd", "TRF")
    sub(info, "NbOfTxs", str(len(lines)))
    sub(info, "CtrlSum", total)
    sub(info, "ReqdExctnDt", run.execution_date.isoformat())
    sub(sub(info, "Dbtr"), "Nm", run.institution.name[:70])
    sub(sub(sub(info, "DbtrAcct"), "Id"), "IBAN", run.debtor_iban)
    agent = sub(sub(info, "DbtrAgt"), "FinInstnId")
    if run.debtor_bic:
        sub(agent, "BIC", run.debtor_bic)
    else:
        sub(sub(agent, "Othr"), "Id", "NOTPROVIDED")
    for no, (name, iban, net, invoices) in enumerate(lines, start=1):
        tx = sub(info, "CdtTrfTxInf")
        sub(sub(tx, "PmtId"), "EndToEndId", f"RUN{run.pk}-{no}"[:35])
        amount = sub(sub(tx, "Amt"), "InstdAmt", f"{net:.2f}")
        amount.set("Ccy", "DKK")
        sub(sub(tx, "Cdtr"), "Nm", name[:70])
        sub(sub(sub(tx, "CdtrAcct"), "Id"), "IBAN", iban)
        numbers = " ".join(i.number for i in invoices)
        sub(sub(tx, "RmtInf"), "Ustrd", numbers[:140])
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


@transaction.atomic
def payment_run_release(*, actor: User, run: PaymentRun) -> PaymentRun:
    """A payer who posted none of its invoices releases the run; the pain.001 file is made."""
    run = _lock(run, PaymentRun.State.DRAFT)
    on_behalf_of = _payer(actor, run.institution)
    persons = {actor.pk} | ({on_behalf_of.pk} if on_behalf_of else set())
    posted_by_them = [i.number for i in run.invoices.all() if i.posted_by_id in persons]
    if posted_by_them:
        raise _refuse(
            "actor",
            "poster",
            _("You posted invoices in this run (%(n)s); another payer must release it.")
            % {"n": ", ".join(posted_by_them[:5])},
        )
    run.file = pain001(run)
    run.state = PaymentRun.State.RELEASED
    run.released_by = actor
    run.released_at = timezone.now()
    run.save()
    record_event(
        institution=run.institution,
        actor=actor,
        action="payables.payment_run.released",
        obj=run,
        on_behalf_of=on_behalf_of,
        details={"total": run.total, "invoices": run.invoices.count()},
    )
    return run


@transaction.atomic
def payment_run_mark_paid(
    *, actor: User, run: PaymentRun, paid_on: date | None = None
) -> PaymentRun:
    """The bank has paid: post the payment entry and mark the invoices paid."""
    run = _lock(run, PaymentRun.State.RELEASED)
    on_behalf_of = _payer(actor, run.institution)
    paid_on = paid_on or run.execution_date
    lines = _lines(run)
    spec = EntrySpec(
        date=paid_on,
        description=f"Betalingskørsel {run.pk}",
        voucher_ref=f"RUN-{run.pk}",
        source_type=SOURCE_TYPE,
        source_id=str(run.pk),
        lines=[
            *[
                LineSpec(account=VENDOR_PAYABLE_ACCOUNT, debit=net, text=name[:200])
                for name, _iban, net, _i in lines
            ],
            LineSpec(account=BANK_ACCOUNT, credit=run.total, text=f"RUN-{run.pk}"),
        ],
    )
    try:
        entry = entry_record(actor=actor, institution=run.institution, spec=spec)
    except LedgerError as exc:
        raise ValidationError(
            {"ledger": [ValidationError(str(p), code=p.code) for p in exc.problems]}
        ) from None
    now = timezone.now()
    invoices = list(run.invoices.select_for_update().order_by("pk"))
    for invoice in invoices:
        invoice.state = InvoiceState.PAID
        invoice.paid_by = actor
        invoice.paid_at = now
        set_next_actor(invoice)
    Invoice.objects.bulk_update(
        invoices, ["state", "paid_by", "paid_at", "next_role", "assigned_to"]
    )
    _invoice_events(run.institution, actor, on_behalf_of, invoices, "paid", run)
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
    return run
