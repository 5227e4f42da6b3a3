"""The outbox: mail is written as a row in the transaction that decides to send it, and sent
by a background task after that transaction commits.

Why a row and not ``send_mail`` after commit: a mail server that is down must not lose the
mail nor pretend it went. :func:`mails_queue` writes one :class:`OutgoingMail` per recipient
with the change (a reminder, an escalation, a response to a supplier) and queues
:func:`send_mail` for each with ``transaction.on_commit``: a rolled-back change
sends nothing. The task calls :func:`mail_attempt`, which locks the row, sends only a
``queued`` mail (so a mail that is sent is never sent twice, whatever number of tasks run for
it) and marks it ``sent`` only after the mail server took it. A failed attempt is counted
with its error (CPR numbers scrubbed); the task retries with exponential backoff, and after
:data:`MAX_ATTEMPTS` attempts the mail is ``failed`` (an audit event) and stays visible until
someone sends it again (:func:`mail_requeue`).

In the embedded default (no broker) the task runs eagerly in the same process right after the
commit, its attempts one after the other without waiting; with a broker it runs on a worker
and waits :func:`backoff` seconds between attempts. A mail server that takes a mail
but whose acknowledgement is lost (the worker dies between sending and recording) can send it
again: delivery is at least once, never "sent" without having been sent.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.celery import app
from faelles.core.audit import Refused, record_event, refusals_recorded
from faelles.core.models import OutgoingMail
from faelles.redact import scrub_cpr

#: Attempts per mail before it is ``failed`` (the first and four retries).
MAX_ATTEMPTS = 5
#: Seconds before the first retry unless ``settings.MAIL_RETRY_BACKOFF_SECONDS`` says
#: otherwise; doubled for each further one (1, 2, 4, 8 minutes).
BACKOFF_SECONDS = 60.0
#: Errors worth another attempt: the mail server is unreachable, refuses for now, or times out.
RETRYABLE: tuple[type[BaseException], ...] = (smtplib.SMTPException, OSError)
ERROR_LENGTH = 2000

SENT = "sent"
RETRY = "retry"
FAILED = "failed"
SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Mail:
    """One mail to send: its institution (``None``: the operator's own), kind, recipient,
    subject, text, the object it is about and an optional attachment."""

    institution: Any
    kind: str
    to: str
    subject: str
    body: str
    obj: models.Model | None = None
    attachment_name: str = ""
    attachment_type: str = ""
    attachment: bytes | None = None


def backoff(retries: int) -> float:
    """Seconds to wait before retry number ``retries + 1``."""
    first = float(getattr(settings, "MAIL_RETRY_BACKOFF_SECONDS", BACKOFF_SECONDS))
    return float(first * 2**retries)


def _enqueue(ids: Sequence[int]) -> None:
    for mail_id in ids:
        send_mail.delay(mail_id)


def mails_queue(*, actor: Any, mails: Sequence[Mail]) -> list[OutgoingMail]:
    """Write ``mails`` as queued rows (one insert) and send each after the caller's
    transaction commits. Runs inside the caller's ``transaction.atomic`` block, whose audit
    event (the reminder, the rejection) says why the mail was written."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("mail must be queued inside the transaction that decides to send it")
    rows = []
    for mail in mails:
        row = OutgoingMail(
            institution=mail.institution,
            kind=mail.kind,
            to=mail.to,
            subject=mail.subject[:255],
            body=mail.body,
            attachment_name=mail.attachment_name,
            attachment_type=mail.attachment_type,
            attachment=mail.attachment,
            object_type=mail.obj._meta.label_lower if mail.obj is not None else "",
            object_id=str(mail.obj.pk) if mail.obj is not None else "",
            created_by=actor,
        )
        row.full_clean()
        rows.append(row)
    created = OutgoingMail.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return created


def _deliver(mail: OutgoingMail) -> None:
    message = EmailMessage(subject=mail.subject, body=mail.body, to=[mail.to])
    if mail.attachment is not None:
        message.attach(
            mail.attachment_name or "attachment",
            bytes(mail.attachment),
            mail.attachment_type or "application/octet-stream",
        )
    message.send(fail_silently=False)


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return scrub_cpr(text)[:ERROR_LENGTH]


def mail_attempt(*, mail_id: int) -> str:
    """Try to send one queued mail (the task's body); answers :data:`SENT`, :data:`RETRY`
    (try again later), :data:`FAILED` (the last attempt failed, or the error is not one that
    passes) or :data:`SKIPPED` (no such mail, or it is not queued: already sent or failed).

    The row stays locked while the mail server is spoken to, so a second task for the same
    mail waits and then finds it sent."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.state != OutgoingMail.State.QUEUED:
            return SKIPPED
        now = timezone.now()
        mail.attempts += 1
        mail.attempted_at = now
        outcome = SENT
        try:
            _deliver(mail)
        except RETRYABLE as exc:
            mail.last_error = _error_text(exc)
            outcome = FAILED if mail.attempts >= MAX_ATTEMPTS else RETRY
        except Exception as exc:  # a malformed mail never passes: failed at once, recorded
            mail.last_error = _error_text(exc)
            outcome = FAILED
        if outcome == SENT:
            mail.state = OutgoingMail.State.SENT
            mail.sent_at = now
        elif outcome == FAILED:
            mail.state = OutgoingMail.State.FAILED
            record_event(
                institution=mail.institution,
                actor=None,
                action="core.mail.failed",
                obj=mail,
                details={"kind": mail.kind, "attempts": mail.attempts, "error": mail.last_error},
            )
        mail.save()
    return outcome


@refusals_recorded
@transaction.atomic
def mail_requeue(*, actor: Any, mail: OutgoingMail) -> OutgoingMail:
    """Send a failed mail again: it is queued with a fresh count of attempts (the last error
    is kept until it is sent) and the send task is queued after commit. Only a failed mail:
    a sent or queued one is refused (``not_failed``). Who may ask is the caller's check."""
    locked = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
    if locked.state != OutgoingMail.State.FAILED:
        raise Refused(
            _("Only a mail that failed can be sent again; this one is %(s)s.")
            % {"s": str(locked.get_state_display()).lower()},
            code="not_failed",
            action="core.mail.requeue",
            institution=locked.institution,
            obj=locked,
            field="state",
        )
    previous = locked.attempts
    locked.state = OutgoingMail.State.QUEUED
    locked.attempts = 0
    locked.full_clean()
    locked.save()
    record_event(
        institution=locked.institution,
        actor=actor,
        action="core.mail.requeued",
        obj=locked,
        details={"kind": locked.kind, "previous_attempts": previous},
    )
    transaction.on_commit(lambda: _enqueue([locked.pk]))
    return locked


@app.task(bind=True, max_retries=MAX_ATTEMPTS, name="faelles.core.mail.send_mail")
def send_mail(self: Any, mail_id: int) -> str:
    """The task: send the outgoing mail ``mail_id`` (:func:`mail_attempt`), retrying with
    exponential backoff while the attempt says so. It takes an id and is idempotent; the
    worker finds it through ``CELERY_IMPORTS`` (this module is no app's ``tasks``)."""
    outcome = mail_attempt(mail_id=mail_id)
    # Run eagerly (no broker) there is no worker to come back later: the attempts follow at
    # once, without the backoff, and a mail server that stays down leaves the mail failed.
    while outcome == RETRY and self.request.is_eager:
        outcome = mail_attempt(mail_id=mail_id)
    if outcome == RETRY:
        raise self.retry(countdown=backoff(self.request.retries or 0))
    return outcome
