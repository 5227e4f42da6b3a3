"""Routing inside an institution: who must act next on an invoice.

Who acts next in each state is the life cycle's table (``payables.workflow``); this module
names the person.

The receiver endpoint picks the institution (intake); inside it, the first active routing rule
(lowest priority number first) whose criteria all match names the requester (rekvirent). With
no matching rule the invoice goes to the institution's invoice receivers (fakturamodtagere),
who forward it or handle it themselves.

``next_role`` and ``assigned_to`` say who must act next: a role, and one person when known.
"""

from __future__ import annotations

from enum import Enum, auto
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faelles.core.audit import record_event
from faelles.payables.models import Invoice, RoutingRule, Vendor
from faelles.payables.rule_changes import changed_fields, save_changes, set_active
from faelles.payables.workflow import BY_KEY, Action, transition, wrong_state
from faelles.tenancy import selectors
from faelles.tenancy.models import Institution, Membership, Role, User

RULE_ROLES = frozenset({Role.INVOICE_RECEIVER, Role.LOCAL_ADMIN})


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def rule_matches(rule: RoutingRule, invoice: Invoice, receiver_id: str) -> bool:
    """All of the rule's non-empty criteria match the invoice (and it has at least one)."""
    criteria = 0
    if rule.buyer_reference:
        criteria += 1
        if not _same(rule.buyer_reference, invoice.buyer_reference):
            return False
    if rule.order_reference:
        criteria += 1
        if not _same(rule.order_reference, invoice.order_reference):
            return False
    if rule.vendor_id is not None:
        criteria += 1
        if rule.vendor_id != invoice.vendor_id:
            return False
    if rule.endpoint:
        criteria += 1
        if not _same(rule.endpoint, receiver_id):
            return False
    return criteria > 0


def _has_membership(user: User, institution: Institution) -> bool:
    return (
        Membership.objects.for_institution(institution).filter(user=user, is_active=True).exists()
    )


class Unset(Enum):
    """Marks a keyword argument of an update service that was not given (left unchanged)."""

    UNSET = auto()


UNSET: Final = Unset.UNSET


def _not_permitted(message: str) -> ValidationError:
    return ValidationError({"actor": [ValidationError(message, code="not_permitted")]})


def _check_role(actor: User, institution: Institution) -> None:
    if not selectors.roles_for(actor, institution) & RULE_ROLES:
        raise _not_permitted(
            _("Only invoice receivers and local administrators manage routing rules.")
        )


def _rule_problems(
    institution: Institution,
    *,
    requester: User,
    buyer_reference: str,
    order_reference: str,
    vendor: Vendor | None,
    endpoint: str,
) -> dict[str, list[ValidationError]]:
    """What is wrong with a routing rule as it would be saved, by field."""
    errors: dict[str, list[ValidationError]] = {}
    if not (buyer_reference.strip() or order_reference.strip() or vendor or endpoint.strip()):
        errors["buyer_reference"] = [
            ValidationError(
                _(
                    "A routing rule needs at least one criterion: buyer reference, order "
                    "reference, vendor or receiver endpoint."
                ),
                code="no_criterion",
            )
        ]
    if not _has_membership(requester, institution):
        errors["requester"] = [
            ValidationError(
                _("%(user)s has no active membership in this institution.") % {"user": requester},
                code="not_member",
            )
        ]
    if vendor is not None and vendor.institution_id != institution.pk:
        errors["vendor"] = [
            ValidationError(
                _("The vendor must belong to the same institution."), code="other_institution"
            )
        ]
    return errors


@transaction.atomic
def routing_rule_create(
    *,
    actor: User,
    institution: Institution,
    requester: User,
    priority: int = 100,
    buyer_reference: str = "",
    order_reference: str = "",
    vendor: Vendor | None = None,
    endpoint: str = "",
) -> RoutingRule:
    """Add a routing rule. The requester must be a member of the institution and the vendor
    one of its vendors; a rule must have at least one criterion."""
    if not selectors.roles_for(actor, institution) & RULE_ROLES:
        raise _not_permitted(
            _("Only invoice receivers and local administrators add routing rules.")
        )
    errors = _rule_problems(
        institution,
        requester=requester,
        buyer_reference=buyer_reference,
        order_reference=order_reference,
        vendor=vendor,
        endpoint=endpoint,
    )
    if errors:
        raise ValidationError(errors)
    rule = RoutingRule(
        institution=institution,
        priority=priority,
        buyer_reference=buyer_reference.strip(),
        order_reference=order_reference.strip(),
        vendor=vendor,
        endpoint=endpoint.strip(),
        requester=requester,
    )
    rule.full_clean()
    rule.save()
    record_event(
        institution=institution,
        actor=actor,
        action="payables.routing_rule.created",
        obj=rule,
        details={
            "priority": priority,
            "buyer_reference": rule.buyer_reference,
            "order_reference": rule.order_reference,
            "vendor": vendor.pk if vendor else None,
            "endpoint": rule.endpoint,
            "requester": requester.pk,
        },
    )
    return rule


