"""Labels for the audit actions and details of quality, suppliers and chargeback (issue 14,
items 3 and 4); merged into ``servicedesk.labels`` (which ``faelles.web.labels`` collects)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faelles.servicedesk.chargeback_models import Statement
from faelles.servicedesk.quality_models import RoomType

ACTION_LABELS: dict[str, str | Promise] = {
    "servicedesk.cleaned_room.set": _("Room type for cleaning set"),
    "servicedesk.quality_spec.set": _("Quality level set"),
    "servicedesk.inspection.plan": _("Planning a cleaning inspection"),
    "servicedesk.inspection.planned": _("Cleaning inspection planned (sample drawn)"),
    "servicedesk.inspection.assess": _("Assessing a room"),
    "servicedesk.inspection.assessed": _("Room assessed"),
    "servicedesk.inspection.complete": _("Completing the inspection"),
    "servicedesk.inspection.completed": _("Cleaning inspection completed"),
    "servicedesk.survey.answer": _("Answering a satisfaction survey"),
    "servicedesk.survey.answered": _("Satisfaction survey answered"),
    "servicedesk.scorecard.issue": _("Issuing a supplier scorecard"),
    "servicedesk.scorecard.issued": _("Supplier scorecard issued"),
    "servicedesk.subscription.set": _("Subscription registered"),
    "servicedesk.statement.prepare": _("Preparing a chargeback statement"),
    "servicedesk.statement.prepared": _("Chargeback statement prepared"),
    "servicedesk.statement.post": _("Posting a chargeback statement"),
    "servicedesk.statement.posted": _("Chargeback statement posted as an internal invoice"),
    "servicedesk.statement.correct": _("Correcting a chargeback statement"),
    "servicedesk.statement.corrected": _("Correction added to a later statement"),
}

DETAIL_LABELS: dict[str, str | Promise] = {
    "room": _("Room"),
    "room_type": _("Room type"),
    "building": _("Building"),
    "lot_size": _("Rooms in the lot"),
    "sample_size": _("Rooms in the sample"),
    "acceptance_number": _("Acceptance number"),
    "defects": _("Defects"),
    "approved": _("Approved"),
    "not_approved": _("Rooms not approved"),
    "score": _("Score"),
    "year": _("Year"),
    "from": _("From"),
    "to": _("To"),
    "penalty_total": _("Penalties"),
    "service": _("Service"),
    "period": _("Month"),
    "lines": _("Lines"),
    "total": _("Total"),
    "number": _("Number"),
}

VALUE_LABELS: dict[str, dict[str, str | Promise]] = {
    "room_type": dict(RoomType.choices),
    "statement_state": dict(Statement.State.choices),
}
