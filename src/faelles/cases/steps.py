"""The service tasks a case-type model may call, by name.

Each takes the step's context (the case, the actor, the time, the journal), the parameters the
model gives (safe expressions, already evaluated) and the case's data, writes its own rows in
the step's transaction, and returns a JSON-able result that the model stores under the service
task's ``resultVariable``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from faelles.cases import letters
from faelles.cases.models import (
    CaseDecision,
    CaseDocument,
    CaseJournalEntry,
    CaseParty,
    CaseTask,
    CaseTaskState,
)
from faelles.cases.registry import service_task
from faelles.core.audit import record_event

_ADDRESSEES = (
    CaseParty.PartyRole.COMPLAINANT,
    CaseParty.PartyRole.APPLICANT,
    CaseParty.PartyRole.PARTY,
    CaseParty.PartyRole.AUTHORITY,
)


def _days(params: dict[str, Any], name: str, default: int) -> int:
    value = params.get(name, default)
    return max(0, int(value))


def letter_store(
    ctx: Any, *, kind: str, title: str, extra: dict[str, Any] | None = None
) -> CaseDocument:
    """Fill the case type's docx template of letter ``kind`` with the case's data, store the
    PDF as an outgoing document on the case and send it to every party through the Digital
    Post transport after commit."""
    import hashlib

    case = ctx.case
    parties = list(case.parties.filter(role__in=_ADDRESSEES).order_by("pk"))
    context = letters.letter_context(case, kind=kind, now=ctx.now, extra=extra)
    template, template_row = letters.template_for(case.case_type, kind)
    docx = letters.render_docx(template, context)
    pdf = letters.docx_pdf(docx, title=f"{case.number} {title}", created=ctx.now)
    filename = f"{case.number}-{kind}-{ctx.now:%Y%m%d%H%M%S}.pdf"
    document = CaseDocument.objects.create(
        institution_id=case.institution_id,
        case=case,
        direction=CaseDocument.Direction.OUTGOING,
        title=title,
        filename=filename,
        content_type="application/pdf",
        content=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        created_by=ctx.actor,
        sent_via="",
    )
    ctx.log(
        CaseJournalEntry.Kind.DOCUMENT,
        title,
        element=kind,
        data={
            "document": document.pk,
            "template": template_row.sha256 if template_row else "shipped",
        },
    )
    recipients = [
        letters.Letter(
            case_number=case.number,
            title=title,
            recipient_name=p.name,
            recipient_id_type="CPR" if p.cpr else ("CVR" if p.cvr else ""),
            recipient_id=p.cpr or p.cvr,
            pdf=pdf,
            sender=case.institution.name,
            sender_cvr=case.institution.cvr,
            created=ctx.now,
        )
        for p in parties
    ]
    document_id = document.pk

    def send() -> None:
        transport = letters.transport()
        refs = [transport.send(letter) for letter in recipients]
        CaseDocument.objects.filter(pk=document_id).update(
            sent_via=transport.name, sent_ref=",".join(refs)[:200]
        )

    ctx.after_commit.append(send)
    return document


@service_task("letter_send", params=("template",))
def letter_send(ctx: Any, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Send a letter made from a template (``dismissal``, ``decision``, ``grant``, ``hearing``)."""
    kind = str(params.get("template") or "generic")
    if kind not in letters.KINDS:
        kind = "generic"
    document = letter_store(ctx, kind=kind, title=letters.kind_title(kind), extra={"data": data})
    return {"document": document.pk, "sha256": document.sha256}


