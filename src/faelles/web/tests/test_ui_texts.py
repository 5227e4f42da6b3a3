"""Texts that must read right in Danish and English: the API token page's header example
(a placeholder outside the translation, never raw HTML inside it) and the demo logins'
descriptions (translated like the rest of the list)."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.utils import translation

from faelles.tenancy.demo import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.django_db

HEADER = "<code>Authorization: Token &lt;key&gt;</code>"


def _lead(client: Client) -> str:
    html = client.get("/api-token/").content.decode()
    match = re.search(r'<p class="font-lead" id="api-token-lead">(.*?)</p>', html, re.S)
    assert match is not None, html
    return match.group(1)


def test_the_api_token_page_shows_the_header_with_its_placeholder(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.admin_a)

    lead = _lead(client)

    assert lead == (
        "A token lets a program use the Fælles API in your name, with your roles. "
        f"Send it in the header {HEADER}."
    )
    assert "<key>" not in lead


def test_the_api_token_page_shows_the_header_in_danish(world):
    """Needs the catalogue update (the sentence's msgid changed)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(world.admin_a)

    assert _lead(client) == (
        "En nøgle lader et program bruge Fælles’ API i dit navn og med dine roller. "
        f"Send den i headeren {HEADER}."
    )


def _logins(language: str) -> dict[str, str]:
    out = io.StringIO()
    with translation.override(language):
        load_demo(stdout=out)
    lines = out.getvalue().splitlines()[1:]
    return {line.split()[0]: line.split(DEMO_PASSWORD, 1)[1].strip() for line in lines}


def test_the_demo_logins_name_roles_in_the_active_language():
    da = _logins("da")

    assert da["kb.stedfortraeder"].startswith("KB: Godkender (prokura 50,000 kr.), ")
    assert da["mette.bogholder"].startswith("KB, NATMUS, SMK: Bogholder (")
    for where in da.values():
        assert "Approver" not in where and "Bookkeeper" not in where, where


def test_the_demo_logins_read_in_english():
    en = _logins("en")

    assert en["kb.stedfortraeder"] == (
        "KB: Approver (prokura 50,000 kr.), substitute for kb.godkender"
    )
    assert en["mette.bogholder"] == "KB, NATMUS, SMK: Bookkeeper (several institutions)"


def test_the_demo_logins_are_danish_throughout():
    """Needs the catalogue update ("substitute for %(user)s", "several institutions")."""
    da = _logins("da")

    assert da["kb.stedfortraeder"] == (
        "KB: Godkender (prokura 50,000 kr.), stedfortræder for kb.godkender"
    )
    assert da["mette.bogholder"] == "KB, NATMUS, SMK: Bogholder (flere institutioner)"
