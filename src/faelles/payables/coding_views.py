"""The coding editor (kontering): each line's split rows, as many as the coder needs, with
the institution's accounts, cost centres and purposes to pick from and each error on its
field, amounts in the reader's number format.

Thin like every page: the invoice is found through the access gate (404 for missing and
foreign alike), only the roles of the life cycle's ``code`` action open the editor (403
otherwise), the service :func:`faelles.payables.coding.invoice_code` decides and writes. The
picker is a ``<datalist>`` per kind filled on the server: no script, and those who code see
the codes and names of the chart but not the ledger itself.

A line grows a row with its "add row" button (a plain submit that re-renders the form with
what was typed and one more row; nothing is saved).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from faelles.payables import coding, selectors, services
from faelles.payables.models import Invoice
from faelles.tenancy import selectors as tenancy
from faelles.tenancy.models import User

FIELDS = ("account", "org_unit", "purpose", "vat_code", "amount")
#: Empty rows offered under each line's rows on the first view.
EXTRA_ROWS = 1
#: A line has at most this many rows (a bound on what a request makes the page render).
MAX_ROWS = 200


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _empty(vat_code: str = "", amount: Any = "") -> dict[str, Any]:
    return {"account": "", "org_unit": "", "purpose": "", "vat_code": vat_code, "amount": amount}


def _row_count(post: Any, line_no: int) -> int:
    """How many rows the form had for the line: its hidden count, else the highest row
    number posted (a client that sends only the rows it fills)."""
    raw = str(post.get(f"l{line_no}-rows", ""))
    if raw.isdigit():
        count = int(raw)
    else:
        prefix = f"l{line_no}-"
        numbers = [key[len(prefix) :].split("-", 1)[0] for key in post if key.startswith(prefix)]
        count = max((int(n) + 1 for n in numbers if n.isdigit() and len(n) < 5), default=1)
    return max(1, min(count, MAX_ROWS))


def rows(invoice: Invoice, post: Any | None) -> list[dict[str, Any]]:
    """The editor's rows per line: what was posted (plus a row where "add row" was pressed),
    else the coding, else the suggestion, else one row with the line's amount."""
    current: dict[int, list[dict[str, Any]]] = {}
    for a in invoice.allocations.select_related("line").order_by("line__line_no", "pk"):
        current.setdefault(a.line.line_no, []).append(
            {f: getattr(a, f) for f in FIELDS} | {"amount": coding.amount_text(a.amount)}
        )
    if not current:
        for s in coding.coding_suggestion(invoice):
            current.setdefault(s.line_no, []).append(
                {f: getattr(s, f) for f in FIELDS} | {"amount": coding.amount_text(s.amount)}
            )
    add = str(post.get("add_row", "")) if post is not None else ""
    out = []
    for line in invoice.lines.order_by("line_no"):
        if post is not None:
            count = _row_count(post, line.line_no)
            line_rows = [
                {f: str(post.get(f"l{line.line_no}-{i}-{f}", "")) for f in FIELDS}
                for i in range(count)
            ]
            if add == str(line.line_no) and count < MAX_ROWS:
                line_rows.append(_empty())
        else:
            line_rows = current.get(line.line_no) or [
                _empty(coding.default_vat_code(line), coding.amount_text(line.net_amount))
            ]
            line_rows = line_rows + [_empty() for _i in range(EXTRA_ROWS)]
        out.append(
            {
                "line": line,
                "net": coding.amount_text(line.net_amount),
                "rows": [
                    {"i": i, "n": i + 1, "prefix": f"l{line.line_no}-{i}-", "errors": {}, **r}
                    for i, r in enumerate(line_rows)
                ],
                "errors": [],
            }
        )
    return out


def parse_amount(raw: str) -> Decimal:
    """An amount as typed in Danish or English: "4.900,00", "4900,5", "4,900.50", "4900.50".
    With both separators the last one is the decimal mark; a lone comma is the decimal mark
    (Danish); several dots are grouping."""
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        mark = "," if text.rindex(",") > text.rindex(".") else "."
        group = "." if mark == "," else ","
        text = text.replace(group, "").replace(mark, ".")
    elif "," in text:
        text = text.replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    return value


def specs(
    groups: list[dict[str, Any]],
) -> tuple[list[coding.AllocationSpec], list[dict[str, Any]], list[str]]:
    """The allocations of the filled rows, the row each came from, and the amounts that
    could not be read (each also put on its field)."""
    out: list[coding.AllocationSpec] = []
    where: list[dict[str, Any]] = []
    problems: list[str] = []
    for group in groups:
        no = group["line"].line_no
        for row in group["rows"]:
            account = str(row["account"]).strip()
            raw = str(row["amount"]).strip()
            if not account and not raw:
                continue
            try:
                amount = parse_amount(raw)
            except (InvalidOperation, ValueError):
                detail = _("%(v)s is not an amount.") % {"v": raw}
                row["errors"]["amount"] = detail
                problems.append(_("Line %(no)s: %(msg)s") % {"no": no, "msg": detail})
                continue
            out.append(
                coding.AllocationSpec(
                    line_no=no,
                    account=account,
                    amount=amount,
                    org_unit=str(row["org_unit"]).strip(),
                    purpose=str(row["purpose"]).strip(),
                    vat_code=str(row["vat_code"]).strip(),
                )
            )
            where.append(row)
    return out, where, problems


def place(
    groups: list[dict[str, Any]], where: list[dict[str, Any]], found: list[coding.CodingProblem]
) -> None:
    """Put each problem on its field (or its line)."""
    by_line = {g["line"].line_no: g for g in groups}
    for problem in found:
        if problem.spec is not None and problem.field:
            where[problem.spec]["errors"][problem.field] = problem.detail
        elif problem.line_no in by_line:
            by_line[problem.line_no]["errors"].append(problem.detail)


class InvoiceCodeView(LoginRequiredMixin, View):
    """Code or re-code the lines; split a line over as many rows as it needs."""

    request: HttpRequest

    def _invoice(self, request: HttpRequest, pk: int) -> Invoice:
        invoice = selectors.access_invoice(_user(request), pk)
        if not tenancy.roles_for(_user(request), invoice.institution) & coding.CODE_ROLES:
            raise PermissionDenied
        return invoice

    def _render(
        self, request: HttpRequest, invoice: Invoice, groups: Any, errors: list[str]
    ) -> HttpResponse:
        context = {
            "object": invoice,
            "groups": groups,
            "errors": errors,
            "choices": coding.coding_choices(invoice.institution),
        }
        return render(request, "payables/invoice_code.html", context, status=400 if errors else 200)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = self._invoice(request, pk)
        return self._render(request, invoice, rows(invoice, None), [])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = self._invoice(request, pk)
        groups = rows(invoice, request.POST)
        if request.POST.get("add_row"):
            return self._render(request, invoice, groups, [])
        allocations, where, problems = specs(groups)
        if problems:
            return self._render(request, invoice, groups, problems)
        found = coding.coding_problems(invoice.institution, list(invoice.lines.all()), allocations)
        if found:
            place(groups, where, found)
            return self._render(request, invoice, groups, [p.message for p in found])
        try:
            services.invoice_code(actor=_user(request), invoice=invoice, allocations=allocations)
        except ValidationError as exc:
            return self._render(request, invoice, groups, exc.messages)
        messages.success(request, _("The coding has been saved."))
        return HttpResponseRedirect(reverse("payables:invoice-detail", args=[invoice.pk]))
