"""Ledger pages: chart of accounts, periods, entries (list, detail, manual entry, post,
reverse) and reports (trial balance, account statement, balance sheet and income statement,
VAT statement, monthly costs) with CSV and XLSX export. Views are thin: they check the role,
call one service or selector, and render."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from faelles.core.models import AuditEvent
from faelles.ledger import access, selectors, services
from faelles.ledger.filtersets import AccountFilterSet, EntryFilterSet
from faelles.ledger.forms import (
    YEAR_MAX,
    YEAR_MIN,
    FiscalYearForm,
    LocalAccountForm,
    ManualEntryForm,
    PeriodRangeForm,
    StatementForm,
)
from faelles.ledger.models import Account, JournalEntry, Period, Purpose
from faelles.ledger.tables import AccountTable, EntryTable
from faelles.tenancy.models import Institution, OrgUnit, User
from faelles.web.generic import ManagementListView, ObjectPageView, ServiceActionView
from faelles.web.generic import ServiceFormView as _ServiceFormView


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


class _LedgerPage:
    """Mixin: the current institution and the reader's ledger role, checked up front."""

    request: HttpRequest
    institution: Institution | None

    def require_view(self) -> Institution:
        institution: Institution | None = getattr(self.request, "institution", None)
        if institution is None or not access.may_view(_user(self.request), institution):
            raise PermissionDenied
        self.institution = institution
        return institution


# --- lists ----------------------------------------------------------------------------------


class AccountList(ManagementListView):
    title = _("Chart of accounts")
    table_class = AccountTable
    filterset_class = AccountFilterSet
    view_roles = access.VIEW_ROLES
    paginate_by = 100
    create_url_name = "ledger:account-create"

    def can_create(self) -> bool:
        return access.may_manage_periods(_user(self.request), self.institution)

    def base_queryset(self) -> QuerySet[Account]:
        if self.institution is None:
            return Account.objects.none()
        return Account.objects.for_institution(self.institution).order_by("number")


class AccountCreate(_ServiceFormView):
    form_class = LocalAccountForm
    title = _("New local account")
    success_message = _("The account has been created.")

    def allowed(self) -> bool:
        return access.may_manage_periods(_user(self.request), self.institution)

    def perform(self, form: Any) -> Account:
        assert self.institution is not None
        account: Account = services.account_create_local(
            actor=_user(self.request), institution=self.institution, **form.cleaned_data
        )
        return account

    def success_url_for(self, obj: Any) -> str:
        return reverse("ledger:account-list") + f"?q={obj.number}"


class EntryList(ManagementListView):
    title = _("Journal entries")
    table_class = EntryTable
    filterset_class = EntryFilterSet
    view_roles = access.VIEW_ROLES
    create_url_name = "ledger:entry-create"

    def base_queryset(self) -> QuerySet[JournalEntry]:
        if self.institution is None:
            return JournalEntry.objects.none()
        return selectors.entries(self.institution).order_by("-date", "-number", "-pk")

    def can_create(self) -> bool:
        return access.may_enter(_user(self.request), self.institution)


# --- one entry ------------------------------------------------------------------------------


class EntryDetail(ObjectPageView):
    template_name = "ledger/entry_detail.html"

    def get_object(self) -> JournalEntry:
        entry: JournalEntry = access.access_ledger_object(
            selectors.entries_all(), user=_user(self.request), pk=self.kwargs["pk"]
        )
        return entry

    def may_view(self, obj: JournalEntry) -> bool:
        return access.may_view(_user(self.request), obj.institution)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entry: JournalEntry = self.object
        user = _user(self.request)
        lines = list(
            entry.lines.select_related("account", "org_unit", "purpose", "vat_code").order_by(
                "line_no"
            )
        )
        context.update(
            lines=lines,
            total_debit=sum((line.debit for line in lines), Decimal("0.00")),
            total_credit=sum((line.credit for line in lines), Decimal("0.00")),
            reversed_by=JournalEntry.objects.filter(reversal_of=entry).first(),
            audit=AuditEvent.objects.filter(
                object_type="ledger.journalentry", object_id=str(entry.pk)
            ).select_related("actor", "on_behalf_of"),
            can_post=entry.state == "draft" and access.may_enter(user, entry.institution),
            can_reverse=entry.state == "posted"
            and entry.kind != JournalEntry.Kind.REVERSAL
            and access.may_enter(user, entry.institution),
        )
        return context


class EntryCreate(_ServiceFormView):
    template_name = "ledger/entry_form.html"
    form_class = ManualEntryForm
    title = _("New manual entry")
    success_message = _("The entry has been saved as a draft. Another bookkeeper may post it.")

    def allowed(self) -> bool:
        return access.may_enter(_user(self.request), self.institution)

    def perform(self, form: Any) -> JournalEntry:
        assert self.institution is not None
        spec = form.spec()
        return services.entry_create(
            actor=_user(self.request), institution=self.institution, spec=spec
        )

    def success_url_for(self, obj: Any) -> str:
        return reverse("ledger:entry-detail", args=[obj.pk])


