"""Human, translatable words for the case history: a label per audit action of case handling
and per detail key its events record (collected by ``faelles.web.labels``). A refusal without
a label of its own reads "Afvist: <the action's label>"."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    # case types (modellers)
    "cases.case_type.import": _("Case-type model uploaded"),
    "cases.case_type.import.refused": _("Upload of the case-type model refused"),
    "cases.case_type.configure": _("Case type set up"),
    "cases.case_type.configure.refused": _("Setting up the case type refused"),
    "cases.letter_template.upload": _("Letter template uploaded"),
    "cases.letter_template.upload.refused": _("Upload of the letter template refused"),
    # cases
    "cases.case.open": _("Case opened"),
    "cases.case.open.refused": _("Opening the case refused"),
    "cases.task.complete": _("Task completed"),
    "cases.task.complete.refused": _("Completing the task refused"),
    "cases.document.add": _("Document added"),
    "cases.document.add.refused": _("Adding a document refused"),
    "cases.party.cpr_read": _("CPR number viewed"),
    "cases.party.cpr_read.refused": _("Viewing the CPR number refused"),
    "cases.appeal.open": _("Appeal case opened at the appeals body"),
    # the clock
    "cases.deadline.warn": _("Deadline approaching"),
    "cases.timer.fire": _("Deadline passed, the case moved on"),
}

DETAIL_LABELS: dict[str, str | Promise] = {
    "case_type": _("Case type"),
    "version": _("Version"),
    "process": _("Process model"),
    "findings": _("Findings"),
    "appeal_case_type": _("Case type for appeals"),
    "parties": _("Parties"),
    "documents": _("Documents"),
    "document": _("Document"),
    "appeal_of": _("Appeal of"),
    "appeal_case": _("Appeal case"),
    "appeals_body": _("Appeals body"),
    "form": _("Form"),
    "minutes": _("Minutes spent"),
    "deadline": _("Deadline"),
    "due_at": _("Due at"),
    "timers": _("Deadlines passed"),
}
