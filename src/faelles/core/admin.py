"""Read-only admin views of the audit trail, numbering and personal-data log.

Nothing here can be changed through the admin: audit events are immutable, sequences move only
through ``next_number``, and the access log is append-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from faelles.core.models import AuditChainHead, AuditEvent, NumberSequence, PersonalDataAccess


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("chain", "seq", "created_at", "action", "object_type", "object_id", "actor")
    list_filter = ("chain", "action")
    search_fields = ("action", "object_type", "object_id")


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ("chain", "last_seq", "last_hash")


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ("institution", "series", "year", "last_value")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("accessed_at", "actor", "institution", "subject_type", "subject_id", "purpose")
