"""Cases over the API: the case types and cases the caller sees (read, open a case), the
work list (the open tasks of the lanes the caller works) and completing a task with its form's
data, and the cases' documents (metadata and content).

Every query goes through the access gate (``faelles.cases.selectors``): another
institution's case type, case, task or document answers 404 like a missing one. Writes are
the services the pages call, with the same refusals (403 for a role the caller lacks, 400 with
the field errors otherwise).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from faelles.cases import selectors, services
from faelles.cases.models import (
    Case,
    CaseDocument,
    CaseParty,
    CaseTask,
    CaseTaskState,
    CaseType,
)
from faelles.cases.registry import FORMS
from faelles.core.audit import Denied
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


class _Institution(serializers.SlugRelatedField):  # type: ignore[type-arg]
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="short_name", read_only=True, **kwargs)


class CaseTypeSerializer(serializers.ModelSerializer[CaseType]):
    institution = _Institution()
    version = serializers.SerializerMethodField()
    user_tasks = serializers.SerializerMethodField()

    class Meta:
        model = CaseType
        fields = [
            "id",
            "institution",
            "code",
            "name",
            "task_code",
            "kle",
            "published",
            "is_active",
            "version",
            "user_tasks",
        ]
        read_only_fields = fields

    def _current(self, obj: CaseType) -> Any:
        versions = getattr(obj, "_versions", None)
        if versions is None:
            versions = list(obj.versions.order_by("-number")[:1])
        return versions[0] if versions else None

    def get_version(self, obj: CaseType) -> int | None:
        current = self._current(obj)
        return current.number if current else None

    def get_user_tasks(self, obj: CaseType) -> list[dict[str, str]]:
        current = self._current(obj)
        return list(current.user_tasks) if current else []


class PartySerializer(serializers.ModelSerializer[CaseParty]):
    cpr = serializers.CharField(source="cpr_masked", read_only=True)

    class Meta:
        model = CaseParty
        fields = ["id", "kind", "role", "name", "cpr", "cvr"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer[Case]):
    institution = _Institution()
    case_type: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    version = serializers.IntegerField(source="version.number", read_only=True)
    parties = PartySerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "institution",
            "number",
            "case_type",
            "version",
            "title",
            "task_code",
            "kle",
            "status",
            "outcome",
            "opened_at",
            "closed_at",
            "next_timer_at",
            "parties",
            "decision",
        ]
        read_only_fields = fields

    def get_decision(self, obj: Case) -> dict[str, Any] | None:
        decision = getattr(obj, "decision", None)
        if decision is None:
            return None
        return {
            "outcome": decision.outcome,
            "reasons": decision.reasons,
            "legal_basis": decision.legal_basis,
            "complaint_guidance": decision.complaint_guidance,
            "appeal_deadline": decision.appeal_deadline,
            "decided_at": decision.decided_at,
        }


class PartyInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=CaseParty.Kind.choices)
    role = serializers.ChoiceField(choices=CaseParty.PartyRole.choices)
    name = serializers.CharField(max_length=200)
    cpr = serializers.CharField(required=False, allow_blank=True, default="")
    cvr = serializers.CharField(required=False, allow_blank=True, default="")


class CaseOpenInput(serializers.Serializer[Any]):
    institution = serializers.CharField(help_text="the institution's short name")
    case_type = serializers.CharField(help_text="the case type's code")
    title = serializers.CharField(max_length=300)
    parties = PartyInput(many=True)


class TaskSerializer(serializers.ModelSerializer[CaseTask]):
    institution = _Institution()
    case = serializers.IntegerField(source="case_id", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    fields_ = serializers.SerializerMethodField(method_name="get_form_fields")

    class Meta:
        model = CaseTask
        fields = [
            "id",
            "institution",
            "case",
            "case_number",
            "spec_id",
            "name",
            "form",
            "role",
            "state",
            "due_at",
            "created_at",
            "completed_at",
            "fields_",
        ]
        read_only_fields = fields

    def get_form_fields(self, obj: CaseTask) -> list[dict[str, Any]]:
        """The form's fields: name, kind, whether required, and the choices."""
        form = FORMS.get(obj.form)
        if form is None:
            return []
        return [
            {
                "name": f.name,
                "kind": f.kind,
                "label": str(f.label),
                "required": f.required and f.kind != "bool",
                "choices": [value for value, _label in f.choices],
            }
            for f in form.all_fields()
        ]

    def to_representation(self, instance: CaseTask) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["fields"] = data.pop("fields_")
        return data


class CompleteInput(serializers.Serializer[Any]):
    data = serializers.DictField(  # type: ignore[assignment]  # the input's field "data"
        help_text="the form's fields by name (see the task's fields)"
    )
    minutes = serializers.IntegerField(min_value=0, max_value=24 * 60, required=False)


@extend_schema_serializer(component_name="CaseDocument")
class DocumentSerializer(serializers.ModelSerializer[CaseDocument]):
    institution = _Institution()
    case = serializers.IntegerField(source="case_id", read_only=True)

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "institution",
            "case",
            "direction",
            "title",
            "filename",
            "content_type",
            "sha256",
            "size",
            "sent_via",
            "created_at",
        ]
        read_only_fields = fields


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    filter_backends: list[Any] = []

    def _obj(self) -> Any:
        try:
            return self.get_object()
        except (ValueError, TypeError):
            raise Http404 from None


