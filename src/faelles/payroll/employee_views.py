"""Employee pages: the institution's employees, one employee's master data, and the forms
that propose changes to it. Pay-relevant data changes only through a pending change (the
two-person rule; approved on the change list by another officer); the address applies at
once; the full CPR number is shown only after a POST that logs the read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from faelles.payroll import access, services
from faelles.payroll.employee_forms import (
    AddressForm,
    BankAccountForm,
    EmployeeCreateForm,
    EmploymentForm,
    NewEmploymentForm,
    PayElementEndForm,
    PayElementForm,
)
from faelles.payroll.models import Employee, PendingChange
from faelles.tenancy.models import User
from faelles.web.generic import ObjectPageView, ServiceFormView, _Login

PAGE_SIZE = 50
CPR_PURPOSE = "Shown on the employee page"


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _pending() -> Exists:
    return Exists(
        PendingChange.objects.filter(employee=OuterRef("pk"), state=PendingChange.State.PENDING)
    )


def employees_for(user: Any, institution: Any, query: str = "") -> QuerySet[Employee]:
    """The employees of ``institution`` the user sees, flagged with ``has_pending``."""
    qs: QuerySet[Employee] = access.payroll_rows(Employee, user, institution)
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(number__icontains=query))
    return qs.annotate(has_pending=_pending()).order_by("number", "pk")


def access_employee(user: Any, pk: Any) -> Employee:
    """One employee the user sees in the payroll; 404 for missing and foreign alike."""
    employee: Employee = access.access_payroll_object(
        Employee.objects.select_related("institution"), user, pk
    )
    return employee


class EmployeeList(_Login, TemplateView):
    template_name = "payroll/employee_list.html"

    def prepare(self) -> None:
        if not access.may_view(_user(self.request), self.institution):
            raise PermissionDenied

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = _user(self.request)
        query = self.request.GET.get("q", "")
        page = Paginator(employees_for(user, self.institution, query), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            page=page,
            employees=page.object_list,
            q=query,
            can_act=access.may_act(user, self.institution),
        )
        return context


class EmployeeDetail(ObjectPageView):
    template_name = "payroll/employee_detail.html"

    def get_object(self) -> Employee:
        return access_employee(_user(self.request), self.kwargs["pk"])

    def may_view(self, obj: Employee) -> bool:
        return access.may_view(_user(self.request), obj.institution)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        employee: Employee = self.object
        user = _user(self.request)
        context.update(
            employee=employee,
            employments=employee.employments.select_related("org_unit").prefetch_related(
                "elements"
            ),
            tax_cards=employee.tax_cards.all()[:10],
            bank_accounts=employee.bank_accounts.all()[:5],
            changes=PendingChange.objects.filter(employee=employee)
            .select_related("made_by", "decided_by")
            .order_by("-pk")[:50],
            payslips=employee.payslips.select_related("run").order_by("-run__period_start")[:24],
            can_act=access.may_act(user, employee.institution),
            cpr_full=kwargs.get("cpr_full"),
        )
        return context


class EmployeeCpr(EmployeeDetail):
    """POST: the page again with the full CPR number, the read logged (never a GET)."""

    http_method_names = ["post"]

    def prepare(self) -> None:
        super().prepare()
        if not access.may_act(_user(self.request), self.object.institution):
            raise PermissionDenied

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        digits = services.employee_cpr_read(
            actor=_user(request), employee=self.object, purpose=CPR_PURPOSE
        )
        context = self.get_context_data(cpr_full=f"{digits[:6]}-{digits[6:]}", **kwargs)
        response = self.render_to_response(context)
        response["Cache-Control"] = "no-store"
        return response


class EmployeeCreate(ServiceFormView):
    form_class = EmployeeCreateForm
    title = _("New employee")
    success_message = _("The employee has been registered.")

    def allowed(self) -> bool:
        return self.institution is not None and access.may_act(
            _user(self.request), self.institution
        )

    def perform(self, form: Any) -> Employee:
        data = form.cleaned_data
        assert self.institution is not None
        return services.employee_create(
            actor=_user(self.request),
            institution=self.institution,
            number=data["number"],
            name=data["name"],
            cpr=data["cpr"],
            address=data["address"],
        )

    def success_url_for(self, obj: Any) -> str:
        return reverse("payroll:employee-detail", args=[obj.pk])


class _EmployeeForm(ServiceFormView):
    """A form about one employee (404 for a foreign one; 403 for one who only reads)."""

    proposes = True

    def get_object(self) -> Employee:
        return access_employee(_user(self.request), self.kwargs["pk"])

    def allowed(self) -> bool:
        return access.may_act(_user(self.request), self.object.institution)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["employee"] = self.object
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("payroll:employee-detail", args=[self.object.pk])
        return context

    def success_url_for(self, obj: Any) -> str:
        return reverse("payroll:employee-detail", args=[self.object.pk])

    def propose(
        self, kind: str, values: dict[str, Any], effective_from: Any, target: Any = None
    ) -> PendingChange:
        change: PendingChange = services.change_propose(
            actor=_user(self.request),
            employee=self.object,
            kind=kind,
            values=values,
            effective_from=effective_from,
            target=target,
        )
        return change


_PROPOSED = _("The change waits for another payroll officer's approval.")


class EmployeeAddress(_EmployeeForm):
    form_class = AddressForm
    title = _("Change address")
    success_message = _("The address has been changed.")

    def get_initial(self) -> dict[str, Any]:
        return {"address": self.object.address}

    def perform(self, form: Any) -> Employee:
        return services.employee_address_set(
            actor=_user(self.request), employee=self.object, address=form.cleaned_data["address"]
        )


class EmployeeBank(_EmployeeForm):
    form_class = BankAccountForm
    title = _("Change bank account")
    success_message = _PROPOSED

    def perform(self, form: Any) -> PendingChange:
        return self.propose(
            PendingChange.Kind.BANK_ACCOUNT, form.values(), form.cleaned_data["valid_from"]
        )


class EmployeeElement(_EmployeeForm):
    form_class = PayElementForm
    title = _("New pay element")
    success_message = _PROPOSED

    def perform(self, form: Any) -> PendingChange:
        return self.propose(
            PendingChange.Kind.PAY_ELEMENT, form.values(), form.cleaned_data["valid_from"]
        )


class EmployeeElementEnd(_EmployeeForm):
    form_class = PayElementEndForm
    title = _("End a pay element")
    success_message = _PROPOSED

    def perform(self, form: Any) -> PendingChange:
        data = form.cleaned_data
        return self.propose(
            PendingChange.Kind.PAY_ELEMENT,
            {"valid_to": data["valid_to"]},
            data["valid_to"],
            target=data["element"],
        )


class EmployeeEmployment(_EmployeeForm):
    form_class = EmploymentForm
    title = _("Change hours or cost centre")
    success_message = _PROPOSED

    def perform(self, form: Any) -> PendingChange:
        data = form.cleaned_data
        return self.propose(
            PendingChange.Kind.EMPLOYMENT,
            {"weekly_hours": data["weekly_hours"], "org_unit_id": data["org_unit"].pk},
            data["effective_from"],
            target=data["employment"],
        )


class EmployeeNewEmployment(_EmployeeForm):
    form_class = NewEmploymentForm
    title = _("New employment")
    success_message = _PROPOSED

    def perform(self, form: Any) -> PendingChange:
        return self.propose(
            PendingChange.Kind.EMPLOYMENT, form.values(), form.cleaned_data["start"]
        )