class _EntryAction(ServiceActionView):
    def get_object(self) -> JournalEntry:
        entry: JournalEntry = access.access_ledger_object(
            JournalEntry, user=_user(self.request), pk=self.kwargs["pk"]
        )
        return entry

    def allowed(self, obj: JournalEntry) -> bool:
        return access.may_enter(_user(self.request), obj.institution)

    def redirect_url(self, obj: JournalEntry) -> str:
        return reverse("ledger:entry-detail", args=[obj.pk])


class EntryPost(_EntryAction):
    success_message = _("The entry has been posted.")

    def perform(self, obj: JournalEntry) -> None:
        services.entry_post(actor=_user(self.request), entry=obj)


class EntryReverse(_EntryAction):
    success_message = _("The entry has been reversed.")

    def perform(self, obj: JournalEntry) -> None:
        services.entry_reverse(actor=_user(self.request), entry=obj)


# --- periods --------------------------------------------------------------------------------


class PeriodList(_LedgerPage, TemplateView):
    template_name = "ledger/periods.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(reverse("web:login"))
        self.require_view()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assert self.institution is not None
        years = self.institution.fiscal_years.order_by("-year").prefetch_related("periods")
        context.update(
            title=_("Fiscal years and periods"),
            years=years,
            can_manage=access.may_manage_periods(_user(self.request), self.institution),
            next_year=(years[0].year + 1) if years else timezone.localdate().year,
        )
        return context


class PeriodSetState(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, state: str) -> HttpResponse:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(reverse("web:login"))
        period: Period = access.access_ledger_object(Period, user=_user(request), pk=pk)
        if not access.may_manage_periods(_user(request), period.institution):
            raise PermissionDenied
        if state not in {"open", "closed", "locked"}:
            raise PermissionDenied
        try:
            services.period_set_state(actor=_user(request), period=period, state=state)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Period %(p)s is now %(s)s.") % {"p": period, "s": state})
        return HttpResponseRedirect(reverse("ledger:period-list"))


class FiscalYearOpen(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        institution = getattr(request, "institution", None)
        if not request.user.is_authenticated or institution is None:
            raise PermissionDenied
        if not access.may_manage_periods(_user(request), institution):
            raise PermissionDenied
        form = FiscalYearForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                _("Give the year as a number from %(first)s to %(last)s.")
                % {"first": YEAR_MIN, "last": YEAR_MAX},
            )
            return HttpResponseRedirect(reverse("ledger:period-list"))
        year = form.cleaned_data["year"]
        services.fiscal_year_open(actor=_user(request), institution=institution, year=year)
        messages.success(request, _("Fiscal year %(y)s is open.") % {"y": year})
        return HttpResponseRedirect(reverse("ledger:period-list"))


# --- reports --------------------------------------------------------------------------------


