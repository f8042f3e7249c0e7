"""Delete registrations whose e-mail confirmation link expired unused.

Run daily from cron. Unconfirmed applications hold personal data nobody asked us to keep;
the link's validity is EBOK_REGISTRATION_LINK_DAYS (default 7 days).
"""

from django.core.management.base import BaseCommand

from ebok.accounts.services import purge_unconfirmed


class Command(BaseCommand):
    help = "Delete unconfirmed registrations whose confirmation link has expired."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count, delete nothing")

    def handle(self, *args, dry_run=False, **options):
        count = purge_unconfirmed(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} unconfirmed registration(s)")
