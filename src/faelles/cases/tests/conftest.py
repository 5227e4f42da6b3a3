from __future__ import annotations

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