def export(
    fmt: str, filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """The same rows as CSV (semicolon-separated, as Danish spreadsheets expect) or XLSX."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append([str(h) for h in headers])
        for row in rows:
            ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(
            buf.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow([str(v) if v is not None else "" for v in row])
    response = HttpResponse(text.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


class _Report(_LedgerPage, TemplateView):
    title: Any = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(reverse("web:login"))
        self.require_view()
        return super().dispatch(request, *args, **kwargs)

    def default_year(self) -> int:
        assert self.institution is not None
        fy = self.institution.fiscal_years.order_by("-year").first()
        return fy.year if fy else timezone.localdate().year

    def range_form(self) -> PeriodRangeForm:
        data = self.request.GET.copy()
        data.setdefault("year", str(self.default_year()))
        data.setdefault("period_from", "1")
        data.setdefault("period_to", "12")
        return PeriodRangeForm(data)

    def dimension_ids(self, form: PeriodRangeForm) -> tuple[int | None, int | None]:
        assert self.institution is not None
        org_unit_id = purpose_id = None
        if form.cleaned_data.get("org_unit"):
            org_unit_id = get_object_or_404(
                OrgUnit.objects.for_institution(self.institution),
                code=form.cleaned_data["org_unit"],
            ).pk
        if form.cleaned_data.get("purpose"):
            purpose_id = get_object_or_404(
                Purpose.objects.for_institution(self.institution),
                code=form.cleaned_data["purpose"],
            ).pk
        return org_unit_id, purpose_id


class TrialBalanceView(_Report):
    template_name = "ledger/trial_balance.html"
    title = _("Trial balance")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert self.institution is not None
        form = self.range_form()
        report = None
        if form.is_valid():
            org_unit_id, purpose_id = self.dimension_ids(form)
            report = selectors.trial_balance(
                self.institution,
                year=form.cleaned_data["year"],
                period_from=form.cleaned_data["period_from"],
                period_to=form.cleaned_data["period_to"],
                org_unit_id=org_unit_id,
                purpose_id=purpose_id,
            )
            fmt = request.GET.get("format")
            if fmt in {"csv", "xlsx"}:
                return export(
                    fmt,
                    f"saldobalance-{self.institution.short_name}-{report.year}",
                    [_("Account"), _("Name"), _("Debit"), _("Credit"), _("Balance")],
                    [(r.number, r.name, r.debit, r.credit, r.balance) for r in report.rows],
                )
        return self.render_to_response(
            self.get_context_data(form=form, report=report, title=self.title)
        )


class AccountStatementView(_Report):
    template_name = "ledger/account_statement.html"
    title = _("Account statement")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert self.institution is not None
        form = StatementForm(request.GET or None)
        context: dict[str, Any] = {"form": form, "title": self.title}
        if form.is_valid():
            account = get_object_or_404(
                Account.objects.for_institution(self.institution),
                number=form.cleaned_data["account"],
            )
            opening, lines = selectors.account_statement(
                self.institution,
                account=account,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
            )
            fmt = request.GET.get("format")
            if fmt in {"csv", "xlsx"}:
                return export(
                    fmt,
                    f"kontokort-{account.number}",
                    [
                        _("Date"),
                        _("Number"),
                        _("Description"),
                        _("Voucher"),
                        _("Debit"),
                        _("Credit"),
                        _("Balance"),
                    ],
                    (
                        (
                            line.date.isoformat(),
                            line.number,
                            line.description,
                            line.voucher_ref,
                            line.debit,
                            line.credit,
                            line.balance,
                        )
                        for line in lines
                    ),
                )
            context.update(account=account, opening=opening, lines=list(lines))
        return self.render_to_response(self.get_context_data(**context))


class StatementsView(_Report):
    template_name = "ledger/statements.html"
    title = _("Balance sheet and income statement")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert self.institution is not None
        form = self.range_form()
        context: dict[str, Any] = {"form": form, "title": self.title}
        if form.is_valid():
            year, to = form.cleaned_data["year"], form.cleaned_data["period_to"]
            context.update(
                income=selectors.income_statement(self.institution, year=year, period_to=to),
                balance=selectors.balance_sheet(self.institution, year=year, period_to=to),
            )
        return self.render_to_response(self.get_context_data(**context))


class VatView(_Report):
    template_name = "ledger/vat.html"
    title = _("VAT statement")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert self.institution is not None
        form = self.range_form()
        context: dict[str, Any] = {"form": form, "title": self.title}
        if form.is_valid():
            context["vat"] = selectors.vat_statement(
                self.institution,
                year=form.cleaned_data["year"],
                period_from=form.cleaned_data["period_from"],
                period_to=form.cleaned_data["period_to"],
            )
        return self.render_to_response(self.get_context_data(**context))


class CostsView(_Report):
    """Monthly costs by account group as a stacked bar chart (server-rendered SVG)."""

    template_name = "ledger/costs.html"
    title = _("Monthly costs")
    COLOURS = ("#004993", "#008139", "#c78300", "#7b2a8d", "#b51d09", "#3b8a8f", "#5c5c5c")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert self.institution is not None
        form = FiscalYearForm(request.GET)
        year = form.cleaned_data["year"] if form.is_valid() else self.default_year()
        months = selectors.monthly_costs(self.institution, year=year)
        groups = sorted({g for m in months for g in m["groups"]})
        names = dict(
            Account.objects.for_institution(self.institution)
            .filter(number__in=groups)
            .values_list("number", "name")
        )
        colour = {g: self.COLOURS[i % len(self.COLOURS)] for i, g in enumerate(groups)}
        peak = max((sum(m["groups"].values(), Decimal(0)) for m in months), default=Decimal(0))
        height, bar_width, gap = 240, 36, 14
        bars = []
        for index, month in enumerate(months):
            y = Decimal(height)
            stack = []
            for group, value in month["groups"].items():
                if value <= 0 or peak <= 0:
                    continue
                h = Decimal(height) * value / peak
                y -= h
                stack.append(
                    {
                        "y": round(y, 1),
                        "h": round(h, 1),
                        "colour": colour[group],
                        "label": f"{names.get(group, group)}: {value:,.2f}",
                    }
                )
            total = sum(month["groups"].values(), Decimal(0))
            bars.append(
                {
                    "x": 40 + index * (bar_width + gap),
                    "month": month["month"],
                    "stack": stack,
                    "total": total,
                }
            )
        legend = [{"group": g, "name": names.get(g, g), "colour": colour[g]} for g in groups]
        return self.render_to_response(
            self.get_context_data(
                title=self.title,
                year=year,
                bars=bars,
                legend=legend,
                bar_width=bar_width,
                chart_height=height,
                chart_width=40 + 12 * (bar_width + gap),
                peak=peak,
            )
        )
