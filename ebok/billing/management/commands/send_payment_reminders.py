"""Send payment reminders: a configurable number of days before an unpaid invoice's
due date and after it passes. Run daily from cron; running it twice sends nothing twice."""

from django.conf import settings
from django.core.management.base import BaseCommand

from ebok.billing.notifications import send_payment_reminders


class Command(BaseCommand):
    help = "Queue payment reminder e-mails (before and after the due date)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before",
            type=int,
            default=settings.EBOK_PAYMENT_REMINDER_DAYS_BEFORE,
            help="remind this many days before the due date (-1: never; default %(default)s)",
        )
        parser.add_argument(
            "--days-after",
            type=int,
            default=settings.EBOK_PAYMENT_REMINDER_DAYS_AFTER,
            help="remind this many days after the due date (-1: never; default %(default)s)",
        )

    def handle(self, *args, days_before, days_after, **options):
        counts = send_payment_reminders(days_before=days_before, days_after=days_after)
        self.stdout.write(
            f"Queued {counts.get('due_soon', 0)} reminders before the due date "
            f"and {counts.get('overdue', 0)} after it."
        )
