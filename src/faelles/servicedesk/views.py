"""Pages of the service desk: the self-service portal (ask, follow, answer, rate), the agents'
ticket list (keyset pages) and ticket page with live SLA clocks, the knowledge base and the
service catalogue. Thin: parse, check, call one service, render."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from faelles.core.access import institutions_with_role
from faelles.core.audit import Denied
from faelles.servicedesk import clocks, places, selectors, services
from faelles.servicedesk.forms import (
    ArticleForm,
    AssignForm,
    MessageForm,
    OrderLineForm,
    PhoneTicketForm,
    PlaceForm,
    PriorityForm,
    RatingForm,
    RequestForm,
    TransitionForm,
)
from faelles.servicedesk.models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    Domain,
    FrameworkContract,
    PriceListItem,
    SlaState,
    Status,
    Team,
    Ticket,
    TicketEvent,
)
from faelles.tenancy.models import Institution, User
from faelles.web.generic import audit_events_for

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _institution(request: HttpRequest) -> Institution | None:
    return getattr(request, "institution", None)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class _Page(LoginRequiredMixin, View):
    request: HttpRequest


_BADGES = {
    SlaState.WARNING: "badge-warning",
    SlaState.BREACHED: "badge-error",
    SlaState.MISSED: "badge-error",
    SlaState.MET: "badge-success",
}
_STATE_LABELS = dict(SlaState.choices)


def _with_clocks(rows: list[Ticket], now: Any) -> list[dict[str, Any]]:
    """Each ticket with its clocks live at ``now`` (its events were prefetched) and the
    state's badge, ready for the row (no template include per row)."""
    out = []
    for ticket in rows:
        state = clocks.live(ticket, ticket.sla_events, at=now)  # type: ignore[attr-defined]
        code = state.state if state is not None else SlaState.NONE
        out.append(
            {
                "ticket": ticket,
                "live": state,
                "badge": _BADGES.get(SlaState(code), ""),
                "state_label": _STATE_LABELS[code],
            }
        )
    return out


