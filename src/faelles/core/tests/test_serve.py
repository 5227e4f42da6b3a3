import io

import pytest
from django.core.management import call_command

from faelles.core.management.commands import serve


def test_serve_runs_django_server_without_reloader(monkeypatch, settings):
    settings.PRODUCTION = False
    calls = []
    monkeypatch.setattr(serve, "call_command", lambda *a, **kw: calls.append((a, kw)))
    out = io.StringIO()
    call_command("serve", "--host", "127.0.0.1", "--port", "8123", stdout=out)
    assert out.getvalue().startswith("Fælles: http://127.0.0.1:8123/")
    assert calls == [
        (("runserver", "127.0.0.1:8123"), {"use_reloader": False, "use_threading": True})
    ]


def test_serve_uses_gunicorn_in_production(monkeypatch, settings):
    settings.PRODUCTION = True
    seen = []

    def fake_execv(path, argv):
        seen.append(argv)
        raise SystemExit(0)

    monkeypatch.setattr(serve.os, "execv", fake_execv)
    with pytest.raises(SystemExit):
        call_command("serve", "--port", "9000", "--workers", "3", stdout=io.StringIO())
    argv = seen[0]
    assert argv[1:4] == ["-m", "gunicorn", "faelles.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:9000"
    assert argv[argv.index("--workers") + 1] == "3"
