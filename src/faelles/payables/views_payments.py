"""Payment runs: the list, creating a run, a run's page (invoices and transfers, with exports),
releasing and marking paid, and the pain.001 file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from faelles.payables import exports as columns
from faelles.payables import payments, selectors
from faelles.payables.forms import PaymentRunForm
from faelles.payables.models import PaymentRun
from faelles.payables.views_common import MAX_LIST, _errors, _Page, _RulePage, _user
from faelles.tenancy import selectors as tenancy
from faelles.tenancy.models import Role
from faelles.web import exports
from faelles.web.generic import ServiceFormView


def _run_for(request: HttpRequest, pk: Any) -> PaymentRun:
    return selectors.access_payment_run(_user(request), pk)


class PaymentRunListView(_RulePage, _Page):
    def get(self, request: HttpRequest) -> HttpResponse:
        institution = self.rule_institution()
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_records(
                fmt,
                f"betalingskoersler-{institution.short_name}",
                columns.RUN_COLUMNS,
                PaymentRun.objects.for_institution(institution)
                .select_related("created_by", "released_by")
                .order_by("-pk"),
                title=_("Payment runs"),
            )
        context = {
            "export_links": exports.export_links(request),
            "title": _("Payment runs"),
            "runs": PaymentRun.objects.for_institution(institution).order_by("-pk")[:MAX_LIST],
            "may_pay": Role.PAYER in tenancy.roles_for(_user(request), institution),
        }
        return render(request, "payables/payment_runs.html", context)


class PaymentRunCreate(_RulePage, ServiceFormView):
    form_class = PaymentRunForm
    title = _("New payment run")
    success_message = _("The payment run has been created.")
    rule_roles = frozenset({Role.PAYER})

    def allowed(self) -> bool:
        return self.may_manage(self.rule_institution())

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "institution": self.rule_institution()}

    def perform(self, form: Any) -> Any:
        return payments.payment_run_create(
            actor=_user(self.request), institution=self.rule_institution(), **form.cleaned_data
        )

    def success_url_for(self, obj: Any) -> str:
        return reverse("payables:payment-run-detail", args=[obj.pk])


class PaymentRunDetailView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run_for(request, pk)
        roles = tenancy.roles_for(_user(request), run.institution)
        fmt = exports.requested_format(request)
        if fmt is not None:
            if request.GET.get("table") == "invoices":
                return exports.export_records(
                    fmt,
                    f"betalingskoersel-{run.pk}-fakturaer",
                    columns.RUN_INVOICE_COLUMNS,
                    run.invoices.select_related("vendor").order_by("vendor__name", "pk"),
                    title=_("Invoices and credit notes"),
                )
            return exports.export_records(
                fmt,
                f"betalingskoersel-{run.pk}-overfoersler",
                columns.TRANSFER_COLUMNS,
                payments.transfers_of(run),
                title=_("Transfers"),
            )
        context = {
            "transfer_export_links": exports.export_links(request, table="transfers"),
            "invoice_export_links": exports.export_links(request, table="invoices"),
            "object": run,
            "invoices": run.invoices.select_related("vendor").order_by("vendor__name", "pk"),
            "may_pay": Role.PAYER in roles,
        }
        return render(request, "payables/payment_run_detail.html", context)


class PaymentRunActionView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        run = _run_for(request, pk)
        steps: dict[str, Callable[..., PaymentRun]] = {
            "release": payments.payment_run_release,
            "paid": payments.payment_run_mark_paid,
        }
        if action not in steps:
            raise Http404
        try:
            steps[action](actor=_user(request), run=run)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Done."))
        return HttpResponseRedirect(reverse("payables:payment-run-detail", args=[run.pk]))


class PaymentRunFileView(_Page):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run_for(request, pk)
        if not run.file:
            raise Http404
        response = HttpResponse(bytes(run.file), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="pain001-{run.pk}.xml"'
        return response
