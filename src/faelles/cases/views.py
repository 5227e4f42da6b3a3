"""Case handling pages: the work list, cases, a task's form, case types and their upload, and
the public page of case times. Views parse, check, call one service, render."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from faelles.cases import letters, selectors, services
from faelles.cases.forms import CaseOpenForm, ModelUploadForm, TaskForm
from faelles.cases.models import CaseDeadline, CaseStatus, CaseTaskState
from faelles.cases.registry import FORMS, OUTCOMES, SERVICES
from faelles.web.generic import audit_events_for


def _institution(request: HttpRequest) -> Any:
    return getattr(request, "institution", None)


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


#: The work list shows the most urgent tasks; the rest follow as these are done.
WORKLIST_ROWS = 100


class _Page(LoginRequiredMixin, View):
    request: HttpRequest


class WorklistView(_Page):
    """The open tasks of the roles I hold here, the most urgent first; warned deadlines flagged."""

    def get(self, request: HttpRequest) -> HttpResponse:
        institution = _institution(request)
        tasks = selectors.worklist(request.user, institution, limit=WORKLIST_ROWS)
        warned = set(
            CaseDeadline.objects.filter(
                case_id__in={t.case_id for t in tasks},
                state=CaseDeadline.State.OPEN,
                warned_at__isnull=False,
            ).values_list("case_id", flat=True)
        )
        return render(
            request,
            "cases/worklist.html",
            {
                "tasks": tasks,
                "warned": warned,
                # The row links: each address resolved once per page, the id appended per row.
                "case_url": reverse("cases:case-list"),
                "task_url": reverse("cases:task-form", kwargs={"pk": 0}).removesuffix("0/"),
                "lanes": sorted(selectors.lanes_of(request.user, institution)),
                "may_open": institution is not None
                and selectors.may_open(request.user, institution),
            },
        )


class CaseListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        institution = _institution(request)
        if institution is None:
            raise PermissionDenied
        cases = (
            selectors.cases_for(request.user, institution)
            .select_related("case_type")
            .defer("state")
        )
        status = request.GET.get("status", "")
        if status in CaseStatus.values:
            cases = cases.filter(status=status)
        query = request.GET.get("q", "").strip()
        if query:
            cases = cases.filter(number__icontains=query) | cases.filter(title__icontains=query)
        page = Paginator(cases.order_by("-opened_at", "-pk"), 50).get_page(request.GET.get("page"))
        return render(
            request,
            "cases/case_list.html",
            {
                "page": page,
                "status": status,
                "q": query,
                "statuses": CaseStatus.choices,
                "may_open": selectors.may_open(request.user, institution),
            },
        )


class CaseDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = selectors.access_case(request.user, pk)
        return render(request, "cases/case_detail.html", self.context(request, case))

    @staticmethod
    def context(
        request: HttpRequest, case: Any, revealed: dict[int, str] | None = None
    ) -> dict[str, Any]:
        revealed = revealed or {}
        decision = getattr(case, "decision", None) if hasattr(case, "decision") else None
        tasks = list(case.tasks.select_related("completed_by").order_by("created_at", "pk"))
        lanes = selectors.lanes_of(request.user, case.institution)
        return {
            "object": case,
            "case": case,
            "tasks": tasks,
            "open_tasks": [t for t in tasks if t.state == CaseTaskState.OPEN],
            "lanes": lanes,
            "parties": [(p, revealed.get(p.pk)) for p in case.parties.order_by("pk")],
            "documents": list(case.documents.order_by("created_at", "pk").defer("content")),
            "deadlines": list(case.deadlines.order_by("due_at")),
            "decision": decision,
            "decision_outcome": dict(OUTCOMES).get(decision.outcome, decision.outcome)
            if decision
            else "",
            "journal": list(case.journal.select_related("actor").order_by("at", "pk")),
            "appeals": list(case.appeals.all()),
            "cost": selectors.case_cost(case, services.hourly_rate()),
            "audit_events": audit_events_for(case),
        }


class TaskFormView(_Page):
    """A user task: its form, and completing it (one service call)."""

    def _task(self, request: HttpRequest, pk: int) -> Any:
        task = selectors.access_task(request.user, pk)
        if not selectors.may_work(request.user, task):
            raise PermissionDenied
        return task

    def _render(
        self, request: HttpRequest, task: Any, form: TaskForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "cases/task_form.html",
            {"task": task, "case": task.case, "form": form, "spec": FORMS[task.form]},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = self._task(request, pk)
        return self._render(request, task, TaskForm(spec=FORMS[task.form]))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = self._task(request, pk)
        form = TaskForm(request.POST, spec=FORMS[task.form])
        if task.state != CaseTaskState.OPEN:
            messages.error(request, _("The task is no longer open."))
            return HttpResponseRedirect(task.case.get_absolute_url())
        if not form.is_valid():
            return self._render(request, task, form, 400)
        try:
            services.case_task_complete(actor=request.user, task=task, data=form.data_for_service())
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self._render(request, task, form, 400)
        messages.success(request, _("%(task)s: done.") % {"task": task.name})
        return HttpResponseRedirect(task.case.get_absolute_url())


class DocumentView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = selectors.access_document(request.user, pk)
        response = HttpResponse(bytes(document.content), content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
        response["X-Content-SHA256"] = document.sha256
        return response


class PartyCprView(_Page):
    """Show a party's full CPR number (POST, with a purpose; the read is logged)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        party = selectors.access_party(request.user, pk)
        purpose = (request.POST.get("purpose") or _("Case handling")).strip()
        try:
            cpr = services.party_cpr_read(actor=request.user, party=party, purpose=purpose)
        except ValidationError as exc:
            raise PermissionDenied(exc.messages[0]) from None
        if _is_htmx(request):
            return render(request, "cases/_cpr.html", {"party": party, "cpr": cpr})
        case = selectors.access_case(request.user, party.case_id)
        context = CaseDetailView.context(request, case, revealed={party.pk: cpr})
        return render(request, "cases/case_detail.html", context)


