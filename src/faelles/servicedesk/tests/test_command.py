"""``faelles servicedesk escalate`` runs the beat job by hand and prints its counts; the
``smtpd`` subcommand takes a host, a port and a size limit."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from faelles.servicedesk.management.commands.servicedesk import Command


@pytest.mark.django_db
def test_escalate_prints_the_counts_as_json():
    out = io.StringIO()
    call_command("servicedesk", "escalate", stdout=out)
    assert json.loads(out.getvalue()) == {"warned": 0, "escalated": 0, "checked": 0}


def test_smtpd_takes_host_port_and_size_limit():
    parser = Command().create_parser("faelles", "servicedesk")
    options = parser.parse_args(
        ["smtpd", "--host", "0.0.0.0", "--port", "2525", "--max-bytes", "1000"]
    )
    assert (options.host, options.port, options.max_bytes) == ("0.0.0.0", 2525, 1000)
    with pytest.raises((SystemExit, CommandError)):
        parser.parse_args(["smtpd", "--port", "x"])
