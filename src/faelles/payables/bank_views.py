"""Bank-account change pages: the institution's changes (pending first) and one change with
the old and the new account side by side, the invoices paid to it, and confirm / refuse.

Thin like every page: the change is found through the access gate (404 for missing and
foreign alike), the services decide who may confirm (a second person: not a requester, not
an approver of an invoice to the account) and record every refusal.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views import View

from faelles.core.access import access_object
from faelles.payables import selectors, vendors
from faelles.payables.bank import payee_for
from faelles.payables.models import VendorBankChange
from faelles.tenancy import selectors as tenancy
from faelles.tenancy.models import Institution, User
from faelles.web import exports

MAX_LIST = 200


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def payee_text(means: Any) -> str:
    """How a set of payment details reads (``IBAN DK50…``), or why it cannot be paid."""
    if means is None:
        return "–"
    try:
        payee = payee_for(means)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return payee.label if payee else "–"


class _Page(LoginRequiredMixin, View):
    request: HttpRequest


def _change_for(request: HttpRequest, pk: Any) -> VendorBankChange:
    user = _user(request)
    change: VendorBankChange = access_object(
        VendorBankChange.objects.select_related(
            "institution", "vendor", "previous", "requested_by", "decided_by", "source_invoice"
        ),
        user=user,
        pk=pk,
    )
    if not selectors.may_view(user, change.institution):
        raise PermissionDenied
    return change


BANK_CHANGE_COLUMNS = (
    exports.Column("#", lambda c: c.pk),
    exports.Column(_l("Vendor"), lambda c: c.vendor.name),
    exports.Column(
        _l("Current account"), lambda c: payee_text(c.previous.details if c.previous else None)
    ),
    exports.Column(_l("New account"), lambda c: payee_text(c.details)),
    exports.Column(_l("State"), lambda c: c.get_state_display()),
    exports.Column(
        _l("Requested by"),
        lambda c: str(c.requested_by) if c.requested_by_id else str(_l("Intake (an invoice)")),
    ),
    exports.Column(_l("Requested"), lambda c: c.requested_at),
    exports.Column(_l("Decided by"), lambda c: str(c.decided_by) if c.decided_by_id else ""),
    exports.Column(_l("Decided"), lambda c: c.decided_at),
    exports.Column(_l("Reason"), lambda c: c.reason),
)


class BankChangeListView(_Page):
    """The institution's bank-account changes, those awaiting confirmation first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        institution: Institution | None = getattr(request, "institution", None)
        if institution is None or not selectors.may_view(user, institution):
            raise PermissionDenied
        every = (
            VendorBankChange.objects.for_institution(institution)
            .select_related("vendor", "previous", "requested_by", "decided_by")
            .order_by("state", "-requested_at", "-pk")
        )
        fmt = exports.requested_format(request)
        if fmt is not None:
            return exports.export_records(
                fmt,
                f"kontoaendringer-{institution.short_name}",
                BANK_CHANGE_COLUMNS,
                every,
                title=_("Bank-account changes"),
            )
        changes = list(every[:MAX_LIST])
        pending = [c for c in changes if c.state == VendorBankChange.State.REQUESTED]
        context = {
            "title": _("Bank-account changes"),
            "pending": [
                (c, payee_text(c.previous.details if c.previous else None), payee_text(c.details))
                for c in pending
            ],
            "decided": [c for c in changes if c.state != VendorBankChange.State.REQUESTED],
            "export_links": exports.export_links(request),
        }
        return render(request, "payables/bank_changes.html", context)


class BankChangeDetailView(_Page):
    """One change: the old and the new account side by side, and whether the user may
    confirm it (and if not, why)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        change = _change_for(request, pk)
        user = _user(request)
        roles = tenancy.roles_for(user, change.institution)
        barred = vendors.barred_from_confirming(change)
        may_decide = change.state == VendorBankChange.State.REQUESTED and bool(
            roles & vendors.CONFIRM_ROLES
        )
        context = {
            "object": change,
            "old": payee_text(change.previous.details if change.previous else None),
            "new": payee_text(change.details),
            "invoices": vendors.invoices_to(change),
            "may_decide": may_decide,
            "is_requester": user.pk in barred["requester"],
            "is_approver": user.pk in barred["approver"],
        }
        return render(request, "payables/bank_change_detail.html", context)


class BankChangeActionView(_Page):
    """Confirm or refuse (POST); the service decides whether the user may."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        change = _change_for(request, pk)
        user = _user(request)
        try:
            if action == "confirm":
                vendors.vendor_bank_change_confirm(actor=user, change=change)
                done = _("The new bank details are confirmed and are now the vendor's.")
            elif action == "refuse":
                vendors.vendor_bank_change_refuse(
                    actor=user, change=change, reason=request.POST.get("reason", "")
                )
                done = _("The bank-account change has been refused.")
            else:
                raise Http404
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return HttpResponseRedirect(reverse("payables:bank-change-detail", args=[change.pk]))
