"""Every write of the service desk: opening, answering, moving and rating tickets, assigning
them, pricing order lines, and the knowledge base.

Each service is atomic, checks who may act, writes the ticket's events (the history the SLA
clocks are computed from), an audit event, and then rewrites the ticket's cached clock columns
(``clocks.cache_fields``). The life cycle is one table (:data:`TRANSITIONS`): states × actions
→ next state, who may act, and the clock event the action is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import Denied, Refused, record_event, refusals_recorded
from faelles.core.mail import Mail, mails_queue
from faelles.core.models import OutgoingMail
from faelles.core.money import round_money, to_decimal
from faelles.core.numbering import next_number
from faelles.servicedesk import clocks
from faelles.servicedesk import selectors as sel
from faelles.servicedesk.models import (
    Article,
    Asset,
    Attachment,
    CatalogueService,
    Category,
    Channel,
    Domain,
    FrameworkContract,
    InboundMail,
    Kind,
    Location,
    Message,
    OrderLine,
    PriceListItem,
    ServiceLevel,
    Status,
    Team,
    Ticket,
    TicketEvent,
)
from faelles.tenancy.models import Institution, Membership, User

SERIES = "servicedesk.ticket"
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

# --- priority ----------------------------------------------------------------------------------

#: Priority from impact × urgency (1 high … 3 low each): the ITIL matrix, 1 critical … 4 low.
PRIORITY_MATRIX: dict[tuple[int, int], int] = {
    (1, 1): 1,
    (1, 2): 2,
    (2, 1): 2,
    (1, 3): 3,
    (2, 2): 3,
    (3, 1): 3,
    (2, 3): 4,
    (3, 2): 4,
    (3, 3): 4,
}


def priority_of(impact: int, urgency: int) -> int:
    try:
        return PRIORITY_MATRIX[(int(impact), int(urgency))]
    except (KeyError, TypeError, ValueError):
        raise ValidationError(
            {"impact": [_("Impact and urgency are 1 (high), 2 (medium) or 3 (low).")]},
            code="priority",
        ) from None


# --- the life cycle ----------------------------------------------------------------------------

AGENT = "agent"
REQUESTER = "requester"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    who: frozenset[str]
    #: The SLA clock event the action is (``None``: the clocks do not see it).
    clock: str | None
    #: Whether the action is the agent's first response when none was recorded yet.
    responds: bool = False


TRANSITIONS: dict[str, Transition] = {
    "start": Transition(
        frozenset({Status.NEW}), Status.IN_PROGRESS, frozenset({AGENT}), None, responds=True
    ),
    "wait": Transition(
        frozenset({Status.NEW, Status.IN_PROGRESS}),
        Status.WAITING,
        frozenset({AGENT}),
        "paused",
        responds=True,
    ),
    "resume": Transition(
        frozenset({Status.WAITING}), Status.IN_PROGRESS, frozenset({AGENT, REQUESTER}), "resumed"
    ),
    "resolve": Transition(
        frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING}),
        Status.RESOLVED,
        frozenset({AGENT}),
        "resolved",
        responds=True,
    ),
    "reopen": Transition(
        frozenset({Status.RESOLVED}), Status.IN_PROGRESS, frozenset({AGENT, REQUESTER}), "reopened"
    ),
    "close": Transition(
        frozenset({Status.RESOLVED}), Status.CLOSED, frozenset({AGENT, REQUESTER}), None
    ),
}


def actions_for(ticket: Ticket, user: User) -> list[str]:
    """The actions ``user`` may take on ``ticket`` now (pages and API offer these)."""
    roles = _roles(user, ticket)
    return [name for name, t in TRANSITIONS.items() if ticket.status in t.sources and t.who & roles]


def _roles(user: User | None, ticket: Ticket) -> set[str]:
    if user is None:
        return set()
    roles = set()
    if sel.is_agent(user, ticket.institution):
        roles.add(AGENT)
    if ticket.requester_id == user.pk or (
        sel.is_contact(user, ticket.institution) and sel.may_use_portal(user, ticket.institution)
    ):
        roles.add(REQUESTER)
    return roles


# --- helpers -----------------------------------------------------------------------------------


def _now(at: datetime | None, ticket: Ticket | None = None) -> datetime:
    """The time of a new event: now (``at`` in tests and imports), never before the ticket's
    last event (the history stays in order)."""
    now = at or timezone.now()
    if ticket is not None and ticket.pk is not None:
        last = ticket.events.order_by("-at", "-pk").values_list("at", flat=True).first()
        if last is not None and last > now:
            now = last
    return now


def _event(ticket: Ticket, kind: str, at: datetime, actor: Any, **data: Any) -> TicketEvent:
    return TicketEvent.objects.create(
        institution_id=ticket.institution_id,
        ticket=ticket,
        at=at,
        kind=kind,
        actor=actor,
        data=data,
    )


def _refresh(ticket: Ticket, at: datetime) -> None:
    """Rewrite the cached clock columns from the ticket's events (never the truth)."""
    fields = clocks.cache_fields(ticket, at=at)
    fields["updated_at"] = at
    for key, value in fields.items():
        setattr(ticket, key, value)
    Ticket.objects.filter(pk=ticket.pk).update(**fields)


