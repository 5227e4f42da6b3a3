"""The intake API: ``POST /api/v1/payables/documents`` with the raw XML as the body.

201 with the new document's id, or 200 with the existing id when the same bytes arrive again.
A document is received only for the endpoints of institutions where the caller receives
documents (see ``faelles.tenancy.roles``, area intake); reading a document is for those who see
its institution's invoices, and documents of no institution for the operator's queue staff.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from faelles.core.audit import Refused
from faelles.payables import selectors as payables_selectors
from faelles.payables import services
from faelles.payables.api.serializers import (
    InvoiceCodingInputSerializer,
    InvoiceRejectInputSerializer,
    InvoiceSerializer,
)
from faelles.payables.coding import AllocationSpec
from faelles.payables.filtersets import InvoiceFilterSet
from faelles.payables.findings import grouped
from faelles.payables.models import Channel, Invoice, InvoiceAllocation, ReceivedDocument
from faelles.payables.services import MAX_DOCUMENT_BYTES, document_receive
from faelles.tenancy.models import User
from faelles.web.pagination import KeysetPagination


class DocumentTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = f"The document is larger than {MAX_DOCUMENT_BYTES} bytes; nothing was stored."
    default_code = "document_too_large"


class RawXMLParser(BaseParser):
    """The body as bytes, unparsed: the document must be stored exactly as received. A body
    over the intake cap (also one sent without a length) is refused with 413, unstored."""

    media_type = "application/xml"

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data: bytes = stream.read(MAX_DOCUMENT_BYTES + 1) if stream is not None else b""
        if len(data) > MAX_DOCUMENT_BYTES:
            raise DocumentTooLarge
        return data


class TextXMLParser(RawXMLParser):
    media_type = "text/xml"


class FindingGroupSerializer(serializers.Serializer[Any]):
    """Identical findings once: rule id, flag, explanation, official text, count, locations."""

    rule = serializers.CharField()
    flag = serializers.ChoiceField(choices=["fatal", "warning"])
    explanation = serializers.CharField()
    detail = serializers.CharField()
    count = serializers.IntegerField()
    locations = serializers.ListField(child=serializers.CharField())


class DocumentSerializer(serializers.ModelSerializer[ReceivedDocument]):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="short_name", read_only=True
    )
    invoice = serializers.SerializerMethodField()
    findings_grouped = serializers.SerializerMethodField()

    class Meta:
        model = ReceivedDocument
        fields = [
            "id",
            "sha256",
            "size",
            "filename",
            "channel",
            "received_at",
            "status",
            "institution",
            "syntax",
            "document_type",
            "receiver_scheme",
            "receiver_id",
            "findings",
            "findings_grouped",
            "invoice",
        ]
        read_only_fields = fields

    @extend_schema_field(FindingGroupSerializer(many=True))
    def get_findings_grouped(self, obj: ReceivedDocument) -> list[dict[str, Any]]:
        """``findings`` as a person reads them: each identical finding once, with its count and
        locations, an ``explanation`` in the request's language (Danish by default) and the
        official text without its ``[RULE-ID]-`` prefix as ``detail``."""
        return [group.to_dict() for group in grouped(obj.findings)]

    def get_invoice(self, obj: ReceivedDocument) -> int | None:
        invoice = getattr(obj, "invoice", None)
        return invoice.pk if invoice is not None else None


def _user(request: Request) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


class DocumentIntakeView(APIView):
    parser_classes = [RawXMLParser, TextXMLParser]

    @extend_schema(
        request={"application/xml": OpenApiTypes.BINARY},
        responses={
            201: DocumentSerializer,
            200: OpenApiResponse(DocumentSerializer, description="The same bytes arrived before"),
        },
    )
    def post(self, request: Request) -> Response:
        """Receive one document (the raw UBL XML).

        Accepted only for the endpoints of institutions where the caller receives documents
        (invoice receivers, also as substitutes; operator staff and integrations serving the
        institution); documents no endpoint routes only from the operator's staff. A refused
        document answers 403 naming its receiver, is not stored, and is an audit event (also
        from someone who receives documents nowhere: every refused delivery is on record).
        """
        user = _user(request)
        content = request.data if isinstance(request.data, bytes) else b""
        if not content:
            raise serializers.ValidationError({"body": "send the document's XML as the body"})
        try:
            intake = document_receive(
                content=content,
                channel=Channel.API,
                filename=request.headers.get("X-Filename", "")[:255],
                actor=user,
            )
        except Refused as refusal:
            raise PermissionDenied(
                {"detail": refusal.refusal_message, "code": refusal.refusal_code}
            ) from None
        code = status.HTTP_201_CREATED if intake.created else status.HTTP_200_OK
        return Response(DocumentSerializer(intake.document).data, status=code)


class DocumentDetailView(APIView):
    @extend_schema(responses=DocumentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        """A received document's status and findings (404 for missing and foreign alike)."""
        document = payables_selectors.access_document(_user(request), pk)
        return Response(DocumentSerializer(document).data)


