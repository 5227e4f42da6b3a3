"""``faelles purchasing import [--json] DIR...``: the JSON Lines of ``faelles payables
import`` (one object per file, then the summary)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from faelles.purchasing.tests import builders as b

pytestmark = pytest.mark.django_db


def test_import_prints_one_json_line_per_file_and_the_summary(tmp_path):
    inst, gln = b.buyer()
    b.agreement(inst)
    (tmp_path / "a.xml").write_bytes(b.catalogue_xml(gln))
    (tmp_path / "b.xml").write_bytes(b.catalogue_xml(gln, id="CAT-X", contract="UKENDT"))
    (tmp_path / "c.xml").write_bytes(b.catalogue_xml("5790000000005", id="CAT-Y"))
    (tmp_path / "d.xml").write_bytes(b.catalogue_xml(gln))
    out = StringIO()
    call_command("purchasing", "import", "--json", str(tmp_path), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(x["file"].rsplit("/", 1)[1], x["status"], x["institution"]) for x in lines[:-1]] == [
        ("a.xml", "accepted", inst.short_name),
        ("b.xml", "rejected", inst.short_name),
        ("c.xml", "unroutable", None),
        ("d.xml", "duplicate", inst.short_name),
    ]
    assert all(set(x) == {"file", "status", "id", "institution", "findings"} for x in lines[:-1])
    assert lines[-1] == {"summary": {"accepted": 1, "rejected": 1, "duplicate": 1, "unroutable": 1}}
    again = StringIO()
    call_command("purchasing", "import", str(tmp_path / "a.xml"), stdout=again)
    assert (
        again.getvalue().splitlines()[-1] == "accepted: 0, rejected: 0, duplicate: 1, unroutable: 0"
    )
