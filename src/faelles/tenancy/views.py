"""Management pages for institutions, org units, endpoints, users, memberships, delegations
and service agreements. Every object comes through the access gate (404 for missing and
foreign alike); every write is one call to :mod:`faelles.tenancy.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from faelles.core.access import access_object
from faelles.tenancy import access, selectors, services
from faelles.tenancy.filtersets import (
    ApprovalLimitRequestFilterSet,
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
    LimitRequestDecisionForm,
    MembershipEditForm,
    MembershipForm,
    OperatorStaffForm,
    OrgUnitEditForm,
    OrgUnitForm,
    PasswordSetForm,
    ResponsibilityForm,
    ServiceAgreementEditForm,
    ServiceAgreementForm,
    UserEditForm,
    UserForm,
)
from faelles.tenancy.models import (
    ApprovalLimitRequest,
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
from faelles.tenancy.roles import Area
from faelles.tenancy.roles import view_roles as area_roles
from faelles.tenancy.scopes import (
    visible_institutions,
    visible_users,
    working_institutions,
)
from faelles.tenancy.tables import (
    ApprovalLimitRequestTable,
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


class _RecordRefusal:
    """A write page whose refused POST is an audit event (``<refusal_action>.refused``),
    like the refusals of the services behind it; a refused GET only answers 403."""

    request: HttpRequest
    institution: Institution | None
    object: Any
    refusal_action = ""

    def refusal_institution(self) -> Institution | None:
        inst = getattr(self.object, "institution", None)
        if isinstance(inst, Institution):
            return inst
        if isinstance(self.object, User | OperatorStaff):
            return None
        return self.institution

    def prepare(self) -> None:
        try:
            super().prepare()  # type: ignore[misc]
        except PermissionDenied:
            if self.request.method == "POST" and self.refusal_action:
                services.access_refused(
                    actor=_user(self.request),
                    action=self.refusal_action,
                    institution=self.refusal_institution(),
                    obj=self.object if isinstance(self.object, Model) else None,
                )
            raise


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
            can_send_link=access.can_manage_user(viewer, self.object)
            and not services.sso_enabled()
            and self.object.is_active,
            can_grant=self.institution is not None
            and access.can_manage_memberships(viewer, self.institution),
        )
        return context


class UserCreate(_RecordRefusal, _TenantCreate):
    form_class = UserForm
    title = _("New user")
    success_message = _("The user has been created.")
    refusal_action = "user.create"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("institution")
        return kwargs

    def perform(self, form: Any) -> User:
        data = dict(form.cleaned_data)
        role = data.pop("role")
        actor = _user(self.request)
        # The person and their first role in the institution are created together, so that
        # nobody is left without somewhere to work. The user sets their own password from the
        # link mailed once this commits.
        with transaction.atomic():
            user = services.user_create(
                actor=actor, link_base_url=self.request.build_absolute_uri("/"), **data
            )
            services.membership_grant(actor=actor, institution=self._inst(), user=user, role=role)
        if user.email and not services.sso_enabled():
            messages.info(
                self.request,
                gettext("A link to set the password has been sent to %(email)s.")
                % {"email": user.email},
            )
        return user

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:user-detail", args=[obj.pk])


class UserEdit(_RecordRefusal, ServiceFormView):
    form_class = UserEditForm
    title = _("Edit user")
    success_message = _("The user has been saved.")
    refusal_action = "user.update"

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
        return services.user_update(
            actor=_user(self.request), user=self.object, **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:user-detail", args=[obj.pk])


class UserPasswordLink(_RecordRefusal, ServiceActionView):
    """Mail the user a one-time link to set their own password (administrators never set it)."""

    refusal_action = "user.password_link"

    def get_object(self) -> User:
        return get_object_or_404(visible_users(_user(self.request)), pk=self.kwargs["pk"])

    def allowed(self, obj: User) -> bool:
        return access.can_manage_user(_user(self.request), obj)

    def perform(self, obj: User) -> None:
        services.user_password_link_send(
            actor=_user(self.request), user=obj, base_url=self.request.build_absolute_uri("/")
        )
        messages.success(
            self.request,
            gettext("A link to set the password has been sent to %(email)s.")
            % {"email": obj.email},
        )

    def redirect_url(self, obj: User) -> str:
        return reverse("tenancy:user-detail", args=[obj.pk])


class PasswordSet(PasswordResetConfirmView):
    """The page a one-time link opens: the user sets their own password (Django's token check,
    then the service, which validates and audits it). The link stops working once used."""

    template_name = "tenancy/password_set.html"
    form_class = PasswordSetForm
    post_reset_login = False

    def get_success_url(self) -> str:
        return reverse("web:login")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.user_password_set_from_link(
                actor=form.user, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "password" in exc.error_dict:
                exc = ValidationError({"new_password2": exc.error_dict.pop("password")})
            add_service_errors(form, exc)
            return self.form_invalid(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, gettext("Your password has been set. You can log in now."))
        return HttpResponseRedirect(self.get_success_url())


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


def _announce_pending(request: HttpRequest, membership: Membership) -> None:
    pending = getattr(membership, "pending_limit_request", None)
    if pending is None:
        return
    messages.warning(
        request,
        gettext(
            "The approval limit of %(requested)s kr. is above the institution's ceiling of "
            "%(ceiling)s kr. and awaits an operator administrator's approval. Limit in force "
            "until then: %(in_force)s kr."
        )
        % {
            "requested": number_format(pending.requested_limit, 2, force_grouping=True),
            "ceiling": number_format(pending.ceiling, 2, force_grouping=True),
            "in_force": number_format(membership.approval_limit or 0, 2, force_grouping=True),
        },
    )


class MembershipCreate(_RecordRefusal, _TenantCreate):
    form_class = MembershipForm
    title = _("Grant a role")
    success_message = _("The role has been granted.")
    refusal_action = "membership.grant"

    def get_form_kwargs(self) -> dict[str, Any]:
        users = visible_users(_user(self.request)).filter(is_active=True)
        return {**super().get_form_kwargs(), "users": users.order_by("username")}

    def get_initial(self) -> dict[str, Any]:
        return {"user": self.request.GET.get("user")}

    def perform(self, form: Any) -> Membership:
        membership = services.membership_grant(
            actor=_user(self.request), institution=self._inst(), **form.cleaned_data
        )
        _announce_pending(self.request, membership)
        return membership

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:membership-list")


class MembershipEdit(_RecordRefusal, _TenantEdit):
    model = Membership
    form_class = MembershipEditForm
    title = _("Edit role")
    success_message = _("The role has been saved.")
    refusal_action = "membership.update"

    def get_initial(self) -> dict[str, Any]:
        m: Membership = self.object
        return {"approval_limit": m.approval_limit, "org_unit": m.org_unit}

    def perform(self, form: Any) -> Membership:
        membership = services.membership_update(
            actor=_user(self.request), membership=self.object, **form.cleaned_data
        )
        _announce_pending(self.request, membership)
        return membership

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:membership-list")


class MembershipRevoke(_RecordRefusal, ServiceActionView):
    success_message = _("The role has been revoked.")
    refusal_action = "membership.revoke"

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


class DelegationCreate(_RecordRefusal, _TenantCreate):
    form_class = DelegationForm
    title = _("New delegation")
    success_message = _("The delegation has been created.")
    refusal_action = "delegation.create"

    def perform(self, form: Any) -> Delegation:
        return services.delegation_create(
            actor=_user(self.request), institution=self._inst(), **form.cleaned_data
        )

    def success_url_for(self, obj: Model) -> str:
        return reverse("tenancy:delegation-detail", args=[obj.pk])


class DelegationRevoke(_RecordRefusal, ServiceActionView):
    success_message = _("The delegation has been revoked.")
    refusal_action = "delegation.revoke"

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
            "approval_limit_ceiling": a.approval_limit_ceiling,
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
    view_roles = area_roles(Area.OPERATOR_STAFF)
    hidden_filters = ()
    scoped_to_institution = False

    def base_queryset(self) -> QuerySet[OperatorStaff]:
        return _own_staff(_user(self.request))

    def can_create(self) -> bool:
        return access.can_manage_operator_staff(_user(self.request))


class OperatorStaffCreate(_RecordRefusal, ServiceFormView):
    form_class = OperatorStaffForm
    title = _("Give a staff role")
    success_message = _("The staff role has been granted.")
    refusal_action = "operator_staff.grant"

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


class OperatorStaffRevoke(_RecordRefusal, ServiceActionView):
    success_message = _("The staff role has been revoked.")
    refusal_action = "operator_staff.revoke"

    def get_object(self) -> OperatorStaff:
        return get_object_or_404(_own_staff(_user(self.request)), pk=self.kwargs["pk"])

    def allowed(self, obj: OperatorStaff) -> bool:
        return access.can_manage_operator_staff(_user(self.request))

    def perform(self, obj: OperatorStaff) -> None:
        services.operator_staff_revoke(actor=_user(self.request), staff=obj)

    def redirect_url(self, obj: OperatorStaff) -> str:
        return reverse("tenancy:staff-list")


# approval-limit requests


def _limit_requests(user: User) -> QuerySet[ApprovalLimitRequest]:
    """Requests of the institutions whose administration the user may read."""
    return ApprovalLimitRequest.objects.filter(
        institution__in=visible_institutions(user)
    ).select_related("institution", "membership__user", "requested_by", "decided_by", "membership")


class ApprovalLimitRequestList(ManagementListView):
    """Approval limits above a ceiling, waiting for (or decided by) an operator administrator."""

    title = _("Approval limit requests")
    table_class = ApprovalLimitRequestTable
    filterset_class = ApprovalLimitRequestFilterSet
    hidden_filters = ()
    scoped_to_institution = False

    def base_queryset(self) -> QuerySet[ApprovalLimitRequest]:
        return _limit_requests(_user(self.request)).order_by("-requested_at", "-pk")

    def get_table_kwargs(self) -> dict[str, Any]:
        return {"viewer": _user(self.request)}


class _LimitRequestDecision(_RecordRefusal, ServiceActionView):
    approve = True

    def get_object(self) -> ApprovalLimitRequest:
        return get_object_or_404(_limit_requests(_user(self.request)), pk=self.kwargs["pk"])

    def allowed(self, obj: ApprovalLimitRequest) -> bool:
        return access.can_manage_service_agreements(_user(self.request), obj.institution)

    def perform(self, obj: ApprovalLimitRequest) -> None:
        form = LimitRequestDecisionForm(self.request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        service = (
            services.approval_limit_request_approve
            if self.approve
            else services.approval_limit_request_refuse
        )
        service(actor=_user(self.request), limit_request=obj, reason=reason)

    def redirect_url(self, obj: ApprovalLimitRequest) -> str:
        return reverse("tenancy:limit-request-list")


class ApprovalLimitRequestApprove(_LimitRequestDecision):
    success_message = _("The approval limit has been approved and is now in force.")
    refusal_action = "approval_limit_request.approve"


class ApprovalLimitRequestRefuse(_LimitRequestDecision):
    success_message = _("The approval limit request has been refused.")
    refusal_action = "approval_limit_request.refuse"
    approve = False
