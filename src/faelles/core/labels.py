"""Human, translatable labels of the core's audit actions and detail keys (collected with every
app's by :mod:`faelles.web.labels`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faelles.core.models import OutgoingMail

ACTION_LABELS: dict[str, str | Promise] = {
    "core.mail.failed": _("Mail could not be sent"),
    "core.mail.requeue": _("Sending mail again"),
    "core.mail.requeued": _("Mail queued again"),
    "personal_data.read": _("Personal data read"),
    "retention.run": _("Data deleted after its retention period"),
}

DETAIL_LABELS: dict[str, str | Promise] = {
    "attempts": _("Attempts"),
    "previous_attempts": _("Previous attempts"),
    "error": _("Error"),
    "subject_ref": _("Concerning"),
    "purpose": _("Purpose"),
    "task": _("Task"),
    "mail": _("Mail"),
    "to": _("To"),
    "from": _("From"),
    "at": _("Time"),
    "removed": _("Removed"),
    "due_remaining": _("Still due"),
    "limit_reached": _("Limit reached"),
    "hash": _("Content hash"),
}

VALUE_LABELS: dict[str, dict[str, str | Promise]] = {
    "state": dict(OutgoingMail.State.choices),
    "kind": dict(OutgoingMail.Kind.choices),
}