@service_task("hearing_start", params=("days",))
def hearing_start(ctx: Any, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Hear the parties (partshøring): a deadline ``days`` ahead and a hearing letter."""
    from faelles.cases.services import deadline_add

    due = ctx.now + dt.timedelta(days=_days(params, "days", 14))
    deadline_add(ctx, kind="hearing_deadline", label=str(_("Hearing of the parties")), due_at=due)
    document = letter_store(
        ctx, kind="hearing", title=str(_("Hearing of the parties")), extra={"due": due}
    )
    return {"deadline": due.isoformat(), "document": document.pk}


def _completer(case: Any, form: str) -> Any:
    row = (
        CaseTask.objects.filter(case=case, form=form, state=CaseTaskState.DONE)
        .order_by("-completed_at", "-pk")
        .first()
    )
    return row.completed_by if row else None


def complaint_guidance(case: Any, appeal_days: int) -> str:
    target = case.case_type.appeal_case_type
    if target is None:
        return str(
            _(
                "The decision is final within the administration. You may bring it before the "
                "Parliamentary Ombudsman within 12 months, or before the courts."
            )
        )
    return str(
        _(
            "You may appeal this decision to %(body)s within %(days)d days of receiving it. "
            "Send the appeal to %(board)s, which forwards it with the case's documents."
        )
        % {"body": target.institution.name, "days": appeal_days, "board": case.institution.name}
    )


@service_task("decision_issue", params=("appeal_days",))
def decision_issue(ctx: Any, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Issue the drafted and approved decision: reasons, legal basis and complaint guidance
    (forvaltningsloven §§ 22-25), and the appeal deadline."""
    from faelles.cases.services import deadline_add

    case = ctx.case
    appeal_days = _days(params, "appeal_days", 28)
    appeal_deadline = ctx.now + dt.timedelta(days=appeal_days)
    outcome = str(data.get("outcome") or data.get("grant_outcome") or "decided")
    decision = CaseDecision.objects.create(
        institution_id=case.institution_id,
        case=case,
        outcome=outcome,
        reasons=str(data.get("reasons") or data.get("decision_reasons") or ""),
        legal_basis=str(data.get("legal_basis") or ""),
        complaint_guidance=complaint_guidance(case, appeal_days),
        appeal_deadline=appeal_deadline,
        drafted_by=_completer(case, "decision_draft") or _completer(case, "grant_assessment"),
        approved_by=ctx.actor,
        decided_at=ctx.now,
    )
    if appeal_days:
        deadline_add(
            ctx, kind="appeal_deadline", label=str(_("Appeal period")), due_at=appeal_deadline
        )
    ctx.log(
        CaseJournalEntry.Kind.DECISION,
        _("Decision issued: %(o)s") % {"o": outcome},
        element="decision",
    )
    return {
        "appeal_deadline": appeal_deadline.isoformat(),
        "outcome": outcome,
        "decision": decision.pk,
    }


@service_task("decision_publish")
def decision_publish(ctx: Any, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Publish the decision, without the parties' names, in the board's list of decisions."""
    CaseDecision.objects.filter(case=ctx.case).update(published_at=ctx.now)
    return {"published_at": ctx.now.isoformat()}


@service_task("appeal_open")
def appeal_open(ctx: Any, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Open a linked case at the appeals body, carrying the parties and documents along."""
    from faelles.cases.services import PartyInput, case_open, documents_copy

    case = ctx.case
    target = case.case_type.appeal_case_type
    if target is None:
        raise ValueError(str(_("No appeals body is configured for this case type.")))
    parties = [
        PartyInput(kind=p.kind, role=p.role, name=p.name, cpr=p.cpr, cvr=p.cvr)
        for p in case.parties.order_by("pk")
    ]
    # Documents written in this step (the decision letter) are already rows: copy them all.
    appeal = case_open(
        actor=None,
        case_type=target,
        title=str(
            _("Appeal of %(number)s: %(title)s") % {"number": case.number, "title": case.title}
        ),
        parties=parties,
        appeal_of=case,
        now=ctx.now,
    )
    documents_copy(source=case, target=appeal, actor=ctx.actor)
    ctx.log(
        CaseJournalEntry.Kind.SERVICE,
        _("Appeal opened as %(number)s at %(body)s")
        % {"number": appeal.number, "body": target.institution.name},
        element="appeal_open",
        data={"appeal_case": appeal.pk},
    )
    record_event(
        institution=case.institution,
        actor=ctx.actor,
        action="cases.appeal.open",
        obj=case,
        details={"appeal_case": appeal.number, "appeals_body": target.institution.short_name},
    )
    return {"appeal_case": appeal.number, "appeal_case_id": appeal.pk}


# --- grants -------------------------------------------------------------------------------------


@service_task("pool_publish")
def pool_publish(ctx: Any, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Advertise the grant pool (pools must be advertised) with its application deadline."""
    from faelles.cases.services import deadline_add

    days = int(data.get("application_days") or 30)
    due = ctx.now + dt.timedelta(days=days)
    deadline_add(ctx, kind="application_deadline", label=str(_("Application deadline")), due_at=due)
    ctx.log(CaseJournalEntry.Kind.SERVICE, _("Pool advertised"), element="pool_publish")
    return {"deadline": due.isoformat(), "advertised_at": ctx.now.isoformat()}


@service_task("budget_reserve")
def budget_reserve(ctx: Any, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Reserve the amount applied for in the pool while the application is assessed."""
    amount = Decimal(str(data.get("requested_amount") or "0")).quantize(Decimal("0.01"))
    ctx.log(
        CaseJournalEntry.Kind.SERVICE,
        _("Reserved in the pool: DKK %(amount)s") % {"amount": f"{amount:.2f}"},
        element="budget_reserve",
        data={"amount": f"{amount:.2f}"},
    )
    return {"amount": f"{amount:.2f}"}


@service_task("grant_decide")
def grant_decide(ctx: Any, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Record the grant decision from the assessment's score (DMN) and the amount."""
    granted = bool(data.get("grant"))
    amount = Decimal(str(data.get("requested_amount") or "0")) if granted else Decimal("0")
    data = {
        **data,
        "outcome": "granted" if granted else "refused",
        "reasons": str(data.get("score_reason") or ""),
        "legal_basis": str(_("The pool's terms of advertisement")),
    }
    result = decision_issue(ctx, {"appeal_days": 0}, data)
    return {**result, "granted": granted, "amount": str(amount)}


def _payee(case: Any) -> str:
    party = (
        case.parties.filter(role=CaseParty.PartyRole.APPLICANT).order_by("pk").first()
        or case.parties.order_by("pk").first()
    )
    return str(party.name) if party is not None else str(case.title)


def _payment_means(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Where to pay, from the case's data (the application's account)."""
    reg, account = str(data.get("payee_reg") or ""), str(data.get("payee_account") or "")
    if not (reg or account):
        raise ValueError(str(_("The case names no account to pay to.")))
    return [{"kind": "dk_account", "reg": reg.strip(), "account": account.strip()}]


def _pay(
    ctx: Any,
    params: dict[str, Any],
    data: dict[str, Any],
    *,
    amount: Decimal,
    key: str,
    reference: str,
    default_account: str,
) -> Any:
    """Hand one payment to payables: a payment request (posted in the ledger now, paid by the
    institution's next payment run)."""
    from faelles.payables.requests import Expense, payment_request_create

    case = ctx.case
    return payment_request_create(
        actor=ctx.actor,
        institution=case.institution,
        payee_name=_payee(case),
        payment_means=_payment_means(data),
        amount=amount,
        reference=reference,
        due_date=ctx.now.date(),
        source_type="cases.case",
        source_id=f"{case.pk}:{key}",
        expense=Expense(
            account=str(params.get("account") or default_account),
            purpose=str(params["purpose"]) if params.get("purpose") else None,
        ),
        description=f"{case.number} {case.title}",
    )


@service_task("grant_pay", params=("account", "purpose"))
def grant_pay(ctx: Any, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Pay the grant through payables: a payment request to the applicant's account, the
    expense posted on the pool's account and purpose, paid by the next payment run."""
    amount = Decimal(str((data.get("grant_decision") or {}).get("amount") or "0"))
    request = _pay(
        ctx,
        params,
        data,
        amount=amount,
        key="grant",
        reference=f"{ctx.case.number} tilskud",
        default_account="4410",
    )
    ctx.log(
        CaseJournalEntry.Kind.SERVICE,
        _("Payment ordered: DKK %(amount)s") % {"amount": f"{request.amount:.2f}"},
        element="grant_pay",
        data={"amount": f"{request.amount:.2f}", "payment_request": request.pk},
    )
    return {
        "amount": f"{request.amount:.2f}",
        "payment_request": request.pk,
        "ordered_at": ctx.now.isoformat(),
    }


# --- benefits -----------------------------------------------------------------------------------


@service_task("benefit_pay", params=("interval_days", "account", "purpose"))
def benefit_pay(ctx: Any, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Pay one period of a benefit through payables (a payment request, as for a grant) and
    say when the next one is due."""
    paid = int((data.get("payment") or {}).get("paid") or 0) + 1
    amount = Decimal(str(data.get("monthly_amount") or "0")).quantize(Decimal("0.01"))
    interval = _days(params, "interval_days", 30)
    request = _pay(
        ctx,
        params,
        data,
        amount=amount,
        key=f"benefit:{paid}",
        reference=f"{ctx.case.number} ydelse {paid}",
        default_account="4210",
    )
    ctx.log(
        CaseJournalEntry.Kind.SERVICE,
        _("Benefit paid (%(n)d): DKK %(amount)s") % {"n": paid, "amount": f"{amount:.2f}"},
        element="benefit_pay",
        data={"amount": f"{amount:.2f}", "n": paid, "payment_request": request.pk},
    )
    return {
        "paid": paid,
        "payment_request": request.pk,
        "amount": f"{amount:.2f}",
        "next_payment": (ctx.now + dt.timedelta(days=interval)).isoformat(),
        "done": paid >= int(data.get("months") or 1),
    }
