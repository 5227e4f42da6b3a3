"""Intake pages: uploading a document, and the operator's queues (unroutable documents to assign or
reject, rejected documents, overdue invoices).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from faelles.core.audit import Refused
from faelles.payables import exports as columns
from faelles.payables import selectors, services
from faelles.payables.forms import UploadForm
from faelles.payables.models import ReceivedDocument
from faelles.payables.unroutable import unroutable_rows
from faelles.payables.views_common import MAX_LIST, _errors, _Page, _require_staff, _user
from faelles.tenancy.models import Institution, User
from faelles.web import exports


class UnroutableView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _require_staff(request)
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_records(
                fmt,
                "uplacerede-dokumenter",
                columns.DOCUMENT_COLUMNS,
                selectors.unroutable_documents(user),
                title=_("Unroutable documents"),
            )
        context = {
            "export_links": exports.export_links(request),
            "title": _("Unroutable documents"),
            "rows": unroutable_rows(selectors.unroutable_documents(user)[:MAX_LIST]),
            "institutions": selectors.served_institutions(user),
        }
        return render(request, "payables/unroutable.html", context)


class DocumentAssignView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        # Found through the gate first: the same 404 for missing and foreign, for anyone.
        document = selectors.access_unroutable(_user(request), pk)
        user = _require_staff(request)
        chosen = request.POST.get("institution", "")
        institution = (
            selectors.served_institutions(user).filter(pk=int(chosen)).first()
            if chosen.isdigit()
            else None
        )
        try:
            if institution is None:
                raise ValidationError({"institution": [_("Choose an institution you serve.")]})
            intake = services.document_assign(
                actor=user, document=document, institution=institution
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("The document was assigned to %(inst)s: %(status)s.")
                % {"inst": institution, "status": intake.document.get_status_display()},
            )
        return HttpResponseRedirect(reverse("payables:unroutable"))


class DocumentRejectView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        # Found through the gate first: the same 404 for missing and foreign, for anyone.
        document = selectors.access_unroutable(_user(request), pk)
        user = _require_staff(request)
        try:
            services.document_reject(
                actor=user, document=document, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The document has been rejected."))
        return HttpResponseRedirect(reverse("payables:unroutable"))


class RejectedView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _require_staff(request)
        documents: QuerySet[ReceivedDocument] = selectors.rejected_documents(user)
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_records(
                fmt,
                "afviste-dokumenter",
                columns.DOCUMENT_COLUMNS,
                documents,
                title=_("Rejected documents"),
            )
        context = {
            "title": _("Rejected documents"),
            "documents": documents[:MAX_LIST],
            "export_links": exports.export_links(request),
        }
        return render(request, "payables/rejected.html", context)


class OverdueView(_Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _require_staff(request)
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_records(
                fmt,
                "forfaldne-fakturaer",
                columns.OVERDUE_COLUMNS,
                selectors.overdue_invoices(user).select_related(
                    "institution", "vendor", "assigned_to"
                ),
                title=_("Overdue invoices"),
            )
        context = {
            "title": _("Overdue invoices"),
            "invoices": selectors.overdue_invoices(user)[:MAX_LIST],
            "export_links": exports.export_links(request),
        }
        return render(request, "payables/overdue.html", context)


class UploadView(_Page):
    """Receive a document from a file (invoice receivers, operator staff). It is stored and
    processed exactly like one from the API; where it goes is decided by its receiver, and it
    is accepted only when the uploader may deliver there (``intake.documents_receive``): a
    document for another institution's endpoint is refused with a form error naming the
    receiver, is not stored, and is an audit event."""

    def _allowed(self, request: HttpRequest) -> User:
        user = _user(request)
        institution: Institution | None = getattr(request, "institution", None)
        if not selectors.may_use_intake(user, institution):
            raise PermissionDenied
        return user

    def get(self, request: HttpRequest) -> HttpResponse:
        self._allowed(request)
        return render(request, "payables/upload.html", {"form": UploadForm(), "title": _("Upload")})

    def post(self, request: HttpRequest) -> HttpResponse:
        user = self._allowed(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request, "payables/upload.html", {"form": form, "title": _("Upload")}, status=400
            )
        upload = form.cleaned_data["file"]
        content = upload.read(services.MAX_DOCUMENT_BYTES + 1)
        try:
            intake = services.document_receive(
                content=content, channel="upload", filename=upload.name or "", actor=user
            )
        except Refused as refusal:
            form.add_error("file", refusal.refusal_message)
            return render(
                request, "payables/upload.html", {"form": form, "title": _("Upload")}, status=403
            )
        visible = intake.invoice is not None and selectors.may_view(
            user, intake.invoice.institution
        )
        context = {
            "form": UploadForm(),
            "title": _("Upload"),
            "intake": intake,
            "invoice": intake.invoice if visible else None,
        }
        return render(request, "payables/upload.html", context)
