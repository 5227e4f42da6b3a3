"""Reads of the service desk: who sees which tickets, the lists and the knowledge base.

Agents (``Area.SERVICE_DESK``: the operator's staff serving the institution) see every ticket
of the institutions they serve. In the portal (``Area.SERVICE_PORTAL``) a person sees the
tickets they asked for; the institution's contact persons (``Area.SERVICE_CONTACT``) see all
of their institution's. Every read passes the access gate: the same 404 for a missing ticket
and another institution's.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from faelles.core.access import access_object, institutions_with_role, restrict, user_can
from faelles.servicedesk.models import (
    OPEN_STATUSES,
    Article,
    Asset,
    CatalogueService,
    Category,
    Location,
    Ticket,
)
from faelles.tenancy.models import Institution, ServiceAgreement, User
from faelles.tenancy.roles import Area, view_roles

AGENT_ROLES = view_roles(Area.SERVICE_DESK)
PORTAL_ROLES = view_roles(Area.SERVICE_PORTAL)
CONTACT_ROLES = view_roles(Area.SERVICE_CONTACT)


def is_agent(user: User, institution: Institution | None) -> bool:
    return institution is not None and user_can(user, institution, AGENT_ROLES)


def may_use_portal(user: User, institution: Institution | None) -> bool:
    return institution is not None and user_can(user, institution, PORTAL_ROLES)


def is_contact(user: User, institution: Institution | None) -> bool:
    return institution is not None and user_can(user, institution, CONTACT_ROLES)


def _ids(institutions: QuerySet[Institution]) -> list[int]:
    return list(institutions.values_list("pk", flat=True))


def agent_tickets(user: User, institution: Institution | None = None) -> QuerySet[Ticket]:
    """Every ticket of the institutions ``user`` serves as an agent (or of one of them).

    The gate's institutions (``institutions_with_role``, as ``restrict`` reads them) are read
    once and given as literal ids: the planner then sees how many tickets they hold and walks
    the list's index instead of sorting every ticket of a misestimated semi-join."""
    allowed = institutions_with_role(user, AGENT_ROLES)
    if institution is not None:
        allowed = allowed.filter(pk=institution.pk)
    return Ticket.objects.filter(institution_id__in=_ids(allowed))


def portal_tickets(user: User, institution: Institution | None = None) -> QuerySet[Ticket]:
    """The tickets ``user`` sees in the portal: their own, and all of the institutions where
    they are a contact person (or an agent)."""
    own = restrict(Ticket, user=user, institution=institution, roles=PORTAL_ROLES)
    contact_of = institutions_with_role(user, CONTACT_ROLES)
    return own.filter(Q(requester=user) | Q(institution__in=contact_of.values("pk")))


def visible_tickets(user: User) -> QuerySet[Ticket]:
    """Every ticket ``user`` sees anywhere (the API's list): as an agent, or in the portal.
    Narrowed by institution sets, not by id lists, so the list's index serves it."""
    agent = _ids(institutions_with_role(user, AGENT_ROLES))
    portal = _ids(institutions_with_role(user, PORTAL_ROLES))
    contact = _ids(institutions_with_role(user, CONTACT_ROLES))
    if set(portal) <= set(agent) | set(contact):
        return Ticket.objects.filter(institution_id__in=sorted(set(agent) | set(contact)))
    return Ticket.objects.filter(
        Q(institution__in=agent)
        | (Q(institution__in=portal) & (Q(requester=user) | Q(institution__in=contact)))
    )


def access_ticket(user: User, pk: Any) -> Ticket:
    """A ticket for the agent pages (404 for missing and foreign alike)."""
    return access_object(agent_tickets(user), user=user, pk=pk, roles=AGENT_ROLES)


def access_portal_ticket(user: User, pk: Any) -> Ticket:
    """A ticket for the portal: one's own, or any of the institution for its contacts."""
    return access_object(portal_tickets(user), user=user, pk=pk, roles=PORTAL_ROLES)


def operators_serving(institutions: QuerySet[Institution]) -> QuerySet[Any]:
    return ServiceAgreement.objects.filter(institution__in=institutions).values("operator")


def categories_for(institution: Institution) -> QuerySet[Category]:
    """The active categories of the operators that serve ``institution``."""
    operators = operators_serving(Institution.objects.filter(pk=institution.pk))
    return Category.objects.filter(operator__in=operators, is_active=True)


def catalogue_for(institution: Institution) -> QuerySet[CatalogueService]:
    return (
        CatalogueService.objects.for_institution(institution)
        .filter(is_active=True)
        .select_related("service_level", "agreement")
    )


def articles_for(
    user: User, institution: Institution, *, drafts: bool = False
) -> QuerySet[Article]:
    """Knowledge-base articles seen in ``institution``: its own and those of the operators
    serving it that are for every institution. Drafts only for agents."""
    if not may_use_portal(user, institution):
        return Article.objects.none()
    operators = operators_serving(Institution.objects.filter(pk=institution.pk))
    qs = Article.objects.filter(
        Q(institution=institution) | Q(institution__isnull=True, operator__in=operators)
    )
    if not (drafts and is_agent(user, institution)):
        qs = qs.filter(is_published=True)
    return qs


def access_article(user: User, pk: Any, institution: Institution | None) -> Article:
    from django.http import Http404

    if institution is None:
        raise Http404
    try:
        return articles_for(user, institution, drafts=True).get(pk=pk)
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- places and assets ------------------------------------------------------------------------


def locations_for(user: User, institution: Institution | None) -> QuerySet[Location]:
    """The locations of ``institution`` for its contact persons and agents (none otherwise)."""
    if not is_contact(user, institution):
        return Location.objects.none()
    return restrict(Location, user=user, institution=institution, roles=CONTACT_ROLES)


