"""The ledger API: accounts, periods, entries (read, manual drafts, post, reverse) and the
trial balance. Every row is narrowed to institutions whose ledger the requester may read; a
foreign id answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from faelles.ledger import access, selectors, services
from faelles.ledger.api.serializers import (
    AccountSerializer,
    EntrySerializer,
    ManualEntryInputSerializer,
    PeriodSerializer,
    PostingAccountsSerializer,
    TrialBalanceSerializer,
)
from faelles.ledger.filtersets import AccountFilterSet, EntryFilterSet
from faelles.ledger.models import Account, JournalEntry, Period, PostingAccounts
from faelles.ledger.services import EntrySpec, LineSpec
from faelles.tenancy.models import Institution, User


def _user(request: Request) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _institution_ids(request: Request) -> list[int]:
    ids = [i.pk for i in access.ledger_institutions(_user(request))]
    wanted = request.query_params.get("institution")
    if wanted:
        try:
            return [i for i in ids if i == int(wanted)]
        except ValueError:
            return []
    return ids


def _service(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        problems = getattr(exc, "problems", None)
        if problems:
            raise serializers.ValidationError(
                {
                    "problems": [
                        {"code": p.code, "message": p.message, "line": p.line} for p in problems
                    ]
                }
            ) from None
        raise serializers.ValidationError({"non_field_errors": exc.messages}) from None


INSTITUTION_PARAM = OpenApiParameter(
    "institution", OpenApiTypes.INT, description="Only this institution", required=False
)


@extend_schema(parameters=[INSTITUTION_PARAM])
class AccountViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Account]
):
    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet

    def get_queryset(self) -> QuerySet[Account]:
        return Account.objects.filter(institution_id__in=_institution_ids(self.request)).order_by(
            "institution_id", "number"
        )


@extend_schema(parameters=[INSTITUTION_PARAM])
class PeriodViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Period]
):
    serializer_class = PeriodSerializer

    def get_queryset(self) -> QuerySet[Period]:
        return (
            Period.objects.filter(institution_id__in=_institution_ids(self.request))
            .select_related("fiscal_year")
            .order_by("institution_id", "start")
        )


@extend_schema(parameters=[INSTITUTION_PARAM])
class EntryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[JournalEntry]
):
    serializer_class = EntrySerializer
    filterset_class = EntryFilterSet

    def get_queryset(self) -> QuerySet[JournalEntry]:
        return (
            JournalEntry.objects.filter(institution_id__in=_institution_ids(self.request))
            .select_related("fiscal_year")
            .prefetch_related("lines__account", "lines__org_unit", "lines__purpose")
            .order_by("institution_id", "-date", "-pk")
        )

    @extend_schema(request=ManualEntryInputSerializer, responses={201: EntrySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A manual draft entry by a bookkeeper of the institution."""
        data = ManualEntryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["institution"] not in _institution_ids(request):
            raise Http404
        institution = Institution.objects.get(pk=values["institution"])
        if not access.may_enter(_user(request), institution):
            raise PermissionDenied
        spec = EntrySpec(
            date=values["date"],
            description=values["description"],
            voucher_ref=values["voucher_ref"],
            lines=[
                LineSpec(
                    account=line["account"],
                    org_unit=line.get("org_unit") or None,
                    purpose=line.get("purpose") or None,
                    debit=line["debit"],
                    credit=line["credit"],
                    text=line.get("text", ""),
                )
                for line in values["lines"]
            ],
        )
        entry = _service(
            services.entry_create, actor=_user(request), institution=institution, spec=spec
        )
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    def _act(self, request: Request, fn: Any) -> Response:
        entry: JournalEntry = self.get_object()
        if not access.may_enter(_user(request), entry.institution):
            raise PermissionDenied
        result = _service(fn, actor=_user(request), entry=entry)
        return Response(EntrySerializer(result).data)

    @extend_schema(request=None, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def post(self, request: Request, pk: str | None = None) -> Response:
        """Post a draft (another bookkeeper than its author where two persons are required)."""
        return self._act(request, services.entry_post)

    @extend_schema(request=None, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str | None = None) -> Response:
        """Reverse a posted entry (once)."""
        return self._act(request, services.entry_reverse)


@extend_schema(parameters=[INSTITUTION_PARAM])
class PostingAccountsViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[PostingAccounts]
):
    """The accounts each institution's invoices and payments post to, by institution id.
    Those who read the ledger see them; a bookkeeper or local administrator changes them
    (``PUT``/``PATCH``); a change applies to later postings only."""

    serializer_class = PostingAccountsSerializer
    lookup_field = "institution_id"
    lookup_url_kwarg = "pk"

    def get_queryset(self) -> QuerySet[PostingAccounts]:
        return (
            PostingAccounts.objects.filter(institution_id__in=_institution_ids(self.request))
            .select_related("institution", "payables_account", "input_vat_account", "bank_account")
            .order_by("institution_id")
        )

    @extend_schema(request=PostingAccountsSerializer, responses=PostingAccountsSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change the posting accounts (all three with ``PUT``, some with ``PATCH``)."""
        config: PostingAccounts = self.get_object()
        if not access.may_change_posting_accounts(_user(request), config.institution):
            raise PermissionDenied
        data = PostingAccountsSerializer(data=request.data, partial=kwargs.pop("partial", False))
        data.is_valid(raise_exception=True)
        current = PostingAccountsSerializer(config).data
        values = {name: data.validated_data.get(name, current[name]) for name in _POSTING_FIELDS}
        result = _service(
            services.posting_accounts_set,
            actor=_user(request),
            institution=config.institution,
            **values,
        )
        return Response(PostingAccountsSerializer(result).data)

    @extend_schema(request=PostingAccountsSerializer, responses=PostingAccountsSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


_POSTING_FIELDS = ("payables_account", "input_vat_account", "bank_account")


class TrialBalanceView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("institution", OpenApiTypes.INT, required=True),
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
            OpenApiParameter("period_from", OpenApiTypes.INT, required=False),
            OpenApiParameter("period_to", OpenApiTypes.INT, required=False),
        ],
        responses=TrialBalanceSerializer,
    )
    def get(self, request: Request) -> Response:
        """Debit, credit and balance per account over a period range; totals must balance."""
        try:
            institution_id = int(request.query_params["institution"])
            year = int(request.query_params["year"])
            period_from = int(request.query_params.get("period_from", 1))
            period_to = int(request.query_params.get("period_to", 12))
        except (KeyError, ValueError):
            raise serializers.ValidationError(
                {"detail": "institution and year are required integers"}
            ) from None
        if not (1 <= period_from <= period_to <= 12):
            raise serializers.ValidationError({"detail": "periods must satisfy 1 ≤ from ≤ to ≤ 12"})
        if institution_id not in _institution_ids(request):
            raise Http404
        report = selectors.trial_balance(
            Institution.objects.get(pk=institution_id),
            year=year,
            period_from=period_from,
            period_to=period_to,
        )
        return Response(TrialBalanceSerializer(report).data)