def _audit(ticket: Ticket, actor: Any, action: str, **details: Any) -> None:
    record_event(
        institution=ticket.institution,
        actor=actor,
        action=f"servicedesk.ticket.{action}",
        obj=ticket,
        details={"reference": ticket.reference, **details},
    )


def _deny(ticket: Ticket, action: str, message: str, code: str = "not_allowed") -> Denied:
    return Denied(
        Refused(
            message,
            code=code,
            action=f"servicedesk.ticket.{action}",
            institution=ticket.institution,
            obj=ticket,
        )
    )


def _notify(ticket: Ticket, actor: Any, subject: str, body: str) -> None:
    """A mail to the requester (or the contact address of a mailed-in ticket), threaded by
    the ticket's reference in the subject."""
    to = ticket.requester.email if ticket.requester and ticket.requester.email else ""
    to = to or ticket.contact_email
    if not to:
        return
    mails_queue(
        actor=actor,
        mails=[
            Mail(
                institution=ticket.institution,
                kind=OutgoingMail.Kind.OTHER,
                to=to,
                subject=f"[{ticket.reference}] {subject}",
                body=body,
                obj=ticket,
            )
        ],
    )


def _responded(ticket: Ticket, at: datetime, actor: Any) -> None:
    if ticket.responded_at is None:
        _event(ticket, "responded", at, actor)
        ticket.responded_at = at
        Ticket.objects.filter(pk=ticket.pk).update(responded_at=at)


# --- opening -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentSpec:
    filename: str
    content_type: str
    content: bytes


def _level_for(institution: Institution, service: CatalogueService | None) -> ServiceLevel | None:
    if service is not None:
        return service.service_level
    return ServiceLevel.objects.for_institution(institution).filter(is_default=True).first()


