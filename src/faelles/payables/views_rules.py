"""The institution's routing and coding rules: the list, creating and editing a rule, deactivating
and reactivating one (rules are never deleted).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from faelles.payables import coding, routing, selectors, services
from faelles.payables.forms import CodingRuleForm, RoutingRuleForm
from faelles.payables.models import CodingRule, RoutingRule
from faelles.payables.views_common import _errors, _Page, _RulePage, _user
from faelles.tenancy import selectors as tenancy
from faelles.tenancy.models import Institution
from faelles.web.generic import ServiceFormView


class RuleListView(_RulePage, _Page):
    """The institution's routing and coding rules."""

    def get(self, request: HttpRequest) -> HttpResponse:
        institution = self.rule_institution()
        roles = tenancy.roles_for(_user(request), institution)
        context = {
            "title": _("Routing and coding rules"),
            "routing_rules": selectors.routing_rules(institution),
            "coding_rules": selectors.coding_rules(institution),
            "may_route": bool(roles & routing.RULE_ROLES),
            "may_code": bool(roles & coding.RULE_ROLES),
        }
        return render(request, "payables/rules.html", context)


class _RuleCreate(_RulePage, ServiceFormView):
    def allowed(self) -> bool:
        return self.may_manage(self.rule_institution())

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "institution": self.rule_institution()}

    def success_url_for(self, obj: Any) -> str:
        return reverse("payables:rules")


class RoutingRuleCreate(_RuleCreate):
    form_class = RoutingRuleForm
    title = _("New routing rule")
    success_message = _("The routing rule has been added.")
    rule_roles = routing.RULE_ROLES

    def perform(self, form: Any) -> Any:
        return services.routing_rule_create(
            actor=_user(self.request), institution=self.rule_institution(), **form.cleaned_data
        )


class CodingRuleCreate(_RuleCreate):
    form_class = CodingRuleForm
    title = _("New coding rule")
    success_message = _("The coding rule has been added.")
    rule_roles = coding.RULE_ROLES

    def perform(self, form: Any) -> Any:
        return services.coding_rule_create(
            actor=_user(self.request), institution=self.rule_institution(), **form.cleaned_data
        )


def _rule_for(request: HttpRequest, model: type[Any], pk: Any) -> Any:
    """A rule of the institution the user works in, through the access gate: another
    institution's rule answers 404 exactly like a missing one."""
    user = _user(request)
    institution: Institution | None = getattr(request, "institution", None)
    return selectors.access_payables_object(
        model.objects.select_related("institution", "vendor"), user, pk, institution=institution
    )


class _RuleUpdate(_RulePage, ServiceFormView):
    model: type[Any]
    fields: tuple[str, ...] = ()

    def get_object(self) -> Any:
        return _rule_for(self.request, self.model, self.kwargs["pk"])

    def allowed(self) -> bool:
        return self.may_manage(self.object.institution)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "institution": self.object.institution}

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.object, name) for name in self.fields}

    def success_url_for(self, obj: Any) -> str:
        return reverse("payables:rules")


class RoutingRuleUpdate(_RuleUpdate):
    form_class = RoutingRuleForm
    model = RoutingRule
    fields = ("priority", "buyer_reference", "order_reference", "vendor", "endpoint", "requester")
    title = _("Edit routing rule")
    success_message = _("The routing rule has been changed.")
    rule_roles = routing.RULE_ROLES

    def perform(self, form: Any) -> Any:
        return routing.routing_rule_update(
            actor=_user(self.request), rule=self.object, **form.cleaned_data
        )


class CodingRuleUpdate(_RuleUpdate):
    form_class = CodingRuleForm
    model = CodingRule
    fields = (
        "priority",
        "vendor",
        "classification",
        "text_contains",
        "account",
        "org_unit",
        "purpose",
        "vat_code",
    )
    title = _("Edit coding rule")
    success_message = _("The coding rule has been changed.")
    rule_roles = coding.RULE_ROLES

    def perform(self, form: Any) -> Any:
        return coding.coding_rule_update(
            actor=_user(self.request), rule=self.object, **form.cleaned_data
        )


_RULE_ACTIONS: dict[tuple[str, str], tuple[type[Any], frozenset[str], Callable[..., Any]]] = {
    ("routing", "deactivate"): (
        RoutingRule,
        routing.RULE_ROLES,
        routing.routing_rule_deactivate,
    ),
    ("routing", "reactivate"): (
        RoutingRule,
        routing.RULE_ROLES,
        routing.routing_rule_reactivate,
    ),
    ("coding", "deactivate"): (CodingRule, coding.RULE_ROLES, coding.coding_rule_deactivate),
    ("coding", "reactivate"): (CodingRule, coding.RULE_ROLES, coding.coding_rule_reactivate),
}


class RuleActiveView(_Page):
    """Deactivate or reactivate a routing or coding rule (POST); rules are never deleted."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
        if (kind, action) not in _RULE_ACTIONS:
            raise Http404
        model, roles, service = _RULE_ACTIONS[(kind, action)]
        rule = _rule_for(request, model, pk)
        if not tenancy.roles_for(_user(request), rule.institution) & roles:
            raise PermissionDenied
        try:
            service(actor=_user(request), rule=rule)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("The rule has been deactivated.")
                if action == "deactivate"
                else _("The rule has been reactivated."),
            )
        return HttpResponseRedirect(reverse("payables:rules"))
