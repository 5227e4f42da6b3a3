"""The purchasing API, mounted at /api/v1/purchasing/: suppliers' documents in (catalogues,
order responses, despatch advices, order changes, cancellations) as ``faelles purchasing
import`` receives them, their status, and the orders with their lines."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from faelles.core.access import access_object, user_can
from faelles.payables.api.views import RawXMLParser, TextXMLParser
from faelles.purchasing import intake, selectors
from faelles.purchasing.models import InboundDocument, PurchaseOrder, PurchaseOrderLine
from faelles.tenancy.models import User
from faelles.tenancy.roles import Area, view_roles

INTAKE_ROLES = view_roles(Area.INTAKE)


def _user(request: Request) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


class InboundDocumentSerializer(serializers.ModelSerializer[InboundDocument]):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="short_name", read_only=True
    )

    class Meta:
        model = InboundDocument
        fields = [
            "id",
            "sha256",
            "filename",
            "received_at",
            "institution",
            "document",
            "document_id",
            "status",
            "reason",
            "findings",
            "order",
        ]
        read_only_fields = fields


class DocumentIntakeView(APIView):
    parser_classes = [RawXMLParser, TextXMLParser]

    @extend_schema(
        request={"application/xml": OpenApiTypes.BINARY},
        responses={201: InboundDocumentSerializer, 200: InboundDocumentSerializer},
    )
    def post(self, request: Request) -> Response:
        """Receive one ordering document (the raw UBL XML). Only for an institution where
        the caller receives documents (invoice receivers, operator staff and integrations
        serving it); a document for any other is refused (403) and not stored."""
        user = _user(request)
        content = request.data if isinstance(request.data, bytes) else b""
        if not content:
            raise serializers.ValidationError({"body": "send the document's XML as the body"})
        institution = intake.receiving_institution(content)
        if institution is None or not user_can(user, institution, INTAKE_ROLES):
            raise PermissionDenied(
                {"detail": "You may not deliver documents to this receiver.", "code": "receiver"}
            )
        received = intake.document_receive(
            content=content,
            filename=request.headers.get("X-Filename", "")[:255],
            channel="api",
            actor=user,
        )
        code = status.HTTP_200_OK if received.status == "duplicate" else status.HTTP_201_CREATED
        return Response(InboundDocumentSerializer(received.document).data, status=code)


class DocumentDetailView(APIView):
    @extend_schema(responses=InboundDocumentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        """A received ordering document's status (404 for missing and foreign alike)."""
        document = access_object(
            InboundDocument,
            user=_user(request),
            pk=pk,
            roles=INTAKE_ROLES | selectors.OVERSEER_ROLES,
        )
        return Response(InboundDocumentSerializer(document).data)


class OrderLineSerializer(serializers.ModelSerializer[PurchaseOrderLine]):
    class Meta:
        model = PurchaseOrderLine
        fields = [
            "line_id",
            "name",
            "sellers_id",
            "unit",
            "quantity",
            "unit_price",
            "net_amount",
            "status_code",
            "despatched",
            "received",
        ]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer[PurchaseOrder]):
    lines = OrderLineSerializer(many=True, read_only=True)
    agreement = serializers.CharField(source="agreement.reference", read_only=True)
    supplier = serializers.CharField(source="agreement.supplier_peppol_id", read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "issue_date",
            "state",
            "agreement",
            "supplier",
            "currency",
            "net_amount",
            "account",
            "org_unit",
            "purpose",
            "sales_order_id",
            "lines",
        ]
        read_only_fields = fields


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """Purchase orders the caller sees (their own; all of the institutions they oversee)."""

    serializer_class = OrderSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no user
            return PurchaseOrder.objects.none()
        return (
            selectors.orders_for(_user(self.request))
            .prefetch_related("lines")
            .order_by("-created_at", "-pk")
        )
