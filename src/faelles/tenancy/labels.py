"""Human, translatable labels of the tenancy audit actions and detail keys (collected with every
app's by :mod:`faelles.web.labels`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faelles.tenancy.models import Role, Service, StaffRole

ACTION_LABELS: dict[str, str | Promise] = {
    "operator.create": _("Operator created"),
    "operator.update": _("Operator changed"),
    "institution.create": _("Institution created"),
    "institution.update": _("Institution changed"),
    "org_unit.create": _("Organisational unit created"),
    "org_unit.update": _("Organisational unit changed"),
    "endpoint.create": _("Endpoint created"),
    "endpoint.update": _("Endpoint changed"),
    "user.create": _("User created"),
    "user.update": _("User changed"),
    "user.password_link": _("Password link sent"),
    "user.password_set": _("Password set"),
    "user.password_change": _("Password changed"),
    "membership.grant": _("Role granted"),
    "membership.update": _("Role changed"),
    "membership.revoke": _("Role revoked"),
    "operator_staff.grant": _("Operator staff role granted"),
    "operator_staff.revoke": _("Operator staff role revoked"),
    "delegation.create": _("Substitute appointed"),
    "delegation.revoke": _("Substitution revoked"),
    "service_agreement.create": _("Service agreement created"),
    "service_agreement.update": _("Service agreement changed"),
    "responsibility.set": _("Division of tasks set"),
    "approval_limit_request.create": _("Approval limit requested"),
    "approval_limit_request.withdraw": _("Approval limit request withdrawn"),
    "approval_limit_request.approve": _("Approval limit request approved"),
    "approval_limit_request.refuse": _("Approval limit request refused"),
}

DETAIL_LABELS: dict[str, str | Promise] = {
    "approval_limit": _("Approval limit"),
    "approval_limit_ceiling": _("Ceiling of the approval limit"),
    "ceiling": _("Ceiling"),
    "limit_in_force": _("Limit in force"),
    "requested_limit": _("Requested limit"),
    "classification": _("Classification"),
    "cvr": _("CVR number"),
    "gln": _("GLN"),
    "email": _("E-mail"),
    "endpoint": _("Endpoint"),
    "identifier": _("Identifier"),
    "scheme": _("Scheme"),
    "membership": _("Membership"),
    "operator": _("Operator"),
    "org_unit": _("Organisational unit"),
    "owner": _("Responsible"),
    "parent": _("Parent"),
    "password": _("Password"),
    "principal": _("Principal"),
    "request": _("Request"),
    "service": _("Service"),
    "services": _("Services"),
    "short_name": _("Short name"),
    "staff": _("Staff"),
    "substitute": _("Substitute"),
    "username": _("User name"),
    "valid_from": _("Valid from"),
    "valid_to": _("Valid to"),
    "fields": _("Fields"),
    "changed": _("Changed"),
    "change": _("Change"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "is_active": _("Active"),
}

VALUE_LABELS: dict[str, dict[str, str | Promise]] = {
    "role": {**dict(Role.choices), **dict(StaffRole.choices)},
    "service": dict(Service.choices),
    "services": dict(Service.choices),
}
