"""E-mail notices to portal users: a new invoice, a due date coming, a due date passed.

Each notice is recorded in `SentNotice` (unique per kind, invoice and user) in the same
transaction as the queued mail, so a notice is sent once even when the import or the
reminder command runs again. A user opts out in the portal (`NotificationPreference`).
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from ebok.accounts.models import User
from ebok.billing.models import Invoice, NotificationPreference, SentNotice
from ebok.core.mail import queue_mail
from ebok.customers.models import CustomerAccess

PREFERENCE_FIELD = {
    SentNotice.Kind.NEW_INVOICE: "new_invoices",
    SentNotice.Kind.DUE_SOON: "payment_reminders",
    SentNotice.Kind.OVERDUE: "payment_reminders",
}
TEMPLATES = {
    SentNotice.Kind.NEW_INVOICE: "billing/email/new_invoice",
    SentNotice.Kind.DUE_SOON: "billing/email/due_soon",
    SentNotice.Kind.OVERDUE: "billing/email/overdue",
}


def preference_for(user) -> NotificationPreference:
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref or NotificationPreference(user=user)


def _recipients(customer_ids, kind):
    """Active users with an e-mail acting for these customers who did not opt out."""
    opted_out = NotificationPreference.objects.filter(
        user=OuterRef("user"), **{PREFERENCE_FIELD[kind]: False}
    )
    return (
        CustomerAccess.objects.filter(customer_id__in=customer_ids, user__is_active=True)
        .exclude(user__email="")
        .exclude(Exists(opted_out))
        .values_list("customer_id", "user_id")
    )


def _send(kind, invoices) -> int:
    """Queue one notice per (invoice, user) not sent before. Returns how many."""
    invoices = list(invoices)
    if not invoices:
        return 0
    by_customer: dict[int, list[int]] = {}
    for customer_id, user_id in _recipients({i.customer_id for i in invoices}, kind):
        by_customer.setdefault(customer_id, []).append(user_id)
    users = User.objects.in_bulk({u for ids in by_customer.values() for u in ids})
    already = set(
        SentNotice.objects.filter(kind=kind, invoice__in=invoices).values_list(
            "invoice_id", "user_id"
        )
    )
    link = settings.EBOK_BASE_URL + reverse("portal:invoices")
    sent = 0
    for invoice in invoices:
        for user_id in by_customer.get(invoice.customer_id, []):
            if (invoice.pk, user_id) in already:
                continue
            user = users[user_id]
            with transaction.atomic():
                SentNotice.objects.create(kind=kind, invoice=invoice, user=user)
                queue_mail(
                    TEMPLATES[kind],
                    [user.email],
                    {"invoice": invoice, "customer": invoice.customer, "user": user, "link": link},
                    language=user.preferred_language,
                )
            sent += 1
    return sent


def notify_new_invoices(invoice_ids) -> int:
    """Called by the import for invoices it created. Only invoices still to be paid
    (not cancelled, not in debt collection, due today or later) are announced, so the
    first load of billing's history does not flood the customers' mailboxes."""
    today = timezone.localdate()
    invoices = Invoice.objects.filter(
        pk__in=invoice_ids,
        cancelled_at__isnull=True,
        in_debt_collection=False,
        due_date__gte=today,
        paid_amount__lt=F("gross_amount"),
    ).select_related("customer")
    return _send(SentNotice.Kind.NEW_INVOICE, invoices)


def send_payment_reminders(today: date | None = None, days_before=None, days_after=None) -> dict:
    """Remind about unpaid invoices `days_before` the due date and `days_after` it passed."""
    today = today or timezone.localdate()
    days_before = settings.EBOK_PAYMENT_REMINDER_DAYS_BEFORE if days_before is None else days_before
    days_after = settings.EBOK_PAYMENT_REMINDER_DAYS_AFTER if days_after is None else days_after
    unpaid = Invoice.objects.filter(
        cancelled_at__isnull=True, in_debt_collection=False, paid_amount__lt=F("gross_amount")
    ).select_related("customer")
    counts = {}
    if days_before >= 0:
        counts["due_soon"] = _send(
            SentNotice.Kind.DUE_SOON,
            unpaid.filter(due_date__gte=today, due_date__lte=today + timedelta(days=days_before)),
        )
    if days_after >= 0:
        # Invoices more than `days_after` past due, but not ancient ones (a year), which
        # a first run of the command would otherwise remind about all at once.
        counts["overdue"] = _send(
            SentNotice.Kind.OVERDUE,
            unpaid.filter(
                Q(due_date__lte=today - timedelta(days=days_after))
                & Q(due_date__gte=today - timedelta(days=365))
            ),
        )
    return counts
