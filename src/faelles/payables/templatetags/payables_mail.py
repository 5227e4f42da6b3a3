"""Template helpers for mailing the response to the supplier."""

from __future__ import annotations

from django import template

from faelles.payables import mail
from faelles.payables.models import Invoice

register = template.Library()


@register.simple_tag
def supplier_address(invoice: Invoice) -> str:
    """The seller's contact e-mail from the received document (empty when it names none)."""
    return mail.supplier_address(mail.read_document(invoice))
