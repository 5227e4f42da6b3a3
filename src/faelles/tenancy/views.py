"""Management pages for institutions, org units, endpoints, users, memberships, delegations
and service agreements. Every object comes through the access gate (404 for missing and
foreign alike); every write is one call to :mod:`faelles.tenancy.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from faelles.core.access import access_object
from faelles.tenancy import access, selectors, services
from faelles.tenancy.filtersets import (
    DelegationFilterSet,
    EndpointFilterSet,
    InstitutionFilterSet,
    MembershipFilterSet,
    OperatorStaffFilterSet,
    OrgUnitFilterSet,
    ServiceAgreementFilterSet,
    UserFilterSet,
)
from faelles.tenancy.forms import (
    DelegationForm,
    EndpointEditForm,
    EndpointForm,
    InstitutionEditForm,
    InstitutionForm,
    MembershipEditForm,
    MembershipForm,
    OperatorStaffForm,
    OrgUnitEditForm,
    OrgUnitForm,
    ResponsibilityForm,
    ServiceAgreementEditForm,
    ServiceAgreementForm,
    UserEditForm,
    UserForm,
)
from faelles.tenancy.models import (
    Delegation,
    Endpoint,
    Institution,
    Membership,
    OperatorStaff,
    OrgUnit,
    Service,
    ServiceAgreement,
    User,
)
from faelles.tenancy.scopes import (
    OPERATOR_ADMIN,
    visible_institutions,
    visible_users,
    working_institutions,
)
from faelles.tenancy.tables import (
    DelegationTable,
    EndpointTable,
    InstitutionTable,
    MembershipTable,
    OperatorStaffTable,
    OrgUnitTable,
    ServiceAgreementTable,
    UserTable,
)
from faelles.web.forms import add_service_errors
from faelles.web.generic import (
    ManagementListView,
    ObjectPageView,
    ServiceActionView,
    ServiceFormView,
)

# --- who may see what ----------------------------------------------------------------------


def may_view(user: User, institution: Institution) -> bool:
    return visible_institutions(user).filter(pk=institution.pk).exists()


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _gate(model: type[Model], request: HttpRequest, pk: Any) -> Any:
    """The access gate for tenant-owned rows; 404 for missing and foreign alike."""
    return access_object(model, user=_user(request), pk=pk)


# --- institutions --------------------------------------------------------------------------


class InstitutionList(ManagementListView):
    title = _("Institutions")
    table_class = InstitutionTable
    filterset_class = InstitutionFilterSet
    create_url_name = "tenancy:institution-create"
    hidden_filters = ("parent",)
    scoped_to_institution = False

    def base_queryset(self) -> QuerySet[Institution]:
        return (
            visible_institutions(_user(self.request))
            .distinct()
            .select_related("parent")
            .order_by("name")
        )

    def can_create(self) -> bool:
        return access.can_manage_institutions(_user(self.request))


class InstitutionDetail(ObjectPageView):
    template_name = "tenancy/institution_detail.html"

    def get_object(self) -> Institution:
        visible = visible_institutions(_user(self.request)) | selectors.institutions_for_user(
            _user(self.request)
        )
        return get_object_or_404(visible.distinct(), pk=self.kwargs["pk"])

    def may_view(self, obj: Institution) -> bool:
        return may_view(_user(self.request), obj)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        inst: Institution = self.object
        context.update(
            can_edit=access.can_manage_institution(_user(self.request), inst),
            can_add_agreement=access.can_manage_service_agreements(_user(self.request), inst),
            can_work_here=inst != self.institution
            and selectors.institutions_for_user(_user(self.request)).filter(pk=inst.pk).exists(),
            children=selectors.child_institutions(inst),
            agreements=selectors.service_agreements_for(inst),
            org_unit_count=selectors.org_units_for(inst, active_only=True).count(),
            endpoint_count=selectors.endpoints_for(inst, active_only=True).count(),
            user_count=selectors.users_in(inst).count(),
        )
        return context


class InstitutionCreate(ServiceFormView):
    form_class = InstitutionForm
    title = _("New institution")
    success_message = _("The institution has been created.")

    def allowed(self) -> bool:
        return access.can_manage_institutions(_user(self.request))

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": _user(self.request)}

    def perform(self, form: Any) -> Institution:
        return services.institution_create(actor=_user(self.request), **form.cleaned_data)

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:institution-detail", args=[obj.pk])


class InstitutionEdit(InstitutionCreate):
    form_class = InstitutionEditForm
    title = _("Edit institution")
    success_message = _("The institution has been saved.")

    def get_object(self) -> Institution:
        return InstitutionDetail(request=self.request, kwargs=self.kwargs).get_object()

    def allowed(self) -> bool:
        return access.can_manage_institution(_user(self.request), self.object)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_initial(self) -> dict[str, Any]:
        inst: Institution = self.object
        return {
            "name": inst.name,
            "short_name": inst.short_name,
            "kind": inst.kind,
            "cvr": inst.cvr,
            "parent": inst.parent,
            "requires_two_persons": inst.requires_two_persons,
            "is_active": inst.is_active,
        }

    def perform(self, form: Any) -> Institution:
        return services.institution_update(
            actor=_user(self.request), institution=self.object, **form.cleaned_data
        )


# --- tenant-owned objects of the current institution ----------------------------------------


class _TenantList(ManagementListView):
    def can_create(self) -> bool:
        return self.institution is not None and access.can_manage_setup(
            _user(self.request), self.institution
        )


class _TenantObject(ObjectPageView):
    model: type[Model]

    def get_object(self) -> Any:
        return _gate(self.model, self.request, self.kwargs["pk"])

    def may_view(self, obj: Any) -> bool:
        return may_view(_user(self.request), obj.institution)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_edit"] = access.can_manage_setup(_user(self.request), self.object.institution)
        return context


class _TenantCreate(ServiceFormView):
    """Creates in the current institution; only for those who manage its set-up."""

    def _inst(self) -> Institution:
        assert self.institution is not None  # checked in allowed()
        return self.institution  # type: ignore[no-any-return]

    def allowed(self) -> bool:
        return self.institution is not None and access.can_manage_setup(
            _user(self.request), self.institution
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "institution": self.institution}


class _TenantEdit(ServiceFormView):
    model: type[Model]

    def get_object(self) -> Any:
        return _gate(self.model, self.request, self.kwargs["pk"])

    def allowed(self) -> bool:
        return access.can_manage_setup(_user(self.request), self.object.institution)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "institution": self.object.institution}


# org units


class OrgUnitList(_TenantList):
    title = _("Org units")
    table_class = OrgUnitTable
    filterset_class = OrgUnitFilterSet
    create_url_name = "tenancy:orgunit-create"

    def base_queryset(self) -> QuerySet[OrgUnit]:
        if self.institution is None:
            return OrgUnit.objects.none()
        return selectors.org_units_for(self.institution).order_by("code")


class OrgUnitDetail(_TenantObject):
    model = OrgUnit
    template_name = "tenancy/orgunit_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["children"] = self.object.children.order_by("code")
        context["endpoints"] = self.object.endpoints.order_by("scheme", "identifier")
        return context


class OrgUnitCreate(_TenantCreate):
    form_class = OrgUnitForm
    title = _("New org unit")
    success_message = _("The org unit has been created.")

    def perform(self, form: Any) -> OrgUnit:
        return services.org_unit_create(
            actor=_user(self.request), institution=self._inst(), **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:orgunit-detail", args=[obj.pk])


class OrgUnitEdit(_TenantEdit):
    model = OrgUnit
    form_class = OrgUnitEditForm
    title = _("Edit org unit")
    success_message = _("The org unit has been saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_initial(self) -> dict[str, Any]:
        o: OrgUnit = self.object
        return {"code": o.code, "name": o.name, "parent": o.parent, "is_active": o.is_active}

    def perform(self, form: Any) -> OrgUnit:
        return services.org_unit_update(
            actor=_user(self.request), org_unit=self.object, **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:orgunit-detail", args=[obj.pk])


# endpoints


class EndpointList(_TenantList):
    title = _("Endpoints")
    table_class = EndpointTable
    filterset_class = EndpointFilterSet
    create_url_name = "tenancy:endpoint-create"

    def base_queryset(self) -> QuerySet[Endpoint]:
        if self.institution is None:
            return Endpoint.objects.none()
        return selectors.endpoints_for(self.institution)


class EndpointDetail(_TenantObject):
    model = Endpoint
    template_name = "tenancy/endpoint_detail.html"


class EndpointCreate(_TenantCreate):
    form_class = EndpointForm
    title = _("New endpoint")
    success_message = _("The endpoint has been created.")

    def perform(self, form: Any) -> Endpoint:
        return services.endpoint_create(
            actor=_user(self.request), institution=self._inst(), **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:endpoint-detail", args=[obj.pk])


class EndpointEdit(_TenantEdit):
    model = Endpoint
    form_class = EndpointEditForm
    title = _("Edit endpoint")
    success_message = _("The endpoint has been saved.")

    def get_initial(self) -> dict[str, Any]:
        e: Endpoint = self.object
        return {
            "scheme": e.scheme,
            "identifier": e.identifier,
            "org_unit": e.org_unit,
            "description": e.description,
            "is_active": e.is_active,
        }

    def perform(self, form: Any) -> Endpoint:
        return services.endpoint_update(
            actor=_user(self.request), endpoint=self.object, **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:endpoint-detail", args=[obj.pk])


# users


class UserList(_TenantList):
    title = _("Users")
    table_class = UserTable
    filterset_class = UserFilterSet
    create_url_name = "tenancy:user-create"
    hidden_filters = ()

    def base_queryset(self) -> QuerySet[User]:
        if self.institution is None:
            return User.objects.none()
        return selectors.users_in(self.institution)


class UserDetail(ObjectPageView):
    template_name = "tenancy/user_detail.html"

    def get_object(self) -> User:
        return get_object_or_404(visible_users(_user(self.request)), pk=self.kwargs["pk"])

    def may_view(self, obj: User) -> bool:
        return True  # the queryset above already holds only people the user may see

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        viewer = _user(self.request)
        context.update(
            memberships=Membership.objects.filter(
                user=self.object, institution__in=visible_institutions(viewer)
            )
            .select_related("institution", "org_unit")
            .order_by("institution__name", "role"),
            can_edit=access.can_manage_user(viewer, self.object),
            can_grant=self.institution is not None
            and access.can_manage_memberships(viewer, self.institution),
        )
        return context


class UserCreate(_TenantCreate):
    form_class = UserForm
    title = _("New user")
    success_message = _("The user has been created.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("institution")
        return kwargs

    def perform(self, form: Any) -> User:
        data = dict(form.cleaned_data)
        role = data.pop("role")
        data["password"] = data.get("password") or None
        actor = _user(self.request)
        # The person and their first role in the institution are created together, so that
        # nobody is left without somewhere to work.
        with transaction.atomic():
            user = services.user_create(actor=actor, **data)
            services.membership_grant(actor=actor, institution=self._inst(), user=user, role=role)
        return user

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:user-detail", args=[obj.pk])


class UserEdit(ServiceFormView):
    form_class = UserEditForm
    title = _("Edit user")
    success_message = _("The user has been saved.")

    def get_object(self) -> User:
        return get_object_or_404(visible_users(_user(self.request)), pk=self.kwargs["pk"])

    def allowed(self) -> bool:
        return access.can_manage_user(_user(self.request), self.object)

    def get_initial(self) -> dict[str, Any]:
        u: User = self.object
        return {
            "display_name": u.display_name,
            "first_name": u.first_name,
            "last_name": u.last_name,
            "email": u.email,
            "is_active": u.is_active,
        }

    def perform(self, form: Any) -> User:
        data = dict(form.cleaned_data)
        if not data.get("password"):
            data.pop("password", None)
        return services.user_update(actor=_user(self.request), user=self.object, **data)

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:user-detail", args=[obj.pk])


# memberships


class MembershipList(_TenantList):
    title = _("Memberships")
    table_class = MembershipTable
    filterset_class = MembershipFilterSet
    create_url_name = "tenancy:membership-create"
    hidden_filters = ("institution", "user")

    def base_queryset(self) -> QuerySet[Membership]:
        if self.institution is None:
            return Membership.objects.none()
        return selectors.memberships_in(self.institution, active_only=False)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.can_create()
        return context


class MembershipCreate(_TenantCreate):
    form_class = MembershipForm
    title = _("Grant a role")
    success_message = _("The role has been granted.")

    def get_form_kwargs(self) -> dict[str, Any]:
        users = visible_users(_user(self.request)).filter(is_active=True)
        return {**super().get_form_kwargs(), "users": users.order_by("username")}

    def get_initial(self) -> dict[str, Any]:
        return {"user": self.request.GET.get("user")}

    def perform(self, form: Any) -> Membership:
        return services.membership_grant(
            actor=_user(self.request), institution=self._inst(), **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:membership-list")


class MembershipEdit(_TenantEdit):
    model = Membership
    form_class = MembershipEditForm
    title = _("Edit role")
    success_message = _("The role has been saved.")

    def get_initial(self) -> dict[str, Any]:
        m: Membership = self.object
        return {"approval_limit": m.approval_limit, "org_unit": m.org_unit}

    def perform(self, form: Any) -> Membership:
        return services.membership_update(
            actor=_user(self.request), membership=self.object, **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:membership-list")


class MembershipRevoke(ServiceActionView):
    success_message = _("The role has been revoked.")

    def get_object(self) -> Membership:
        membership: Membership = _gate(Membership, self.request, self.kwargs["pk"])
        return membership

    def allowed(self, obj: Membership) -> bool:
        return access.can_manage_memberships(_user(self.request), obj.institution)

    def perform(self, obj: Membership) -> None:
        services.membership_revoke(actor=_user(self.request), membership=obj)

    def redirect_url(self, obj: Membership) -> str:
        return reverse("tenancy:membership-list")


# delegations


class DelegationList(_TenantList):
    title = _("Delegations")
    table_class = DelegationTable
    filterset_class = DelegationFilterSet
    create_url_name = "tenancy:delegation-create"

    def base_queryset(self) -> QuerySet[Delegation]:
        if self.institution is None:
            return Delegation.objects.none()
        return selectors.delegations_in(self.institution, include_revoked=True)


class DelegationDetail(_TenantObject):
    model = Delegation
    template_name = "tenancy/delegation_detail.html"


class DelegationCreate(_TenantCreate):
    form_class = DelegationForm
    title = _("New delegation")
    success_message = _("The delegation has been created.")

    def perform(self, form: Any) -> Delegation:
        return services.delegation_create(
            actor=_user(self.request), institution=self._inst(), **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:delegation-detail", args=[obj.pk])


class DelegationRevoke(ServiceActionView):
    success_message = _("The delegation has been revoked.")

    def get_object(self) -> Delegation:
        delegation: Delegation = _gate(Delegation, self.request, self.kwargs["pk"])
        return delegation

    def allowed(self, obj: Delegation) -> bool:
        return access.can_manage_delegations(_user(self.request), obj.institution)

    def perform(self, obj: Delegation) -> None:
        services.delegation_revoke(actor=_user(self.request), delegation=obj)

    def redirect_url(self, obj: Delegation) -> str:
        return reverse("tenancy:delegation-detail", args=[obj.pk])


# service agreements


class ServiceAgreementList(_TenantList):
    title = _("Service agreements")
    table_class = ServiceAgreementTable
    filterset_class = ServiceAgreementFilterSet
    create_url_name = "tenancy:agreement-create"

    def base_queryset(self) -> QuerySet[ServiceAgreement]:
        if self.institution is None:
            return ServiceAgreement.objects.none()
        return selectors.service_agreements_for(self.institution).select_related("institution")

    def can_create(self) -> bool:
        return self.institution is not None and access.can_manage_service_agreements(
            _user(self.request), self.institution
        )


class ServiceAgreementDetail(_TenantObject):
    model = ServiceAgreement
    template_name = "tenancy/agreement_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        agreement: ServiceAgreement = self.object
        can_edit = access.can_manage_service_agreements(_user(self.request), agreement.institution)
        labels = dict(Service.choices)
        rows = list(selectors.responsibility_matrix(agreement))
        matrix = [
            {
                "service": service,
                "label": labels.get(service, service),
                "rows": [r for r in rows if r.service == service],
            }
            for service in agreement.services
        ]
        context.update(
            can_edit=can_edit,
            service_labels=[labels.get(s, s) for s in agreement.services],
            matrix=matrix,
            responsibility_form=(
                ResponsibilityForm(services=agreement.services, auto_id="resp_%s")
                if can_edit
                else None
            ),
        )
        return context


class ServiceAgreementCreate(_TenantCreate):
    """For the current institution, or (``?institution=<id>``) for one being onboarded."""

    form_class = ServiceAgreementForm
    title = _("New service agreement")
    success_message = _("The service agreement has been created.")

    def prepare(self) -> None:
        wanted = self.request.GET.get("institution")
        if wanted:
            if not wanted.isdigit():
                raise Http404
            self.institution = get_object_or_404(
                working_institutions(_user(self.request)), pk=int(wanted)
            )
        super().prepare()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form_institution"] = self.institution
        return context

    def allowed(self) -> bool:
        return self.institution is not None and access.can_manage_service_agreements(
            _user(self.request), self.institution
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("institution")
        return kwargs

    def perform(self, form: Any) -> ServiceAgreement:
        return services.service_agreement_create(
            actor=_user(self.request), institution=self._inst(), **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:agreement-detail", args=[obj.pk])


class ServiceAgreementEdit(ServiceFormView):
    form_class = ServiceAgreementEditForm
    title = _("Edit service agreement")
    success_message = _("The service agreement has been saved.")

    def get_object(self) -> ServiceAgreement:
        agreement: ServiceAgreement = _gate(ServiceAgreement, self.request, self.kwargs["pk"])
        return agreement

    def allowed(self) -> bool:
        return access.can_manage_service_agreements(_user(self.request), self.object.institution)

    def get_initial(self) -> dict[str, Any]:
        a: ServiceAgreement = self.object
        return {
            "services": a.services,
            "valid_from": a.valid_from,
            "valid_to": a.valid_to,
            "staff": list(a.staff.all()),
            "note": a.note,
        }

    def perform(self, form: Any) -> ServiceAgreement:
        return services.service_agreement_update(
            actor=_user(self.request), agreement=self.object, **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:agreement-detail", args=[obj.pk])


class ResponsibilitySet(ServiceActionView):
    """Add or change one row of the responsibility matrix (POST from the agreement page)."""

    success_message = _("The responsibility has been saved.")

    def get_object(self) -> ServiceAgreement:
        agreement: ServiceAgreement = _gate(ServiceAgreement, self.request, self.kwargs["pk"])
        return agreement

    def allowed(self, obj: ServiceAgreement) -> bool:
        return access.can_manage_service_agreements(_user(self.request), obj.institution)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        agreement: ServiceAgreement = self.object
        form = ResponsibilityForm(request.POST, services=agreement.services)
        url = reverse("tenancy:agreement-detail", args=[agreement.pk])
        if form.is_valid():
            try:
                services.responsibility_set(
                    actor=_user(request), agreement=agreement, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, str(self.success_message))
                return HttpResponseRedirect(url)
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {error}" if label else str(error))
        return HttpResponseRedirect(url)


# operator staff


def _own_staff(user: User) -> QuerySet[OperatorStaff]:
    """Staff roles of the operator the user works for (none for everyone else)."""
    operator = selectors.operator_for_staff(user)
    if operator is None:
        return OperatorStaff.objects.none()
    return selectors.operator_staff(operator)


class OperatorStaffList(ManagementListView):
    title = _("Operator staff")
    table_class = OperatorStaffTable
    filterset_class = OperatorStaffFilterSet
    create_url_name = "tenancy:staff-create"
    view_roles = frozenset({OPERATOR_ADMIN})
    hidden_filters = ()
    scoped_to_institution = False

    def base_queryset(self) -> QuerySet[OperatorStaff]:
        return _own_staff(_user(self.request))

    def can_create(self) -> bool:
        return access.can_manage_operator_staff(_user(self.request))


class OperatorStaffCreate(ServiceFormView):
    form_class = OperatorStaffForm
    title = _("Give a staff role")
    success_message = _("The staff role has been granted.")

    def allowed(self) -> bool:
        user = _user(self.request)
        return access.can_manage_operator_staff(user) and (
            selectors.operator_for_staff(user) is not None
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form_institution"] = selectors.operator_for_staff(_user(self.request))
        return context

    def perform(self, form: Any) -> OperatorStaff:
        operator = selectors.operator_for_staff(_user(self.request))
        assert operator is not None  # checked in allowed()
        return services.operator_staff_grant(
            actor=_user(self.request), operator=operator, **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:staff-list")


class OperatorStaffRevoke(ServiceActionView):
    success_message = _("The staff role has been revoked.")

    def get_object(self) -> OperatorStaff:
        return get_object_or_404(_own_staff(_user(self.request)), pk=self.kwargs["pk"])

    def allowed(self, obj: OperatorStaff) -> bool:
        return access.can_manage_operator_staff(_user(self.request))

    def perform(self, obj: OperatorStaff) -> None:
        services.operator_staff_revoke(actor=_user(self.request), staff=obj)

    def redirect_url(self, obj: OperatorStaff) -> str:
        return reverse("tenancy:staff-list")
