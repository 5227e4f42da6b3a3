"""The web shell: login, logout, institution switcher, start page and API token page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from faelles.tenancy import services
from faelles.tenancy.middleware import SESSION_KEY
from faelles.tenancy.models import (
    Delegation,
    Membership,
    Role,
    Service,
    ServiceAgreement,
    StaffRole,
)
from faelles.tenancy.selectors import institutions_for_user
from faelles.web import throttle
from faelles.web.forms import (
    InstitutionSwitchForm,
    LoginForm,
    PasswordChangeForm,
    add_service_errors,
    locked_error,
)
from faelles.web.navigation import start_panels_for
from faelles.web.permissions import LOCAL_ADMIN, request_roles, staff_roles


class LoginView(auth_views.LoginView):
    """Throttled login; people without any role anywhere are refused with a clear message."""

    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _role_labels(roles: set[str]) -> list[str]:
    labels = dict(Role.choices) | dict(StaffRole.choices)
    return sorted(str(labels.get(r, r)) for r in roles)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what each role needs first."""
    user: Any = request.user
    institution = getattr(request, "institution", None)
    roles = request_roles(request)
    staff = staff_roles(user)
    today: date = timezone.localdate()
    context: dict[str, Any] = {
        "roles": _role_labels(roles),
        "is_staff_member": bool(staff),
        "is_local_admin": LOCAL_ADMIN in roles,
    }
    if staff:
        served = institutions_for_user(user).annotate(
            user_count=Count(
                "memberships__user", filter=Q(memberships__is_active=True), distinct=True
            ),
            endpoint_count=Count("endpoints", filter=Q(endpoints__is_active=True), distinct=True),
        )
        agreements = (
            ServiceAgreement.objects.filter(institution__in=served, valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .order_by("valid_from")
        )
        services_by_inst: dict[int, list[str]] = {}
        for agreement in agreements:
            services_by_inst.setdefault(agreement.institution_id, []).extend(
                agreement.services or []
            )
        labels = dict(Service.choices)
        context["served"] = [
            (inst, sorted({str(labels.get(s, s)) for s in services_by_inst.get(inst.pk, [])}))
            for inst in served
        ]
    if institution is not None and LOCAL_ADMIN in roles:
        users = (
            Membership.objects.for_institution(institution)
            .filter(is_active=True)
            .values("user")
            .distinct()
            .count()
        )
        delegations = (
            Delegation.objects.for_institution(institution)
            .filter(revoked_at__isnull=True, valid_to__gte=today)
            .count()
        )
        context["admin_counts"] = True
        context["admin_cards"] = [
            (_("Users"), users, "tenancy:user-list", _("Manage users")),
            (
                _("Endpoints"),
                institution.endpoints.filter(is_active=True).count(),
                "tenancy:endpoint-list",
                _("Manage endpoints"),
            ),
            (
                _("Org units"),
                institution.org_units.filter(is_active=True).count(),
                "tenancy:orgunit-list",
                _("Manage org units"),
            ),
            (_("Delegations"), delegations, "tenancy:delegation-list", _("Manage delegations")),
        ]
    if institution is not None:
        current = Delegation.objects.for_institution(institution).filter(
            revoked_at__isnull=True, valid_from__lte=today, valid_to__gte=today
        )
        context["delegations_received"] = current.filter(substitute=user).select_related(
            "principal"
        )
        context["delegations_given"] = current.filter(principal=user).select_related("substitute")
    context["panels"] = start_panels_for(request)
    return render(request, "web/home.html", context)


@require_POST
@login_required
def switch_institution(request: HttpRequest) -> HttpResponse:
    """Choose the institution to work in; only one of ``institutions_for_user`` (else 404)."""
    form = InstitutionSwitchForm(request.POST)
    if not form.is_valid():
        raise Http404
    user: Any = request.user
    chosen = institutions_for_user(user).filter(pk=form.cleaned_data["institution"]).first()
    if chosen is None:
        raise Http404
    request.session[SESSION_KEY] = chosen.pk
    messages.success(request, _("You are now working in %(name)s.") % {"name": chosen.name})
    target = form.cleaned_data.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("web:home")
    return HttpResponseRedirect(target)


@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """Create or replace the user's API token; the key is shown once, right after creation."""
    user: Any = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        Token.objects.filter(user=user).delete()
        if action == "delete":
            messages.success(request, _("Your API token has been deleted."))
            return redirect("web:api-token")
        token = Token.objects.create(user=user)
        messages.success(request, _("A new API token has been created."))
        return render(request, "web/api_token.html", {"new_key": token.key, "has_token": True})
    has_token = Token.objects.filter(user=user).exists()
    return render(request, "web/api_token.html", {"has_token": has_token})


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (through the service, which checks and audits it)."""
    user: Any = request.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The current-password check is a password guess like a login: same counters, same lock.
        address = throttle.client_address(request)
        wait = throttle.locked_for_seconds(user.get_username(), address)
        if wait:
            form.add_error(None, locked_error(wait))
            return render(request, "web/password_change.html", {"form": form}, status=429)
        try:
            services.user_change_own_password(
                actor=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "old_password" in exc.error_dict:
                throttle.login_failure_record(username=user.get_username(), address=address)
            if hasattr(exc, "error_dict") and "password" in exc.error_dict:
                exc = ValidationError({"new_password1": exc.error_dict.pop("password")})
            add_service_errors(form, exc)
        else:
            throttle.login_success_record(username=user.get_username())
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect("web:home")
    return render(request, "web/password_change.html", {"form": form})
