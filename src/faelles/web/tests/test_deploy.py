"""Production settings pass Django's deployment checks, and a production start that would be
unsafe or broken is refused with a clear message."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SECRET = "k3y-for-the-deploy-check-" + "q8Z!" * 12


def _env(tmp_path, **overrides):
    env = {
        **os.environ,
        "FAELLES_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "faelles.example.dk",
        "FAELLES_VAR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "faelles.settings",
    }
    for name in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "STATIC_ROOT"):
        env.pop(name, None)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _manifest(tmp_path):
    static = tmp_path / "static"
    static.mkdir(exist_ok=True)
    (static / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1"}))


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120
    )


def _check(env):
    return _run(["-m", "django", "check", "--deploy", "--fail-level", "WARNING"], env)


def test_check_deploy_passes_with_production_settings(tmp_path):
    _manifest(tmp_path)
    result = _check(_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_collected_static_files_fails_the_check(tmp_path):
    result = _check(_env(tmp_path))
    assert result.returncode == 1
    assert "faelles.E001" in result.stderr
    assert "run `faelles collectstatic --noinput`" in result.stderr


def test_gunicorn_cannot_load_the_application_without_collected_static_files(tmp_path):
    result = _run(["-c", "import faelles.wsgi"], _env(tmp_path))
    assert result.returncode == 1
    assert "ImproperlyConfigured" in result.stderr
    assert "staticfiles.json is missing" in result.stderr
    _manifest(tmp_path)
    assert _run(["-c", "import faelles.wsgi"], _env(tmp_path)).returncode == 0


@pytest.mark.parametrize("value", ["Production", "prod", "PRODUCTION", "", "staging"])
def test_an_unknown_environment_name_is_a_startup_error(tmp_path, value):
    result = _run(["-m", "django", "check"], _env(tmp_path, FAELLES_ENV=value))
    assert result.returncode == 1
    assert "FAELLES_ENV must be 'development' or 'production' (lower case)" in result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"SECRET_KEY": None}, "FAELLES_ENV=production needs SECRET_KEY in the environment."),
        ({"SECRET_KEY": "  "}, "FAELLES_ENV=production needs SECRET_KEY in the environment."),
        ({"ALLOWED_HOSTS": ""}, "FAELLES_ENV=production needs ALLOWED_HOSTS in the environment."),
        (
            {"SECRET_KEY": None, "ALLOWED_HOSTS": None},
            "FAELLES_ENV=production needs SECRET_KEY and ALLOWED_HOSTS in the environment.",
        ),
    ],
)
def test_production_refuses_to_start_without_secret_or_hosts(tmp_path, missing, message):
    _manifest(tmp_path)
    result = _run(["-m", "django", "check"], _env(tmp_path, **missing))
    assert result.returncode == 1
    assert message in result.stderr


def test_development_is_the_default_and_keeps_debug(tmp_path):
    env = _env(tmp_path, FAELLES_ENV=None, SECRET_KEY=None, ALLOWED_HOSTS=None)
    result = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.ENV, settings.DEBUG)",
        ],
        env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "development True"
