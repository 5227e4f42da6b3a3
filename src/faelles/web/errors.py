"""Error bodies and error reports without CPR numbers.

Two places where an error repeats what a client sent or what a program held:

- the API's error bodies (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``): DRF's own handler builds
  the body, then every string in it (messages, field names, list items) goes through the CPR
  scrubber of :mod:`faelles.redact`;
- Django's error reports (``DEFAULT_EXCEPTION_REPORTER``): the technical 500 page and the
  report mailed to the administrators (``AdminEmailHandler``) show the request, its headers and
  the local variables of every frame; the rendered report is scrubbed as a whole.

Log lines are scrubbed by :class:`faelles.redact.CprRedactingFilter` on every handler in
``settings.LOGGING``.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.views.debug import ExceptionReporter
from rest_framework.response import Response
from rest_framework.views import exception_handler

from faelles.redact import scrub_cpr, scrub_data

#: Fields of an API error body that are meant to carry a CPR number and are left unmasked.
#: Empty: no API takes a CPR number yet. An API that does (the payroll app's employees) adds
#: its field name here only if its error must show the number back, which should be rare:
#: an error can name the field without repeating the value.
CPR_ERROR_FIELDS: frozenset[str] = frozenset()


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, with every CPR number in the error body masked."""
    response = exception_handler(exc, context)
    if response is not None and response.data is not None:
        response.data = scrub_data(response.data, keep=CPR_ERROR_FIELDS)
    return response


class CprScrubbingExceptionReporter(ExceptionReporter):
    """Django's exception reporter (technical 500 page, administrators' error mail) with every
    CPR number in the rendered report masked."""

    # The mask holds no markup, so masked HTML stays as safe as Django rendered it.
    def get_traceback_html(self) -> SafeString:
        return mark_safe(scrub_cpr(super().get_traceback_html()))  # noqa: S308

    def get_traceback_text(self) -> SafeString:
        return mark_safe(scrub_cpr(super().get_traceback_text()))  # noqa: S308
