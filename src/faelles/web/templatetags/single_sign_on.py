"""What the login page offers: single sign-on, local passwords, or both (from the settings)."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def login_methods() -> dict[str, bool]:
    """``{"sso": …, "local": …}``: whether to show the single sign-on button and the password
    form."""
    return {
        "sso": bool(getattr(settings, "SSO_ENABLED", False)),
        "local": bool(getattr(settings, "LOCAL_LOGIN_ENABLED", True)),
    }
