"""Generate the annual information letters (Prawo energetyczne art. 5 ust. 6c) for
everyone who used heat in a year and has no letter for it yet.

Why a command: the letters are due once a year, after the fuel mix of the year has been
entered in the back office; run it then (or from cron in January). It enqueues tasks of
200 customers each for the worker, so it returns at once; re-running it is safe (one
letter per customer and year). `--now` issues them in this process instead (demo data,
small installations); an operator reissues a single letter from the customer's page.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ebok.customers.models import Customer
from ebok.insight import annual
from ebok.insight.models import FuelMix


class Command(BaseCommand):
    help = "Generate the annual information letters of a year for every customer."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, default=date.today().year - 1, help="default: last year"
        )
        parser.add_argument("--dry-run", action="store_true", help="only count the customers")
        parser.add_argument(
            "--now", action="store_true", help="issue in this process instead of enqueuing"
        )

    def handle(self, *args, year, dry_run, now, **options):
        if not FuelMix.objects.filter(year=year).exists():
            raise CommandError(
                f"No fuel mix for {year}: an administrator enters it at "
                "/obsluga/ustawienia/paliwa/ first."
            )
        ids = list(annual.customers_to_issue(year))
        if dry_run:
            self.stdout.write(f"{len(ids)} customers would get a letter for {year}.")
            return
        if now:
            issued = 0
            for customer in Customer.objects.filter(pk__in=ids).order_by("pk").iterator():
                issued += int(annual.issue(customer, year) is not None)
            self.stdout.write(f"{issued} letters issued for {year}.")
            return
        count = annual.enqueue_all(year)
        self.stdout.write(f"{count} customers enqueued for {year} (tasks of {annual.BATCH}).")