@refusals_recorded
@transaction.atomic
def ticket_open(
    *,
    actor: User | None,
    institution: Institution,
    title: str,
    description: str = "",
    kind: str = Kind.REQUEST,
    domain: str = Domain.IT,
    category: Category | None = None,
    service: CatalogueService | None = None,
    impact: int = 3,
    urgency: int = 3,
    channel: str = Channel.PORTAL,
    requester: User | None = None,
    contact_email: str = "",
    contact_name: str = "",
    location: Location | None = None,
    asset: Asset | None = None,
    attachments: Sequence[AttachmentSpec] = (),
    inbound: InboundMail | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Open a ticket in ``institution``: a person of the institution in the portal (they are
    the requester), an agent on someone's behalf (phone, walk-in), or the mail endpoint
    (``actor`` ``None``). Numbered ``SD-<year>-<n>`` per institution and year, gap-free; the
    clocks start with the targets of the service level for the priority.

    An agent opening on someone's behalf names the requester, a user of the institution, or
    the caller's name and e-mail (``contact_name``, ``contact_email``) when they have no
    account."""
    agent = False
    if actor is not None:
        agent = sel.is_agent(actor, institution)
        if not agent and not sel.may_use_portal(actor, institution):
            raise Denied(
                Refused(
                    _("You cannot ask the service desk of this institution."),
                    code="no_portal_role",
                    action="servicedesk.ticket.open",
                    institution=institution,
                )
            )
        if not agent:
            requester = actor
    now = _now(at)
    priority = priority_of(impact, urgency)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the ticket a title.")]
    if service is not None and service.institution_id != institution.pk:
        errors["service"] = [_("The service is not in this institution's catalogue.")]
    if category is not None and not sel.categories_for(institution).filter(pk=category.pk).exists():
        errors["category"] = [_("The category is not one of this institution's.")]
    for field, obj in (("location", location), ("asset", asset)):
        if obj is not None and obj.institution_id != institution.pk:
            errors[field] = [_("It belongs to another institution.")]
    if requester is None and not contact_email:
        errors["requester"] = [_("Name the person who asks.")]
    if (
        agent
        and requester is not None
        and requester != actor
        and not Membership.objects.filter(institution=institution, user=requester).exists()
    ):
        errors["requester"] = [_("The person is not one of the institution's.")]
    if errors:
        raise ValidationError(errors)
    level = _level_for(institution, service)
    number = next_number(institution=institution, series=SERIES, year=now.year)
    ticket = Ticket(
        institution=institution,
        reference=f"SD-{now.year}-{number:06d}",
        kind=kind,
        domain=domain,
        category=category,
        service=service,
        service_level=level,
        title=title.strip()[:200],
        description=description,
        requester=requester,
        contact_email=contact_email,
        contact_name=(contact_name or "").strip()[:200],
        channel=channel,
        impact=impact,
        urgency=urgency,
        priority=priority,
        team=category.default_team if category else None,
        contract=category.default_contract if category else None,
        location=location,
        asset=asset,
        created_at=now,
        updated_at=now,
    )
    ticket.full_clean()
    ticket.save()
    data: dict[str, Any] = {"priority": priority}
    if level is not None:
        response, resolution = level.targets_for(priority)
        data.update(response_minutes=response, resolution_minutes=resolution)
    _event(ticket, "opened", now, actor, **data)
    if description:
        message = Message.objects.create(
            institution=institution,
            ticket=ticket,
            author=requester if actor is None or actor == requester else actor,
            from_email=contact_email,
            body=description,
            from_agent=False,
            channel=channel,
            inbound=inbound,
            created_at=now,
        )
        _attach(ticket, message, attachments)
    on_behalf: dict[str, Any] = {}
    if agent and actor is not None and requester != actor:
        on_behalf = {
            "requester": requester.pk if requester is not None else None,
            "contact_name": ticket.contact_name,
            "contact_email": contact_email,
        }
    _audit(ticket, actor, "opened", channel=channel, priority=priority, kind=kind, **on_behalf)
    _refresh(ticket, now)
    return ticket


def _attach(ticket: Ticket, message: Message, attachments: Sequence[AttachmentSpec]) -> None:
    rows = []
    for spec in attachments:
        if len(spec.content) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                {"attachments": [_("An attachment is larger than 10 MB.")]}, code="too_large"
            )
        rows.append(
            Attachment(
                institution_id=ticket.institution_id,
                ticket=ticket,
                message=message,
                filename=(spec.filename or "bilag")[:255],
                content_type=(spec.content_type or "application/octet-stream")[:100],
                size=len(spec.content),
                sha256=hashlib.sha256(spec.content).hexdigest(),
                content=spec.content,
            )
        )
    if rows:
        Attachment.objects.bulk_create(rows)


# --- messages ----------------------------------------------------------------------------------


@refusals_recorded
@transaction.atomic
def ticket_message(
    *,
    actor: User | None,
    ticket: Ticket,
    body: str,
    internal: bool = False,
    channel: str = Channel.PORTAL,
    from_email: str = "",
    inbound: InboundMail | None = None,
    attachments: Sequence[AttachmentSpec] = (),
    at: datetime | None = None,
) -> Message:
    """Add a message. An agent's reply (not an internal note) is the first response if none
    was given and is mailed to the requester; the requester's answer to a ticket waiting for
    them resumes the clock, and an answer to a resolved ticket reopens it. ``actor`` ``None``
    is the mail endpoint writing for the requester."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    roles = {REQUESTER} if actor is None else _roles(actor, ticket)
    if not roles:
        raise _deny(ticket, "message", _("You may not write on this ticket."))
    if not (body or "").strip():
        raise ValidationError({"body": [_("Write a message.")]})
    if ticket.status == Status.CLOSED:
        raise ValidationError(
            {"body": [_("The ticket is closed; ask a new question instead.")]}, code="closed"
        )
    agent = AGENT in roles and (actor is None or actor.pk != ticket.requester_id)
    if internal and not agent:
        raise _deny(ticket, "message", _("Only the service desk writes internal notes."))
    now = _now(at, ticket)
    message = Message.objects.create(
        institution_id=ticket.institution_id,
        ticket=ticket,
        author=actor,
        from_email=from_email,
        body=body,
        internal=internal,
        from_agent=agent,
        channel=channel,
        inbound=inbound,
        created_at=now,
    )
    _attach(ticket, message, attachments)
    _event(ticket, "note" if internal else "message", now, actor, message=message.pk, agent=agent)
    if agent and not internal:
        _responded(ticket, now, actor)
        _notify(ticket, actor, ticket.title, body)
    elif not agent:
        if ticket.status == Status.WAITING:
            _move(ticket, "resume", now, actor)
        elif ticket.status == Status.RESOLVED:
            _move(ticket, "reopen", now, actor)
    _audit(ticket, actor, "message", internal=internal, agent=agent, message=message.pk)
    _refresh(ticket, now)
    return message


# --- moving through the life cycle -------------------------------------------------------------


def _move(ticket: Ticket, action: str, now: datetime, actor: Any, reason: str = "") -> None:
    t = TRANSITIONS[action]
    if t.responds:
        _responded(ticket, now, actor)
    extra = {"reason": reason} if reason else {}
    _event(ticket, t.clock or action, now, actor, **extra)
    before = ticket.status
    ticket.status = t.target
    update: dict[str, Any] = {"status": t.target}
    if t.target == Status.RESOLVED:
        ticket.resolved_at = now
        ticket.resolution = reason
        update.update(resolved_at=now, resolution=reason)
    elif t.target == Status.CLOSED:
        ticket.closed_at = now
        update["closed_at"] = now
    elif action == "reopen":
        ticket.resolved_at = None
        update["resolved_at"] = None
    Ticket.objects.filter(pk=ticket.pk).update(**update)
    _audit(ticket, actor, action, before=before, after=t.target, reason=reason)


@refusals_recorded
@transaction.atomic
def ticket_transition(
    *,
    actor: User,
    ticket: Ticket,
    action: str,
    reason: str = "",
    at: datetime | None = None,
) -> Ticket:
    """Take one action of the life cycle (:data:`TRANSITIONS`). Resolving needs the
    resolution (what was done); reopening, the reason."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    t = TRANSITIONS.get(action)
    if t is None:
        raise ValidationError({"action": [_("Unknown action.")]}, code="unknown_action")
    if not t.who & _roles(actor, ticket):
        raise _deny(ticket, action, _("You may not do this on this ticket."))
    if ticket.status not in t.sources:
        raise ValidationError(
            {"action": [_("The ticket's status does not allow this now.")]}, code="status"
        )
    if action == "resolve" and not (reason or "").strip():
        raise ValidationError({"reason": [_("Say what was done.")]}, code="resolution")
    now = _now(at, ticket)
    _move(ticket, action, now, actor, reason.strip())
    if action == "resolve":
        _notify(
            ticket,
            actor,
            _("Resolved: %(title)s") % {"title": ticket.title},
            reason.strip(),
        )
    _refresh(ticket, now)
    return ticket


@refusals_recorded
@transaction.atomic
def ticket_assign(
    *,
    actor: User,
    ticket: Ticket,
    team: Team | None = None,
    assignee: User | None = None,
    contract: FrameworkContract | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Give the ticket to a team and/or a person of the operator's staff serving the
    institution, or to a supplier under a framework contract that covers the institution."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not sel.is_agent(actor, ticket.institution):
        raise _deny(ticket, "assign", _("Only the service desk assigns tickets."))
    errors: dict[str, list[str]] = {}
    if assignee is not None and not sel.is_agent(assignee, ticket.institution):
        errors["assignee"] = [_("The person does not serve this institution.")]
    if contract is not None:
        now_date = timezone.localdate()
        if not contract.institutions.filter(pk=ticket.institution_id).exists():
            errors["contract"] = [_("The contract does not cover this institution.")]
        elif not contract.is_current(now_date):
            errors["contract"] = [_("The contract is not in force.")]
    if errors:
        raise ValidationError(errors)
    now = _now(at, ticket)
    ticket.team, ticket.assignee, ticket.contract = team, assignee, contract
    Ticket.objects.filter(pk=ticket.pk).update(team=team, assignee=assignee, contract=contract)
    details = {
        "team": team.pk if team else None,
        "assignee": assignee.pk if assignee else None,
        "contract": contract.pk if contract else None,
    }
    _event(ticket, "assigned", now, actor, **details)
    _audit(ticket, actor, "assigned", **details)
    if contract is not None and contract.supplier.email:
        mails_queue(
            actor=actor,
            mails=[
                Mail(
                    institution=ticket.institution,
                    kind=OutgoingMail.Kind.OTHER,
                    to=contract.supplier.email,
                    subject=f"[{ticket.reference}] {_('Work order')}: {ticket.title}",
                    body=f"{ticket.description}\n\n{ticket.location or ''}",
                    obj=ticket,
                )
            ],
        )
    _refresh(ticket, now)
    return ticket


@refusals_recorded
@transaction.atomic
def ticket_prioritise(
    *, actor: User, ticket: Ticket, impact: int, urgency: int, at: datetime | None = None
) -> Ticket:
    """Change impact and urgency. A new priority sets the service level's targets for it
    from now on; the time already elapsed is kept (a ``targets`` event)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not sel.is_agent(actor, ticket.institution):
        raise _deny(ticket, "prioritise", _("Only the service desk sets the priority."))
    priority = priority_of(impact, urgency)
    now = _now(at, ticket)
    before = ticket.priority
    Ticket.objects.filter(pk=ticket.pk).update(impact=impact, urgency=urgency, priority=priority)
    ticket.impact, ticket.urgency, ticket.priority = impact, urgency, priority
    _event(ticket, "priority", now, actor, before=before, after=priority)
    if priority != before and ticket.service_level is not None:
        response, resolution = ticket.service_level.targets_for(priority)
        _event(
            ticket,
            "targets",
            now,
            actor,
            response_minutes=response,
            resolution_minutes=resolution,
        )
    _audit(ticket, actor, "prioritised", before=before, after=priority)
    _refresh(ticket, now)
    return ticket


@refusals_recorded
@transaction.atomic
def ticket_rate(
    *, actor: User, ticket: Ticket, rating: int, comment: str = "", at: datetime | None = None
) -> Ticket:
    """The requester rates a resolved or closed ticket (1–5); rating a resolved ticket closes
    it. Once."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.requester_id != actor.pk:
        raise _deny(ticket, "rate", _("Only the person who asked rates the answer."))
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError({"rating": [_("Rate the ticket when it is resolved.")]})
    if ticket.rating is not None:
        raise ValidationError({"rating": [_("The ticket is already rated.")]}, code="rated")
    if type(rating) is not int or not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Rate from 1 to 5.")]})
    now = _now(at, ticket)
    if ticket.status == Status.RESOLVED:
        _move(ticket, "close", now, actor)
    ticket.rating, ticket.rating_comment = rating, comment
    Ticket.objects.filter(pk=ticket.pk).update(rating=rating, rating_comment=comment)
    _event(ticket, "rated", now, actor, rating=rating)
    _audit(ticket, actor, "rated", rating=rating)
    _refresh(ticket, now)
    return ticket


# --- order lines -------------------------------------------------------------------------------


@refusals_recorded
@transaction.atomic
def order_line_add(
    *,
    actor: User,
    ticket: Ticket,
    quantity: Any,
    price_item: PriceListItem | None = None,
    description: str = "",
    unit: str = "",
    unit_price: Any = None,
) -> OrderLine:
    """Price a line of the ticket's order: from the price list of the ticket's contract
    (its unit price at the time of ordering), or a line of the operator's own work with a
    price given. Amount = quantity × unit price, half-even to øre."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not sel.is_agent(actor, ticket.institution):
        raise _deny(ticket, "order_line", _("Only the service desk orders."))
    qty = to_decimal(quantity)
    if price_item is not None:
        if ticket.contract_id is None or price_item.contract_id != ticket.contract_id:
            raise ValidationError(
                {"price_item": [_("The item is not on the price list of the ticket's contract.")]}
            )
        if not price_item.is_active:
            raise ValidationError({"price_item": [_("The item is no longer on the price list.")]})
        description = description or price_item.description
        unit = price_item.unit
        price = price_item.unit_price
    else:
        if unit_price is None:
            raise ValidationError({"unit_price": [_("Give a unit price.")]})
        price = round_money(unit_price)
    if qty <= 0:
        raise ValidationError({"quantity": [_("The quantity must be more than 0.")]})
    line = OrderLine(
        institution_id=ticket.institution_id,
        ticket=ticket,
        price_item=price_item,
        description=description[:200],
        unit=unit[:20] or "stk",
        quantity=qty,
        unit_price=price,
        amount=round_money(qty * price),
        created_by=actor,
    )
    line.full_clean()
    line.save()
    record_event(
        institution=ticket.institution,
        actor=actor,
        action="servicedesk.order_line.added",
        obj=line,
        details={
            "reference": ticket.reference,
            "quantity": qty,
            "unit_price": price,
            "amount": line.amount,
        },
    )
    return line


def order_total(ticket: Ticket) -> Decimal:
    return round_money(sum((line.amount for line in ticket.order_lines.all()), Decimal(0)))


# --- knowledge base ----------------------------------------------------------------------------


@refusals_recorded
@transaction.atomic
def article_save(
    *,
    actor: User,
    institution: Institution,
    title: str,
    body: str,
    domain: str,
    publish: bool,
    for_every_institution: bool = False,
    article: Article | None = None,
) -> Article:
    """Write or change a knowledge-base article (agents). For every institution: the
    operator's article, seen wherever the operator serves."""
    if not sel.is_agent(actor, institution):
        raise Denied(
            Refused(
                _("Only the service desk writes articles."),
                code="not_agent",
                action="servicedesk.article.save",
                institution=institution,
            )
        )
    from faelles.tenancy.selectors import operator_for_staff

    operator = operator_for_staff(actor)
    if operator is None:
        raise ValidationError({"title": [_("You are not on an operator's staff.")]})
    article = article or Article(operator=operator)
    article.institution = None if for_every_institution else institution
    article.title = title
    article.body = body
    article.domain = domain
    article.is_published = publish
    article.updated_by = actor
    article.full_clean()
    article.save()
    record_event(
        institution=institution,
        actor=actor,
        action="servicedesk.article.saved",
        obj=article,
        details={"title": title, "published": publish, "shared": for_every_institution},
    )
    return article
