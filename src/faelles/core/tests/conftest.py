"""Fixtures for core tests. ``core`` imports no domain app, so tenancy models are looked up
by label."""

import itertools

import pytest
from django.apps import apps

_counter = itertools.count(1)


def make_institution(name=None):
    Institution = apps.get_model("tenancy", "Institution")
    n = next(_counter)
    return Institution.objects.create(
        name=name or f"Institution {n}", short_name=f"CORE{n}", kind="agency"
    )


def make_user(username=None):
    User = apps.get_model("tenancy", "User")
    return User.objects.create(username=username or f"core-user-{next(_counter)}")


def grant(user, institution, role="bookkeeper"):
    Membership = apps.get_model("tenancy", "Membership")
    limit = 1000 if role == "approver" else None
    return Membership.objects.create(
        user=user, institution=institution, role=role, approval_limit=limit
    )


@pytest.fixture
def institution(db):
    return make_institution()


@pytest.fixture
def other_institution(db):
    return make_institution()


@pytest.fixture
def user(db):
    return make_user()


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield
