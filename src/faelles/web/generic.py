"""Generic management pages: list (table + filter, htmx fragment), object page, service form
and POST action. Views stay thin: parse, check permission, call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from faelles.core.models import AuditEvent
from faelles.web.exports import ListExportMixin
from faelles.web.forms import add_service_errors, dkfds_widgets
from faelles.web.permissions import VIEW_ROLES, request_roles


class _Login(LoginRequiredMixin):
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.institution = getattr(request, "institution", None)
        self.prepare()
        response: HttpResponse = super().dispatch(request, *args, **kwargs)  # type: ignore[assignment]
        return response

    def prepare(self) -> None:
        """Look up and check what the page is about (404/403 before anything else)."""


class ManagementListView(ListExportMixin, _Login, SingleTableMixin, FilterView):  # type: ignore[misc]
    """A filtered table. htmx requests get only the results fragment; ``?format=csv`` or
    ``xlsx`` exports every row the filters select (see ``faelles.web.exports``)."""

    template_name = "web/list.html"
    partial_template_name = "web/_list_results.html"
    title: str | Promise = ""
    view_roles: frozenset[str] = VIEW_ROLES
    create_url_name: str | None = None
    hidden_filters: tuple[str, ...] = ("institution",)
    paginate_by = 25
    scoped_to_institution = True

    def prepare(self) -> None:
        if not request_roles(self.request) & self.view_roles:
            raise PermissionDenied

    def base_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.base_queryset()

    def get_filterset(self, filterset_class: Any) -> Any:
        filterset = super().get_filterset(filterset_class)
        for name in self.hidden_filters:
            filterset.filters.pop(name, None)
        dkfds_widgets(filterset.form)
        return filterset

    def can_create(self) -> bool:
        return False

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().render_to_response(context, **kwargs)
        # Page and fragment share a URL: caches must keep them apart.
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and not htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            create_url_name=self.create_url_name if self.can_create() else None,
            needs_institution=self.scoped_to_institution and self.institution is None,
            scoped_to_institution=self.scoped_to_institution,
        )
        return context


class ObjectPageView(_Login, TemplateView):
    """One object, fetched through the access gate (404 for missing and foreign alike) and
    shown only to those who may see it (403 otherwise)."""

    def get_object(self) -> Any:
        raise NotImplementedError

    def may_view(self, obj: Any) -> bool:
        raise NotImplementedError

    def prepare(self) -> None:
        self.object = self.get_object()
        if not self.may_view(self.object):
            raise PermissionDenied

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["audit_events"] = audit_events_for(self.object)
        return context


def audit_events_for(obj: Model, limit: int = 20) -> list[AuditEvent]:
    """The latest audit events about one object (its change history), newest first."""
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor", "on_behalf_of")
        .order_by("-created_at", "-seq")[:limit]
    )


class ServiceFormView(_Login, FormView):  # type: ignore[type-arg]
    """A form whose valid input goes to one service; the service's ValidationErrors are shown
    on the form and nothing is saved."""

    template_name = "web/form.html"
    title: str | Promise = ""
    success_message: str | Promise = ""
    object: Any = None

    def get_object(self) -> Any:
        return None

    def allowed(self) -> bool:
        raise NotImplementedError

    def prepare(self) -> None:
        self.object = self.get_object()
        if not self.allowed():
            raise PermissionDenied

    def perform(self, form: Any) -> Model:
        raise NotImplementedError

    def success_url_for(self, obj: Model) -> str:
        return str(obj.get_absolute_url())  # type: ignore[attr-defined]

    def cancel_url(self) -> str:
        """Back where the user came from, if that was a page of ours; else the start page."""
        referer: str = self.request.META.get("HTTP_REFERER", "")
        if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return referer
        return "/"

    def form_valid(self, form: BaseForm) -> HttpResponse:
        try:
            obj = self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, str(self.success_message))
        return HttpResponseRedirect(self.success_url_for(obj))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, object=self.object, cancel_url=self.cancel_url())
        return context


class ServiceActionView(_Login, View):
    """A POST-only action on one object (revoke, deactivate) that calls one service."""

    http_method_names = ["post"]
    success_message: str | Promise = ""

    def get_object(self) -> Any:
        raise NotImplementedError

    def allowed(self, obj: Any) -> bool:
        raise NotImplementedError

    def prepare(self) -> None:
        self.object = self.get_object()
        if not self.allowed(self.object):
            raise PermissionDenied

    def perform(self, obj: Any) -> None:
        raise NotImplementedError

    def redirect_url(self, obj: Any) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.perform(self.object)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            if self.success_message:
                messages.success(request, str(self.success_message))
        return HttpResponseRedirect(self.redirect_url(self.object))
