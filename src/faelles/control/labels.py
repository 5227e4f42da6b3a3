"""Human, translatable words for the history of the controls: a label per audit action and per
detail key its events record (collected by ``faelles.web.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "control.hit.decide": _("Control hit assessed"),
    "control.hit.decide.refused": _("Assessing the control hit refused"),
    "control.hit.decided": _("Control hit assessed"),
    "control.run.finished": _("Control run finished"),
}

DETAIL_LABELS: dict[str, str | Promise] = {
    "control": _("Control"),
    "controls": _("Controls"),
    "hits": _("Hits"),
    "institutions": _("Institutions"),
    "suppressed": _("Not raised again (dismissed before)"),
    "run": _("Run"),
}
