"""The inbox: the invoices where the user must act next (or all of the institution's), filtered
with ``InvoiceFilterSet`` and shown with ``InvoiceTable`` (htmx fragments, CSV/XLSX export), and
bulk approval.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from faelles.payables import selectors, services
from faelles.payables.filtersets import SCOPE_MINE, SCOPES, InvoiceFilterSet
from faelles.payables.models import Invoice, InvoiceState
from faelles.payables.tables import InvoiceTable
from faelles.payables.views_common import MAX_LIST, _is_htmx, _Page, _user
from faelles.tenancy import selectors as tenancy
from faelles.tenancy.models import Institution
from faelles.web import exports

#: Rows on one page of the inbox (the ``invoice_inbox`` index serves its order).
INBOX_PAGE = 50
#: The deepest page the inbox offers (50 × 200 = the 10,000 earliest due); narrow with filters.
MAX_PAGES = 200


def _filtered(request: HttpRequest, institution: Institution) -> InvoiceFilterSet:
    """The inbox's filters on the institution's invoices through the gate (the same
    ``InvoiceFilterSet`` as the invoice API); the page's default scope is ``mine``."""
    data = request.GET.copy()
    if data.get("scope") not in dict(SCOPES):
        data["scope"] = SCOPE_MINE
    queryset = selectors.invoices(institution).order_by("due_date", "received_at", "pk")
    return InvoiceFilterSet(data, queryset=queryset, request=request, institution=institution)


class InboxView(_Page):
    """The invoices where the user must act next (or all of the institution's)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        institution: Institution | None = getattr(request, "institution", None)
        if institution is not None and not selectors.may_view(user, institution):
            raise PermissionDenied
        fmt = exports.requested_format(request)
        if fmt is not None and institution is not None:
            headers, rows = exports.table_rows(
                InvoiceTable(_filtered(request, institution).qs, exclude=("select",))
            )
            return exports.export_response(
                fmt,
                f"fakturaer-{institution.short_name}",
                headers,
                rows,
                title=str(_("Invoices")),
            )
        can_bulk_approve = (
            institution is not None and tenancy.approval_limit_for(user, institution) is not None
        )
        filterset = _filtered(request, institution) if institution else None
        page = _page_number(request)
        invoices: list[Invoice] = []
        if filterset is not None:
            # One more row than the page tells whether a next page exists: no count.
            start = (page - 1) * INBOX_PAGE
            invoices = list(filterset.qs[start : start + INBOX_PAGE + 1])
        has_next = len(invoices) > INBOX_PAGE
        invoices = invoices[:INBOX_PAGE]
        context = {
            "title": _("Invoices"),
            "invoices": invoices,
            "page": page,
            "next_page_url": _page_url(request, page + 1) if has_next else "",
            "previous_page_url": _page_url(request, page - 1) if page > 1 else "",
            "table": InvoiceTable.for_page(invoices, selectable=can_bulk_approve),
            "states": InvoiceState.choices,
            "scopes": SCOPES,
            "scope": filterset.data.get("scope") if filterset is not None else SCOPE_MINE,
            "state": request.GET.get("state", ""),
            "q": request.GET.get("q", ""),
            "can_bulk_approve": can_bulk_approve,
            "needs_institution": institution is None,
            "export_links": exports.export_links(request) if institution else [],
        }
        # The htmx fragment is the results only: no menu, switcher or filter form is built.
        template = "payables/_inbox_results.html" if _is_htmx(request) else "payables/inbox.html"
        return render(request, template, context)


def _page_number(request: HttpRequest) -> int:
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return max(1, min(page, MAX_PAGES))


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    if page > 1:
        query["page"] = str(page)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


class BulkApproveView(_Page):
    """Approve several attested invoices at once (one batch per institution); each is checked
    exactly as one at a time, and the refused ones are reported with their reasons."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        given = request.POST.getlist("ids")[:MAX_LIST]
        found = selectors.access_invoices(user, given)
        by_institution: dict[int, list[Invoice]] = defaultdict(list)
        for pk in given:
            invoice = found.get(pk)
            if invoice is None:
                messages.error(request, _("Invoice %(pk)s was not found.") % {"pk": pk})
            else:
                by_institution[invoice.institution_id].append(invoice)
        approved = 0
        for invoices in by_institution.values():
            refused = services.invoices_approve_batch(actor=user, invoices=invoices)
            approved += len(invoices) - len(refused)
            for refused_pk, reason in sorted(refused.items()):
                messages.error(
                    request,
                    _("Invoice %(pk)s: %(reason)s") % {"pk": refused_pk, "reason": reason},
                )
        if approved:
            messages.success(request, _("%(n)s invoice(s) approved.") % {"n": approved})
        return HttpResponseRedirect(reverse("payables:inbox"))