class CaseOpenView(_Page):
    def _form(self, request: HttpRequest, data: Any = None, files: Any = None) -> CaseOpenForm:
        institution = _institution(request)
        types = (
            selectors.case_types_for(request.user, institution)
            .filter(is_active=True, versions__isnull=False)
            .distinct()
        )
        return CaseOpenForm(data, files, case_types=types)

    def _check(self, request: HttpRequest) -> None:
        institution = _institution(request)
        if institution is None or not selectors.may_open(request.user, institution):
            raise PermissionDenied

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        return render(request, "cases/case_open.html", {"form": self._form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        form = self._form(request, request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "cases/case_open.html", {"form": form}, status=400)
        data = form.cleaned_data
        kind = data["party_kind"]
        party = services.PartyInput(
            kind=kind,
            role="complainant" if data["case_type"].code == "complaint" else "applicant",
            name=data["party_name"],
            cpr=data["party_number"] if kind == "citizen" else "",
            cvr=data["party_number"] if kind == "company" else "",
        )
        documents = []
        upload = data.get("document")
        if upload:
            documents.append(
                services.DocumentInput(
                    title=upload.name,
                    filename=upload.name,
                    content=upload.read(),
                    content_type=upload.content_type or "application/octet-stream",
                )
            )
        try:
            case = services.case_open(
                actor=request.user,
                case_type=data["case_type"],
                title=data["title"],
                parties=[party],
                documents=documents,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return render(request, "cases/case_open.html", {"form": form}, status=400)
        messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
        return HttpResponseRedirect(case.get_absolute_url())


class CaseTypeListView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        institution = _institution(request)
        if institution is None:
            raise PermissionDenied
        types = selectors.case_types_for(request.user, institution).prefetch_related("versions")
        return render(
            request,
            "cases/case_type_list.html",
            {"types": types, "may_model": selectors.may_model(request.user, institution)},
        )


class CaseTypeDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case_type = selectors.access_case_type(request.user, pk)
        versions = list(case_type.versions.order_by("-number"))
        return render(
            request,
            "cases/case_type_detail.html",
            {
                "object": case_type,
                "versions": versions,
                "current": versions[0] if versions else None,
                "costs": selectors.costs_by_task(case_type, services.hourly_rate()),
                "rate": services.hourly_rate(),
                "services_doc": {name: SERVICES[name].description for name in SERVICES},
                "audit_events": audit_events_for(case_type),
            },
        )


class LetterTemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_lazy("Letter"))
    file = forms.FileField(label=_lazy("Word template (docx)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, letters.kind_title(k)) for k in letters.KINDS]  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-input")


class LetterTemplatesView(_Page):
    """A case type's letter templates: which one each letter uses (uploaded or shipped), the
    fields a template may name, and the upload of a replacement (administrators)."""

    def _render(
        self, request: HttpRequest, case_type: Any, form: Any, status: int = 200, **extra: Any
    ) -> HttpResponse:
        uploaded: dict[str, Any] = {}
        for row in case_type.letter_templates.order_by("kind", "-uploaded_at", "-pk"):
            uploaded.setdefault(row.kind, row)
        rows = [
            {"kind": k, "title": letters.kind_title(k), "current": uploaded.get(k)}
            for k in letters.KINDS
        ]
        history = case_type.letter_templates.select_related("uploaded_by").defer("content")
        return render(
            request,
            "cases/letter_templates.html",
            {
                "object": case_type,
                "rows": rows,
                "history": history,
                "form": form,
                "may_upload": selectors.may_model(request.user, case_type.institution),
                "fields": letters.all_field_names(),
                "fields_help": _(
                    "A template may name these fields, e.g. {{ case.number }}, loop over lists "
                    "with {%p for p in parties %} … {%p endfor %} and show a part only with "
                    "{%p if decision %} … {%p endif %}. A template naming any other field is "
                    "refused."
                ),
                **extra,
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case_type = selectors.access_case_type(request.user, pk)
        return self._render(request, case_type, LetterTemplateForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case_type = selectors.access_case_type(request.user, pk)
        if not selectors.may_model(request.user, case_type.institution):
            raise PermissionDenied
        form = LetterTemplateForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, case_type, form, status=400)
        upload = form.cleaned_data["file"]
        try:
            services.letter_template_upload(
                actor=request.user,
                case_type=case_type,
                kind=form.cleaned_data["kind"],
                filename=str(upload.name),
                content=upload.read(),
            )
        except ValidationError as exc:
            return self._render(request, case_type, form, status=400, refused=exc.messages)
        messages.success(request, _("The letter template was uploaded."))
        return HttpResponseRedirect(reverse("cases:letter-templates", kwargs={"pk": case_type.pk}))


class LetterTemplateDownloadView(_Page):
    """The docx template a letter of the case type uses now (a starting point for a new one)."""

    def get(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        case_type = selectors.access_case_type(request.user, pk)
        if kind not in letters.KINDS:
            raise Http404
        content, row = letters.template_for(case_type, kind)
        response = HttpResponse(
            content,
            content_type=(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
        )
        filename = f"{case_type.code}-{kind}.docx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-SHA256"] = row.sha256 if row else hashlib.sha256(content).hexdigest()
        return response


class CaseTypeUploadView(_Page):
    def _check(self, request: HttpRequest) -> Any:
        institution = _institution(request)
        if institution is None or not selectors.may_model(request.user, institution):
            raise PermissionDenied
        return institution

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        return render(request, "cases/case_type_upload.html", {"form": ModelUploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        institution = self._check(request)
        form = ModelUploadForm(request.POST)  # the files are read below, not by the form
        uploads = request.FILES.getlist("files")
        if not form.is_valid() or not uploads:
            if not uploads:
                form.add_error("files", _("Choose the BPMN file (and its DMN files)."))
            return render(request, "cases/case_type_upload.html", {"form": form}, status=400)
        files = {str(u.name): u.read() for u in uploads}
        try:
            version = services.case_type_import(
                actor=request.user,
                institution=institution,
                files=files,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                task_code=form.cleaned_data["task_code"],
                kle=form.cleaned_data["kle"],
            )
        except ValidationError as exc:
            details = getattr(exc, "refusal_details", {}).get("findings", [])
            return render(
                request,
                "cases/case_type_upload.html",
                {"form": form, "findings": details, "refused": exc.messages},
                status=400,
            )
        messages.success(
            request,
            _("Version %(n)d of %(name)s uploaded.")
            % {"n": version.number, "name": version.case_type.name},
        )
        return HttpResponseRedirect(
            reverse("cases:case-type-detail", kwargs={"pk": version.case_type_id})
        )


def case_times(request: HttpRequest) -> HttpResponse:
    """Published case times per case type and institution. No login: public information."""
    rows = selectors.case_times()
    if request.GET.get("format") == "json":
        from django.http import JsonResponse

        return JsonResponse({"case_times": rows})
    return render(request, "cases/case_times.html", {"rows": rows})
