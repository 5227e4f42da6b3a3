"""Outgoing-mail pages: the outbox of the institutions the user sees (state, attempts, the
last error), "send again" for a failed mail, and mailing the response to the supplier of a
rejected invoice. Thin: the gate finds the object (404 for missing and foreign alike), one
service acts, and refusals come back as messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from faelles.core.access import institutions_with_role
from faelles.core.models import OutgoingMail
from faelles.payables import mail, selectors
from faelles.tenancy.models import User

MAX_LIST = 200


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class MailListView(LoginRequiredMixin, View):
    """The outbox, newest first; ``?state=failed`` shows what still has to go."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        if not institutions_with_role(user, mail.MAIL_ROLES).exists():
            raise PermissionDenied
        state = request.GET.get("state", "")
        rows = list(mail.outgoing_mail(user, state)[:MAX_LIST])
        context = {
            "title": _("Outgoing mail"),
            "mails": [(row, mail.may_send_again(user, row)) for row in rows],
            "states": OutgoingMail.State.choices,
            "state": state,
        }
        return render(request, "payables/mail_list.html", context)


class MailSendAgainView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = mail.access_mail(_user(request), pk)
        try:
            mail.mail_send_again(actor=_user(request), mail=row)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            row.refresh_from_db()
            if row.state == OutgoingMail.State.SENT:
                messages.success(request, _("The mail is sent."))
            else:
                messages.info(request, _("The mail is queued to be sent again."))
        return HttpResponseRedirect(reverse("payables:mail") + "?state=" + row.state)


class InvoiceResponseSendView(LoginRequiredMixin, View):
    """Mail the response to the supplier of a rejected invoice."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = selectors.access_invoice(_user(request), pk)
        to = request.POST.get("to", "")
        try:
            row = mail.invoice_response_send(actor=_user(request), invoice=invoice, to=to)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            row.refresh_from_db()
            if row.state == OutgoingMail.State.SENT:
                messages.success(request, _("The response is sent to %(to)s.") % {"to": row.to})
            elif row.state == OutgoingMail.State.FAILED:
                messages.error(
                    request,
                    _("The response to %(to)s could not be sent; see outgoing mail.")
                    % {"to": row.to},
                )
            else:
                messages.success(
                    request, _("The response to %(to)s is queued to be sent.") % {"to": row.to}
                )
        return HttpResponseRedirect(reverse("payables:invoice-detail", args=[invoice.pk]))
