"""The intake API: ``POST /api/v1/payables/documents`` with the raw XML as the body.

201 with the new document's id, or 200 with the existing id when the same bytes arrive again.
Documents are received by the operator's staff and integrations (a staff role is required);
reading a document is for staff and the members of the institution it was routed to.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from faelles.payables.models import Channel, ReceivedDocument
from faelles.payables.services import MAX_DOCUMENT_BYTES, document_receive
from faelles.tenancy import selectors
from faelles.tenancy.models import User


class RawXMLParser(BaseParser):
    """The body as bytes, unparsed: the document must be stored exactly as received."""

    media_type = "application/xml"

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data: bytes = stream.read(MAX_DOCUMENT_BYTES + 1) if stream is not None else b""
        return data


class TextXMLParser(RawXMLParser):
    media_type = "text/xml"


class DocumentSerializer(serializers.ModelSerializer[ReceivedDocument]):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="short_name", read_only=True
    )
    invoice = serializers.SerializerMethodField()

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
            "invoice",
        ]
        read_only_fields = fields

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
        """Receive one document (the raw UBL XML)."""
        if not selectors.staff_roles_for(_user(request)):
            raise PermissionDenied("Only the operator's staff and integrations receive documents.")
        content = request.data if isinstance(request.data, bytes) else b""
        if not content:
            raise serializers.ValidationError({"body": "send the document's XML as the body"})
        intake = document_receive(
            content=content,
            channel=Channel.API,
            filename=request.headers.get("X-Filename", "")[:255],
            actor=_user(request),
        )
        code = status.HTTP_201_CREATED if intake.created else status.HTTP_200_OK
        return Response(DocumentSerializer(intake.document).data, status=code)


class DocumentDetailView(APIView):
    @extend_schema(responses=DocumentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        """A received document's status and findings."""
        user = _user(request)
        document = ReceivedDocument.objects.select_related("institution").filter(pk=pk).first()
        if document is None:
            raise Http404
        if not selectors.staff_roles_for(user):
            allowed = selectors.institutions_for_user(user)
            if (
                document.institution_id is None
                or not allowed.filter(pk=document.institution_id).exists()
            ):
                raise Http404
        return Response(DocumentSerializer(document).data)
