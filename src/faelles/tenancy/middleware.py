"""Puts the institution the user is working in on ``request.institution``."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

SESSION_KEY = "faelles_institution_id"


class CurrentInstitutionMiddleware:
    """Reads the chosen institution from the session; ``None`` until one is chosen.

    The choice is only honoured while the user still has access to that institution.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.institution = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from faelles.tenancy.selectors import institutions_for_user

            inst_id = request.session.get(SESSION_KEY)
            allowed = institutions_for_user(user)
            chosen = allowed.filter(pk=inst_id).first() if inst_id else None
            if chosen is None:
                chosen = allowed.first()
            request.institution = chosen  # type: ignore[attr-defined]
        return self.get_response(request)
