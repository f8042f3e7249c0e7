"""Daily digest for the customer office: letters received in the last 24 hours and open
letters past their answer deadline, mailed to every active operator who handles letters.

Exists so that nothing waits unnoticed in the inbox; run it from cron once a day, e.g.
``0 7 * * * manage.py send_letters_digest``. ``--dry-run`` prints instead of mailing.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ebok.accounts.models import User
from ebok.core.mail import queue_mail
from ebok.letters.models import Letter


def digest_recipients():
    perm = Q(groups__permissions__codename="handle_letters") | Q(
        user_permissions__codename="handle_letters"
    )
    return (
        User.objects.filter(is_active=True)
        .filter(perm)
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


class Command(BaseCommand):
    help = "Mail operators a digest of new and overdue letters."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the digest, send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        today = timezone.localdate(now)
        incoming = Letter.objects.incoming().select_related("customer", "assigned_to")
        new_letters = list(
            incoming.filter(created_at__gte=now - timedelta(hours=24)).order_by("created_at")
        )
        overdue_letters = list(incoming.overdue(today).order_by("due_date", "created_at"))
        recipients = [u.email for u in digest_recipients()]
        self.stdout.write(
            f"new: {len(new_letters)}, overdue: {len(overdue_letters)}, recipients: {len(recipients)}"
        )
        if not new_letters and not overdue_letters:
            self.stdout.write("nothing to report")
            return
        context = {
            "today": today,
            "new_letters": new_letters,
            "overdue_letters": overdue_letters,
            "inbox_url": settings.EBOK_BASE_URL + reverse("backoffice:letters"),
        }
        if dry_run:
            for letter in new_letters + overdue_letters:
                self.stdout.write(
                    f"{letter.number} {letter.kind} {letter.status} {letter.due_date or ''}"
                )
            return
        with transaction.atomic():
            for email in recipients:
                queue_mail("letters/email/digest", [email], context)
        self.stdout.write(f"queued {len(recipients)} message(s)")
