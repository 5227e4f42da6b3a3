"""Users and their passwords: administrators never set a password for someone else; they
send a one-time link (none with single sign-on). Changes go to the operator audit chain."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faelles.core.audit import Refused, record_event, refusals_recorded
from faelles.tenancy import access
from faelles.tenancy.models import User
from faelles.tenancy.services.common import UNSET, apply_changes, clean_save, require_allowed


def system_user() -> User:
    """The actor of unattended work (a command or timer run without a named user): the one
    user ``faelles-system``, made on first use with no usable password."""
    user, created = User.objects.get_or_create(
        username="faelles-system", defaults={"display_name": "Fælles (system)"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def sso_enabled() -> bool:
    """With single sign-on the identity provider owns passwords: there is nothing to reset."""
    return bool(getattr(settings, "SSO_ENABLED", False))


def _set_password(user: User, password: str | None) -> None:
    if password is None:
        user.set_unusable_password()
        return
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)


def _queue_password_link(user: User, base_url: str) -> None:
    from faelles.tenancy import tasks  # the Celery app is only loaded where links are sent

    user_id = user.pk
    transaction.on_commit(lambda: tasks.send_password_link.delay(user_id, base_url))


@refusals_recorded
@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    display_name: str = "",
    is_active: bool = True,
    link_base_url: str = "",
) -> User:
    """A person who can log in (once a membership or staff role gives them somewhere to work).

    Administrators never choose a password for someone else: a user created by an actor gets
    no password, and (without single sign-on) a one-time link by e-mail to set their own.
    Only the system itself (the demo loader, management commands) passes ``password``.
    """
    require_allowed(
        actor,
        actor is not None and access.can_create_users(actor),
        action="user.create",
        institution=None,
    )
    if actor is not None and password is not None:
        raise Refused(
            _("Administrators do not set passwords; the user sets their own from a link."),
            code="admin_sets_password",
            action="user.create",
            institution=None,
            field="password",
            details={"username": username},
        )
    send_link = actor is not None and is_active and not sso_enabled()
    if send_link and not (email or "").strip():
        raise ValidationError(
            {
                "email": _(
                    "An e-mail address is needed: the user gets a link there to set their "
                    "own password."
                )
            }
        )
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        display_name=display_name,
        is_active=is_active,
    )
    _set_password(user, password)
    clean_save(user)
    details: dict[str, Any] = {"username": user.username, "is_active": user.is_active}
    if send_link:
        details["password_link_sent_to"] = user.email
    record_event(institution=None, actor=actor, action="user.create", obj=user, details=details)
    if send_link:
        _queue_password_link(user, link_base_url)
    return user


@refusals_recorded
@transaction.atomic
def user_update(
    *,
    actor: User | None,
    user: User,
    first_name: str = UNSET,
    last_name: str = UNSET,
    email: str = UNSET,
    display_name: str = UNSET,
    is_active: bool = UNSET,
) -> User:
    """Change a user's details. Passwords are not among them: the user sets their own."""
    require_allowed(
        actor,
        actor is not None and access.can_manage_user(actor, user),
        action="user.update",
        institution=None,
        obj=user,
    )
    diff = apply_changes(
        user,
        {
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "display_name": display_name,
            "is_active": is_active,
        },
    )
    clean_save(user)
    if diff:
        record_event(institution=None, actor=actor, action="user.update", obj=user, details=diff)
    return user


@refusals_recorded
@transaction.atomic
def user_password_link_send(*, actor: User, user: User, base_url: str = "") -> User:
    """Mail ``user`` a one-time link to set their own password (after this transaction commits).

    The token is made by the task that sends the mail and is never stored or audited. Refused
    for people the actor may not manage, for a user without an e-mail address, and when single
    sign-on is configured (the identity provider owns the password then).
    """
    require_allowed(
        actor,
        access.can_manage_user(actor, user),
        action="user.password_link",
        institution=None,
        obj=user,
    )
    if sso_enabled():
        raise Refused(
            _("Single sign-on is in use: passwords are managed by the identity provider."),
            code="sso",
            action="user.password_link",
            institution=None,
            obj=user,
        )
    if not user.is_active:
        raise Refused(
            _("The user is not active; activate the user before sending a link."),
            code="inactive",
            action="user.password_link",
            institution=None,
            obj=user,
        )
    if not (user.email or "").strip():
        raise Refused(
            _("%(user)s has no e-mail address; add one before sending a link.") % {"user": user},
            code="no_email",
            action="user.password_link",
            institution=None,
            obj=user,
            field="email",
        )
    record_event(
        institution=None,
        actor=actor,
        action="user.password_link",
        obj=user,
        details={"email": user.email},
    )
    _queue_password_link(user, base_url)
    return user


@transaction.atomic
def user_password_set_from_link(*, actor: User, new_password: str) -> User:
    """The user sets their own password from a one-time link (the view checked the token)."""
    return _own_password_store(actor, new_password, action="user.password_set")


def _own_password_store(actor: User, new_password: str, *, action: str) -> User:
    """Validate, store and record the user's own new password (never the password itself)."""
    _set_password(actor, new_password)
    actor.save(update_fields=["password"])
    record_event(
        institution=None,
        actor=actor,
        action=action,
        obj=actor,
        details={"password": ["", "changed"]},
    )
    return actor


@transaction.atomic
def user_change_own_password(*, actor: User, old_password: str, new_password: str) -> User:
    """A logged-in user changes their own password (the old one must be given)."""
    if not actor.is_authenticated or not actor.check_password(old_password):
        raise ValidationError({"old_password": _("The current password is wrong.")})
    return _own_password_store(actor, new_password, action="user.password_change")
