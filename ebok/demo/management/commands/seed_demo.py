"""`manage.py seed_demo`: fill an empty database with a realistic, deterministic dataset.

Why it exists: the demo (`make run`) needs a portal that looks like a real city heat
company's on the first visit, with logins that show every screen; the benchmark
(`make bench`) needs the same data at the scale of a large company (100,000 customers)
built in minutes. The same --seed and --today always give the same data.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ebok.accounts.demo import DEMO_TOTP_SECRET
from ebok.billing.summary import rebuild_account_summaries
from ebok.customers.models import Customer
from ebok.demo.correspondence import create_demo_correspondence
from ebok.demo.generator import DemoDataGenerator
from ebok.demo.interruptions import create_demo_interruptions
from ebok.demo.logins import LARGE_CUSTOMER_LOGIN
from ebok.demo.users import DEMO_LOGINS, create_demo_users, create_large_customer_user
from ebok.insight.annual import seed_demo as issue_demo_letters


class Command(BaseCommand):
    help = "Fill an empty database with demo customers, billing history and demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--customers", type=int, default=60, help="number of customers (default 60)"
        )
        parser.add_argument("--months", type=int, default=24, help="months of history (default 24)")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="reference date YYYY-MM-DD the history ends at (default: today)",
        )
        parser.add_argument(
            "--large-customer",
            action="store_true",
            help="make customer 7 a housing cooperative with 300 buildings, 600 meters and "
            "10 years of monthly history (login spoldzielnia; used by make bench)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="when the database already has customers, only print the demo logins",
        )

    def handle(
        self, *args, seed, customers, months, today, if_empty, large_customer=False, **options
    ):
        if Customer.objects.exists():
            if if_empty:
                self.stdout.write("The database already has data; nothing generated.")
                self._print_logins()
                return
            raise CommandError(
                "The database already has customers. seed_demo fills an empty database only "
                "(use --if-empty to skip, or `manage.py flush` first)."
            )
        if today is None:
            today = date.today()
        self.stdout.write(
            f"Generating {customers} customers, {months} months of history up to {today} "
            f"(seed {seed})..."
        )
        verbose = options["verbosity"] >= 2 or customers >= 10_000

        step = max(1, customers // 20)
        printed = [0]

        def progress(done, total):
            # About every 5 %, whatever the generator's chunk size.
            if verbose and (done == total or done // step > printed[0] // step):
                printed[0] = done
                self.stdout.write(f"  {done}/{total} customers")

        try:
            generator = DemoDataGenerator(
                seed=seed,
                customers=customers,
                months=months,
                today=today,
                progress=progress,
                large_customer=large_customer,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result = generator.generate()
        with transaction.atomic():
            create_demo_users(result.demo_customer_id, result.managed_customer_ids)
            create_demo_interruptions(result.demo_customer_id, today)
            create_demo_correspondence(result.demo_customer_id)
            # Last year's annual information letters of the demo logins' customers.
            issue_demo_letters(today, [result.demo_customer_id, *result.managed_customer_ids])
            if result.large_customer_id:
                create_large_customer_user(result.large_customer_id)
            # Billing rows were written in bulk, past the paths that keep the per-customer
            # account summaries: compute them all once.
            rebuild_account_summaries()

        for name, count in result.counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(
            f"{result.records} records in {result.seconds:.1f} s ({result.rate:,.0f} records/s)"
        )
        self._print_logins(large=bool(result.large_customer_id))

    def _print_logins(self, large=False):
        self.stdout.write(self.style.SUCCESS("Demo logins (docs/demo.md):"))
        for login in DEMO_LOGINS + ([LARGE_CUSTOMER_LOGIN] if large else []):
            self.stdout.write(f"  {login.username:<10} {login.password:<16} {login.shows}")
        self.stdout.write(
            f"  2FA (TOTP) secret of the operator and admin logins: {DEMO_TOTP_SECRET}"
        )
