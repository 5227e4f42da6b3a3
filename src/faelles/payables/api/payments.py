"""Payment runs and bank-account changes over the API (mounted at /api/v1/payables/).

``payment-runs``: list, create (a payer), one run, ``release`` (a second payer, never the
creator) and ``paid``. ``bank-changes``: list (``?state=requested`` for the pending ones), one
change with the old and the new details, request (new details for a vendor), ``confirm`` and
``refuse``. Another institution's run or change answers 404 like a missing one; a refusal is a
400 with codes by field, and a payment run that cannot be made because another one holds the
invoices is a 409.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from faelles.payables import payments, selectors, vendors
from faelles.payables.models import PaymentRun, Vendor, VendorBankChange
from faelles.tenancy import selectors as tenancy
from faelles.tenancy.models import Institution, User

#: Refusals of a payment-run creation that are a conflict with the state of the data.
CONFLICT_CODES = frozenset({"draft_run_exists", "nothing_to_pay"})


def _user(request: Request) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _viewable(user: User) -> list[int]:
    return [i.pk for i in tenancy.institutions_for_user(user) if selectors.may_view(user, i)]


def _errors(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {
            field: [{"code": e.code or "invalid", "message": m} for e in errs for m in e]
            for field, errs in exc.error_dict.items()
        }
    return {"non_field_errors": [{"code": "invalid", "message": m} for m in exc.messages]}


def _call(fn: Any, *, conflict: frozenset[str] = frozenset(), **kwargs: Any) -> Any:
    """Call a service; its ValidationError is a 400 (409 for a code in ``conflict``)."""
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        body = _errors(exc)
        codes = {item["code"] for items in body.values() for item in items}
        if codes & conflict:
            raise _Conflict(body) from None
        raise serializers.ValidationError(body) from None


class _Conflict(serializers.ValidationError):
    status_code = status.HTTP_409_CONFLICT


# --- payment runs -------------------------------------------------------------------------------


class PaymentRunSerializer(serializers.ModelSerializer[PaymentRun]):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="short_name", read_only=True
    )
    invoices = serializers.SerializerMethodField()

    class Meta:
        model = PaymentRun
        fields = [
            "id",
            "institution",
            "execution_date",
            "debtor_iban",
            "debtor_bic",
            "state",
            "total",
            "created_by",
            "created_at",
            "released_by",
            "released_at",
            "paid_by",
            "paid_at",
            "invoices",
        ]
        read_only_fields = fields

    def get_invoices(self, obj: PaymentRun) -> list[int]:
        return list(obj.invoices.order_by("pk").values_list("pk", flat=True))


class PaymentRunCreateSerializer(serializers.Serializer[Any]):
    institution = serializers.IntegerField()
    execution_date = serializers.DateField()
    debtor_iban = serializers.CharField(max_length=40)
    debtor_bic = serializers.CharField(max_length=11, required=False, default="", allow_blank=True)


class PaymentRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[PaymentRun]
):
    """Payment runs of the institutions the caller works in."""

    serializer_class = PaymentRunSerializer

    def get_queryset(self) -> QuerySet[PaymentRun]:
        return (
            PaymentRun.objects.filter(institution_id__in=_viewable(_user(self.request)))
            .select_related("institution")
            .order_by("institution_id", "-pk")
        )

    @extend_schema(request=PaymentRunCreateSerializer, responses={201: PaymentRunSerializer})
    def create(self, request: Request) -> Response:
        """Gather the posted, due, unblocked invoices into a draft run (a payer). 409 when a
        draft for the date holds the invoices, or nothing is left to pay."""
        data = PaymentRunCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        institution = (
            Institution.objects.filter(pk=values.pop("institution"))
            .filter(pk__in=_viewable(_user(request)))
            .first()
        )
        if institution is None:
            raise serializers.ValidationError(
                {"institution": [{"code": "invalid", "message": "No such institution."}]}
            )
        run = _call(
            payments.payment_run_create,
            conflict=CONFLICT_CODES,
            actor=_user(request),
            institution=institution,
            **values,
        )
        return Response(PaymentRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PaymentRunSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: Any = None) -> Response:
        """Release the run (a second payer: never its creator nor who posted its invoices)."""
        run = _call(payments.payment_run_release, actor=_user(request), run=self.get_object())
        return Response(PaymentRunSerializer(run).data)

    @extend_schema(request=None, responses=PaymentRunSerializer)
    @action(detail=True, methods=["post"])
    def paid(self, request: Request, pk: Any = None) -> Response:
        """The bank has paid: post the payment entry."""
        run = _call(payments.payment_run_mark_paid, actor=_user(request), run=self.get_object())
        return Response(PaymentRunSerializer(run).data)


# --- bank-account changes -----------------------------------------------------------------------


class BankChangeSerializer(serializers.ModelSerializer[VendorBankChange]):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="short_name", read_only=True
    )
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    old = serializers.SerializerMethodField()
    new = serializers.SerializerMethodField()

    class Meta:
        model = VendorBankChange
        fields = [
            "id",
            "institution",
            "vendor",
            "vendor_name",
            "state",
            "old",
            "new",
            "source_invoice",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "reason",
        ]
        read_only_fields = fields

    def get_old(self, obj: VendorBankChange) -> dict[str, Any] | None:
        if obj.previous is None:
            return None
        return {"key": obj.previous.key, "details": obj.previous.details}

    def get_new(self, obj: VendorBankChange) -> dict[str, Any]:
        return {"key": obj.key, "details": obj.details}


class BankChangeRequestSerializer(serializers.Serializer[Any]):
    vendor = serializers.IntegerField()
    iban = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    reg = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    account = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def means(self) -> list[dict[str, Any]]:
        v = self.validated_data
        if v["iban"]:
            return [{"kind": "iban", "iban": v["iban"]}]
        if v["reg"] or v["account"]:
            return [{"kind": "dk_account", "reg": v["reg"], "account": v["account"]}]
        return []


class BankChangeRefuseSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class BankChangeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[VendorBankChange]
):
    """Bank-account changes of the institutions the caller works in."""

    serializer_class = BankChangeSerializer

    def get_queryset(self) -> QuerySet[VendorBankChange]:
        qs = (
            VendorBankChange.objects.filter(institution_id__in=_viewable(_user(self.request)))
            .select_related("institution", "vendor", "previous")
            .order_by("institution_id", "-pk")
        )
        wanted = self.request.query_params.get("state")
        if wanted in VendorBankChange.State.values:
            qs = qs.filter(state=wanted)
        return qs

    @extend_schema(request=BankChangeRequestSerializer, responses={201: BankChangeSerializer})
    def create(self, request: Request) -> Response:
        """New bank details for a vendor, to be confirmed by a second person."""
        data = BankChangeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vendor = (
            Vendor.objects.filter(
                pk=data.validated_data["vendor"], institution_id__in=_viewable(_user(request))
            )
            .select_related("institution")
            .first()
        )
        if vendor is None:
            raise serializers.ValidationError(
                {"vendor": [{"code": "invalid", "message": "No such vendor."}]}
            )
        change = _call(
            vendors.vendor_bank_change_request,
            actor=_user(request),
            vendor=vendor,
            payment_means=data.means(),
            reason=data.validated_data["reason"],
        )
        return Response(BankChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BankChangeSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        """Confirm (a second person: not a requester, not an approver of its invoices)."""
        change = _call(
            vendors.vendor_bank_change_confirm, actor=_user(request), change=self.get_object()
        )
        return Response(BankChangeSerializer(change).data)

    @extend_schema(request=BankChangeRefuseSerializer, responses=BankChangeSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: Any = None) -> Response:
        """Refuse with a reason; the invoices to the account stay blocked."""
        data = BankChangeRefuseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = _call(
            vendors.vendor_bank_change_refuse,
            actor=_user(request),
            change=self.get_object(),
            reason=data.validated_data["reason"],
        )
        return Response(BankChangeSerializer(change).data)
