"""Back up the database and every stored file into one directory.

Why: a heat company must be able to restore customers' letters, attachments and invoice
snapshots after losing a machine; this is the one command that saves all of them
consistently, on SQLite (online backup, no downtime) and PostgreSQL (pg_dump), from the
local disk or the S3 bucket. See docs/operations.md.
"""

from django.core.management.base import BaseCommand, CommandError

from ebok.core import backup


class Command(BaseCommand):
    help = "Back up the database and the stored files into DESTINATION (a new directory)."

    def add_arguments(self, parser):
        parser.add_argument("destination")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be saved, save nothing."
        )

    def handle(self, destination, dry_run=False, **options):
        if dry_run:
            names = list(backup.storage_names())
            self.stdout.write(f"database: {backup.connection.vendor}; files: {len(names)}")
            return
        try:
            manifest = backup.backup(destination)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up the {manifest['database']} database and {manifest['files']} files "
            f"to {destination}."
        )
