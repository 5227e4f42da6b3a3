"""Human, translatable words for the service desk's audit trail: a label per audit action and
detail key, and the coded values inside details (collected by ``faelles.web.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faelles.servicedesk.models import Asset, Location, SlaState, Status

ACTION_LABELS: dict[str, str | Promise] = {
    "servicedesk.ticket.open": _("Opening a ticket"),
    "servicedesk.ticket.opened": _("Ticket opened"),
    "servicedesk.ticket.message": _("Message on the ticket"),
    "servicedesk.ticket.start": _("Work started"),
    "servicedesk.ticket.wait": _("Waiting for the customer"),
    "servicedesk.ticket.resume": _("Work resumed"),
    "servicedesk.ticket.resolve": _("Ticket resolved"),
    "servicedesk.ticket.reopen": _("Ticket reopened"),
    "servicedesk.ticket.close": _("Ticket closed"),
    "servicedesk.ticket.assign": _("Assigning the ticket"),
    "servicedesk.ticket.assigned": _("Ticket assigned"),
    "servicedesk.ticket.prioritise": _("Setting the priority"),
    "servicedesk.ticket.prioritised": _("Priority set"),
    "servicedesk.ticket.rate": _("Rating the ticket"),
    "servicedesk.ticket.rated": _("Ticket rated"),
    "servicedesk.ticket.order_line": _("Ordering on the ticket"),
    "servicedesk.ticket.warned": _("Warned: the service target is close"),
    "servicedesk.ticket.escalated": _("Escalated: the service target is breached"),
    "servicedesk.order_line.added": _("Order line added"),
    "servicedesk.ticket.place": _("Naming the ticket's location and asset"),
    "servicedesk.ticket.placed": _("Location and asset of the ticket set"),
    "servicedesk.location.save": _("Registering a location"),
    "servicedesk.location.created": _("Location registered"),
    "servicedesk.location.changed": _("Location changed"),
    "servicedesk.asset.save": _("Registering an asset"),
    "servicedesk.asset.created": _("Asset registered"),
    "servicedesk.asset.changed": _("Asset changed"),
    "servicedesk.article.save": _("Saving a knowledge-base article"),
    "servicedesk.article.saved": _("Knowledge-base article saved"),
}

DETAIL_LABELS: dict[str, str | Promise] = {
    "reference": _("Reference"),
    "internal": _("Internal note"),
    "agent": _("From the service desk"),
    "before": _("Before"),
    "after": _("After"),
    "team": _("Team"),
    "assignee": _("Assignee"),
    "contract": _("Supplier contract"),
    "rating": _("Rating"),
    "quantity": _("Quantity"),
    "unit_price": _("Unit price"),
    "title": _("Title"),
    "published": _("Published"),
    "shared": _("For every institution"),
    "priority": _("Priority"),
    "kind": _("Kind"),
    "channel": _("Channel"),
    "requester": _("Requester"),
    "contact_name": _("Caller's name"),
    "contact_email": _("Caller's e-mail"),
    "location": _("Location"),
    "asset": _("Asset"),
    "code": _("Code"),
    "name": _("Name"),
    "level": _("Level"),
    "tag": _("Asset tag"),
    "asset_kind": _("Kind of asset"),
}

VALUE_LABELS: dict[str, dict[str, str | Promise]] = {
    "state": dict(SlaState.choices),
    "before": dict(Status.choices),
    "after": dict(Status.choices),
    "level": dict(Location.Level.choices),
    "asset_kind": dict(Asset.AssetKind.choices),
}

# Quality, suppliers and chargeback (issue 14, items 3 and 4): their own module, merged here.
from faelles.servicedesk import labels_facilities as _facilities  # noqa: E402

ACTION_LABELS.update(_facilities.ACTION_LABELS)
DETAIL_LABELS.update(_facilities.DETAIL_LABELS)
VALUE_LABELS.update(_facilities.VALUE_LABELS)
