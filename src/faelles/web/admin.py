"""Django admin for the web layer: failed logins can be inspected and removed (which unlocks a
throttled username or address before its window has passed)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from faelles.web.models import LoginFailure


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("username", "address", "attempted_at")
    list_filter = ("attempted_at",)
    search_fields = ("username", "address")
    readonly_fields = ("username", "address", "attempted_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LoginFailure | None = None) -> bool:
        return False
