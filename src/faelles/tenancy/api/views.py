"""Viewsets of the tenancy API. Lists and lookups are narrowed to the requester's
institutions (a foreign id answers 404 like a missing one); every write calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from faelles.tenancy import scopes, selectors, services
from faelles.tenancy.api.serializers import (
    ApprovalLimitRequestSerializer,
    DelegationSerializer,
    EndpointSerializer,
    EndpointUpdateSerializer,
    InstitutionSerializer,
    LimitRequestDecisionSerializer,
    MembershipSerializer,
    MeSerializer,
    OrgUnitSerializer,
    OrgUnitUpdateSerializer,
    ServiceAgreementSerializer,
    ServiceAgreementUpdateSerializer,
    UserSerializer,
)
from faelles.tenancy.filtersets import (
    ApprovalLimitRequestFilterSet,
    DelegationFilterSet,
    EndpointFilterSet,
    InstitutionFilterSet,
    MembershipFilterSet,
    OrgUnitFilterSet,
    ServiceAgreementFilterSet,
    UserFilterSet,
)
from faelles.tenancy.models import (
    ApprovalLimitRequest,
    Delegation,
    Endpoint,
    Institution,
    Membership,
    OrgUnit,
    ServiceAgreement,
    User,
)


def call_service(service: Callable[..., Any], **kwargs: Any) -> Any:
    """Run a service; its Django ValidationError becomes a 400 with the same messages."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise serializers.ValidationError(exc.message_dict) from None
        raise serializers.ValidationError({"non_field_errors": exc.messages}) from None


