"""Record and e-mail heat insight alerts: last month's consumption above the weather
expectation by more than each customer's threshold, and meters whose legalisation ends
within 90 days. Run daily from cron (or enqueue `send_insight_alerts_task`); a rerun
never repeats an alert."""

from datetime import date

from django.core.management.base import BaseCommand

from ebok.insight.alerts import send_insight_alerts


class Command(BaseCommand):
    help = "Find consumption and legalisation alerts; notify in the portal and by e-mail."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument(
            "--date", type=date.fromisoformat, help="act as if today were YYYY-MM-DD"
        )

    def handle(self, *args, dry_run, date, **options):
        counts = send_insight_alerts(date, dry_run=dry_run)
        prefix = "[dry run] " if dry_run else ""
        self.stdout.write(
            f"{prefix}{counts['high_consumption']} high-consumption and "
            f"{counts['legalisation']} legalisation alerts."
        )
