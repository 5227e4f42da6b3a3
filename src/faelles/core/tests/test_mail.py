"""The outbox: mail is written with the change, sent after commit, never twice, retried a
bounded number of times, and a mail that could not be sent is failed and visible, never sent."""

import smtplib

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.test import override_settings

from faelles.core import mail
from faelles.core.audit import verify_chains
from faelles.core.models import AuditEvent, OutgoingMail
from faelles.core.tests.conftest import make_user
from faelles.redact import CPR_MASK

pytestmark = pytest.mark.django_db

CALLS = {"n": 0, "fail": 0}


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection, naming a CPR number in its error."""

    def send_messages(self, messages):
        CALLS["n"] += 1
        raise smtplib.SMTPServerDisconnected("closed by 010190-1234's server")


class FlakyBackend(LocmemBackend):
    """Refuses the first ``CALLS['fail']`` attempts, then delivers to the test outbox."""

    def send_messages(self, messages):
        CALLS["n"] += 1
        if CALLS["n"] <= CALLS["fail"]:
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        CALLS["n"] += 1
        raise ValueError("header contains a newline")


@pytest.fixture(autouse=True)
def _reset():
    CALLS.update(n=0, fail=0)


def queue(institution, *specs, actor=None):
    with transaction.atomic():
        return mail.mails_queue(actor=actor, mails=list(specs))


def spec(institution, to="a@example.dk", **kw):
    return mail.Mail(institution, OutgoingMail.Kind.REMINDER, to, "Subject", "Body", **kw)


def test_a_queued_mail_is_sent_after_commit_and_recorded_sent(
    institution, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [row] = queue(
            institution,
            spec(
                institution,
                attachment_name="r.xml",
                attachment_type="application/xml",
                attachment=b"<x/>",
            ),
        )

    assert len(callbacks) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == ("sent", 1, "")
    assert row.sent_at is not None
    assert len(django_mail.outbox) == 1
    assert django_mail.outbox[0].to == ["a@example.dk"]
    assert django_mail.outbox[0].attachments == [("r.xml", b"<x/>", "application/xml")]


def test_nothing_is_sent_before_commit_nor_when_the_change_rolls_back(
    institution, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [row] = queue(institution, spec(institution))
    assert (OutgoingMail.objects.get(pk=row.pk).state, len(django_mail.outbox)) == ("queued", 0)
    assert len(callbacks) == 1

    with (
        django_capture_on_commit_callbacks(execute=True) as rolled,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mail.mails_queue(actor=None, mails=[spec(institution, to="b@example.dk")])
        raise RuntimeError("the change fails")
    assert rolled == []
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["a@example.dk"]


@pytest.mark.django_db(transaction=True)
def test_mail_is_queued_only_inside_the_deciding_transaction(institution):
    with pytest.raises(RuntimeError):
        mail.mails_queue(actor=None, mails=[spec(institution)])
    assert OutgoingMail.objects.count() == 0


def test_a_sent_mail_is_never_sent_twice(institution, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [row] = queue(institution, spec(institution))

    assert mail.send_mail.delay(row.pk).get() == "skipped"
    assert mail.mail_attempt(mail_id=row.pk) == "skipped"
    assert mail.mail_attempt(mail_id=999999) == "skipped"
    assert len(django_mail.outbox) == 1
    assert OutgoingMail.objects.get(pk=row.pk).attempts == 1


@override_settings(EMAIL_BACKEND="faelles.core.tests.test_mail.DownBackend")
def test_a_failing_mail_is_retried_a_bounded_number_of_times_then_failed_and_visible(
    institution, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [row] = queue(institution, spec(institution))

    row.refresh_from_db()
    assert CALLS["n"] == mail.MAX_ATTEMPTS == 5
    assert (row.state, row.attempts, row.sent_at) == ("failed", 5, None)
    assert row.last_error == f"SMTPServerDisconnected: closed by {CPR_MASK}'s server"
    event = AuditEvent.objects.get(action="core.mail.failed")
    assert (event.institution_id, event.object_id) == (institution.pk, str(row.pk))
    assert event.details == {"kind": "reminder", "attempts": 5, "error": row.last_error}
    assert "010190" not in str(event.details)
    assert verify_chains() == []


@override_settings(EMAIL_BACKEND="faelles.core.tests.test_mail.FlakyBackend")
def test_a_mail_server_that_comes_back_gets_the_mail_once(
    institution, django_capture_on_commit_callbacks
):
    CALLS["fail"] = 2
    with django_capture_on_commit_callbacks(execute=True):
        [row] = queue(institution, spec(institution))

    row.refresh_from_db()
    assert (row.state, row.attempts, CALLS["n"], len(django_mail.outbox)) == ("sent", 3, 3, 1)
    assert row.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert not AuditEvent.objects.filter(action="core.mail.failed").exists()


@override_settings(EMAIL_BACKEND="faelles.core.tests.test_mail.BrokenBackend")
def test_a_mail_that_can_never_pass_fails_at_once(institution, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [row] = queue(institution, spec(institution))

    row.refresh_from_db()
    assert (row.state, row.attempts, CALLS["n"]) == ("failed", 1, 1)
    assert row.last_error == "ValueError: header contains a newline"


def test_the_backoff_doubles_from_a_minute():
    assert [mail.backoff(n) for n in range(4)] == [60.0, 120.0, 240.0, 480.0]


def test_a_failed_mail_sent_again_is_sent_and_audited(
    institution, django_capture_on_commit_callbacks
):
    actor = make_user()
    with (
        override_settings(EMAIL_BACKEND="faelles.core.tests.test_mail.DownBackend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        [row] = queue(institution, spec(institution))

    with django_capture_on_commit_callbacks(execute=True):
        mail.mail_requeue(actor=actor, mail=row)

    row.refresh_from_db()
    assert (row.state, row.attempts, len(django_mail.outbox)) == ("sent", 1, 1)
    event = AuditEvent.objects.get(action="core.mail.requeued")
    assert (event.actor_id, event.details) == (
        actor.pk,
        {"kind": "reminder", "previous_attempts": 5},
    )


def test_a_mail_that_did_not_fail_is_not_sent_again(
    institution, django_capture_on_commit_callbacks
):
    actor = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        [row] = queue(institution, spec(institution))

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as raised,
    ):
        mail.mail_requeue(actor=actor, mail=row)

    assert raised.value.error_dict["state"][0].code == "not_failed"
    assert callbacks == []
    row.refresh_from_db()
    assert (row.state, row.attempts, len(django_mail.outbox)) == ("sent", 1, 1)
    refused = AuditEvent.objects.get(action="core.mail.requeue.refused")
    assert refused.details["code"] == "not_failed"
    assert not AuditEvent.objects.filter(action="core.mail.requeued").exists()
