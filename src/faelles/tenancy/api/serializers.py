"""Serializers of the tenancy API. They parse and present; services validate and write.

Related objects can only be named from the requester's own institutions (a foreign id reads
as a missing one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from faelles.tenancy import scopes
from faelles.tenancy.models import (
    ApprovalLimitRequest,
    Delegation,
    Endpoint,
    Institution,
    Membership,
    Operator,
    OrgUnit,
    Responsibility,
    Service,
    ServiceAgreement,
    User,
)

SCOPES: dict[str, Callable[[User], QuerySet[Any]]] = {
    "institutions": scopes.working_institutions,
    "org_units": scopes.working_org_units,
    "users": scopes.visible_users,
    "staff": scopes.operator_staff_users,
}


class _ScopedPrimaryKey(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A related id resolved only among the objects the requester may name."""

    def __init__(self, scope: str, **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return User.objects.none()
        return SCOPES[self.scope](request.user)


class InstitutionSerializer(serializers.ModelSerializer[Institution]):
    parent = _ScopedPrimaryKey("institutions", required=False, allow_null=True)  # type: ignore[assignment]

    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "cvr",
            "parent",
            "requires_two_persons",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"cvr": {"required": False}}


class OrgUnitSerializer(serializers.ModelSerializer[OrgUnit]):
    institution = _ScopedPrimaryKey("institutions")
    parent = _ScopedPrimaryKey("org_units", required=False, allow_null=True)  # type: ignore[assignment]

    class Meta:
        model = OrgUnit
        fields = ["id", "institution", "code", "name", "parent", "is_active"]
        read_only_fields = ["id"]


class OrgUnitUpdateSerializer(OrgUnitSerializer):
    class Meta(OrgUnitSerializer.Meta):
        read_only_fields = ["id", "institution"]


class EndpointSerializer(serializers.ModelSerializer[Endpoint]):
    institution = _ScopedPrimaryKey("institutions")
    org_unit = _ScopedPrimaryKey("org_units", required=False, allow_null=True)

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "institution",
            "scheme",
            "identifier",
            "org_unit",
            "description",
            "is_active",
        ]
        read_only_fields = ["id"]
        # Uniqueness (one address routes to one institution) is the service's to check.
        validators: list[Any] = []


class EndpointUpdateSerializer(EndpointSerializer):
    class Meta(EndpointSerializer.Meta):
        read_only_fields = ["id", "institution"]


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "username", "display_name", "first_name", "last_name", "email", "is_active"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    """``approval_limit`` is the limit in force; a limit above the institution's ceiling waits
    for an operator administrator as ``pending_approval_limit``."""

    institution = _ScopedPrimaryKey("institutions")
    user = _ScopedPrimaryKey("users")
    org_unit = _ScopedPrimaryKey("org_units", required=False, allow_null=True)
    pending_approval_limit = serializers.SerializerMethodField()
    pending_request = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "institution",
            "user",
            "role",
            "approval_limit",
            "pending_approval_limit",
            "pending_request",
            "org_unit",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "is_active", "created_at"]
        validators: list[Any] = []

    def _pending(self, obj: Membership) -> ApprovalLimitRequest | None:
        if hasattr(obj, "pending_limit_request"):
            pending: ApprovalLimitRequest | None = obj.pending_limit_request
            return pending
        prefetched = getattr(obj, "open_limit_requests", None)
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return obj.limit_requests.filter(state=ApprovalLimitRequest.State.REQUESTED).first()

    @extend_schema_field(serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True))
    def get_pending_approval_limit(self, obj: Membership) -> Any:
        pending = self._pending(obj)
        return None if pending is None else f"{pending.requested_limit:.2f}"

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_pending_request(self, obj: Membership) -> int | None:
        pending = self._pending(obj)
        return None if pending is None else pending.pk


class DelegationSerializer(serializers.ModelSerializer[Delegation]):
    institution = _ScopedPrimaryKey("institutions")
    principal = _ScopedPrimaryKey("users")
    substitute = _ScopedPrimaryKey("users")

    class Meta:
        model = Delegation
        fields = [
            "id",
            "institution",
            "principal",
            "substitute",
            "valid_from",
            "valid_to",
            "reason",
            "created_at",
            "revoked_at",
        ]
        read_only_fields = ["id", "created_at", "revoked_at"]


class ResponsibilitySerializer(serializers.ModelSerializer[Responsibility]):
    class Meta:
        model = Responsibility
        fields = ["id", "service", "task", "owner", "note"]
        read_only_fields = ["id"]


class ServiceAgreementSerializer(serializers.ModelSerializer[ServiceAgreement]):
    institution = _ScopedPrimaryKey("institutions")
    operator = serializers.PrimaryKeyRelatedField(queryset=Operator.objects.all())
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=Service.choices), allow_empty=False
    )
    staff = _ScopedPrimaryKey("staff", many=True, required=False)
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)

    class Meta:
        model = ServiceAgreement
        fields = [
            "id",
            "institution",
            "operator",
            "services",
            "valid_from",
            "valid_to",
            "staff",
            "note",
            "approval_limit_ceiling",
            "responsibilities",
        ]
        read_only_fields = ["id"]
        validators: list[Any] = []


class ServiceAgreementUpdateSerializer(ServiceAgreementSerializer):
    class Meta(ServiceAgreementSerializer.Meta):
        read_only_fields = ["id", "institution", "operator"]


class InstitutionRolesSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer[Any]):
    """Who the caller is and where they may work, with their roles in each institution."""

    user = UserSerializer()
    staff_roles = serializers.ListField(child=serializers.CharField())
    institutions = InstitutionRolesSerializer(many=True)


class ApprovalLimitRequestSerializer(serializers.ModelSerializer[ApprovalLimitRequest]):
    """An approval limit above the ceiling and its second approval (read only)."""

    user = serializers.IntegerField(source="membership.user_id", read_only=True)
    limit_in_force = serializers.DecimalField(
        source="membership.approval_limit", max_digits=18, decimal_places=2, read_only=True
    )

    class Meta:
        model = ApprovalLimitRequest
        fields = [
            "id",
            "institution",
            "membership",
            "user",
            "requested_limit",
            "limit_in_force",
            "limit_before",
            "ceiling",
            "requested_by",
            "requested_at",
            "state",
            "decided_by",
            "decided_at",
            "reason",
        ]
        read_only_fields = fields


class LimitRequestDecisionSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
