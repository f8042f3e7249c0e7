"""`manage.py check --deploy` stays clean under production settings (HTTPS-only cookies,
HSTS, no DEBUG, a strong secret): the audit ran with these settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "ebok.example.com",
        "EMAIL_URL": "smtp+tls://user:pass@smtp.example.com:587",
        "DJANGO_SETTINGS_MODULE": "ebok.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests (Playwright)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
