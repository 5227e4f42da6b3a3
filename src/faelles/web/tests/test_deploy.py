"""Production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "FAELLES_ENV": "production",
        "SECRET_KEY": "k3y-for-the-deploy-check-" + "q8Z!" * 12,
        "ALLOWED_HOSTS": "faelles.example.dk",
        "FAELLES_VAR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "faelles.settings",
    }
    for name in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
