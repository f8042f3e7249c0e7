"""`manage.py reconcile_summaries [--dry-run]`: check the stored account summaries against
the invoices and payments they summarise, and repair those that differ."""

from django.core.management.base import BaseCommand

from ebok.billing.summary import reconcile_account_summaries


class Command(BaseCommand):
    help = (
        "Compare every customer's account summary (balance, unpaid, overdue, counts) with "
        "their invoices and payments and store the right figures where they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="only report the differences (exit status 1 when there are any)",
        )

    def handle(self, *args, dry_run=False, **options):
        differences = reconcile_account_summaries(dry_run=dry_run)
        customers = sorted({d.customer_id for d in differences})
        for d in differences[:200]:
            self.stdout.write(
                f"customer {d.customer_id}: {d.field} stored {d.stored!s} actual {d.actual!s}"
            )
        if len(differences) > 200:
            self.stdout.write(f"... and {len(differences) - 200} more differences")
        if not customers:
            self.stdout.write(self.style.SUCCESS("Every account summary matches the billing data."))
            return
        verb = "differ (not repaired: --dry-run)" if dry_run else "differed and were repaired"
        self.stdout.write(self.style.WARNING(f"{len(customers)} account summaries {verb}."))
        if dry_run:
            raise SystemExit(1)