def assets_for(user: User, institution: Institution | None) -> QuerySet[Asset]:
    if not is_contact(user, institution):
        return Asset.objects.none()
    return restrict(Asset, user=user, institution=institution, roles=CONTACT_ROLES)


def access_location(user: User, pk: Any) -> Location:
    """A location of an institution where ``user`` is a contact person or an agent (404 for
    missing and foreign alike)."""
    return access_object(Location, user=user, pk=pk, roles=CONTACT_ROLES)


def access_asset(user: User, pk: Any) -> Asset:
    return access_object(Asset, user=user, pk=pk, roles=CONTACT_ROLES)


def place_choices(institution: Institution) -> tuple[QuerySet[Location], QuerySet[Asset]]:
    """The locations and the active assets a ticket of ``institution`` may name (the
    pickers: nothing of another institution is offered)."""
    return (
        Location.objects.for_institution(institution).order_by("code"),
        Asset.objects.for_institution(institution).filter(is_active=True).order_by("tag"),
    )


def location_subtree(location: Location) -> list[int]:
    """The ids of ``location`` and every floor and room under it (three levels at most)."""
    ids = [location.pk]
    level = [location.pk]
    for _depth in range(2):
        level = list(Location.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        ids += level
    return ids


# --- the ticket list: keyset pagination ------------------------------------------------------


@dataclass(frozen=True)
class Page:
    rows: list[Ticket]
    next_cursor: str | None
    order: str


ORDERS = ("newest", "due")


def encode_cursor(*values: Any) -> str:
    text = "|".join(
        "" if v is None else (v.isoformat() if isinstance(v, datetime) else str(v)) for v in values
    )
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[str] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return base64.urlsafe_b64decode(padded.encode()).decode().split("|")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def keyset_page(
    qs: QuerySet[Ticket],
    *,
    order: str = "newest",
    cursor: str | None = None,
    size: int = 50,
    load: Callable[[QuerySet[Ticket]], QuerySet[Ticket]] | None = None,
) -> Page:
    """One page of ``qs`` after ``cursor``, by a key the indexes serve:

    - ``newest``: id descending (the primary key; ``sd_ticket_inst_id``,
      ``sd_ticket_inst_status_id`` for one institution);
    - ``due``: open tickets with a running clock by resolution due time, then id
      (``sd_ticket_open_due``, a partial index over open tickets).

    The page's ids are found first on the narrow index (nothing but keys is sorted or read),
    then its rows are read by id through ``load`` (joins, prefetches). The next page starts
    after the last row's key, so page 1,000 costs what page 1 costs.
    """
    from django.utils.dateparse import parse_datetime

    parts = decode_cursor(cursor) if cursor else None
    if order == "due":
        qs = qs.filter(status__in=list(OPEN_STATUSES), resolution_due__isnull=False)
        if parts and len(parts) == 2 and parts[1].isdigit():
            due = parse_datetime(parts[0])
            if due is not None:
                qs = qs.filter(
                    Q(resolution_due__gt=due) | Q(resolution_due=due, pk__gt=int(parts[1]))
                )
        ordering: tuple[str, ...] = ("resolution_due", "pk")
    else:
        order = "newest"
        if parts and len(parts) == 1 and parts[0].isdigit():
            qs = qs.filter(pk__lt=int(parts[0]))
        ordering = ("-pk",)
    keys = list(qs.order_by(*ordering).values_list("pk", flat=True)[: size + 1])
    more = len(keys) > size
    keys = keys[:size]
    rows_qs = Ticket.objects.filter(pk__in=keys).order_by(*ordering)
    rows = list(load(rows_qs) if load is not None else rows_qs)
    nxt = None
    if more and rows:
        last = rows[-1]
        nxt = (
            encode_cursor(last.resolution_due, last.pk)
            if order == "due"
            else encode_cursor(last.pk)
        )
    return Page(rows, nxt, order)


# --- figures per customer ------------------------------------------------------------------------


def figures(institution: Institution, *, since: datetime) -> dict[str, Any]:
    """The institution's service figures: tickets opened since ``since``, open now, and of the
    tickets resolved since then how many met their targets (the clocks' state, final once a
    clock has stopped), and the ratings, per domain and in all. One query."""
    from django.db.models import Avg, Count

    def block(extra: Q) -> dict[str, Any]:
        return {
            "opened": Count("pk", filter=extra & Q(created_at__gte=since)),
            "open": Count("pk", filter=extra & Q(status__in=list(OPEN_STATUSES))),
            "met": Count("pk", filter=extra & Q(resolved_at__gte=since, sla_state="met")),
            "missed": Count("pk", filter=extra & Q(resolved_at__gte=since, sla_state="missed")),
            "rated": Count("rating", filter=extra & Q(resolved_at__gte=since)),
            "rating": Avg("rating", filter=extra & Q(resolved_at__gte=since)),
        }

    from faelles.servicedesk.models import Domain

    parts: dict[str, Q] = {"all": Q()} | {d: Q(domain=d) for d in Domain.values}
    aggregates: dict[str, Any] = {}
    for name, extra in parts.items():
        for key, agg in block(extra).items():
            aggregates[f"{name}__{key}"] = agg
    row = Ticket.objects.filter(institution=institution).aggregate(**aggregates)
    out: dict[str, Any] = {}
    for name in parts:
        values = {key: row[f"{name}__{key}"] for key in block(Q())}
        done = values["met"] + values["missed"]
        values["met_percent"] = round(100 * values["met"] / done) if done else None
        values["rating"] = round(float(values["rating"]), 1) if values["rating"] else None
        out[name] = values
    return out