# --- invoices -------------------------------------------------------------------------------


def _run(fn: Any, **kwargs: Any) -> Any:
    """Call a service; its ValidationError becomes a 400 with messages and codes by field."""
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise serializers.ValidationError(
                {
                    field: [{"code": e.code or "invalid", "message": m} for e in errs for m in e]
                    for field, errs in exc.error_dict.items()
                }
            ) from None
        raise serializers.ValidationError({"non_field_errors": exc.messages}) from None


_ACTIONS: dict[str, Any] = {
    "attest": services.invoice_attest,
    "approve": services.invoice_approve,
    "post": services.invoice_post,
    "schedule": services.invoice_schedule,
    "paid": services.invoice_mark_paid,
    "confirm-payment": services.invoice_confirm_payment_details,
}


class InvoiceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Invoice]
):
    """Invoices of the institutions the caller works in (a payables role is needed); another
    institution's invoice answers 404 like a missing one."""

    serializer_class = InvoiceSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InvoiceFilterSet
    # Newest first, a page after the last one seen (no count, no offset): page 1,000 costs
    # what page 1 costs, one range of the (institution, state, received_at, id) index.
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[Invoice]:
        return (
            payables_selectors.visible_invoices(_user(self.request))
            .select_related("institution", "vendor")
            .prefetch_related(
                "lines",
                Prefetch("allocations", queryset=InvoiceAllocation.objects.select_related("line")),
            )
            .order_by("-received_at", "-pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The invoices the caller sees, newest first, filtered exactly as the inbox page
        filters them (``InvoiceFilterSet``: scope, state, vendor, q, due_after, due_before,
        overdue, amount_min, amount_max); without ``scope`` every visible invoice. Pages of
        ``limit`` (default 50, at most 500) without a total: follow ``next`` (a ``cursor``)
        until it is null."""
        return super().list(request, *args, **kwargs)

    def _act(self, request: Request, fn: Any, **kwargs: Any) -> Response:
        invoice = self.get_object()
        _run(fn, actor=_user(request), invoice=invoice, **kwargs)
        return Response(InvoiceSerializer(self.get_queryset().get(pk=invoice.pk)).data)

    @extend_schema(request=None, responses=InvoiceSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"(?P<step>attest|approve|post|schedule|paid|confirm-payment)",
    )
    def step(self, request: Request, pk: Any = None, step: str = "") -> Response:
        """One step of the flow; segregation of duties and limits are checked by the service."""
        return self._act(request, _ACTIONS[step])

    @extend_schema(request=InvoiceRejectInputSerializer, responses=InvoiceSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        """Reject with a reason (kept, and the answer to the supplier)."""
        self.get_object()  # 404 for missing and foreign before the body is looked at
        data = InvoiceRejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(request, services.invoice_reject, reason=data.validated_data["reason"])

    @extend_schema(request=InvoiceCodingInputSerializer, responses=InvoiceSerializer)
    @action(detail=True, methods=["put"])
    def coding(self, request: Request, pk: Any = None) -> Response:
        """Replace the coding; a line may be split across several allocations."""
        self.get_object()  # 404 for missing and foreign before the body is looked at
        data = InvoiceCodingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        specs = [
            AllocationSpec(
                line_no=a["line"],
                account=a["account"],
                amount=a["amount"],
                org_unit=a["org_unit"],
                purpose=a["purpose"],
                vat_code=a["vat_code"],
            )
            for a in data.validated_data["allocations"]
        ]
        return self._act(request, services.invoice_code, allocations=specs)
