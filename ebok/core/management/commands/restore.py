"""Restore a directory made by `manage.py backup` into an EMPTY database and storage.

Why: recovery must be a rehearsed, single step (docs/operations.md). It refuses to write
over a database that holds letters or a storage that holds files, so it cannot mix an old
state into a live one.
"""

from django.core.management.base import BaseCommand, CommandError

from ebok.core import backup


class Command(BaseCommand):
    help = "Restore a backup directory into an empty database and file storage."

    def add_arguments(self, parser):
        parser.add_argument("source")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the backup and that the target is empty, restore nothing.",
        )

    def handle(self, source, dry_run=False, **options):
        try:
            if dry_run:
                backup.check_restorable(source)
                self.stdout.write(f"{source} can be restored here.")
                return
            result = backup.restore(source)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the {result['database']} database and {result['files']} files from {source}."
        )
