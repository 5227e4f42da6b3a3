"""Coding (kontering): which account, cost centre, purpose and VAT code each invoice line's
net amount goes to.

* Coding rules per institution code an invoice at intake when every line matches a rule
  (the invoice becomes *coded*, flagged "coded automatically").
* Otherwise the coding editor proposes the coding of the vendor's previously approved
  invoices (``coding_suggestion``).
* ``invoice_code`` codes or re-codes the lines; a line may be split across several
  allocations whose amounts sum to its net amount. Every account and dimension is checked
  against the institution's ledger, with a clear error per line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from faelles.core.audit import record_event
from faelles.ledger.models import Account, Purpose, VatCode
from faelles.payables.labels import state_in_sentence
from faelles.payables.models import (
    CodingRule,
    Invoice,
    InvoiceAllocation,
    InvoiceLine,
    InvoiceState,
    Vendor,
)
from faelles.payables.routing import UNSET, Unset
from faelles.payables.rule_changes import changed_fields, save_changes, set_active
from faelles.payables.workflow import APPROVED_STATES as APPROVED_STATES
from faelles.payables.workflow import CODABLE_STATES as CODABLE_STATES
from faelles.payables.workflow import Action, roles_for_action, transition
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, OrgUnit, Role, User

CENT = Decimal("0.01")
#: Who codes (the life cycle's table: the roles of the action ``code``).
CODE_ROLES = roles_for_action(InvoiceState.RECEIVED, Action.CODE)
RULE_ROLES = frozenset({Role.BOOKKEEPER, Role.LOCAL_ADMIN})


@dataclass(frozen=True, slots=True)
class AllocationSpec:
    """One allocation of a line (by its number on the invoice) to an account and dimensions."""

    line_no: int
    account: str
    amount: Decimal
    org_unit: str = ""
    purpose: str = ""
    vat_code: str = ""


def default_vat_code(line: InvoiceLine) -> str:
    """The purchase VAT code for the line's VAT category: standard 25 % → I25, reverse
    charge → RC25, exempt, zero-rated and out of scope → E0."""
    category = (line.vat_category or "").upper()
    if category == "S" and line.vat_rate is not None and Decimal(line.vat_rate) == 25:
        return "I25"
    if category == "AE":
        return "RC25"
    if category in {"E", "Z", "O", "G", "K"}:
        return "E0"
    return ""


class LedgerCodes:
    """The ledger codes a check needs (only those named), loaded with one query per kind."""

    def __init__(
        self,
        institution: Institution,
        accounts: set[str],
        org_units: set[str],
        purposes: set[str],
        vat_codes: set[str],
    ) -> None:
        self.accounts = {
            a.number: a
            for a in Account.objects.for_institution(institution).filter(number__in=accounts)
        }
        self.org_units = set(
            OrgUnit.objects.for_institution(institution)
            .filter(is_active=True, code__in=org_units - {""})
            .values_list("code", flat=True)
        )
        self.purposes = (
            set(
                Purpose.objects.for_institution(institution)
                .filter(is_active=True, code__in=purposes - {""})
                .values_list("code", flat=True)
            )
            if purposes - {""}
            else set()
        )
        self.vat_codes = set(
            VatCode.objects.for_institution(institution)
            .filter(code__in=vat_codes - {""})
            .values_list("code", flat=True)
        )

    @classmethod
    def for_specs(cls, institution: Institution, specs: Sequence[AllocationSpec]) -> LedgerCodes:
        return cls(
            institution,
            {s.account for s in specs},
            {s.org_unit for s in specs},
            {s.purpose for s in specs},
            {s.vat_code for s in specs},
        )

    def problems(self, account: str, org_unit: str, purpose: str, vat_code: str) -> dict[str, str]:
        """What is wrong with one coding, by field."""
        out: dict[str, str] = {}
        acc = self.accounts.get(account)
        if acc is None:
            out["account"] = _("Account %(n)s does not exist in the chart of accounts.") % {
                "n": account
            }
        elif not acc.is_postable or not acc.is_active:
            out["account"] = _("Account %(n)s cannot be posted to (a sum or inactive account).") % {
                "n": account
            }
        else:
            if acc.requires_org_unit and not org_unit:
                out["org_unit"] = _("Account %(n)s requires a cost centre.") % {"n": account}
            if acc.requires_purpose and not purpose:
                out["purpose"] = _("Account %(n)s requires a purpose.") % {"n": account}
        if org_unit and org_unit not in self.org_units:
            out["org_unit"] = _("Cost centre %(c)s does not exist or is inactive.") % {
                "c": org_unit
            }
        if purpose and purpose not in self.purposes:
            out["purpose"] = _("Purpose %(c)s does not exist or is inactive.") % {"c": purpose}
        if vat_code and vat_code not in self.vat_codes:
            out["vat_code"] = _("VAT code %(c)s does not exist.") % {"c": vat_code}
        return out


@dataclass(frozen=True, slots=True)
class CodingProblem:
    """One reason a coding cannot be saved, with where it belongs: the allocation (its index
    in the specs given) and field, or only the line (a sum that does not match, a line left
    uncoded). ``message`` names the line (the summary at the top of the form); ``detail`` is
    what the field itself says."""

    message: str
    detail: str
    line_no: int | None = None
    spec: int | None = None
    field: str = ""


def amount_text(value: Decimal) -> str:
    """An amount in the active language's number format, two decimals and thousands grouped
    ("4.900,00" in Danish, "4,900.00" in English)."""
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def coding_problems(
    institution: Institution, lines: Sequence[InvoiceLine], specs: Sequence[AllocationSpec]
) -> list[CodingProblem]:
    """Every reason the coding cannot be saved, each where it belongs: unknown lines, lines
    left uncoded, amounts that do not add up to a line's net amount, unknown accounts and
    dimensions."""
    ledger = LedgerCodes.for_specs(institution, specs)
    by_no = {line.line_no: line for line in lines}
    sums: dict[int, Decimal] = {no: Decimal("0.00") for no in by_no}
    problems: list[CodingProblem] = []

    def on_line(no: int, detail: str, spec: int | None = None, field: str = "") -> None:
        message = _("Line %(no)s: %(msg)s") % {"no": no, "msg": detail}
        problems.append(CodingProblem(message, detail, no, spec, field))

    for index, spec in enumerate(specs):
        line = by_no.get(spec.line_no)
        if line is None:
            text = _("Line %(no)s is not on this invoice.") % {"no": spec.line_no}
            problems.append(CodingProblem(text, text, spec.line_no, index))
            continue
        amount = Decimal(spec.amount)
        if amount != amount.quantize(CENT):
            on_line(spec.line_no, _("amounts have at most two decimals."), index, "amount")
        sums[spec.line_no] += amount
        for field, message in ledger.problems(
            spec.account, spec.org_unit, spec.purpose, spec.vat_code
        ).items():
            on_line(spec.line_no, message, index, field)
    coded = {s.line_no for s in specs}
    for no, line in sorted(by_no.items()):
        if no not in coded:
            text = _("Line %(no)s is not coded.") % {"no": no}
            problems.append(CodingProblem(text, text, no))
        elif sums[no] != line.net_amount:
            on_line(
                no,
                _("the coded amounts add up to %(sum)s, but the line's net amount is %(net)s.")
                % {"sum": amount_text(sums[no]), "net": amount_text(line.net_amount)},
            )
    return problems


def allocation_problems(
    institution: Institution, lines: Sequence[InvoiceLine], specs: Sequence[AllocationSpec]
) -> list[str]:
    """The messages of :func:`coding_problems` (what the service refuses with)."""
    return [p.message for p in coding_problems(institution, lines, specs)]


def _write_allocations(
    invoice: Invoice, lines: Sequence[InvoiceLine], specs: Sequence[AllocationSpec]
) -> None:
    by_no = {line.line_no: line for line in lines}
    InvoiceAllocation.objects.filter(invoice=invoice).delete()
    InvoiceAllocation.objects.bulk_create(
        InvoiceAllocation(
            institution_id=invoice.institution_id,
            invoice=invoice,
            line=by_no[s.line_no],
            account=s.account,
            org_unit=s.org_unit,
            purpose=s.purpose,
            vat_code=s.vat_code,
            amount=Decimal(s.amount).quantize(CENT),
        )
        for s in specs
    )


# --- automatic coding at intake -----------------------------------------------------------


def coding_rule_matches(rule: CodingRule, invoice: Invoice, line: InvoiceLine) -> bool:
    """All of the rule's non-empty criteria hold for the line (and it has at least one);
    intake codes an invoice by the first matching rule of each line."""
    criteria = 0
    if rule.vendor_id is not None:
        criteria += 1
        if rule.vendor_id != invoice.vendor_id:
            return False
    if rule.classification:
        criteria += 1
        if rule.classification.strip() != line.classification.strip():
            return False
    if rule.text_contains:
        criteria += 1
        if rule.text_contains.casefold() not in line.description.casefold():
            return False
    return criteria > 0


# --- suggestion -----------------------------------------------------------------------------


def coding_suggestion(invoice: Invoice) -> list[AllocationSpec]:
    """The coding the vendor's previously approved invoices used most (account, cost centre,
    purpose), each line in full; empty when the vendor has no approved invoice yet."""
    history = (
        InvoiceAllocation.objects.for_institution(invoice.institution)
        .filter(invoice__vendor_id=invoice.vendor_id, invoice__state__in=APPROVED_STATES)
        .exclude(invoice=invoice)
        .order_by("-invoice__approved_at", "-pk")
        .values_list("account", "org_unit", "purpose")[:200]
    )
    counts = Counter(history)
    if not counts:
        return []
    (account, org_unit, purpose), _n = counts.most_common(1)[0]
    return [
        AllocationSpec(
            line_no=line.line_no,
            account=account,
            amount=line.net_amount,
            org_unit=org_unit,
            purpose=purpose,
            vat_code=default_vat_code(line),
        )
        for line in invoice.lines.order_by("line_no")
    ]


# --- coding by a person -----------------------------------------------------------------------


def _refuse(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


@transaction.atomic
def invoice_code(
    *, actor: User, invoice: Invoice, allocations: Sequence[AllocationSpec]
) -> Invoice:
    """Code or re-code every line of a received or coded invoice (replacing its coding).

    Invoice receivers, requesters and bookkeepers code; whoever codes can no longer approve
    the invoice. Nothing changes when any allocation is wrong.
    """
    invoice = Invoice.objects.select_for_update(of=("self",)).get(pk=invoice.pk)
    institution = invoice.institution
    roles = selectors.roles_for(actor, institution)
    if not roles & CODE_ROLES:
        raise _refuse("actor", "not_permitted", _("You do not have a role that may code invoices."))
    if invoice.duplicate_of_id is not None:
        raise _refuse("state", "duplicate", _("A duplicate invoice cannot be coded."))
    if invoice.state not in CODABLE_STATES:
        raise _refuse(
            "state",
            "wrong_state",
            _("The invoice is %(state)s and can no longer be coded.")
            % {"state": state_in_sentence(invoice.state)},
        )
    lines = list(invoice.lines.order_by("line_no"))
    problems = allocation_problems(institution, lines, allocations)
    if problems:
        raise ValidationError({"allocations": problems})
    _write_allocations(invoice, lines, allocations)
    role = next(r for r in (Role.REQUESTER, Role.INVOICE_RECEIVER, Role.BOOKKEEPER) if r in roles)
    on_behalf_of = selectors.acting_for(actor, institution, role)
    old_state = invoice.state
    transition(invoice, Action.CODE)
    invoice.coded_automatically = False
    invoice.coded_by = actor
    coders = set(invoice.coder_ids or [])
    coders.add(actor.pk)
    if on_behalf_of is not None:
        coders.add(on_behalf_of.pk)
    invoice.coder_ids = sorted(coders)
    invoice.full_clean(validate_constraints=False)
    invoice.save()
    record_event(
        institution=institution,
        actor=actor,
        action="payables.invoice.coded",
        obj=invoice,
        on_behalf_of=on_behalf_of,
        details={
            "from": old_state,
            "at": timezone.now(),
            "allocations": [
                {
                    "line": s.line_no,
                    "account": s.account,
                    "org_unit": s.org_unit,
                    "purpose": s.purpose,
                    "vat_code": s.vat_code,
                    "amount": Decimal(s.amount).quantize(CENT),
                }
                for s in allocations
            ],
        },
    )
    return invoice


def _coding_rule_problems(
    institution: Institution,
    *,
    account: str,
    org_unit: str,
    purpose: str,
    vat_code: str,
    vendor: Vendor | None,
    classification: str,
    text_contains: str,
) -> dict[str, list[ValidationError]]:
    """What is wrong with a coding rule as it would be saved, by field: its account and
    dimensions must exist in the ledger, its vendor be the institution's, and it needs a
    criterion."""
    errors: dict[str, list[ValidationError]] = {
        k: [ValidationError(v, code="ledger")]
        for k, v in LedgerCodes(institution, {account}, {org_unit}, {purpose}, {vat_code})
        .problems(account, org_unit, purpose, vat_code)
        .items()
    }
    if vendor is None and not classification.strip() and not text_contains.strip():
        errors.setdefault("vendor", []).append(
            ValidationError(
                _("A coding rule needs at least one criterion: vendor, classification or text."),
                code="no_criterion",
            )
        )
    if vendor is not None and vendor.institution_id != institution.pk:
        errors.setdefault("vendor", []).append(
            ValidationError(
                _("The vendor must belong to the same institution."), code="other_institution"
            )
        )
    return errors


def _check_rule_role(actor: User, institution: Institution) -> None:
    if not selectors.roles_for(actor, institution) & RULE_ROLES:
        raise _refuse(
            "actor",
            "not_permitted",
            _("Only bookkeepers and local administrators manage coding rules."),
        )


@transaction.atomic
def coding_rule_create(
    *,
    actor: User,
    institution: Institution,
    account: str,
    org_unit: str = "",
    purpose: str = "",
    vat_code: str = "",
    vendor: Vendor | None = None,
    classification: str = "",
    text_contains: str = "",
    priority: int = 100,
) -> CodingRule:
    """Add a coding rule; its account and dimensions must exist in the institution's ledger
    and it needs at least one criterion (vendor, classification, text)."""
    if not selectors.roles_for(actor, institution) & RULE_ROLES:
        raise _refuse(
            "actor", "not_permitted", _("Only bookkeepers and local administrators add rules.")
        )
    errors = _coding_rule_problems(
        institution,
        account=account,
        org_unit=org_unit,
        purpose=purpose,
        vat_code=vat_code,
        vendor=vendor,
        classification=classification,
        text_contains=text_contains,
    )
    if errors:
        raise ValidationError(errors)
    rule = CodingRule(
        institution=institution,
        priority=priority,
        vendor=vendor,
        classification=classification.strip(),
        text_contains=text_contains.strip(),
        account=account,
        org_unit=org_unit,
        purpose=purpose,
        vat_code=vat_code,
    )
    rule.full_clean()
    rule.save()
    record_event(
        institution=institution,
        actor=actor,
        action="payables.coding_rule.created",
        obj=rule,
        details={
            "vendor": vendor.pk if vendor else None,
            "classification": rule.classification,
            "text_contains": rule.text_contains,
            "account": account,
            "org_unit": org_unit,
            "purpose": purpose,
            "vat_code": vat_code,
        },
    )
    return rule


def _locked_rule(rule: CodingRule) -> CodingRule:
    locked: CodingRule = (
        CodingRule.objects.select_for_update(of=("self",))
        .select_related("institution", "vendor")
        .get(pk=rule.pk)
    )
    return locked


def _text(current: str, given: str | Unset) -> str:
    return current if isinstance(given, Unset) else given.strip()


@transaction.atomic
def coding_rule_update(
    *,
    actor: User,
    rule: CodingRule,
    priority: int | Unset = UNSET,
    vendor: Vendor | Unset | None = UNSET,
    classification: str | Unset = UNSET,
    text_contains: str | Unset = UNSET,
    account: str | Unset = UNSET,
    org_unit: str | Unset = UNSET,
    purpose: str | Unset = UNSET,
    vat_code: str | Unset = UNSET,
) -> CodingRule:
    """Change a coding rule: only the arguments given change (the priority alone reorders
    the rules). The rule as changed must be valid in the ledger as a new one would be; the
    audit event records each changed field before and after. Changing nothing writes
    nothing. Invoices already coded by the rule keep their coding."""
    rule = _locked_rule(rule)
    institution = rule.institution
    _check_rule_role(actor, institution)
    new_vendor = rule.vendor if isinstance(vendor, Unset) else vendor
    texts = {
        "classification": _text(rule.classification, classification),
        "text_contains": _text(rule.text_contains, text_contains),
        "account": _text(rule.account, account),
        "org_unit": _text(rule.org_unit, org_unit),
        "purpose": _text(rule.purpose, purpose),
        "vat_code": _text(rule.vat_code, vat_code),
    }
    new: dict[str, object] = {
        "priority": rule.priority if isinstance(priority, Unset) else priority,
        "vendor": new_vendor,
        **texts,
    }
    changed = changed_fields(rule, new)
    if not changed:
        return rule
    errors = _coding_rule_problems(institution, vendor=new_vendor, **texts)
    if errors:
        raise ValidationError(errors)
    return save_changes(
        actor=actor, rule=rule, new=new, changed=changed, action="payables.coding_rule.updated"
    )


@transaction.atomic
def coding_rule_deactivate(*, actor: User, rule: CodingRule) -> CodingRule:
    """Take a coding rule out of use; it stays (with its history) and codes nothing until
    reactivated. Invoices it coded keep their coding."""
    return _set_rule_active(actor, rule, active=False)


@transaction.atomic
def coding_rule_reactivate(*, actor: User, rule: CodingRule) -> CodingRule:
    """Put a deactivated coding rule back into use; its account and dimensions must still
    be valid in the ledger."""
    return _set_rule_active(actor, rule, active=True)


def _set_rule_active(actor: User, rule: CodingRule, *, active: bool) -> CodingRule:
    rule = _locked_rule(rule)
    _check_rule_role(actor, rule.institution)
    return set_active(
        actor=actor,
        rule=rule,
        active=active,
        action_prefix="payables.coding_rule",
        problems=lambda: _coding_rule_problems(
            rule.institution,
            account=rule.account,
            org_unit=rule.org_unit,
            purpose=rule.purpose,
            vat_code=rule.vat_code,
            vendor=rule.vendor,
            classification=rule.classification,
            text_contains=rule.text_contains,
        ),
    )


@dataclass(frozen=True, slots=True)
class CodingChoices:
    """What a coder may choose from: the institution's postable accounts, active cost
    centres and purposes, as (code, name) pairs in code order."""

    accounts: list[tuple[str, str]]
    org_units: list[tuple[str, str]]
    purposes: list[tuple[str, str]]


def coding_choices(institution: Institution) -> CodingChoices:
    """The picker's choices for ``institution`` (one query per kind). Those who code see only
    codes and names, not the ledger's balances or entries."""
    return CodingChoices(
        accounts=list(
            Account.objects.for_institution(institution)
            .filter(is_postable=True, is_active=True)
            .order_by("number")
            .values_list("number", "name")
        ),
        org_units=list(
            OrgUnit.objects.for_institution(institution)
            .filter(is_active=True)
            .order_by("code")
            .values_list("code", "name")
        ),
        purposes=list(
            Purpose.objects.for_institution(institution)
            .filter(is_active=True)
            .order_by("code")
            .values_list("code", "name")
        ),
    )