class CaseTypeViewSet(_ReadOnly):
    """The case types of the institutions the caller works in."""

    serializer_class = CaseTypeSerializer

    def get_queryset(self) -> QuerySet[CaseType]:
        if getattr(self, "swagger_fake_view", False):
            return CaseType.objects.none()
        qs = selectors.case_types_for(_user(self.request)).select_related("institution")
        institution = self.request.query_params.get("institution")
        if institution:
            qs = qs.filter(institution__short_name=institution)
        return qs.order_by("institution__short_name", "code", "pk")


def _cases(user: User, params: Any = None) -> QuerySet[Case]:
    """The cases ``user`` sees (the access gate), filtered by ``params``."""
    qs = selectors.cases_for(user)
    params = params or {}
    if params.get("institution"):
        qs = qs.filter(institution__short_name=params["institution"])
    if params.get("case_type"):
        qs = qs.filter(case_type__code=params["case_type"])
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("number"):
        qs = qs.filter(number=params["number"])
    return (
        qs.select_related("institution", "case_type", "version", "decision")
        .prefetch_related("parties")
        .defer("state", "version__spec", "version__files")
        .order_by("-opened_at", "-pk")
    )


class CaseViewSet(mixins.CreateModelMixin, _ReadOnly):
    """Cases the caller sees; filter with ``institution``, ``case_type`` (code), ``status``
    (open, closed, failed) and ``number``."""

    serializer_class = CaseSerializer

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        return _cases(_user(self.request), self.request.query_params)

    @extend_schema(request=CaseOpenInput, responses={201: CaseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open a case of a case type in an institution where the caller handles cases."""
        data = CaseOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = _user(request)
        institution = Institution.objects.filter(short_name=values["institution"]).first()
        if institution is None or not selectors.may_open(user, institution):
            raise serializers.ValidationError({"institution": ["unknown institution"]})
        case_type = (
            selectors.case_types_for(user, institution)
            .filter(code=values["case_type"], is_active=True, versions__isnull=False)
            .distinct()
            .first()
        )
        if case_type is None:
            raise serializers.ValidationError({"case_type": ["unknown case type"]})
        case = _run(
            services.case_open,
            actor=user,
            case_type=case_type,
            title=values["title"],
            parties=[services.PartyInput(**p) for p in values["parties"]],
        )
        return Response(CaseSerializer(_cases(user).get(pk=case.pk)).data, status=201)


class TaskViewSet(_ReadOnly):
    """The caller's work list: the open tasks of the lanes they work, in every institution
    they work in (``institution`` narrows it), the most urgent first; a task by id (open or
    done) of a case the caller sees."""

    serializer_class = TaskSerializer

    def get_queryset(self) -> QuerySet[CaseTask]:
        if getattr(self, "swagger_fake_view", False):
            return CaseTask.objects.none()
        user = _user(self.request)
        qs = CaseTask.objects.filter(case__in=selectors.cases_for(user)).select_related(
            "institution", "case"
        )
        if self.action == "list":
            institution = self.request.query_params.get("institution")
            institutions = Institution.objects.filter(
                pk__in=selectors.cases_for(user).values("institution_id")
            )
            if institution:
                institutions = institutions.filter(short_name=institution)
            pks = [t.pk for inst in institutions for t in selectors.worklist(user, inst, limit=500)]
            qs = qs.filter(pk__in=pks, state=CaseTaskState.OPEN)
        return qs.defer("case__state").order_by("due_at", "created_at", "pk")

    @extend_schema(request=CompleteInput, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        """Complete the task with its form's data; the case runs on to its next wait."""
        task = self._obj()
        data = CompleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data["data"])
        if "minutes" in data.validated_data:
            values["minutes"] = data.validated_data["minutes"]
        user = _user(request)
        if not selectors.may_work(user, task):
            raise PermissionDenied(f"This task is for the role {task.role}.")
        case = _run(services.case_task_complete, actor=user, task=task, data=values)
        return Response(CaseSerializer(_cases(user).get(pk=case.pk)).data)


class DocumentViewSet(_ReadOnly):
    """The documents of the cases the caller sees (``case`` filters by case id); ``content``
    downloads the bytes as stored, with their hash."""

    serializer_class = DocumentSerializer

    def get_queryset(self) -> QuerySet[CaseDocument]:
        if getattr(self, "swagger_fake_view", False):
            return CaseDocument.objects.none()
        qs = CaseDocument.objects.filter(
            case__in=selectors.cases_for(_user(self.request))
        ).select_related("institution")
        case = self.request.query_params.get("case")
        if case:
            if not case.isdigit():
                return qs.none()
            qs = qs.filter(case_id=int(case))
        return qs.defer("content").order_by("case_id", "created_at", "pk")

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def content(self, request: Request, pk: Any = None) -> HttpResponse:
        document = selectors.access_document(_user(request), self._obj().pk)
        response = HttpResponse(bytes(document.content), content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
        response["X-Content-SHA256"] = document.sha256
        return response