def _prefetched(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.select_related(
        "institution", "service_level", "category", "assignee", "team"
    ).prefetch_related(
        Prefetch(
            "events",
            queryset=TicketEvent.objects.filter(kind__in=clocks.SLA_KINDS).order_by("at", "pk"),
            to_attr="sla_events",
        )
    )


# --- the portal ---------------------------------------------------------------------------------


class PortalView(_Page):
    """The person's own tickets (all of the institution's for its contact persons)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        if not selectors.may_use_portal(user, institution):
            raise PermissionDenied
        qs = selectors.portal_tickets(user, institution)
        page = selectors.keyset_page(
            qs, cursor=request.GET.get("after"), size=PAGE_SIZE, load=_prefetched
        )
        return render(
            request,
            "servicedesk/portal.html",
            {
                "rows": _with_clocks(page.rows, timezone.now()),
                "next_cursor": page.next_cursor,
                "is_contact": selectors.is_contact(user, institution),
                "articles": selectors.articles_for(user, institution)[:5],  # type: ignore[arg-type]
            },
        )


class PortalNewView(_Page):
    def _form(self, request: HttpRequest, institution: Institution) -> RequestForm:
        return RequestForm(
            request.POST or None,
            request.FILES or None,
            categories=selectors.categories_for(institution),
            services=selectors.catalogue_for(institution),
            locations=selectors.place_choices(institution)[0],
            assets=selectors.place_choices(institution)[1],
        )

    def _institution(self, request: HttpRequest) -> Institution:
        institution = _institution(request)
        if not selectors.may_use_portal(_user(request), institution):
            raise PermissionDenied
        assert institution is not None
        return institution

    def get(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, self._institution(request))
        return render(request, "servicedesk/portal_new.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        institution = self._institution(request)
        form = self._form(request, institution)
        if form.is_valid():
            data = form.cleaned_data
            upload = data.get("attachment")
            attachments = []
            if upload is not None:
                attachments.append(
                    services.AttachmentSpec(
                        upload.name or "bilag",
                        upload.content_type or "application/octet-stream",
                        upload.read(services.MAX_ATTACHMENT_BYTES + 1),
                    )
                )
            category = data.get("category")
            try:
                ticket = services.ticket_open(
                    actor=_user(request),
                    institution=institution,
                    title=data["title"],
                    description=data["description"],
                    kind=data["kind"],
                    domain=category.domain if category else Domain.IT,
                    category=category,
                    service=data.get("service"),
                    location=data.get("location"),
                    asset=data.get("asset"),
                    urgency=data["urgency"],
                    impact=3,
                    channel=Channel.PORTAL,
                    attachments=attachments,
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(
                    request,
                    _("Your ticket %(reference)s is received.") % {"reference": ticket.reference},
                )
                return HttpResponseRedirect(reverse("servicedesk:portal-ticket", args=[ticket.pk]))
        return render(request, "servicedesk/portal_new.html", {"form": form})


def _conversation(ticket: Ticket, *, internal: bool) -> list[Any]:
    qs = ticket.messages.select_related("author").prefetch_related("attachments")
    if not internal:
        qs = qs.filter(internal=False)
    return list(qs.order_by("created_at", "pk"))


class PortalTicketView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        ticket = selectors.access_portal_ticket(user, pk)
        now = timezone.now()
        actions = [a for a in services.actions_for(ticket, user) if a in ("reopen", "close")]
        return render(
            request,
            "servicedesk/portal_ticket.html",
            {
                "ticket": ticket,
                "live": clocks.live(ticket, at=now),
                "conversation": _conversation(ticket, internal=False),
                "message_form": MessageForm(),
                "rating_form": RatingForm(),
                "actions": actions,
                "may_rate": ticket.requester_id == user.pk
                and ticket.rating is None
                and ticket.status in (Status.RESOLVED, Status.CLOSED),
                "may_write": ticket.status != Status.CLOSED,
            },
        )


class PortalTicketActionView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        user = _user(request)
        ticket = selectors.access_portal_ticket(user, pk)
        back = HttpResponseRedirect(reverse("servicedesk:portal-ticket", args=[ticket.pk]))
        try:
            if action == "message":
                form = MessageForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Write a message."))
                services.ticket_message(
                    actor=user,
                    ticket=ticket,
                    body=form.cleaned_data["body"],
                    channel=Channel.PORTAL,
                )
            elif action == "rate":
                rating = RatingForm(request.POST)
                if not rating.is_valid():
                    raise ValidationError(_("Rate from 1 to 5."))
                services.ticket_rate(
                    actor=user,
                    ticket=ticket,
                    rating=rating.cleaned_data["rating"],
                    comment=rating.cleaned_data["comment"],
                )
            elif action in ("reopen", "close"):
                services.ticket_transition(
                    actor=user, ticket=ticket, action=action, reason=request.POST.get("reason", "")
                )
            else:
                raise Http404
        except Denied:
            raise PermissionDenied from None
        except ValidationError as exc:
            _errors(request, exc)
        return back


# --- the agents' pages --------------------------------------------------------------------------


def _require_agent_somewhere(user: User) -> None:
    if not institutions_with_role(user, selectors.AGENT_ROLES).exists():
        raise PermissionDenied


class TicketListView(_Page):
    """Every ticket of the institutions the agent serves (or of the current one), newest
    first or open tickets by due time; keyset pages (``?after=``)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        _require_agent_somewhere(user)
        scope = request.GET.get("scope", "all")
        institution = _institution(request) if scope == "current" else None
        qs = selectors.agent_tickets(user, institution)
        status = request.GET.get("status", "")
        if status == "open":
            qs = qs.filter(status__in=list(OPEN_STATUSES))
        elif status in Status.values:
            qs = qs.filter(status=status)
        if request.GET.get("mine"):
            qs = qs.filter(assignee=user)
        order = request.GET.get("order", "newest")
        page = selectors.keyset_page(
            qs,
            load=_prefetched,
            order=order if order in selectors.ORDERS else "newest",
            cursor=request.GET.get("after"),
            size=PAGE_SIZE,
        )
        params = request.GET.copy()
        params.pop("after", None)
        context = {
            "rows": _with_clocks(page.rows, timezone.now()),
            "next_cursor": page.next_cursor,
            "order": page.order,
            "status": status,
            "scope": scope,
            "statuses": Status.choices,
            "query": params.urlencode(),
        }
        htmx = getattr(request, "htmx", None)
        template = (
            "servicedesk/_ticket_rows.html"
            if htmx and not htmx.boosted
            else "servicedesk/tickets.html"
        )
        response = render(request, template, context)
        response["Vary"] = "HX-Request"
        return response


class TicketNewView(_Page):
    """An agent takes a call: chooses one of the institutions they serve (``?institution=``),
    then the requester (a user of it, or the caller's name and e-mail) and the ticket; the
    channel is the phone."""

    def _institution(self, request: HttpRequest) -> Institution | None:
        user = _user(request)
        _require_agent_somewhere(user)
        raw = request.GET.get("institution", "")
        if not raw:
            return None
        served = institutions_with_role(user, selectors.AGENT_ROLES)
        institution: Institution | None = (
            served.filter(pk=int(raw)).first() if raw.isdigit() else None
        )
        if institution is None:
            raise Http404
        return institution

    def _form(self, request: HttpRequest, institution: Institution) -> PhoneTicketForm:
        locations, assets = selectors.place_choices(institution)
        return PhoneTicketForm(
            request.POST or None,
            requesters=User.objects.filter(memberships__institution=institution, is_active=True)
            .distinct()
            .order_by("username"),
            categories=selectors.categories_for(institution),
            services=selectors.catalogue_for(institution),
            locations=locations,
            assets=assets,
        )

    def _render(self, request: HttpRequest, institution: Any, form: Any) -> HttpResponse:
        served = institutions_with_role(_user(request), selectors.AGENT_ROLES).order_by("name")
        return render(
            request,
            "servicedesk/ticket_new.html",
            {"institutions": served, "chosen": institution, "form": form},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        institution = self._institution(request)
        form = self._form(request, institution) if institution is not None else None
        return self._render(request, institution, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        institution = self._institution(request)
        if institution is None:
            raise Http404
        form = self._form(request, institution)
        if form.is_valid():
            data = form.cleaned_data
            category = data.get("category")
            try:
                ticket = services.ticket_open(
                    actor=_user(request),
                    institution=institution,
                    title=data["title"],
                    description=data["description"],
                    kind=data["kind"],
                    domain=category.domain if category else Domain.IT,
                    category=category,
                    service=data.get("service"),
                    location=data.get("location"),
                    asset=data.get("asset"),
                    impact=data["impact"],
                    urgency=data["urgency"],
                    channel=Channel.PHONE,
                    requester=data.get("requester"),
                    contact_name=data.get("contact_name") or "",
                    contact_email=data.get("contact_email") or "",
                )
            except Denied:
                raise PermissionDenied from None
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(
                    request,
                    _("Ticket %(reference)s is opened.") % {"reference": ticket.reference},
                )
                return HttpResponseRedirect(reverse("servicedesk:ticket-detail", args=[ticket.pk]))
        return self._render(request, institution, form)


class TicketDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        ticket = selectors.access_ticket(user, pk)
        now = timezone.now()
        institution = ticket.institution
        operators = selectors.operators_serving(Institution.objects.filter(pk=institution.pk))
        context = {
            "ticket": ticket,
            "live": clocks.live(ticket, at=now),
            "conversation": _conversation(ticket, internal=True),
            "events": ticket.events.select_related("actor").order_by("at", "pk"),
            "actions": services.actions_for(ticket, user),
            "message_form": MessageForm(),
            "transition_form": TransitionForm(),
            "assign_form": AssignForm(
                initial={
                    "team": ticket.team_id,
                    "assignee": ticket.assignee_id,
                    "contract": ticket.contract_id,
                },
                teams=Team.objects.filter(operator__in=operators),
                agents=_agents(institution),
                contracts=FrameworkContract.objects.filter(institutions=institution),
            ),
            "priority_form": PriorityForm(
                initial={"impact": ticket.impact, "urgency": ticket.urgency}
            ),
            "order_form": OrderLineForm(
                items=PriceListItem.objects.filter(contract_id=ticket.contract_id, is_active=True)
            ),
            "place_form": _place_form(None, ticket),
            "order_lines": ticket.order_lines.all(),
            "order_total": services.order_total(ticket),
            "audit_events": audit_events_for(ticket),
        }
        return render(request, "servicedesk/ticket_detail.html", context)


def _place_form(data: Any, ticket: Ticket) -> PlaceForm:
    locations, assets = selectors.place_choices(ticket.institution)
    return PlaceForm(
        data,
        initial={"location": ticket.location_id, "asset": ticket.asset_id},
        locations=locations,
        assets=assets,
    )


def _agents(institution: Institution) -> QuerySet[User]:
    from faelles.tenancy.models import ServiceAgreement

    staff = ServiceAgreement.objects.filter(institution=institution).values("staff")
    return User.objects.filter(pk__in=staff, is_active=True).order_by("username")


class TicketActionView(_Page):
    http_method_names = ["post"]
    ACTIONS = (*services.TRANSITIONS, "message", "assign", "priority", "order-line", "place")

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        user = _user(request)
        ticket = selectors.access_ticket(user, pk)
        if action not in self.ACTIONS:
            raise Http404
        try:
            self._perform(request, user, ticket, action)
        except Denied:
            raise PermissionDenied from None
        except ValidationError as exc:
            _errors(request, exc)
        return HttpResponseRedirect(reverse("servicedesk:ticket-detail", args=[ticket.pk]))

    def _perform(self, request: HttpRequest, user: User, ticket: Ticket, action: str) -> None:
        post = request.POST
        if action == "message":
            form = MessageForm(post)
            if not form.is_valid():
                raise ValidationError(_("Write a message."))
            services.ticket_message(
                actor=user,
                ticket=ticket,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data["internal"],
                channel=Channel.AGENT,
            )
        elif action == "assign":
            institution = ticket.institution
            operators = selectors.operators_serving(Institution.objects.filter(pk=institution.pk))
            assign = AssignForm(
                post,
                teams=Team.objects.filter(operator__in=operators),
                agents=_agents(institution),
                contracts=FrameworkContract.objects.filter(institutions=institution),
            )
            if not assign.is_valid():
                raise ValidationError(_("Choose a team, a person or a contract."))
            services.ticket_assign(actor=user, ticket=ticket, **assign.cleaned_data)
        elif action == "priority":
            prio = PriorityForm(post)
            if not prio.is_valid():
                raise ValidationError(_("Impact and urgency are 1 (high), 2 (medium) or 3 (low)."))
            services.ticket_prioritise(actor=user, ticket=ticket, **prio.cleaned_data)
        elif action == "place":
            place = _place_form(post, ticket)
            if not place.is_valid():
                raise ValidationError(_("Choose a location and an asset of the institution."))
            places.ticket_place(
                actor=user,
                ticket=ticket,
                location=place.cleaned_data["location"],
                asset=place.cleaned_data["asset"],
            )
        elif action == "order-line":
            line = OrderLineForm(
                post, items=PriceListItem.objects.filter(contract_id=ticket.contract_id)
            )
            if not line.is_valid():
                raise ValidationError(_("Give a quantity, and a price list item or a unit price."))
            data = line.cleaned_data
            services.order_line_add(
                actor=user,
                ticket=ticket,
                price_item=data["price_item"],
                description=data["description"],
                quantity=data["quantity"],
                unit_price=data["unit_price"],
            )
        else:
            services.ticket_transition(
                actor=user, ticket=ticket, action=action, reason=post.get("reason", "")
            )


class AttachmentView(_Page):
    """An attachment, for those who see its ticket (internal notes' only for agents)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        attachment = Attachment.objects.filter(pk=pk).select_related("message").first()
        if attachment is None:
            raise Http404
        agent_sees = selectors.agent_tickets(user).filter(pk=attachment.ticket_id).exists()
        if not agent_sees:
            internal = attachment.message is not None and attachment.message.internal
            if (
                internal
                or not selectors.portal_tickets(user).filter(pk=attachment.ticket_id).exists()
            ):
                raise Http404
        response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
        response["Content-Disposition"] = (
            content_disposition_header(as_attachment=True, filename=attachment.filename)
            or "attachment"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- knowledge base and catalogue ---------------------------------------------------------------


class ArticleListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        if not selectors.may_use_portal(user, institution):
            raise PermissionDenied
        assert institution is not None
        qs = selectors.articles_for(user, institution, drafts=True)
        q = request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(title__icontains=q) | qs.filter(body__icontains=q)
        return render(
            request,
            "servicedesk/articles.html",
            {"articles": qs[:200], "q": q, "is_agent": selectors.is_agent(user, institution)},
        )


class ArticleDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        article = selectors.access_article(user, pk, _institution(request))
        return render(request, "servicedesk/article_detail.html", {"article": article})


class ArticleEditView(_Page):
    def _article(self, request: HttpRequest, pk: int | None) -> Any:
        user, institution = _user(request), _institution(request)
        article = None if pk is None else selectors.access_article(user, pk, institution)
        if not selectors.is_agent(user, institution):
            raise PermissionDenied
        return article

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        article = self._article(request, pk)
        initial = (
            {
                "title": article.title,
                "body": article.body,
                "domain": article.domain,
                "publish": article.is_published,
                "for_every_institution": article.institution_id is None,
            }
            if article
            else {}
        )
        return render(
            request,
            "web/form.html",
            {"form": ArticleForm(initial=initial), "title": _("Knowledge-base article")},
        )

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        article = self._article(request, pk)
        form = ArticleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.article_save(
                    actor=_user(request),
                    institution=_institution(request),  # type: ignore[arg-type]
                    title=data["title"],
                    body=data["body"],
                    domain=data["domain"],
                    publish=data["publish"],
                    for_every_institution=data["for_every_institution"],
                    article=article,
                )
            except Denied:
                raise PermissionDenied from None
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return HttpResponseRedirect(reverse("servicedesk:article-detail", args=[saved.pk]))
        return render(
            request, "web/form.html", {"form": form, "title": _("Knowledge-base article")}
        )


class FiguresView(_Page):
    """The institution's service figures for its contact persons and the service desk:
    the last 30 days, per domain."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        if not selectors.is_contact(user, institution):
            raise PermissionDenied
        assert institution is not None
        since = timezone.now() - timedelta(days=30)
        return render(
            request,
            "servicedesk/figures.html",
            {"figures": selectors.figures(institution, since=since), "since": since},
        )


class CatalogueView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user, institution = _user(request), _institution(request)
        if not selectors.may_use_portal(user, institution):
            raise PermissionDenied
        assert institution is not None
        return render(
            request,
            "servicedesk/catalogue.html",
            {"services": selectors.catalogue_for(institution)},
        )
