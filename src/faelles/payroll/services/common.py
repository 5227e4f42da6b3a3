"""What every payroll service shares: the final states and the permission check."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from faelles.core.audit import Refused
from faelles.payroll import access
from faelles.payroll.models import PayRun
from faelles.tenancy.models import Institution

ZERO = Decimal("0.00")

State = PayRun.State

FINAL_STATES = (State.APPROVED, State.SECOND_APPROVED, State.PAID)
"""States whose payslips are never recalculated: a change to their period is a retro case."""


# --- permissions --------------------------------------------------------------------------


def _require_act(actor: Any, institution: Institution, action: str, obj: Any = None) -> None:
    if not access.may_act(actor, institution):
        raise Refused(
            _("Only a payroll officer of the institution may do this."),
            code="not_permitted",
            action=action,
            institution=institution,
            obj=obj,
        )
