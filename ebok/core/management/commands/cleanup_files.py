"""Remove files that nothing refers to any more.

Why: storing an attachment happens inside the letter's transaction and failed
transactions delete what they stored, but a process killed mid-upload (SIGKILL, OOM,
power) runs no clean-up at all. It leaves stored files without a database row and
Django's temporary upload files (`tmp*.upload*`) behind. Run this daily (cron or the
systemd timer in docs/deployment.md); it deletes only what is older than a grace period,
so a file being stored right now is never touched.

    manage.py cleanup_files --dry-run          # list what would go
    manage.py cleanup_files --grace-hours 24   # delete
"""

import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone

# Where the application stores files (uploads.store_bytes_name and the FileFields'
# upload_to); files elsewhere in the storage are never deleted by this command.
MANAGED_PREFIXES = ("attachments/",)


def referenced_names() -> set[str]:
    """Every stored name a database row points to: every FileField, and the CharFields
    that hold a storage path (named `file_path`)."""
    names = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField) or (
                isinstance(f, models.CharField) and f.name == "file_path"
            ):
                values = model._base_manager.exclude(**{f.name: ""}).values_list(f.name, flat=True)
                names.update(v for v in values.iterator() if v)
    return names


def managed_prefixes() -> tuple[str, ...]:
    prefixes = set(MANAGED_PREFIXES)
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField) and isinstance(f.upload_to, str) and f.upload_to:
                top = f.upload_to.split("/")[0]
                if top and "%" not in top:
                    prefixes.add(f"{top}/")
    return tuple(sorted(prefixes))


def stored_files(prefix: str):
    """Every file under `prefix` in the default storage (local disk or S3)."""
    directory = prefix.rstrip("/")
    try:
        dirs, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{directory}/{name}"
    for sub in dirs:
        yield from stored_files(f"{directory}/{sub}/")


def orphaned_files(older_than):
    referenced = referenced_names()
    for prefix in managed_prefixes():
        for name in stored_files(prefix):
            if name in referenced:
                continue
            if default_storage.get_modified_time(name) < older_than:
                yield name


def stale_temporary_uploads(older_than_seconds: float):
    """Django's temporary upload files (TemporaryFileUploadHandler) left by a killed
    process: `tmp*.upload*` in FILE_UPLOAD_TEMP_DIR (or the system's temp directory)."""
    directory = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    limit = time.time() - older_than_seconds
    for path in directory.glob("tmp*.upload*"):
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                yield path
        except OSError:  # removed meanwhile
            continue


class Command(BaseCommand):
    help = (
        "Delete stored files no database row refers to, and stale temporary upload files, "
        "older than a grace period."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=24,
            help="only files older than this (default 24 hours)",
        )
        parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")

    def handle(self, *args, grace_hours, dry_run, **options):
        grace = timedelta(hours=grace_hours)
        verb = "would delete" if dry_run else "deleted"
        stored = temporary = 0
        size = 0
        for name in orphaned_files(timezone.now() - grace):
            size += default_storage.size(name)
            if not dry_run:
                default_storage.delete(name)
            stored += 1
            self.stdout.write(f"{verb} stored file {name}")
        for path in stale_temporary_uploads(grace.total_seconds()):
            try:
                size += path.stat().st_size
                if not dry_run:
                    path.unlink()
            except FileNotFoundError:
                continue
            temporary += 1
            self.stdout.write(f"{verb} temporary upload {path}")
        self.stdout.write(
            f"{verb}: {stored} stored file(s) without a row, {temporary} temporary upload "
            f"file(s), {size / (1024 * 1024):.1f} MB"
        )
