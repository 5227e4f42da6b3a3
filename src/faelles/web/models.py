"""The web layer's own bookkeeping: failed login attempts for login throttling."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """One failed login, kept for the throttle window.

    Counted per username and per client address, so that guessing one person's password and
    trying one password on many usernames are both slowed down.
    """

    username = models.CharField(_("username"), max_length=150, db_index=True)
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    attempted_at = models.DateTimeField(_("attempted at"), db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        ordering = ["-attempted_at"]
        indexes = [models.Index(fields=["address", "attempted_at"])]

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"


# The deployment checks are registered with the models, so every management command sees them.
from faelles.web import checks  # noqa: E402, F401
