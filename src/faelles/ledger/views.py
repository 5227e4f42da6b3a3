"""Ledger pages: chart of accounts, periods, entries (list, detail, manual entry, post,
reverse) and reports (trial balance, account statement, balance sheet and income statement,
VAT statement, monthly costs) with CSV and XLSX export. Views are thin: they check the role,
call one service or selector, and render."""

from __future__ import annotations

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
    PostingAccountsForm,
    StatementForm,
)
from faelles.ledger.models import Account, JournalEntry, JournalLine, Period, Purpose
from faelles.ledger.tables import AccountTable, EntryTable
from faelles.tenancy.models import Institution, OrgUnit, User
from faelles.web import charts, exports
from faelles.web.exports import Column
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
    export_name = "kontoplan"

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

    def export_filename(self) -> str:
        short = self.institution.short_name if self.institution else ""
        return f"posteringer-{short}"

    def export_headers_rows(self) -> tuple[list[str], Iterable[Sequence[Any]]]:
        """The postings list: one row per line of the entries the page's filters select."""
        if self.institution is None:
            lines: Iterable[JournalLine] = []
        else:
            lines = (
                JournalLine.objects.for_institution(self.institution)
                .filter(entry_id__in=self.object_list.values("pk"))
                .select_related("entry__fiscal_year", "account", "org_unit", "purpose", "vat_code")
                .order_by("entry__date", "entry__number", "entry_id", "line_no")
            )
        headers = [str(c.header) for c in POSTING_COLUMNS]
        return headers, ([c.value(line) for c in POSTING_COLUMNS] for line in lines)


def _code(obj: Any) -> str:
    return obj.code if obj is not None else ""


POSTING_COLUMNS = (
    Column(_("Fiscal year"), lambda line: line.entry.fiscal_year.year),
    Column(_("Number"), lambda line: line.entry.number),
    Column(_("Posting date"), lambda line: line.entry.date),
    Column(_("Description"), lambda line: line.entry.description),
    Column(_("Voucher"), lambda line: line.entry.voucher_ref),
    Column(_("Kind"), lambda line: line.entry.get_kind_display()),
    Column(_("State"), lambda line: line.entry.get_state_display()),
    Column(_("Line"), lambda line: line.line_no),
    Column(_("Account"), lambda line: line.account.number),
    Column(_("Account name"), lambda line: line.account.name),
    Column(_("Cost centre"), lambda line: _code(line.org_unit)),
    Column(_("Purpose"), lambda line: _code(line.purpose)),
    Column(_("VAT code"), lambda line: _code(line.vat_code)),
    Column(_("Text"), lambda line: line.text),
    Column(_("Debit"), lambda line: line.debit),
    Column(_("Credit"), lambda line: line.credit),
    Column(_("Currency"), lambda line: line.currency),
    Column(_("Amount in currency"), lambda line: line.currency_amount),
)


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


