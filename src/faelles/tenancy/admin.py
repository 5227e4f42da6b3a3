"""View-only admin for tenancy data: changes go through the management pages, which call the
services (validation, permission check and audit event)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from faelles.tenancy.models import (
    Delegation,
    Endpoint,
    Institution,
    Membership,
    Operator,
    OperatorStaff,
    OrgUnit,
    Responsibility,
    ServiceAgreement,
    User,
)


class ViewOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ViewOnlyAdmin):
    list_display = ("username", "display_name", "email", "is_active", "last_login")
    search_fields = ("username", "display_name", "email")
    exclude = ("password",)


@admin.register(Institution)
class InstitutionAdmin(ViewOnlyAdmin):
    list_display = ("short_name", "name", "kind", "cvr", "parent", "is_active")
    search_fields = ("short_name", "name", "cvr")


admin.site.register(Operator, ViewOnlyAdmin)
admin.site.register(OrgUnit, ViewOnlyAdmin)
admin.site.register(Endpoint, ViewOnlyAdmin)
admin.site.register(Membership, ViewOnlyAdmin)
admin.site.register(OperatorStaff, ViewOnlyAdmin)
admin.site.register(Delegation, ViewOnlyAdmin)
admin.site.register(ServiceAgreement, ViewOnlyAdmin)
admin.site.register(Responsibility, ViewOnlyAdmin)
