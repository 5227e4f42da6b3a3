"""The committed translation catalogues: every Danish message translated, and the compiled
.mo files in step with the .po sources (a fresh machine needs no gettext)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _po_entries(path: Path) -> dict[str, str]:
    """msgid → msgstr (plural forms joined by NUL, as in .mo files), skipping the header."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    key = None

    def flush() -> None:
        if current.get("msgid"):
            msgid = current["msgid"]
            if "msgctxt" in current:
                msgid = current["msgctxt"] + "\x04" + msgid
            if "msgid_plural" in current:
                msgid = msgid + "\x00" + current["msgid_plural"]
                forms = sorted(k for k in current if k.startswith("msgstr["))
                entries[msgid] = "\x00".join(current[k] for k in forms)
            else:
                entries[msgid] = current.get("msgstr", "")
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            if not line.strip():
                flush()
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if match:
            key = match.group(1)
            if key in ("msgid", "msgctxt") and "msgid" in current:
                flush()
            current[key] = ast.literal_eval(match.group(2))
        elif key is not None:
            current[key] += ast.literal_eval(line)
    flush()
    return entries


@pytest.mark.parametrize("language", ["da", "en"])
def test_catalogue_is_complete_and_compiled(language):
    po = _po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(po) > 100
    untranslated = [msgid for msgid, msgstr in po.items() if not msgstr.replace("\x00", "")]
    assert untranslated == []
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    as_mo: dict[str, str] = {}
    for msgid, msgstr in compiled.items():
        if isinstance(msgid, tuple):
            continue  # plural forms are checked through their joined key below
        if msgid:
            as_mo[msgid] = msgstr
    for msgid, msgstr in po.items():
        if "\x00" in msgid:
            singular = msgid.split("\x00")[0]
            assert compiled[(singular, 0)] == msgstr.split("\x00")[0], msgid
        else:
            assert as_mo.get(msgid) == msgstr, msgid
