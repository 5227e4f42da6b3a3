"""Every write to tenancy data.

Each service is keyword-only, takes the acting user as ``actor=``, runs in one transaction,
validates with ``full_clean()`` (nothing is saved when validation fails) and records an audit
event in the same transaction. ``actor=None`` means the system itself (management commands,
the demo loader); a real actor is checked against :mod:`faelles.tenancy.access` first.

Changes to the operator's own records (institutions, users, operator staff) go to the operator
audit chain; everything inside an institution goes to that institution's chain.

The writes live in one module per subject (:mod:`.organisation`, :mod:`.users`,
:mod:`.memberships` with approval limits, :mod:`.staff`, :mod:`.delegations`,
:mod:`.agreements`; what they share in :mod:`.common`); this package re-exports every
write, so adapters call ``services.<write>``.
"""

from faelles.tenancy.services.agreements import (
    responsibility_set,
    service_agreement_create,
    service_agreement_update,
)
from faelles.tenancy.services.common import UNSET, access_refused, acts_for
from faelles.tenancy.services.delegations import delegation_create, delegation_revoke
from faelles.tenancy.services.memberships import (
    DEFAULT_APPROVAL_LIMIT_CEILING,
    approval_limit_ceiling,
    approval_limit_request_approve,
    approval_limit_request_refuse,
    membership_grant,
    membership_revoke,
    membership_update,
    pending_limit_request,
)
from faelles.tenancy.services.organisation import (
    endpoint_create,
    endpoint_deactivate,
    endpoint_update,
    institution_create,
    institution_update,
    operator_create,
    operator_update,
    org_unit_create,
    org_unit_deactivate,
    org_unit_update,
)
from faelles.tenancy.services.staff import operator_staff_grant, operator_staff_revoke
from faelles.tenancy.services.users import (
    sso_enabled,
    system_user,
    user_change_own_password,
    user_create,
    user_password_link_send,
    user_password_set_from_link,
    user_update,
)

__all__ = [
    "DEFAULT_APPROVAL_LIMIT_CEILING",
    "UNSET",
    "access_refused",
    "acts_for",
    "approval_limit_ceiling",
    "approval_limit_request_approve",
    "approval_limit_request_refuse",
    "delegation_create",
    "delegation_revoke",
    "endpoint_create",
    "endpoint_deactivate",
    "endpoint_update",
    "institution_create",
    "institution_update",
    "membership_grant",
    "membership_revoke",
    "membership_update",
    "operator_create",
    "operator_staff_grant",
    "operator_staff_revoke",
    "operator_update",
    "org_unit_create",
    "org_unit_deactivate",
    "org_unit_update",
    "pending_limit_request",
    "responsibility_set",
    "service_agreement_create",
    "service_agreement_update",
    "sso_enabled",
    "system_user",
    "user_change_own_password",
    "user_create",
    "user_password_link_send",
    "user_password_set_from_link",
    "user_update",
]
