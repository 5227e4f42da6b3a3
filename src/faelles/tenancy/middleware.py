"""Puts the institution the user is working in on ``request.institution``, and keeps the
per-request facts (the user's institutions and roles) for the whole request: read once, then
asked by the context processor, the access gate, the selectors and the views for free (see
:func:`faelles.tenancy.selectors.request_facts`)."""

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
        from faelles.tenancy.selectors import institutions_for_user, request_facts

        with request_facts():
            request.institution = None  # type: ignore[attr-defined]
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                inst_id = request.session.get(SESSION_KEY)
                allowed = list(institutions_for_user(user))
                chosen = next((i for i in allowed if str(i.pk) == str(inst_id)), None)
                if chosen is None and allowed:
                    chosen = allowed[0]
                request.institution = chosen  # type: ignore[attr-defined]
            return self.get_response(request)