class _Base(viewsets.GenericViewSet[Any]):
    update_serializer_class: type[serializers.BaseSerializer[Any]] | None = None

    def actor(self) -> User:
        user: User = self.request.user  # type: ignore[assignment]
        return user

    def get_serializer_class(self) -> Any:
        if self.action in {"update", "partial_update"} and self.update_serializer_class:
            return self.update_serializer_class
        return super().get_serializer_class()

    def _write(self, request: Request, perform: Callable[[dict[str, Any]], Model]) -> Response:
        """Parse the body, hand the values to ``perform`` (one service call), answer 201."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = perform(dict(serializer.validated_data))
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)


def _tenant(model: type[Model], user: User) -> QuerySet[Any]:
    return model._default_manager.filter(institution__in=scopes.working_institutions(user))


def _admin_view(model: type[Model], user: User) -> QuerySet[Any]:
    return model._default_manager.filter(institution__in=scopes.visible_institutions(user))


class InstitutionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _Base
):
    """Institutions the requester works in or manages."""

    serializer_class = InstitutionSerializer
    filterset_class = InstitutionFilterSet

    def get_queryset(self) -> QuerySet[Institution]:
        return (
            Institution.objects.filter(
                pk__in=scopes.working_institutions(self.actor()).values("pk")
            )
            .select_related("parent")
            .order_by("name")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def perform(data: dict[str, Any]) -> Institution:
            data.pop("is_active", None)
            return call_service(services.institution_create, actor=self.actor(), **data)  # type: ignore[no-any-return]

        return self._write(request, perform)

    @extend_schema(request=InstitutionSerializer, responses=InstitutionSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        institution = self.get_object()
        serializer = self.get_serializer(institution, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        obj = call_service(
            services.institution_update,
            actor=self.actor(),
            institution=institution,
            **serializer.validated_data,
        )
        return Response(self.get_serializer(obj).data)


class OrgUnitViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _Base
):
    """Org units (cost centres) of the requester's institutions."""

    serializer_class = OrgUnitSerializer
    update_serializer_class = OrgUnitUpdateSerializer
    filterset_class = OrgUnitFilterSet

    def get_queryset(self) -> QuerySet[OrgUnit]:
        return _tenant(OrgUnit, self.actor()).order_by("institution_id", "code")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def perform(data: dict[str, Any]) -> OrgUnit:
            data.pop("is_active", None)
            return call_service(services.org_unit_create, actor=self.actor(), **data)  # type: ignore[no-any-return]

        return self._write(request, perform)

    @extend_schema(request=OrgUnitUpdateSerializer, responses=OrgUnitSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        org_unit = self.get_object()
        serializer = self.get_serializer(org_unit, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        obj = call_service(
            services.org_unit_update,
            actor=self.actor(),
            org_unit=org_unit,
            **serializer.validated_data,
        )
        return Response(OrgUnitSerializer(obj, context=self.get_serializer_context()).data)


class EndpointViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _Base
):
    """Electronic addresses (EAN/GLN, CVR) of the requester's institutions."""

    serializer_class = EndpointSerializer
    update_serializer_class = EndpointUpdateSerializer
    filterset_class = EndpointFilterSet

    def get_queryset(self) -> QuerySet[Endpoint]:
        return _tenant(Endpoint, self.actor()).order_by("scheme", "identifier")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def perform(data: dict[str, Any]) -> Endpoint:
            data.pop("is_active", None)
            return call_service(services.endpoint_create, actor=self.actor(), **data)  # type: ignore[no-any-return]

        return self._write(request, perform)

    @extend_schema(request=EndpointUpdateSerializer, responses=EndpointSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endpoint = self.get_object()
        serializer = self.get_serializer(endpoint, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        obj = call_service(
            services.endpoint_update,
            actor=self.actor(),
            endpoint=endpoint,
            **serializer.validated_data,
        )
        return Response(EndpointSerializer(obj, context=self.get_serializer_context()).data)


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """People in the institutions whose administration the requester may read."""

    serializer_class = UserSerializer
    filterset_class = UserFilterSet

    def get_queryset(self) -> QuerySet[User]:
        return scopes.visible_users(self.actor()).order_by("username")

    @extend_schema(responses=MeSerializer, filters=False)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def me(self, request: Request) -> Response:
        """The caller, their staff roles and their roles in each institution they work in."""
        user = self.actor()
        institutions = [
            {
                "id": inst.pk,
                "name": inst.name,
                "short_name": inst.short_name,
                "roles": sorted(selectors.roles_for(user, inst)),
            }
            for inst in selectors.institutions_for_user(user)
        ]
        data = {
            "user": user,
            "staff_roles": sorted(selectors.staff_roles_for(user)),
            "institutions": institutions,
        }
        return Response(MeSerializer(data, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={202: UserSerializer})
    @action(detail=True, methods=["post"], url_path="password-link", filter_backends=[])
    def password_link(self, request: Request, pk: Any = None) -> Response:
        """Mail the user a one-time link to set their own password (administrators never set
        it). 400 without an e-mail address or with single sign-on; 403 for someone the caller
        may not manage."""
        user = self.get_object()
        call_service(
            services.user_password_link_send,
            actor=self.actor(),
            user=user,
            base_url=request.build_absolute_uri("/"),
        )
        return Response(self.get_serializer(user).data, status=status.HTTP_202_ACCEPTED)


class MembershipViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _Base
):
    """Roles of people in institutions whose administration the requester may read."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet

    def get_queryset(self) -> QuerySet[Membership]:
        open_requests = Prefetch(
            "limit_requests",
            queryset=ApprovalLimitRequest.objects.filter(
                state=ApprovalLimitRequest.State.REQUESTED
            ),
            to_attr="open_limit_requests",
        )
        return (
            _admin_view(Membership, self.actor())
            .prefetch_related(open_requests)
            .order_by("institution_id", "user_id", "role")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def perform(data: dict[str, Any]) -> Membership:
            return call_service(services.membership_grant, actor=self.actor(), **data)  # type: ignore[no-any-return]

        return self._write(request, perform)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        membership = self.get_object()
        obj = call_service(services.membership_revoke, actor=self.actor(), membership=membership)
        return Response(self.get_serializer(obj).data)


class DelegationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _Base
):
    """Substitutes acting for someone between two dates."""

    serializer_class = DelegationSerializer
    filterset_class = DelegationFilterSet

    def get_queryset(self) -> QuerySet[Delegation]:
        return _admin_view(Delegation, self.actor()).order_by("-valid_from", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def perform(data: dict[str, Any]) -> Delegation:
            return call_service(services.delegation_create, actor=self.actor(), **data)  # type: ignore[no-any-return]

        return self._write(request, perform)

    @extend_schema(request=None, responses=DelegationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        delegation = self.get_object()
        obj = call_service(services.delegation_revoke, actor=self.actor(), delegation=delegation)
        return Response(self.get_serializer(obj).data)


class ServiceAgreementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _Base
):
    """What the operator does for an institution, with the responsibility matrix."""

    serializer_class = ServiceAgreementSerializer
    update_serializer_class = ServiceAgreementUpdateSerializer
    filterset_class = ServiceAgreementFilterSet

    def get_queryset(self) -> QuerySet[ServiceAgreement]:
        return (
            _admin_view(ServiceAgreement, self.actor())
            .select_related("operator")
            .prefetch_related("staff", "responsibilities")
            .order_by("institution_id", "-valid_from")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def perform(data: dict[str, Any]) -> ServiceAgreement:
            return call_service(services.service_agreement_create, actor=self.actor(), **data)  # type: ignore[no-any-return]

        return self._write(request, perform)

    @extend_schema(request=ServiceAgreementUpdateSerializer, responses=ServiceAgreementSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        agreement = self.get_object()
        serializer = self.get_serializer(agreement, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        obj = call_service(
            services.service_agreement_update,
            actor=self.actor(),
            agreement=agreement,
            **serializer.validated_data,
        )
        return Response(ServiceAgreementSerializer(obj, context=self.get_serializer_context()).data)


class ApprovalLimitRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """Approval limits above an institution's ceiling; an operator administrator other than
    the requester (and not the membership's user) approves or refuses them."""

    serializer_class = ApprovalLimitRequestSerializer
    filterset_class = ApprovalLimitRequestFilterSet

    def get_queryset(self) -> QuerySet[ApprovalLimitRequest]:
        return (
            _admin_view(ApprovalLimitRequest, self.actor())
            .select_related("membership")
            .order_by("-requested_at", "-pk")
        )

    def _decide(self, request: Request, service: Callable[..., Any]) -> Response:
        limit_request = self.get_object()
        body = LimitRequestDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        obj = call_service(
            service,
            actor=self.actor(),
            limit_request=limit_request,
            reason=body.validated_data.get("reason", ""),
        )
        return Response(ApprovalLimitRequestSerializer(obj).data)

    @extend_schema(request=LimitRequestDecisionSerializer, responses=ApprovalLimitRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self._decide(request, services.approval_limit_request_approve)

    @extend_schema(request=LimitRequestDecisionSerializer, responses=ApprovalLimitRequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: Any = None) -> Response:
        return self._decide(request, services.approval_limit_request_refuse)
