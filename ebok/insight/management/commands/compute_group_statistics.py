"""Compute every tariff group's distribution of yearly consumption per MW ordered
(minimum, quartiles, median, maximum) over the twelve full months before today, for the
customers' comparison pages. Groups under 10 customers are not stored. Run daily or
monthly from cron (or enqueue `compute_group_statistics_task`): pages never compute it."""

from datetime import date

from django.core.management.base import BaseCommand

from ebok.insight.services import compute_group_statistics


class Command(BaseCommand):
    help = "Compute the tariff groups' consumption distributions (GJ per MW ordered)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print, store nothing")
        parser.add_argument(
            "--date", type=date.fromisoformat, help="act as if today were YYYY-MM-DD"
        )

    def handle(self, *args, dry_run, date, **options):
        stats = compute_group_statistics(date, dry_run=dry_run)
        for s in stats:
            self.stdout.write(
                f"{s.tariff_group}: {s.customers} customers, {s.sites} sites, "
                f"min {s.minimum}, Q1 {s.lower_quartile}, median {s.median}, "
                f"Q3 {s.upper_quartile}, max {s.maximum} GJ/MW "
                f"({s.period_start} – {s.period_end})"
            )
        prefix = "[dry run] " if dry_run else ""
        self.stdout.write(f"{prefix}{len(stats)} tariff groups stored.")
