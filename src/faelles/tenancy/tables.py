"""Tables of the tenancy management pages (django-tables2, DKFDS markup via web/table.html)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from faelles.tenancy.models import (
    ApprovalLimitRequest,
    Delegation,
    Endpoint,
    Institution,
    Membership,
    OperatorStaff,
    OrgUnit,
    ServiceAgreement,
    User,
)


class _ActiveColumn(tables.BooleanColumn):  # type: ignore[misc]
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("verbose_name", _("Active"))
        kwargs.setdefault("yesno", (_("Yes"), _("No")))
        super().__init__(**kwargs)


class InstitutionTable(tables.Table):  # type: ignore[misc]
    name = tables.LinkColumn("tenancy:institution-detail", args=[tables.A("pk")])
    short_name = tables.Column()
    kind = tables.Column()
    cvr = tables.Column()
    parent = tables.Column()
    is_active = _ActiveColumn()

    class Meta:
        model = Institution
        fields = ("name", "short_name", "kind", "cvr", "parent", "is_active")
        empty_text = _("No institutions match.")


class OrgUnitTable(tables.Table):  # type: ignore[misc]
    code = tables.LinkColumn("tenancy:orgunit-detail", args=[tables.A("pk")])
    name = tables.Column()
    parent = tables.Column()
    is_active = _ActiveColumn()

    class Meta:
        model = OrgUnit
        fields = ("code", "name", "parent", "is_active")
        empty_text = _("No org units match.")


class EndpointTable(tables.Table):  # type: ignore[misc]
    identifier = tables.LinkColumn("tenancy:endpoint-detail", args=[tables.A("pk")])
    scheme = tables.Column()
    org_unit = tables.Column(verbose_name=_("Org unit"))
    description = tables.Column()
    is_active = _ActiveColumn()

    class Meta:
        model = Endpoint
        fields = ("identifier", "scheme", "org_unit", "description", "is_active")
        empty_text = _("No endpoints match.")


class UserTable(tables.Table):  # type: ignore[misc]
    username = tables.LinkColumn(
        "tenancy:user-detail", args=[tables.A("pk")], verbose_name=_("Username")
    )
    name = tables.Column(
        verbose_name=_("Name"), accessor="display_name", order_by=("display_name", "username")
    )
    email = tables.Column(verbose_name=_("E-mail"))
    is_active = _ActiveColumn()

    class Meta:
        model = User
        fields = ("username", "name", "email", "is_active")
        empty_text = _("No users match.")

    def render_name(self, record: User) -> str:
        return str(record)


class MembershipTable(tables.Table):  # type: ignore[misc]
    user = tables.LinkColumn(
        "tenancy:user-detail", args=[tables.A("user_id")], verbose_name=_("User")
    )
    role = tables.Column()
    approval_limit = tables.Column(attrs={"td": {"class": "align-text-right"}})
    org_unit = tables.Column(verbose_name=_("Org unit"))
    is_active = _ActiveColumn()
    actions = tables.TemplateColumn(
        template_name="tenancy/_membership_actions.html",
        verbose_name="",
        orderable=False,
    )

    class Meta:
        model = Membership
        fields = ("user", "role", "approval_limit", "org_unit", "is_active")
        empty_text = _("No memberships match.")

    def render_approval_limit(self, value: Decimal) -> str:
        return number_format(value, 2, force_grouping=True)


class DelegationTable(tables.Table):  # type: ignore[misc]
    principal = tables.LinkColumn(
        "tenancy:delegation-detail", args=[tables.A("pk")], verbose_name=_("Principal")
    )
    substitute = tables.Column(verbose_name=_("Substitute"))
    valid_from = tables.DateColumn()
    valid_to = tables.DateColumn()
    reason = tables.Column()
    status = tables.Column(verbose_name=_("Status"), accessor="pk", orderable=False)

    class Meta:
        model = Delegation
        fields = ("principal", "substitute", "valid_from", "valid_to", "reason")
        empty_text = _("No delegations match.")

    def render_status(self, record: Delegation) -> SafeString:
        if record.revoked_at:
            return format_html('<span class="badge badge-small">{}</span>', _("Revoked"))
        return format_html('<span class="badge badge-small badge-success">{}</span>', _("Active"))


class ServiceAgreementTable(tables.Table):  # type: ignore[misc]
    institution = tables.LinkColumn(
        "tenancy:agreement-detail", args=[tables.A("pk")], verbose_name=_("Institution")
    )
    operator = tables.Column(verbose_name=_("Operator"))
    services = tables.Column(orderable=False)
    valid_from = tables.DateColumn()
    valid_to = tables.DateColumn()

    class Meta:
        model = ServiceAgreement
        fields = ("institution", "operator", "services", "valid_from", "valid_to")
        empty_text = _("No service agreements match.")

    def render_services(self, value: list[str]) -> str:
        from faelles.tenancy.models import Service

        labels = dict(Service.choices)
        return ", ".join(str(labels.get(v, v)) for v in value or [])


class OperatorStaffTable(tables.Table):  # type: ignore[misc]
    user = tables.LinkColumn(
        "tenancy:user-detail", args=[tables.A("user_id")], verbose_name=_("User")
    )
    role = tables.Column()
    is_active = _ActiveColumn()
    actions = tables.TemplateColumn(
        template_name="tenancy/_staff_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = OperatorStaff
        fields = ("user", "role", "is_active")
        empty_text = _("No staff match.")


class ApprovalLimitRequestTable(tables.Table):  # type: ignore[misc]
    institution = tables.Column(verbose_name=_("Institution"), accessor="institution__short_name")
    user = tables.LinkColumn(
        "tenancy:user-detail",
        args=[tables.A("membership__user_id")],
        accessor="membership__user",
        verbose_name=_("User"),
        orderable=False,
    )
    requested_limit = tables.Column(attrs={"td": {"class": "align-text-right"}})
    in_force = tables.Column(
        verbose_name=_("Limit in force (DKK)"),
        accessor="membership__approval_limit",
        attrs={"td": {"class": "align-text-right"}},
        orderable=False,
    )
    ceiling = tables.Column(attrs={"td": {"class": "align-text-right"}})
    requested_by = tables.Column(verbose_name=_("Requested by"))
    requested_at = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT")
    state = tables.Column()
    decided_by = tables.Column(verbose_name=_("Decided by"))
    actions = tables.Column(verbose_name="", accessor="pk", orderable=False, empty_values=())

    class Meta:
        model = ApprovalLimitRequest
        fields = (
            "institution",
            "user",
            "requested_limit",
            "in_force",
            "ceiling",
            "requested_by",
            "requested_at",
            "state",
            "decided_by",
        )
        empty_text = _("No approval limit requests match.")

    def __init__(self, *args: Any, viewer: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def render_requested_limit(self, value: Decimal) -> str:
        return number_format(value, 2, force_grouping=True)

    def render_in_force(self, value: Decimal) -> str:
        return number_format(value, 2, force_grouping=True)

    def render_ceiling(self, value: Decimal) -> str:
        return number_format(value, 2, force_grouping=True)

    def render_actions(self, record: ApprovalLimitRequest) -> SafeString | str:
        from django.middleware.csrf import get_token
        from django.urls import reverse

        from faelles.tenancy import access

        viewer = self.viewer
        if (
            viewer is None
            or record.state != ApprovalLimitRequest.State.REQUESTED
            or record.requested_by_id == viewer.pk
            or record.membership.user_id == viewer.pk
            or not access.can_manage_service_agreements(viewer, record.institution)
        ):
            return ""
        request = getattr(self, "request", None)
        token = get_token(request) if request is not None else ""
        return format_html(
            '<div class="faelles-actions m-0">'
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
            'value="{}"><button type="submit" class="function-link">{}</button></form>'
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
            'value="{}"><button type="submit" class="function-link">{}</button></form></div>',
            reverse("tenancy:limit-request-approve", args=[record.pk]),
            token,
            _("Approve"),
            reverse("tenancy:limit-request-refuse", args=[record.pk]),
            token,
            _("Refuse"),
        )
