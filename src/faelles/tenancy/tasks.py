"""Background work of the tenancy app: mailing one-time links for setting a password.

Tasks take ids, are queued after the transaction that asked for them commits, and may be
retried: a retry sends a fresh link, and every link stops working once the password is set.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from faelles.celery import app
from faelles.tenancy.models import User


def password_link(user: User, base_url: str) -> str:
    """A one-time link for ``user`` to set their own password (Django's reset token: it
    expires after ``PASSWORD_RESET_TIMEOUT`` and once the password or last login changes)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("tenancy:password-set", kwargs={"uidb64": uid, "token": token})
    base = (getattr(settings, "EMAIL_LINK_BASE_URL", "") or base_url or "").rstrip("/")
    return f"{base}{path}"


@app.task(autoretry_for=(OSError,), max_retries=3, retry_backoff=True)  # type: ignore[untyped-decorator]
def send_password_link(user_id: int, base_url: str = "") -> bool:
    """Mail the user a link to set their password; ``False`` when there is nobody to mail."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "link": password_link(user, base_url),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        subject = render_to_string("tenancy/email/password_link_subject.txt", context).strip()
        body = render_to_string("tenancy/email/password_link.txt", context)
    send_mail(subject, body, None, [user.email])
    return True
