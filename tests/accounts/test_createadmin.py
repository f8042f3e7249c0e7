"""`manage.py createadmin`: the first administrator of an empty installation, and the
`.env` file that manage.py reads."""

import io
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ebok.accounts import operators
from ebok.accounts.models import User
from ebok.core.models import AuditLogEntry

ROOT = Path(__file__).resolve().parents[2]


def test_the_non_interactive_form_prints_a_one_time_setup_link(db, settings):
    settings.EBOK_BASE_URL = "https://ebok.mpec.example"
    out = io.StringIO()
    call_command("createadmin", "--username", "anna", "--email", "anna@mpec.example", stdout=out)
    user = User.objects.get(username="anna")
    assert operators.role_names(user) == ["Administrator"]
    assert not user.is_superuser and not user.has_usable_password()
    link = out.getvalue().strip().splitlines()[-1]
    assert link.startswith("https://ebok.mpec.example/obsluga/konto/ustaw-haslo/")
    path = "/" + link.split("/", 3)[3]
    client = Client()
    client.post(path, {"new_password1": "Ciepło-Sieć-2027", "new_password2": "Ciepło-Sieć-2027"})
    user.refresh_from_db()
    assert user.check_password("Ciepło-Sieć-2027")
    assert client.get(path).status_code == 400  # one time only
    entry = AuditLogEntry.objects.get(action="accounts.operator.created")
    assert entry.data["via"] == "createadmin"


def test_the_interactive_form_asks_for_the_password_twice(db):
    answers = iter(["Ciepło-Sieć-2027", "Ciepło-Sieć-2027"])
    with (
        mock.patch("builtins.input", side_effect=["piotr", "piotr@mpec.example"]),
        mock.patch("getpass.getpass", side_effect=lambda prompt: next(answers)),
        mock.patch(
            "ebok.accounts.management.commands.createadmin.Command._has_terminal",
            return_value=True,
        ),
    ):
        call_command("createadmin", stdout=io.StringIO())
    user = User.objects.get(username="piotr")
    assert user.check_password("Ciepło-Sieć-2027")
    assert user.email == "piotr@mpec.example"


def test_different_or_weak_passwords_are_asked_again_and_then_refused(db):
    answers = iter(["Ciepło-Sieć-2027", "inne-Hasło-2027", "abc", "abc", "x1", "x1"])
    err = io.StringIO()
    with (
        mock.patch("builtins.input", return_value="ola@mpec.example"),
        mock.patch("getpass.getpass", side_effect=lambda prompt: next(answers)),
        mock.patch(
            "ebok.accounts.management.commands.createadmin.Command._has_terminal",
            return_value=True,
        ),
        pytest.raises(CommandError, match="three attempts"),
    ):
        call_command("createadmin", "--username", "ola", stdout=io.StringIO(), stderr=err)
    assert "The passwords differ." in err.getvalue()
    assert not User.objects.filter(username="ola").exists()


def test_a_taken_login_and_a_wrong_email_are_refused(db):
    call_command(
        "createadmin", "--username", "anna", "--email", "a@example.com", stdout=io.StringIO()
    )
    with pytest.raises(CommandError, match="taken"):
        call_command("createadmin", "--username", "ANNA", "--email", "b@example.com")
    with pytest.raises(CommandError, match="not a valid e-mail"):
        call_command("createadmin", "--username", "ewa", "--email", "nie-mail")


def test_dry_run_creates_nothing(db):
    out = io.StringIO()
    call_command(
        "createadmin", "--username", "anna", "--email", "a@example.com", "--dry-run", stdout=out
    )
    assert "would create administrator anna" in out.getvalue()
    assert not User.objects.exists()


def test_without_a_terminal_the_interactive_form_explains_what_to_give(db):
    with (
        mock.patch(
            "ebok.accounts.management.commands.createadmin.Command._has_terminal",
            return_value=False,
        ),
        pytest.raises(CommandError, match="--username and --email"),
    ):
        call_command("createadmin")


def test_manage_py_reads_the_env_file_and_the_environment_wins(tmp_path):
    sys.path.insert(0, str(ROOT))
    try:
        import manage
    finally:
        sys.path.remove(str(ROOT))
    env_file = tmp_path / ".env"
    env_file.write_text("EBOK_TEST_FROM_FILE=plik\nEBOK_TEST_BOTH=plik\n")
    with mock.patch.dict(os.environ, {"EBOK_TEST_BOTH": "srodowisko"}):
        manage.load_env_file(env_file)
        assert os.environ["EBOK_TEST_FROM_FILE"] == "plik"
        assert os.environ["EBOK_TEST_BOTH"] == "srodowisko"
    os.environ.pop("EBOK_TEST_FROM_FILE", None)
    manage.load_env_file(tmp_path / "missing.env")  # no file: nothing happens


def test_createadmin_works_from_an_empty_database_after_migrate(tmp_path):
    """The real first start: a new SQLite file, `migrate`, then `createadmin`, as
    docs/deployment.md says, with the settings in a .env file the command reads."""
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "test-secret-for-createadmin",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ebok.sqlite3'}",
        "EBOK_VAR_DIR": str(tmp_path),
        "EBOK_BASE_URL": "https://ebok.example",
    }
    python = sys.executable
    migrate = subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    result = subprocess.run(
        [
            python,
            "manage.py",
            "createadmin",
            "--username",
            "admin",
            "--email",
            "admin@ebok.example",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "https://ebok.example/obsluga/konto/ustaw-haslo/" in result.stdout
