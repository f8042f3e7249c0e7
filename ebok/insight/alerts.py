"""Insight alerts: a month whose consumption exceeds the weather expectation by more than
the customer's threshold, and a meter whose legalisation ends within 90 days.

Each alert is a portal notice per user acting for the customer (`InsightAlert`, unique
per user, kind, period and subject) and, unless the user opted out, an e-mail queued in
the same transaction, so a rerun never repeats one. Run daily (`send_insight_alerts`).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from ebok.contracts.models import Meter
from ebok.core.mail import queue_mail
from ebok.customers.models import Customer, CustomerAccess
from ebok.insight import services
from ebok.insight.models import CustomerInsightSettings, InsightAlert, InsightPreference

LEGALISATION_DAYS = 90
TEMPLATES = {
    InsightAlert.Kind.HIGH_CONSUMPTION: "insight/email/high_consumption",
    InsightAlert.Kind.LEGALISATION: "insight/email/legalisation",
}
PREFERENCE_FIELD = {
    InsightAlert.Kind.HIGH_CONSUMPTION: "consumption_alerts",
    InsightAlert.Kind.LEGALISATION: "legalisation_alerts",
}


def _users_by_customer(customer_ids) -> dict[int, list]:
    result: dict[int, list] = {}
    for access in CustomerAccess.objects.filter(
        customer_id__in=customer_ids, user__is_active=True
    ).select_related("user"):
        result.setdefault(access.customer_id, []).append(access.user)
    return result


def _emails_wanted(user_ids) -> dict[int, InsightPreference]:
    return {p.user_id: p for p in InsightPreference.objects.filter(user_id__in=user_ids)}


def _record(kind, customer, users, period, subject, data, prefs, dry_run) -> int:
    """Create the alert for every user who does not have it yet; queue the mails."""
    existing = set(
        InsightAlert.objects.filter(
            kind=kind, period=period, subject=subject, user__in=users
        ).values_list("user_id", flat=True)
    )
    made = 0
    for user in users:
        if user.pk in existing:
            continue
        made += 1
        if dry_run:
            continue
        pref = prefs.get(user.pk)
        wants_mail = bool(user.email) and (pref is None or getattr(pref, PREFERENCE_FIELD[kind]))
        try:
            with transaction.atomic():
                alert = InsightAlert.objects.create(
                    user=user,
                    customer=customer,
                    kind=kind,
                    period=period,
                    subject=subject,
                    data=data,
                    emailed=wants_mail,
                )
                if wants_mail:
                    queue_mail(
                        TEMPLATES[kind],
                        [user.email],
                        {
                            "alert": alert,
                            "customer": customer,
                            "user": user,
                            "link": settings.EBOK_BASE_URL + reverse("portal:insight"),
                        },
                        language=getattr(user, "preferred_language", "pl") or "pl",
                    )
        except IntegrityError:  # a concurrent run created it first
            made -= 1
    return made


def send_insight_alerts(today: date | None = None, *, dry_run: bool = False) -> dict:
    """Find and record the alerts of the last full month and of meters whose
    legalisation ends within LEGALISATION_DAYS. Returns counts per kind."""
    today = today or timezone.localdate()
    counts = {"high_consumption": 0, "legalisation": 0}
    month = services.add_months((today.year, today.month), -1)
    period = f"{month[0]:04d}-{month[1]:02d}"
    customer_ids = list(
        CustomerAccess.objects.filter(user__is_active=True)
        .values_list("customer_id", flat=True)
        .distinct()
    )
    users = _users_by_customer(customer_ids)
    prefs = _emails_wanted({u.pk for group in users.values() for u in group})
    thresholds = dict(
        CustomerInsightSettings.objects.filter(customer_id__in=customer_ids).values_list(
            "customer_id", "alert_threshold_percent"
        )
    )
    for customer in Customer.objects.filter(pk__in=customer_ids).order_by("pk"):
        threshold = Decimal(thresholds.get(customer.pk, CustomerInsightSettings.DEFAULT_THRESHOLD))
        # Computed afresh (and cached: the day's first page visit is then fast).
        _overview, details = services.compute_customer_insight(customer, today)
        for site in details.values():
            row = next((r for r in site.comparison.rows if r.month == month), None)
            if row is None or row.deviation_percent is None or row.deviation_percent <= threshold:
                continue
            data = {
                "site": site.label,
                "site_id": site.site_id,
                "actual": str(services._q(row.actual, "0.1")),
                "expected": str(services._q(row.expected, "0.1")),
                "percent": str(row.deviation_percent),
                "threshold": int(threshold),
            }
            counts["high_consumption"] += _record(
                InsightAlert.Kind.HIGH_CONSUMPTION,
                customer,
                users.get(customer.pk, []),
                period,
                f"site:{site.site_id}",
                data,
                prefs,
                dry_run,
            )
    meters = Meter.objects.filter(
        customer_id__in=customer_ids,
        cancelled_at__isnull=True,
        removed_on__isnull=True,
        legalisation_valid_until__gte=today,
        legalisation_valid_until__lte=today + timedelta(days=LEGALISATION_DAYS),
    ).select_related("customer", "site")
    for meter in meters:
        until = meter.legalisation_valid_until
        data = {
            "serial": meter.serial_number,
            "until": until.strftime("%d-%m-%Y"),
            "site": meter.site.name or str(meter.site),
            "meter_id": meter.pk,
        }
        counts["legalisation"] += _record(
            InsightAlert.Kind.LEGALISATION,
            meter.customer,
            users.get(meter.customer_id, []),
            until.isoformat(),
            f"meter:{meter.pk}",
            data,
            prefs,
            dry_run,
        )
    return counts


@task()
def send_insight_alerts_task() -> dict:
    return send_insight_alerts()


@task()
def compute_group_statistics_task() -> int:
    return len(services.compute_group_statistics())
