"""Administrators never set another user's password: they send a one-time link by e-mail
(or, with single sign-on, have nothing to reset). The user sets their own password from it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from faelles.core.audit import verify_chains
from faelles.core.models import AuditEvent
from faelles.tenancy import services
from faelles.tenancy.forms import UserEditForm, UserForm
from faelles.tenancy.models import Role, StaffRole, User
from faelles.tenancy.tests.factories import (
    TEST_PASSWORD,
    InstitutionFactory,
    MembershipFactory,
    OperatorFactory,
    OperatorStaffFactory,
    ServiceAgreementFactory,
    member,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/tenancy"
NEW_PASSWORD = "Selvvalgt-kodeord-2026"
LINK = re.compile(r"http://testserver(/administration/password/set/[^/\s]+/[^/\s]+/)")


class W:
    def __init__(self) -> None:
        self.operator = OperatorFactory()
        self.a = InstitutionFactory(short_name="A")
        self.b = InstitutionFactory(short_name="B")
        ServiceAgreementFactory(institution=self.a, operator=self.operator)
        self.op_admin = OperatorStaffFactory(
            operator=self.operator, role=StaffRole.OPERATOR_ADMIN
        ).user
        self.admin_a = member(self.a, Role.LOCAL_ADMIN, username="admina")
        self.clerk = member(self.a, Role.REQUESTER, username="clerk", email="clerk@example.dk")
        self.no_mail = member(self.a, Role.PAYER, username="nomail", email="")
        self.multi = member(self.a, Role.BOOKKEEPER, username="multi", email="m@example.dk")
        MembershipFactory(institution=self.b, user=self.multi, role=Role.BOOKKEEPER)


@pytest.fixture
def w():
    return W()


@pytest.fixture
def api():
    return APIClient()


def _refusals():
    return list(
        AuditEvent.objects.filter(action__endswith=".refused")
        .order_by("pk")
        .values_list("action", "actor_id", "details__code")
    )


def _password_hash(user):
    return User.objects.get(pk=user.pk).password


def test_no_form_lets_an_administrator_set_a_password():
    assert "password" not in UserForm.base_fields
    assert "password" not in UserEditForm.base_fields


def test_page_edit_ignores_a_posted_password(client, w):
    before = _password_hash(w.clerk)
    client.force_login(w.admin_a)
    response = client.post(
        reverse("tenancy:user-edit", args=[w.clerk.pk]),
        {
            "display_name": "Clerk",
            "email": "clerk@example.dk",
            "is_active": "on",
            "password": "Admin-valgt-2026",
        },
    )
    assert response.status_code == 302
    assert _password_hash(w.clerk) == before
    assert not User.objects.get(pk=w.clerk.pk).check_password("Admin-valgt-2026")


def test_api_offers_no_way_to_set_a_password(api, w):
    api.force_authenticate(w.op_admin)
    before = _password_hash(w.clerk)
    assert api.patch(f"{API}/users/{w.clerk.pk}/", {"password": "X-y-z-2026-q"}).status_code == 405
    assert (
        api.post(f"{API}/users/", {"username": "x", "password": "X-y-z-2026-q"}).status_code == 405
    )
    assert _password_hash(w.clerk) == before


def test_service_refuses_a_password_from_an_administrator(w):
    with pytest.raises(ValidationError) as raised:
        services.user_create(
            actor=w.op_admin, username="ny", email="ny@example.dk", password="Admin-valgt-2026"
        )
    assert raised.value.error_dict["password"][0].code == "admin_sets_password"
    assert not User.objects.filter(username="ny").exists()
    assert _refusals() == [("user.create.refused", w.op_admin.pk, "admin_sets_password")]


def test_page_link_is_sent_and_the_user_sets_their_own_password(
    client, w, django_capture_on_commit_callbacks
):
    client.force_login(w.admin_a)
    before = _password_hash(w.clerk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tenancy:user-password-link", args=[w.clerk.pk]))

    assert response.status_code == 302
    assert _password_hash(w.clerk) == before  # the administrator changed nothing
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["clerk@example.dk"]
    path = LINK.search(message.body).group(1)
    token = path.rstrip("/").rsplit("/", 1)[1]
    event = AuditEvent.objects.get(action="user.password_link")
    assert (event.actor_id, event.object_id, event.details) == (
        w.admin_a.pk,
        str(w.clerk.pk),
        {"email": "clerk@example.dk"},
    )
    assert token not in repr(list(AuditEvent.objects.values_list("details", flat=True)))

    # The user opens the link (anonymous) and sets their own password.
    client.logout()
    opened = client.get(path)
    assert opened.status_code == 302
    form_url = opened["Location"]
    assert client.get(form_url).context["validlink"] is True
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("web:login")
    assert User.objects.get(pk=w.clerk.pk).check_password(NEW_PASSWORD)
    set_event = AuditEvent.objects.get(action="user.password_set")
    assert (set_event.actor_id, set_event.details) == (w.clerk.pk, {"password": ["", "changed"]})
    assert NEW_PASSWORD not in repr(list(AuditEvent.objects.values_list("details", flat=True)))

    # One time only.
    again = client.get(path, follow=True)
    assert again.context["validlink"] is False
    assert verify_chains() == []


def test_weak_password_from_the_link_is_a_form_error(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tenancy:user-password-link", args=[w.clerk.pk]))
    client.logout()
    path = LINK.search(mail.outbox[0].body).group(1)
    form_url = client.get(path)["Location"]
    response = client.post(form_url, {"new_password1": "1234", "new_password2": "1234"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.get(pk=w.clerk.pk).check_password("1234")


def test_api_link_is_sent(api, w, django_capture_on_commit_callbacks):
    api.force_authenticate(w.op_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{API}/users/{w.clerk.pk}/password-link/")
    assert response.status_code == 202
    assert response.json()["id"] == w.clerk.pk
    assert [m.to for m in mail.outbox] == [["clerk@example.dk"]]
    assert LINK.search(mail.outbox[0].body)
    assert AuditEvent.objects.filter(action="user.password_link").count() == 1


def test_api_user_without_email_is_refused(api, w, django_capture_on_commit_callbacks):
    api.force_authenticate(w.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{API}/users/{w.no_mail.pk}/password-link/")
    assert response.status_code == 400
    assert "ingen e-mailadresse" in response.json()["email"][0]
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="user.password_link").exists()
    assert _refusals() == [("user.password_link.refused", w.admin_a.pk, "no_email")]


def test_page_user_without_email_is_refused(client, w):
    client.force_login(w.admin_a)
    response = client.post(reverse("tenancy:user-password-link", args=[w.no_mail.pk]), follow=True)
    assert "ingen e-mailadresse" in response.content.decode()
    assert mail.outbox == []
    assert _refusals() == [("user.password_link.refused", w.admin_a.pk, "no_email")]


def test_api_local_admin_may_not_send_to_someone_they_do_not_manage(api, w):
    api.force_authenticate(w.admin_a)
    response = api.post(f"{API}/users/{w.multi.pk}/password-link/")
    assert response.status_code == 403
    assert mail.outbox == []
    assert _refusals() == [("user.password_link.refused", w.admin_a.pk, "not_allowed")]


def test_page_local_admin_may_not_send_to_someone_they_do_not_manage(client, w):
    client.force_login(w.admin_a)
    page = client.get(reverse("tenancy:user-detail", args=[w.multi.pk]))
    assert reverse("tenancy:user-password-link", args=[w.multi.pk]) not in page.content.decode()
    response = client.post(reverse("tenancy:user-password-link", args=[w.multi.pk]))
    assert response.status_code == 403
    assert _refusals() == [("user.password_link.refused", w.admin_a.pk, "not_allowed")]


def test_with_single_sign_on_there_is_nothing_to_reset(api, client, w, settings):
    settings.SSO_ENABLED = True
    client.force_login(w.admin_a)
    page = client.get(reverse("tenancy:user-detail", args=[w.clerk.pk]))
    assert reverse("tenancy:user-password-link", args=[w.clerk.pk]) not in page.content.decode()

    api.force_authenticate(w.op_admin)
    response = api.post(f"{API}/users/{w.clerk.pk}/password-link/")

    assert response.status_code == 400
    assert "Der bruges single sign-on" in response.json()["actor"][0]
    assert mail.outbox == []
    assert _refusals() == [("user.password_link.refused", w.op_admin.pk, "sso")]


def test_new_user_gets_a_link_not_a_password(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tenancy:user-create"),
            {"username": "nyansat", "email": "ny@example.dk", "role": Role.REQUESTER},
        )
    assert response.status_code == 302
    user = User.objects.get(username="nyansat")
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["ny@example.dk"]]
    assert AuditEvent.objects.get(action="user.create").details == {
        "username": "nyansat",
        "is_active": True,
        "password_link_sent_to": "ny@example.dk",
    }


def test_new_user_without_email_is_refused_with_a_clear_message(client, w):
    client.force_login(w.admin_a)
    response = client.post(
        reverse("tenancy:user-create"), {"username": "utenmail", "role": Role.REQUESTER}
    )
    assert response.status_code == 200
    assert "Der skal være en e-mailadresse" in response.context["form"].errors["email"][0]
    assert not User.objects.filter(username="utenmail").exists()
    assert mail.outbox == []


def test_new_user_with_single_sign_on_needs_no_email_and_gets_no_link(
    w, settings, django_capture_on_commit_callbacks
):
    settings.SSO_ENABLED = True
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_create(actor=w.op_admin, username="sso-bruger")
    assert not user.has_usable_password()
    assert mail.outbox == []


def test_demo_users_keep_their_local_password():
    user = services.user_create(actor=None, username="demo", password=TEST_PASSWORD)
    assert user.check_password(TEST_PASSWORD)
