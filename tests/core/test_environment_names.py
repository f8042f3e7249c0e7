"""eBOK's own environment variables carry the EBOK_ prefix; the old unprefixed names still
work, lose to the new ones, and `manage.py check` names them (decision 100)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import global_settings
from django.core import checks

from ebok.core.checks import old_environment_variable_names
from ebok.core.environment import RENAMED, Env

ROOT = Path(__file__).resolve().parents[2]

# Django's own settings keep their names (checked against Django's global settings), and
# so do django-environ's URLs, the database's CONN_MAX_AGE and LOG_LEVEL.
UNPREFIXED = {"DATABASE_URL", "CACHE_URL", "EMAIL_URL", "CONN_MAX_AGE", "LOG_LEVEL"}


def env_of(**variables) -> Env:
    env = Env()
    env.ENVIRON = variables
    return env


def test_the_new_name_is_read():
    env = env_of(EBOK_BASE_URL="https://ebok.example.pl")

    assert env.str("EBOK_BASE_URL", default="") == "https://ebok.example.pl"


def test_the_old_name_is_read_when_the_new_one_is_unset():
    env = env_of(SITE_URL="https://ebok.old.example", AXES_FAILURE_LIMIT="3")

    assert env.str("EBOK_BASE_URL", default="") == "https://ebok.old.example"
    assert env.int("EBOK_LOGIN_FAILURE_LIMIT", default=5) == 3


def test_the_new_name_wins_when_both_are_set():
    env = env_of(TRUSTED_PROXIES="10.0.0.1", EBOK_TRUSTED_PROXIES="127.0.0.1,::1")

    assert env.list("EBOK_TRUSTED_PROXIES", default=[]) == ["127.0.0.1", "::1"]


def test_without_either_name_the_default_holds():
    assert env_of().int("EBOK_API_IMPORT_MAX_RECORDS", default=10000) == 10000


def test_a_name_that_was_never_renamed_has_no_fallback():
    # EBOK_UPLOAD_MAX_FILES always had its prefix: UPLOAD_MAX_FILES means nothing.
    assert env_of(UPLOAD_MAX_FILES="9").int("EBOK_UPLOAD_MAX_FILES", default=5) == 5


def test_the_check_is_silent_without_old_names(monkeypatch):
    for old in RENAMED:
        monkeypatch.delenv(old, raising=False)

    assert old_environment_variable_names() == []


def test_the_check_names_an_old_variable_and_its_new_name(monkeypatch):
    for old in RENAMED:
        monkeypatch.delenv(old, raising=False)
    monkeypatch.setenv("SITE_URL", "https://ebok.old.example")
    monkeypatch.delenv("EBOK_BASE_URL", raising=False)

    [warning] = old_environment_variable_names()

    assert warning.id == "ebok.W001"
    assert warning.level == checks.WARNING
    assert warning.msg == "The environment variable SITE_URL is an old name of EBOK_BASE_URL."
    assert "Rename SITE_URL to EBOK_BASE_URL" in warning.hint


def test_the_check_says_an_old_variable_is_ignored_when_the_new_one_is_set(monkeypatch):
    for old in RENAMED:
        monkeypatch.delenv(old, raising=False)
    monkeypatch.setenv("METRICS_TOKEN", "old-token")
    monkeypatch.setenv("EBOK_METRICS_TOKEN", "new-token")

    [warning] = old_environment_variable_names()

    assert warning.id == "ebok.W001"
    assert "METRICS_TOKEN is ignored: EBOK_METRICS_TOKEN is set" in warning.msg
    assert "Remove METRICS_TOKEN" in warning.hint


def run_with(code_or_args: list[str], **variables) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in RENAMED}
    environment.update(variables, DJANGO_SETTINGS_MODULE="ebok.settings")
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_check_warns_about_an_old_name_and_the_settings_use_its_value():
    printed = run_with(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EBOK_BASE_URL, settings.AXES_FAILURE_LIMIT)",
        ],
        SITE_URL="https://ebok.old.example/",
        AXES_FAILURE_LIMIT="3",
    )
    checked = run_with(["manage.py", "check"], SITE_URL="https://ebok.old.example/")

    assert printed.stdout.split() == ["https://ebok.old.example", "3"]
    assert checked.returncode == 0, checked.stderr
    assert (
        "environment: (ebok.W001) The environment variable SITE_URL is an old name of EBOK_BASE_URL."
        in (checked.stderr)
    )


def test_in_a_real_process_the_new_name_wins_over_the_old_one():
    printed = run_with(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EBOK_BASE_URL)",
        ],
        SITE_URL="https://ebok.old.example",
        EBOK_BASE_URL="https://ebok.new.example",
    )

    assert printed.stdout.strip() == "https://ebok.new.example"


def test_every_variable_the_settings_read_is_ours_or_djangos():
    settings_py = (ROOT / "ebok" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', settings_py))

    assert read  # the pattern still finds the variables
    for name in read - {n for n in read if n.startswith("EBOK_")}:
        assert name in UNPREFIXED or hasattr(global_settings, name), (
            f"{name}: eBOK's own variables start with EBOK_ (docs/configuration.md)"
        )
    assert not read & set(RENAMED), "the settings read a new name; the old one is a fallback"


def test_every_renamed_variable_is_read_and_documented_under_both_names():
    settings_py = (ROOT / "ebok" / "settings.py").read_text()
    docs = (ROOT / "docs" / "configuration.md").read_text()
    old_names = docs.split("## Old names", 1)[1]

    for old, new in RENAMED.items():
        assert f'"{new}"' in settings_py, new
        assert f"`{new}`" in docs.split("## Old names", 1)[0], new
        assert f"`{old}`" in old_names, old
