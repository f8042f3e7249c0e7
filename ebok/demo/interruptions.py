"""Demo heat supply interruptions at the demo customer's sites: one failure under way (so
the banner shows at once after `make run`), two planned works and one that ended."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ebok.contracts.models import Site
from ebok.interruptions import matching, services


def _base(today: date) -> datetime:
    # The failure must be under way when somebody logs in right after `make run`.
    if today == timezone.localdate():
        return timezone.now().replace(second=0, microsecond=0)
    return timezone.make_aware(datetime.combine(today, time(10, 0)))


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def create_demo_interruptions(demo_customer_id: int, today: date) -> list:
    sites = list(Site.objects.filter(customer_id=demo_customer_id).order_by("pk"))
    if not sites:
        return []
    now = _base(today)
    first, second = sites[0], sites[-1]
    street, number = matching.split_site_address(first.street)
    street_label = first.street.rsplit(" ", 1)[0] if number else first.street
    low = max(1, (number or (1, ""))[0] - 6)
    high = (number or (1, ""))[0] + 6
    created = []

    def make(**kw):
        data = services.InterruptionData(**kw)
        created.append(services.create_interruption(data, source="demo"))
        return created[-1]

    past = make(
        kind="planned",
        affects="hot_water",
        starts_at=_at(today - timedelta(days=14), 8),
        expected_end_at=_at(today - timedelta(days=14), 14),
        description="Przegląd wymiennika ciepłej wody.",
        ranges=[matching.AddressRange(street=street_label, city=first.city)],
    )
    services.end_interruption(past, _at(today - timedelta(days=14), 13), source="demo")
    make(
        kind="failure",
        affects="both",
        starts_at=now - timedelta(hours=2),
        expected_end_at=now + timedelta(hours=6),
        description=(
            "Awaria sieci ciepłowniczej: usuwamy przeciek na przyłączu. Prosimy nie "
            "zakręcać zaworów na węźle."
        ),
        ranges=[
            matching.AddressRange(
                street=street_label, number_from=str(low), number_to=str(high), city=first.city
            )
        ],
    )
    make(
        kind="planned",
        affects="hot_water",
        starts_at=_at(today + timedelta(days=3), 8),
        expected_end_at=_at(today + timedelta(days=3), 14),
        description="Wymiana zaworów w węźle cieplnym. Ogrzewanie działa bez zmian.",
        site_codes=[second.code],
    )
    make(
        kind="planned",
        affects="heating",
        starts_at=_at(today + timedelta(days=10), 7),
        expected_end_at=_at(today + timedelta(days=10), 19),
        description="Przełączenie sieci po modernizacji magistrali.",
        ranges=[matching.AddressRange(street=street_label, city=first.city)],
    )
    return created
