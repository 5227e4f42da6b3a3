"""``faelles check --deploy`` — the project's own command, as the upgrade runbook calls it —
passes in production mode at the strictest level: a warning fails it as an error would."""

from __future__ import annotations

import subprocess
import sys

from faelles.web.tests.test_deploy import _env, _manifest


def test_faelles_check_deploy_passes_in_production_mode_with_warnings_as_failures(tmp_path):
    _manifest(tmp_path)
    env = _env(tmp_path)

    result = subprocess.run(
        [sys.executable, "-m", "faelles", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_the_same_check_fails_on_a_deployment_warning(tmp_path):
    _manifest(tmp_path)
    env = _env(tmp_path, SECURE_COOKIES="0")  # session cookie over plain HTTP: W012

    result = subprocess.run(
        [sys.executable, "-m", "faelles", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert "security.W012" in result.stderr
