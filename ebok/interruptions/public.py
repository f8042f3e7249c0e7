"""What anybody may read about interruptions, without logging in: times, status, the
description, and the area as streets with number ranges. Never customer names, payer
codes or the exact address of a single site: a scope given by site or substation code is
shown as the street(s) of the matched sites, without house numbers."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, Prefetch, Q
from django.utils.translation import gettext as _

from ebok.interruptions import matching
from ebok.interruptions.models import Interruption, ScopeEntry

# How long an ended or cancelled interruption stays in the feeds, so subscribers see it end.
FEED_HISTORY_DAYS = 30


@dataclass
class Search:
    street: str = ""
    number: str = ""

    @property
    def normalised_street(self) -> str:
        return matching.normalise_street(self.street)

    @property
    def house_number(self):
        return matching.house_number(self.number) if self.number else None


def _with_public_data(qs):
    from ebok.contracts.models import Site

    # The sites an interruption names by code (scope lines of type "site"): the public
    # texts describe those. Sites it reaches through an address range are described by
    # that range, and a search by street matches the range itself, so they are not
    # loaded (thousands of buildings for a district-wide interruption).
    named = ScopeEntry.objects.filter(type=ScopeEntry.Type.SITE).values("site_code")
    return qs.prefetch_related(
        Prefetch("scope_entries", queryset=ScopeEntry.objects.order_by("pk")),
        Prefetch(
            "sites",
            queryset=Site.objects.filter(code__in=named)
            .only("pk", "code", "street", "city")
            .order_by("street"),
        ),
    ).annotate(change_count=Count("changes", distinct=True))


def open_list(now):
    """Interruptions under way or planned, soonest first."""
    return _with_public_data(
        Interruption.objects.filter(
            status__in=Interruption.OPEN_STATUSES, expected_end_at__gt=now
        ).order_by("starts_at", "pk")
    )


def feed_list(now):
    """Open ones plus those ended or cancelled in the last days, newest change first."""
    since = now - timedelta(days=FEED_HISTORY_DAYS)
    return _with_public_data(
        Interruption.objects.filter(updated_at__gte=since)
        | Interruption.objects.filter(
            status__in=Interruption.OPEN_STATUSES, expected_end_at__gt=now
        )
    ).order_by("-updated_at", "-pk")


def last_modified(now):
    """When the public picture last changed: the last saved change, or the last moment an
    interruption started or reached its expected end (its status reads differently from
    then on without any row changing). One query."""
    moments = Interruption.objects.aggregate(
        saved=Max("updated_at"),
        started=Max("starts_at", filter=Q(starts_at__lte=now)),
        due=Max("expected_end_at", filter=Q(expected_end_at__lte=now)),
    )
    known = [m for m in moments.values() if m is not None]
    return max(known) if known else None


def areas(interruption) -> list[str]:
    """The public description of the area, one text per scope line."""
    texts = []
    for entry in interruption.scope_entries.all():
        if entry.type == ScopeEntry.Type.ADDRESS:
            texts.append(matching.describe_range(matching.entry_range(entry)))
    codes = {
        e.site_code for e in interruption.scope_entries.all() if e.type == ScopeEntry.Type.SITE
    }
    site_streets = {}
    for site in interruption.sites.all():
        if site.code not in codes:
            continue  # matched by an address range, which is already listed
        street, _number = matching.split_site_address(site.street)
        label = _street_label(site.street)
        site_streets.setdefault((street, site.city.casefold()), f"{label}, {site.city}")
    for text in site_streets.values():
        entry = _("%(street)s (wybrane budynki)") % {"street": text}
        if entry not in texts:
            texts.append(entry)
    return texts


def _street_label(street_and_number: str) -> str:
    match = matching._SITE_ADDRESS_RE.match(" ".join(street_and_number.split()))
    return match.group("street") if match else street_and_number


def matches(interruption, search: Search) -> bool:
    """Does the interruption touch the searched street (and number, if given)?"""
    street, number = search.normalised_street, search.house_number
    if not street:
        return True
    for entry in interruption.scope_entries.all():
        if entry.type != ScopeEntry.Type.ADDRESS:
            continue
        r = matching.entry_range(entry)
        if matching.normalise_street(r.street) != street:
            continue
        if number is None:
            return True
        if r.covers(street, number, r.city):
            return True
    for site in interruption.sites.all():
        site_street, site_number = matching.split_site_address(site.street)
        if site_street == street and (number is None or site_number == number):
            return True
    return False


def filter_by(interruptions, search: Search) -> list:
    return [i for i in interruptions if matches(i, search)]
