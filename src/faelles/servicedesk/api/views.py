"""Tickets over the API: the tickets the caller sees (agents: every ticket of the
institutions they serve; everyone else: their own, contacts all of their institution's), with
the SLA clocks computed live; opening, messages, the life-cycle actions and rating.

Another institution's ticket answers 404 like a missing one. Lists are keyset pages
(``CursorPagination`` on the id), as fast on the last page as on the first.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from faelles.core.audit import Denied
from faelles.servicedesk import clocks, selectors, services
from faelles.servicedesk.models import OPEN_STATUSES, Channel, Domain, Kind, Ticket, TicketEvent
from faelles.tenancy.models import Institution, User


def _user(request: Request) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _run(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except Denied as exc:
        raise PermissionDenied(str(exc)) from None
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise serializers.ValidationError(
                {
                    field: [{"code": e.code or "invalid", "message": m} for e in errs for m in e]
                    for field, errs in exc.error_dict.items()
                }
            ) from None
        raise serializers.ValidationError({"non_field_errors": exc.messages}) from None


class ClockSerializer(serializers.Serializer[Any]):
    state = serializers.CharField()
    response = serializers.DictField()
    resolution = serializers.DictField()


class TicketSerializer(serializers.ModelSerializer[Ticket]):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="short_name", read_only=True
    )
    clocks = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True, help_text="request, incident or work_order")

    class Meta:
        model = Ticket
        fields = [
            "id",
            "institution",
            "reference",
            "kind",
            "domain",
            "category",
            "service",
            "title",
            "description",
            "requester",
            "channel",
            "impact",
            "urgency",
            "priority",
            "status",
            "team",
            "assignee",
            "contract",
            "location",
            "asset",
            "created_at",
            "responded_at",
            "resolved_at",
            "closed_at",
            "rating",
            "clocks",
        ]
        read_only_fields = fields

    def get_clocks(self, obj: Ticket) -> dict[str, Any] | None:
        """Both clocks computed from the ticket's history now (``faelles.sla``'s shape) and
        their state: running, warning, breached, paused, met or missed."""
        from faelles.sla import clocks_dict

        state = clocks.live(obj, getattr(obj, "sla_events", None), at=timezone.now())
        if state is None:
            return None
        return {"state": state.state, **clocks_dict(state.clocks)}


class OpenSerializer(serializers.Serializer[Any]):
    institution = serializers.SlugRelatedField(
        slug_field="short_name", queryset=Institution.objects.all()
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.CharField(default=Kind.REQUEST, help_text="request, incident or work_order")
    domain = serializers.CharField(default=Domain.IT, help_text="it or facilities")

    def validate_kind(self, value: str) -> str:
        if value not in Kind.values:
            raise serializers.ValidationError(f"one of {', '.join(Kind.values)}")
        return value

    def validate_domain(self, value: str) -> str:
        if value not in Domain.values:
            raise serializers.ValidationError(f"one of {', '.join(Domain.values)}")
        return value

    impact = serializers.IntegerField(min_value=1, max_value=3, default=3)
    urgency = serializers.IntegerField(min_value=1, max_value=3, default=3)


class MessageInput(serializers.Serializer[Any]):
    body = serializers.CharField()
    internal = serializers.BooleanField(default=False)


class TransitionInput(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RatingInput(serializers.Serializer[Any]):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class TicketPagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    max_page_size = 500
    page_size_query_param = "limit"


class TicketViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Ticket]
):
    """Tickets the caller sees; another institution's answers 404 like a missing one."""

    serializer_class = TicketSerializer
    pagination_class = TicketPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Ticket]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema's introspection
            return Ticket.objects.none()
        qs = selectors.visible_tickets(_user(self.request))
        status = self.request.query_params.get("status")
        if status == "open":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif status:
            qs = qs.filter(status=status)
        return qs.select_related("institution", "service_level").prefetch_related(
            Prefetch(
                "events",
                queryset=TicketEvent.objects.filter(kind__in=clocks.SLA_KINDS).order_by("at", "pk"),
                to_attr="sla_events",
            )
        )

    def _ticket(self) -> Ticket:
        try:
            return self.get_object()
        except Http404:
            raise
        except (ValueError, TypeError):
            raise Http404 from None

    @extend_schema(request=OpenSerializer, responses={201: TicketSerializer})
    def create(self, request: Request) -> Response:
        """Open a ticket in an institution where the caller may ask (or serves as an agent)."""
        data = OpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        institution = values.pop("institution")
        user = _user(request)
        if not (
            selectors.may_use_portal(user, institution) or selectors.is_agent(user, institution)
        ):
            raise serializers.ValidationError({"institution": ["unknown institution"]})
        ticket = _run(
            services.ticket_open,
            actor=user,
            institution=institution,
            channel=Channel.API,
            requester=user,
            **values,
        )
        return Response(TicketSerializer(ticket).data, status=201)

    @extend_schema(request=MessageInput, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def messages(self, request: Request, pk: Any = None) -> Response:
        """Write on the ticket (agents may write internal notes)."""
        ticket = self._ticket()
        data = MessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        _run(
            services.ticket_message,
            actor=_user(request),
            ticket=ticket,
            body=data.validated_data["body"],
            internal=data.validated_data["internal"],
            channel=Channel.API,
        )
        return Response(TicketSerializer(Ticket.objects.get(pk=ticket.pk)).data)

    @extend_schema(
        request=TransitionInput, responses=TicketSerializer, operation_id="servicedesk_ticket_step"
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"(?P<step>start|wait|resume|resolve|reopen|close)",
    )
    def step(self, request: Request, pk: Any = None, step: str = "") -> Response:
        """One action of the life cycle (who may take it: ``services.TRANSITIONS``)."""
        ticket = self._ticket()
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        _run(
            services.ticket_transition,
            actor=_user(request),
            ticket=ticket,
            action=step,
            reason=data.validated_data["reason"],
        )
        return Response(TicketSerializer(Ticket.objects.get(pk=ticket.pk)).data)

    @extend_schema(request=RatingInput, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: Any = None) -> Response:
        """The requester rates the resolved ticket (1–5)."""
        ticket = self._ticket()
        data = RatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        _run(services.ticket_rate, actor=_user(request), ticket=ticket, **data.validated_data)
        return Response(TicketSerializer(Ticket.objects.get(pk=ticket.pk)).data)