class PostingAccountsEdit(_ServiceFormView):
    """The institution's posting accounts (vendors payable, input VAT, bank): seen and
    changed by its bookkeepers and local administrators."""

    form_class = PostingAccountsForm
    title = _("Posting accounts")
    success_message = _("The posting accounts have been saved.")

    def allowed(self) -> bool:
        return self.institution is not None and access.may_change_posting_accounts(
            _user(self.request), self.institution
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["accounts"] = [
            (a.number, str(a))
            for a in Account.objects.for_institution(self.institution)
            .filter(is_postable=True, is_active=True)
            .order_by("number")
        ]
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        assert self.institution is not None
        config = selectors.posting_accounts(self.institution)
        return {
            "payables_account": config.payables,
            "input_vat_account": config.input_vat,
            "bank_account": config.bank,
        }

    def perform(self, form: Any) -> Any:
        assert self.institution is not None
        return services.posting_accounts_set(
            actor=_user(self.request), institution=self.institution, **form.cleaned_data
        )

    def success_url_for(self, obj: Any) -> str:
        return reverse("ledger:posting-accounts")


# --- reports --------------------------------------------------------------------------------


class _Report(_LedgerPage, TemplateView):
    """A report page; ``?format=csv`` or ``xlsx`` gives the report the page shows, with the
    same filters (see ``faelles.web.exports``)."""

    title: Any = ""
    export_name = ""

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

    def export(
        self, fmt: str, suffix: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]
    ) -> HttpResponse:
        assert self.institution is not None
        return exports.export_response(
            fmt,
            f"{self.export_name}-{self.institution.short_name}-{suffix}",
            headers,
            rows,
            title=str(self.title),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["export_links"] = exports.export_links(self.request)
        return context


class TrialBalanceView(_Report):
    template_name = "ledger/trial_balance.html"
    title = _("Trial balance")
    export_name = "saldobalance"

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
            fmt = exports.requested_format(request)
            if fmt is not None:
                return self.export(
                    fmt,
                    f"{report.year}-{report.period_from}-{report.period_to}",
                    [_("Account"), _("Name"), _("Debit"), _("Credit"), _("Balance")],
                    [(r.number, r.name, r.debit, r.credit, r.balance) for r in report.rows],
                )
        return self.render_to_response(
            self.get_context_data(form=form, report=report, title=self.title)
        )


class AccountStatementView(_Report):
    template_name = "ledger/account_statement.html"
    title = _("Account statement")
    export_name = "kontokort"

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
            fmt = exports.requested_format(request)
            if fmt is not None:
                first = (
                    form.cleaned_data["date_from"],
                    None,
                    _("Opening balance"),
                    "",
                    None,
                    None,
                    opening,
                )
                return self.export(
                    fmt,
                    account.number,
                    [
                        _("Date"),
                        _("Number"),
                        _("Description"),
                        _("Voucher"),
                        _("Debit"),
                        _("Credit"),
                        _("Balance"),
                    ],
                    [
                        first,
                        *(
                            (
                                line.date,
                                line.number,
                                line.description,
                                line.voucher_ref,
                                line.debit,
                                line.credit,
                                line.balance,
                            )
                            for line in lines
                        ),
                    ],
                )
            context.update(account=account, opening=opening, lines=list(lines))
        return self.render_to_response(self.get_context_data(**context))


class StatementsView(_Report):
    template_name = "ledger/statements.html"
    title = _("Balance sheet and income statement")
    export_name = "regnskab"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert self.institution is not None
        form = self.range_form()
        context: dict[str, Any] = {"form": form, "title": self.title}
        if form.is_valid():
            year, to = form.cleaned_data["year"], form.cleaned_data["period_to"]
            income = selectors.income_statement(self.institution, year=year, period_to=to)
            balance = selectors.balance_sheet(self.institution, year=year, period_to=to)
            fmt = exports.requested_format(request)
            if fmt is not None:
                return self.export(
                    fmt,
                    f"{year}-{to}",
                    [_("Statement"), _("Account group"), _("Name"), _("Amount")],
                    self.statement_rows(income, balance),
                )
            context.update(income=income, balance=balance)
        return self.render_to_response(self.get_context_data(**context))

    @staticmethod
    def statement_rows(income: dict[str, Any], balance: dict[str, Any]) -> list[tuple[Any, ...]]:
        """The two statements as the page shows them: each class with its total, then its
        account groups, then the result."""
        rows: list[tuple[Any, ...]] = []
        name = str(_("Income statement"))
        for cls in income["classes"]:
            rows.append((name, "", cls.label, cls.total))
            rows.extend((name, number, title, value) for number, title, value in cls.groups)
        rows.append((name, "", str(_("Result (positive: surplus)")), income["result"]))
        name = str(_("Balance sheet"))
        for cls in (balance["assets"], balance["liabilities"]):
            rows.append((name, "", cls.label, cls.total))
            rows.extend((name, number, title, value) for number, title, value in cls.groups)
        rows.append((name, "", str(_("Result of the year so far")), balance["result"]))
        return rows


class VatView(_Report):
    template_name = "ledger/vat.html"
    title = _("VAT statement")
    export_name = "moms"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert self.institution is not None
        form = self.range_form()
        context: dict[str, Any] = {"form": form, "title": self.title}
        if form.is_valid():
            year = form.cleaned_data["year"]
            period_from, period_to = (
                form.cleaned_data["period_from"],
                form.cleaned_data["period_to"],
            )
            vat = selectors.vat_statement(
                self.institution, year=year, period_from=period_from, period_to=period_to
            )
            fmt = exports.requested_format(request)
            if fmt is not None:
                return self.export(
                    fmt,
                    f"{year}-{period_from}-{period_to}",
                    [_("Item"), _("Amount")],
                    [
                        (_("Sales VAT"), vat.output_vat),
                        (_("VAT on purchases abroad (reverse charge)"), vat.reverse_charge_vat),
                        (_("Deductible purchase VAT"), -vat.input_vat),
                        (_("VAT payable (negative: to be refunded)"), vat.payable),
                    ],
                )
            context["vat"] = vat
        return self.render_to_response(self.get_context_data(**context))


class CostsView(_Report):
    """Monthly costs by account group as a stacked bar chart (server-rendered SVG, coordinates
    independent of the locale; see ``faelles.web.charts``), with the same numbers as a table
    and as CSV/XLSX."""

    template_name = "ledger/costs.html"
    title = _("Monthly costs")
    export_name = "omkostninger"

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
        colour = charts.colours(groups)
        series = [charts.Series(g, f"{g} {names.get(g, g)}", colour[g]) for g in groups]
        values = {
            (str(m["month"]), group): value for m in months for group, value in m["groups"].items()
        }
        totals = [(m["month"], sum(m["groups"].values(), Decimal("0.00"))) for m in months]
        fmt = exports.requested_format(request)
        if fmt is not None:
            return self.export(
                fmt,
                str(year),
                [_("Month"), *(s.name for s in series), _("Total")],
                [
                    (
                        m["month"],
                        *(m["groups"].get(g, Decimal("0.00")) for g in groups),
                        total,
                    )
                    for m, (_month, total) in zip(months, totals, strict=True)
                ],
            )
        chart = charts.bar_chart(
            chart_id="cost-chart",
            title=f"{_('Monthly costs by account group')} {year}",
            description=str(
                _(
                    "Posted costs per month of %(year)s, stacked by account group; the table below the chart gives the same numbers."
                )
                % {"year": year}
            ),
            categories=[(str(m["month"]), str(m["month"])) for m in months],
            series=series,
            values=values,
        )
        return self.render_to_response(
            self.get_context_data(title=self.title, year=year, chart=chart, totals=totals)
        )
