"""Backup and restore: `manage.py backup` of a live site, `manage.py restore` into an
empty database and an empty file storage elsewhere, and the same letters with the same
attachment bytes are there. SQLite (online backup API + files) always; PostgreSQL
(pg_dump/pg_restore) when the suite runs with DATABASE_URL=postgres://..."""

import json
import os
import secrets
import shutil
import subprocess
import sys

import pytest

from tests.deploy.procs import ROOT, manage, prepared_copy, production_env, sqlite_pass_only

pytestmark = pytest.mark.deploy

MAKE_LETTERS = r"""
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from ebok.core import uploads
from ebok.letters import services
from ebok.letters.models import LetterKind
from tests import factories

customer = factories.make_customer(name="Wspólnota Mieszkaniowa Backup 1")
pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
png = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
for n, files in enumerate([[("skan.pdf", pdf)], [("zdjecie.png", png), ("druga.pdf", pdf + b"2")]]):
    checked = [uploads.check_file(SimpleUploadedFile(name, data)) for name, data in files]
    services.submit_letter(
        kind=LetterKind.INCOMING, description=f"Pismo {n}", body="Treść", customer=customer,
        files=checked,
    )
"""

DESCRIBE = r"""
import django, hashlib, json
django.setup()
from django.core.files.storage import default_storage
from ebok.letters.models import Letter
out = []
for letter in Letter.objects.order_by("number").prefetch_related("attachments"):
    files = []
    for a in letter.attachments.order_by("original_name"):
        with default_storage.open(a.file.name, "rb") as fh:
            files.append([a.original_name, a.sha256, hashlib.sha256(fh.read()).hexdigest()])
    out.append([letter.number, letter.description, letter.customer.name, files])
print(json.dumps(out))
"""


def python(env, script):
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def letters_and_files(env):
    return json.loads(python(env, DESCRIBE).strip().splitlines()[-1])


def assert_same_after_restore(source_env, target_env, backup_dir):
    python(source_env, MAKE_LETTERS)
    before = letters_and_files(source_env)
    assert len(before) == 2 and len(before[1][3]) == 2
    assert all(f[1] == f[2] for letter in before for f in letter[3])  # bytes match the rows

    out = manage(source_env, "backup", str(backup_dir))
    assert "3 files" in out
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["files"] == 3

    # The same files arrive in the empty target, letter numbers and bytes unchanged.
    out = manage(target_env, "restore", str(backup_dir))
    assert "3 files" in out
    assert letters_and_files(target_env) == before

    # A second restore over the now non-empty target is refused.
    result = subprocess.run(
        [sys.executable, "-m", "django", "restore", str(backup_dir)],
        env=target_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "empty" in result.stderr


@sqlite_pass_only
def test_sqlite_online_backup_and_media_restore_into_an_empty_place(prepared_site, tmp_path):
    (tmp_path / "live").mkdir()
    (tmp_path / "restored").mkdir()
    live = prepared_copy(prepared_site, tmp_path / "live", MEDIA_ROOT=tmp_path / "live" / "media")
    restored = production_env(
        tmp_path / "restored",
        MEDIA_ROOT=tmp_path / "restored" / "media",
        STATIC_ROOT=prepared_site / "static",
    )
    assert not (tmp_path / "restored" / "ebok.sqlite3").exists()
    assert_same_after_restore(live, restored, tmp_path / "backup")
    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == [
        "database.sqlite3",
        "files",
        "manifest.json",
    ]


def test_postgresql_pg_dump_and_pg_restore_into_an_empty_database(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("PostgreSQL backup runs when the suite runs with DATABASE_URL=postgres://...")
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is missing: apt-get install postgresql-client")
    import psycopg

    base, _, _name = url.rpartition("/")
    suffix = secrets.token_hex(4)
    names = [f"ebok_backup_live_{suffix}", f"ebok_backup_restored_{suffix}"]
    admin = psycopg.connect(f"{base}/postgres", autocommit=True)
    for name in names:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        live = production_env(
            tmp_path, DATABASE_URL=f"{base}/{names[0]}", MEDIA_ROOT=tmp_path / "live-media"
        )
        restored = production_env(
            tmp_path, DATABASE_URL=f"{base}/{names[1]}", MEDIA_ROOT=tmp_path / "restored-media"
        )
        manage(live, "migrate", "--noinput")
        assert_same_after_restore(live, restored, tmp_path / "backup")
        assert (tmp_path / "backup" / "database.dump").is_file()
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
