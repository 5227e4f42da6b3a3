"""Start-page sections of the web shell (the tenancy app's administration): the approval
limit requests of the current institution that wait for an operator administrator."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Window
from django.http import HttpRequest

from faelles.core.access import restrict
from faelles.tenancy.models import ApprovalLimitRequest
from faelles.tenancy.roles import LOCAL_ADMIN, Area, view_roles

SHOWN = 5


def pending_limit_requests(user: Any, institution: Any) -> list[ApprovalLimitRequest]:
    """The institution's approval limit requests still waiting, oldest first, each with the
    count of all. One query (past the gate's look-ups)."""
    return list(
        restrict(
            ApprovalLimitRequest.objects.all(),
            user=user,
            institution=institution,
            roles=view_roles(Area.ADMINISTRATION),
        )
        .filter(state=ApprovalLimitRequest.State.REQUESTED)
        .select_related("membership__user")
        .annotate(total_count=Window(Count("pk")))
        .order_by("requested_at", "pk")[:SHOWN]
    )


def limit_requests_context(request: HttpRequest) -> dict[str, Any] | None:
    institution = getattr(request, "institution", None)
    if institution is None:
        return None
    field = "total_count"  # annotated by the query
    pending = pending_limit_requests(request.user, institution)
    return {"requests": pending, "count": int(getattr(pending[0], field)) if pending else 0}


def register() -> None:
    from faelles.web.navigation import StartPanel, register_start_panel

    register_start_panel(
        StartPanel(
            "tenancy.limit_requests",
            "web/start/_limit_requests.html",
            frozenset({LOCAL_ADMIN}),
            60,
            limit_requests_context,
        )
    )
