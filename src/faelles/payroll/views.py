"""Payroll pages: runs (calculate, approve twice, mark paid, download the outputs), payslips
(HTML and PDF, stopping one employee's pay), pending changes (approve, reject) and the
employee's own payslips (self-service). Thin: parse, check, call one service, render."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from faelles.payroll import access, outputs, selectors, services
from faelles.payroll.models import PayRun, Payslip, PendingChange
from faelles.tenancy.models import User
from faelles.web.generic import ObjectPageView, ServiceActionView, _Login


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


class RunList(_Login, TemplateView):
    template_name = "payroll/run_list.html"

    def prepare(self) -> None:
        if not access.may_view(_user(self.request), self.institution):
            raise PermissionDenied

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["runs"] = selectors.runs_for(_user(self.request), self.institution)[:100]
        return context


class RunDetail(ObjectPageView):
    template_name = "payroll/run_detail.html"

    def get_object(self) -> PayRun:
        return selectors.access_run(_user(self.request), self.kwargs["pk"])

    def may_view(self, obj: PayRun) -> bool:
        return access.may_view(_user(self.request), obj.institution)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run: PayRun = self.object
        user = _user(self.request)
        acts = access.may_act(user, run.institution)
        context.update(
            slips=run.slips.select_related("employee").order_by("employee__number"),
            problems=run.problems.select_related("employee"),
            actions=[a for a in services.TRANSITIONS if run.state in services.TRANSITIONS[a]]
            if acts
            else [],
            can_stop=acts and run.state != PayRun.State.PAID,
            final=outputs.is_final(run),
        )
        return context


class RunAction(ServiceActionView):
    """``calculate``, ``approve``, ``second_approve`` or ``mark_paid``."""

    def get_object(self) -> PayRun:
        if self.kwargs["action"] not in services.TRANSITIONS:
            raise selectors.not_found()
        return selectors.access_run(_user(self.request), self.kwargs["pk"])

    def allowed(self, obj: PayRun) -> bool:
        return access.may_act(_user(self.request), obj.institution)

    def perform(self, obj: PayRun) -> None:
        actor = _user(self.request)
        action = self.kwargs["action"]
        if action == "calculate":
            services.run_calculate(actor=actor, run=obj)
        elif action == "approve":
            services.run_approve(actor=actor, run=obj)
        elif action == "second_approve":
            services.run_second_approve(actor=actor, run=obj)
        else:
            services.run_mark_paid(actor=actor, run=obj)

    def redirect_url(self, obj: PayRun) -> str:
        return reverse("payroll:run-detail", args=[obj.pk])


class _RunFile(_Login, TemplateView):
    def prepare(self) -> None:
        self.run = selectors.access_run(_user(self.request), self.kwargs["pk"])
        if not access.may_act(_user(self.request), self.run.institution):
            raise PermissionDenied

    def _file(self, content: bytes, name: str, content_type: str) -> HttpResponse:
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class RunPain001(_RunFile):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = f"pain001-{outputs.file_stem(self.run)}.xml"
        return self._file(outputs.pain001(self.run), name, "application/xml")


class RunEIndkomst(_RunFile):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        text = outputs.eindkomst(self.run, actor=_user(request))
        name = f"eindkomst-{outputs.file_stem(self.run)}.txt"
        return self._file(text.encode("latin-1", "replace"), name, "text/plain; charset=latin-1")


class _PayslipPage(_Login, TemplateView):
    def prepare(self) -> None:
        self.slip, self.as_officer = selectors.access_payslip(
            _user(self.request), self.kwargs["pk"]
        )


class PayslipDetail(_PayslipPage):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponse(outputs.payslip_html(self.slip))


class PayslipPdf(_PayslipPage):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = HttpResponse(outputs.payslip_pdf(self.slip), content_type="application/pdf")
        name = f"loenseddel-{self.slip.run.label}-{self.slip.employee.number}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


class PayslipStop(ServiceActionView):
    success_message = _("The employee's pay has been stopped.")

    def get_object(self) -> Payslip:
        slip: Payslip = access.access_payroll_object(
            Payslip.objects.select_related("run"), _user(self.request), self.kwargs["pk"]
        )
        return slip

    def allowed(self, obj: Payslip) -> bool:
        return access.may_act(_user(self.request), obj.institution)

    def perform(self, obj: Payslip) -> None:
        reason = self.request.POST.get("reason", "")
        services.payslip_stop(actor=_user(self.request), payslip=obj, reason=reason)

    def redirect_url(self, obj: Payslip) -> str:
        return reverse("payroll:run-detail", args=[obj.run_id])


class ChangeList(_Login, TemplateView):
    template_name = "payroll/change_list.html"

    def prepare(self) -> None:
        if not access.may_view(_user(self.request), self.institution):
            raise PermissionDenied

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = _user(self.request)
        context.update(
            changes=selectors.pending_changes_for(user, self.institution)[:200],
            can_act=access.may_act(user, self.institution),
        )
        return context


class ChangeAction(ServiceActionView):
    """``approve`` or ``reject`` one pending change."""

    def get_object(self) -> PendingChange:
        if self.kwargs["action"] not in ("approve", "reject"):
            raise selectors.not_found()
        return selectors.access_change(_user(self.request), self.kwargs["pk"])

    def allowed(self, obj: PendingChange) -> bool:
        return access.may_act(_user(self.request), obj.institution)

    def perform(self, obj: PendingChange) -> None:
        if self.kwargs["action"] == "approve":
            services.change_approve(actor=_user(self.request), change=obj)
        else:
            services.change_reject(
                actor=_user(self.request), change=obj, reason=self.request.POST.get("reason", "")
            )

    def redirect_url(self, obj: PendingChange) -> str:
        return reverse("payroll:change-list")


class MyPayslips(_Login, TemplateView):
    """Self-service: the employee's own payslips and nothing else."""

    template_name = "payroll/my_payslips.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["slips"] = selectors.own_payslips(_user(self.request))
        return context
