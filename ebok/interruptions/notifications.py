"""E-mail notices about an interruption's change (announced, extended, ended, cancelled).

The change enqueues `send_change_notices` in its own transaction. The task writes one
`Notice` row per (change, user) in the same transaction as the queued mail; the row is
unique, so a second run, or a second worker running the same task at the same time,
finds it and sends nothing: one mail per user per change, whatever happens.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django_tasks import task

from ebok.accounts.models import User
from ebok.core.mail import queue_mail
from ebok.customers.models import CustomerAccess
from ebok.interruptions.models import Change, Notice, NoticePreference

TEMPLATE = "interruptions/email/change"


def recipients(interruption) -> dict[int, list[int]]:
    """user id → ids of the affected customers the user acts for; active users with an
    e-mail address who did not switch off notices of this kind."""
    opted_out = NoticePreference.objects.filter(
        user=OuterRef("user"), **{NoticePreference.FIELD_FOR_KIND[interruption.kind]: False}
    )
    rows = (
        CustomerAccess.objects.filter(
            customer__sites__interruptions=interruption, user__is_active=True
        )
        .exclude(user__email="")
        .exclude(Exists(opted_out))
        .values_list("user_id", "customer_id")
        .distinct()
    )
    by_user: dict[int, list[int]] = {}
    for user_id, customer_id in rows:
        by_user.setdefault(user_id, []).append(customer_id)
    return by_user


@task()
def send_change_notices(change_id: int) -> str:
    change = Change.objects.select_related("interruption").filter(pk=change_id).first()
    if change is None or change.verb not in Change.NOTIFIED_VERBS:
        return "nothing to send"
    interruption = change.interruption
    by_user = recipients(interruption)
    already = set(Notice.objects.filter(change=change).values_list("user_id", flat=True))
    users = User.objects.in_bulk([u for u in by_user if u not in already])
    sites = list(
        interruption.sites.filter(customer_id__in={c for ids in by_user.values() for c in ids})
    )
    link = settings.EBOK_BASE_URL + reverse("portal:my_interruptions")
    sent = 0
    for user_id, user in users.items():
        customer_ids = set(by_user[user_id])
        try:
            with transaction.atomic():
                notice = Notice.objects.create(change=change, user=user)
                message = queue_mail(
                    TEMPLATE,
                    [user.email],
                    {
                        "change": change,
                        "interruption": interruption,
                        "sites": [s for s in sites if s.customer_id in customer_ids],
                        "link": link,
                    },
                    language=user.preferred_language,
                )
                notice.email = message
                notice.save(update_fields=["email"])
        except IntegrityError:
            # Another worker sent this one a moment ago.
            continue
        sent += 1
    return f"sent {sent}"
