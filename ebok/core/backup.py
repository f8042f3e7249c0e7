"""Backup and restore of everything eBOK keeps: the database and the stored files.

A backup is a directory:

    manifest.json      what was saved, when, from which database engine, counts
    database.sqlite3   SQLite: a consistent copy made with SQLite's online backup API
    database.dump      PostgreSQL: `pg_dump --format=custom`
    files/...          every file of the default storage (local MEDIA_ROOT or the S3
                       bucket) under its storage name

Files are read and written through Django's storage API, so the same commands work for a
local disk and for S3. Restoring goes into an empty database and storage only (a second
restore over live data would mix two states); docs/operations.md has the whole procedure.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def storage_names(storage=default_storage, directory: str = ""):
    """Every file name in the storage, recursively (works for disk and S3)."""
    try:
        dirs, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in dirs:
        yield from storage_names(storage, f"{directory}/{sub}" if directory else sub)


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client (postgresql-client).")
    return path


def _pg_env(settings_dict) -> tuple[list[str], dict]:
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def backup(destination: Path) -> dict:
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty.")
    destination.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "sqlite":
        target = sqlite3.connect(destination / "database.sqlite3")
        connection.ensure_connection()
        with target:
            connection.connection.backup(target)
        target.close()
    elif vendor == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        subprocess.run(  # noqa: S603 - a fixed program; arguments from settings
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(destination / "database.dump"),
                *args,
            ],
            env=env,
            check=True,
        )
    else:
        raise BackupError(f"Unsupported database engine: {vendor}")
    count = 0
    for name in storage_names():
        target = destination / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        count += 1
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": vendor,
        "files": count,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def _database_is_empty() -> bool:
    tables = connection.introspection.table_names()
    if "letters_letter" not in tables:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM letters_letter")
        return cursor.fetchone()[0] == 0


def check_restorable(source: Path) -> dict:
    """The backup's manifest, after checking it fits this database and that the database
    and the storage are empty. Raises BackupError."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{source} holds no {MANIFEST}: not an eBOK backup.") from exc
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise BackupError(
            f"The backup is of a {manifest['database']} database; this one is {vendor}."
        )
    if not _database_is_empty():
        raise BackupError("The database already holds letters: restore into an empty one.")
    if next(storage_names(), None) is not None:
        raise BackupError("The file storage is not empty: restore into an empty one.")
    return manifest


def restore(source: Path) -> dict:
    source = Path(source)
    check_restorable(source)
    vendor = connection.vendor
    if vendor == "sqlite":
        backup_db = sqlite3.connect(source / "database.sqlite3")
        connection.ensure_connection()
        with backup_db:
            backup_db.backup(connection.connection)
        backup_db.close()
        connection.close()
    else:
        connection.close()
        args, env = _pg_env(connection.settings_dict)
        subprocess.run(  # noqa: S603
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                *args,
                str(source / "database.dump"),
            ],
            env=env,
            check=True,
        )
    files_dir = source / "files"
    count = 0
    if files_dir.is_dir():
        for path in sorted(p for p in files_dir.rglob("*") if p.is_file()):
            name = path.relative_to(files_dir).as_posix()
            with path.open("rb") as fh:
                saved = default_storage.save(name, File(fh, name=name))
            if saved != name:
                raise BackupError(f"{name} was stored as {saved}.")
            count += 1
    return {"database": vendor, "files": count}