def _locked(rule: RoutingRule) -> RoutingRule:
    locked: RoutingRule = (
        RoutingRule.objects.select_for_update(of=("self",))
        .select_related("institution", "vendor", "requester")
        .get(pk=rule.pk)
    )
    return locked


@transaction.atomic
def routing_rule_update(
    *,
    actor: User,
    rule: RoutingRule,
    priority: int | Unset = UNSET,
    buyer_reference: str | Unset = UNSET,
    order_reference: str | Unset = UNSET,
    vendor: Vendor | Unset | None = UNSET,
    endpoint: str | Unset = UNSET,
    requester: User | Unset = UNSET,
) -> RoutingRule:
    """Change a routing rule: only the arguments given change (the priority alone reorders
    the rules). The rule as changed must be valid as a new one would be; the audit event
    records each changed field before and after. Changing nothing writes nothing."""
    rule = _locked(rule)
    institution = rule.institution
    _check_role(actor, institution)
    new_requester = rule.requester if isinstance(requester, Unset) else requester
    new_vendor = rule.vendor if isinstance(vendor, Unset) else vendor
    new: dict[str, object] = {
        "priority": rule.priority if isinstance(priority, Unset) else priority,
        "buyer_reference": (
            rule.buyer_reference if isinstance(buyer_reference, Unset) else buyer_reference.strip()
        ),
        "order_reference": (
            rule.order_reference if isinstance(order_reference, Unset) else order_reference.strip()
        ),
        "vendor": new_vendor,
        "endpoint": rule.endpoint if isinstance(endpoint, Unset) else endpoint.strip(),
        "requester": new_requester,
    }
    changed = changed_fields(rule, new)
    if not changed:
        return rule
    errors = _rule_problems(
        institution,
        requester=new_requester,
        buyer_reference=str(new["buyer_reference"]),
        order_reference=str(new["order_reference"]),
        vendor=new_vendor,
        endpoint=str(new["endpoint"]),
    )
    if errors:
        raise ValidationError(errors)
    return save_changes(
        actor=actor, rule=rule, new=new, changed=changed, action="payables.routing_rule.updated"
    )


@transaction.atomic
def routing_rule_deactivate(*, actor: User, rule: RoutingRule) -> RoutingRule:
    """Take a routing rule out of use; it stays (with its history) and routes nothing until
    reactivated. Invoices it routed keep their requester."""
    return _set_active(actor, rule, active=False)


@transaction.atomic
def routing_rule_reactivate(*, actor: User, rule: RoutingRule) -> RoutingRule:
    """Put a deactivated routing rule back into use; its requester must still be a member."""
    return _set_active(actor, rule, active=True)


def _set_active(actor: User, rule: RoutingRule, *, active: bool) -> RoutingRule:
    rule = _locked(rule)
    _check_role(actor, rule.institution)
    return set_active(
        actor=actor,
        rule=rule,
        active=active,
        action_prefix="payables.routing_rule",
        problems=lambda: _rule_problems(
            rule.institution,
            requester=rule.requester,
            buyer_reference=rule.buyer_reference,
            order_reference=rule.order_reference,
            vendor=rule.vendor,
            endpoint=rule.endpoint,
        ),
    )


FORWARD_ROLES = frozenset({Role.INVOICE_RECEIVER, Role.REQUESTER})


@transaction.atomic
def invoice_forward(*, actor: User, invoice: Invoice, requester: User, note: str = "") -> Invoice:
    """Send a received or coded invoice to another requester (a member of the institution),
    with a note; it stays in the history who sent it where and why. Invoice receivers forward
    any invoice, a requester the invoices waiting for them."""
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("institution")
        .get(pk=invoice.pk)
    )
    institution = invoice.institution
    roles = selectors.roles_for(actor, institution)
    mine = invoice.requester_id == actor.pk and Role.REQUESTER in roles
    if not (Role.INVOICE_RECEIVER in roles or mine):
        raise ValidationError(
            {
                "actor": [
                    ValidationError(
                        _("Only invoice receivers, or the requester it waits for, forward it."),
                        code="not_permitted",
                    )
                ]
            }
        )
    forward_refused = _("The invoice is %(state)s and can no longer be forwarded.")
    if (invoice.state, Action.FORWARD) not in BY_KEY:
        raise wrong_state(invoice, forward_refused)
    if (
        not Membership.objects.for_institution(institution)
        .filter(user=requester, role=Role.REQUESTER, is_active=True)
        .exists()
    ):
        raise ValidationError(
            {
                "requester": [
                    ValidationError(
                        _("%(user)s is not a requester in this institution.") % {"user": requester},
                        code="not_requester",
                    )
                ]
            }
        )
    old = invoice.requester_id
    invoice.requester = requester
    transition(invoice, Action.FORWARD, message=forward_refused)
    invoice.save(update_fields=["requester", "next_role", "assigned_to"])
    record_event(
        institution=institution,
        actor=actor,
        action="payables.invoice.forwarded",
        obj=invoice,
        details={"from": old, "to": requester.pk, "note": note[:500]},
    )
    return invoice
