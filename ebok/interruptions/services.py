"""Use cases of interruptions: create, update, extend, end, cancel. Each runs in one
transaction that stores the change in the history, writes the audit log, re-resolves the
matched sites and, for the changes customers hear about, enqueues the e-mail notices; after
the commit the customers' banner cache is invalidated."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ebok.core.audit import log_action
from ebok.interruptions import matching
from ebok.interruptions.models import Change, Interruption, ScopeEntry

VERSION_KEY = "ebok.interruptions.version"
BANNER_TTL = 600


class InterruptionError(ValueError):
    """A change that is not allowed; the message is Polish, for the operator."""


def now() -> datetime:
    """A seam for tests."""
    return timezone.now()


@dataclass
class InterruptionData:
    kind: str
    affects: str
    starts_at: datetime
    expected_end_at: datetime
    description: str = ""
    site_codes: list[str] = field(default_factory=list)
    ranges: list[matching.AddressRange] = field(default_factory=list)

    def validate(self):
        if self.kind not in Interruption.Kind.values:
            raise InterruptionError(_("Nieznany rodzaj przerwy."))
        if self.affects not in Interruption.Affects.values:
            raise InterruptionError(_("Nieznany zakres przerwy (ogrzewanie, ciepła woda)."))
        if self.expected_end_at <= self.starts_at:
            raise InterruptionError(_("Przewidywany koniec musi być późniejszy niż początek."))
        if not self.site_codes and not self.ranges:
            raise InterruptionError(_("Podaj co najmniej jeden obiekt, węzeł lub adres."))


def cache_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A lost key (eviction, restart) gets a new value, so no stale entry can be read.
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY) or version
    return version


def bump_cache_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def preview(data: InterruptionData):
    """The sites and customers the scope matches, before anything is saved."""
    sites = matching.match_sites(data.site_codes, data.ranges)
    return sites, _customers_of(sites)


def _customers_of(sites):
    from ebok.customers.models import Customer

    return list(Customer.objects.filter(pk__in={s.customer_id for s in sites}).order_by("name"))


def _store_scope(interruption: Interruption, data: InterruptionData):
    interruption.scope_entries.all().delete()
    ScopeEntry.objects.bulk_create(
        [
            ScopeEntry(interruption=interruption, type=ScopeEntry.Type.SITE, site_code=code)
            for code in data.site_codes
        ]
        + [
            ScopeEntry(
                interruption=interruption,
                type=ScopeEntry.Type.ADDRESS,
                street=r.street,
                number_from=r.number_from,
                number_to=r.number_to,
                parity=r.parity,
                city=r.city,
            )
            for r in data.ranges
        ]
    )
    interruption.sites.set(matching.match_sites(data.site_codes, data.ranges))


def scope_of(interruption: Interruption) -> tuple[list[str], list[matching.AddressRange]]:
    entries = list(interruption.scope_entries.all())
    codes = [e.site_code for e in entries if e.type == ScopeEntry.Type.SITE]
    ranges = [matching.entry_range(e) for e in entries if e.type == ScopeEntry.Type.ADDRESS]
    return codes, ranges


def data_of(interruption: Interruption) -> InterruptionData:
    codes, ranges = scope_of(interruption)
    return InterruptionData(
        kind=interruption.kind,
        affects=interruption.affects,
        starts_at=interruption.starts_at,
        expected_end_at=interruption.expected_end_at,
        description=interruption.description,
        site_codes=codes,
        ranges=ranges,
    )


def _record(interruption, verb, *, user, source, request, previous_end=None, data=None):
    change = Change.objects.create(
        interruption=interruption,
        verb=verb,
        at=now(),
        starts_at=interruption.starts_at,
        expected_end_at=interruption.expected_end_at,
        previous_expected_end_at=previous_end,
        status=interruption.status,
        user=user if user is not None and user.is_authenticated else None,
        source=source,
    )
    audit_verb = {Change.Verb.ANNOUNCED: "created"}.get(verb, verb)
    log_action(
        f"interruptions.interruption.{audit_verb}",
        request=request,
        user=user,
        obj=interruption,
        data={
            "external_id": interruption.external_id,
            "source": source,
            "status": interruption.status,
            "starts_at": interruption.starts_at.isoformat(),
            "expected_end_at": interruption.expected_end_at.isoformat(),
            **(data or {}),
        },
    )
    if verb in Change.NOTIFIED_VERBS:
        from ebok.interruptions.notifications import send_change_notices

        send_change_notices.enqueue(change.pk)
    # Bump now (so this transaction's own requests see the change) and again after the
    # commit (a page rendered meanwhile may have cached the old rows under the first bump).
    bump_cache_version()
    transaction.on_commit(bump_cache_version)
    return change


def _lock(interruption: Interruption) -> Interruption:
    return Interruption.objects.select_for_update().get(pk=interruption.pk)


def create_interruption(
    data: InterruptionData, *, user=None, request=None, source="backoffice", external_id=None
) -> Interruption:
    data.validate()
    with transaction.atomic():
        interruption = Interruption(
            kind=data.kind,
            affects=data.affects,
            starts_at=data.starts_at,
            expected_end_at=data.expected_end_at,
            description=data.description,
        )
        if external_id:
            interruption.external_id = external_id
        interruption.save()
        _store_scope(interruption, data)
        _record(
            interruption,
            Change.Verb.ANNOUNCED,
            user=user,
            source=source,
            request=request,
            data={"sites": interruption.sites.count()},
        )
    return interruption


def update_interruption(
    interruption: Interruption,
    data: InterruptionData,
    *,
    user=None,
    request=None,
    source="backoffice",
) -> Interruption:
    """Edit what was typed (times, description, scope). A later expected end is an
    extension (customers are told, as they were told the old end); an earlier one, like
    any other edit, is recorded without a mail."""
    data.validate()
    with transaction.atomic():
        interruption = _lock(interruption)
        if not interruption.is_open:
            raise InterruptionError(_("Zakończonej ani odwołanej przerwy nie można zmieniać."))
        previous_end = interruption.expected_end_at
        extended = data.expected_end_at > previous_end
        interruption.kind = data.kind
        interruption.affects = data.affects
        interruption.starts_at = data.starts_at
        interruption.expected_end_at = data.expected_end_at
        interruption.description = data.description
        if extended:
            interruption.status = Interruption.Status.EXTENDED
        interruption.save()
        _store_scope(interruption, data)
        _record(
            interruption,
            Change.Verb.EXTENDED if extended else Change.Verb.UPDATED,
            user=user,
            source=source,
            request=request,
            previous_end=previous_end if data.expected_end_at != previous_end else None,
            data={"sites": interruption.sites.count()},
        )
    return interruption


def extend_interruption(
    interruption: Interruption, new_end: datetime, *, user=None, request=None, source="backoffice"
) -> Interruption:
    with transaction.atomic():
        interruption = _lock(interruption)
        if not interruption.is_open:
            raise InterruptionError(_("Zakończonej ani odwołanej przerwy nie można przedłużyć."))
        if new_end <= interruption.expected_end_at:
            raise InterruptionError(
                _("Nowy przewidywany koniec musi być późniejszy niż dotychczasowy (%(end)s).")
                % {
                    "end": timezone.localtime(interruption.expected_end_at).strftime(
                        "%d-%m-%Y %H:%M"
                    )
                }
            )
        previous_end = interruption.expected_end_at
        interruption.expected_end_at = new_end
        interruption.status = Interruption.Status.EXTENDED
        interruption.save(update_fields=["expected_end_at", "status", "updated_at"])
        _record(
            interruption,
            Change.Verb.EXTENDED,
            user=user,
            source=source,
            request=request,
            previous_end=previous_end,
        )
    return interruption


def start_interruption(interruption, *, user=None, request=None, source="backoffice"):
    with transaction.atomic():
        interruption = _lock(interruption)
        if interruption.status != Interruption.Status.ANNOUNCED:
            return interruption
        interruption.status = Interruption.Status.IN_PROGRESS
        interruption.save(update_fields=["status", "updated_at"])
        _record(interruption, Change.Verb.STARTED, user=user, source=source, request=request)
    return interruption


def end_interruption(
    interruption: Interruption, ended_at=None, *, user=None, request=None, source="backoffice"
) -> Interruption:
    ended_at = ended_at or now()
    with transaction.atomic():
        interruption = _lock(interruption)
        if not interruption.is_open:
            raise InterruptionError(_("Ta przerwa jest już zakończona albo odwołana."))
        if ended_at < interruption.starts_at:
            raise InterruptionError(
                _("Przerwa, która się nie zaczęła, nie może się zakończyć — odwołaj ją.")
            )
        interruption.status = Interruption.Status.ENDED
        interruption.ended_at = ended_at
        interruption.save(update_fields=["status", "ended_at", "updated_at"])
        _record(interruption, Change.Verb.ENDED, user=user, source=source, request=request)
    return interruption


def cancel_interruption(
    interruption: Interruption, *, user=None, request=None, source="backoffice"
) -> Interruption:
    with transaction.atomic():
        interruption = _lock(interruption)
        if not interruption.is_open:
            raise InterruptionError(_("Ta przerwa jest już zakończona albo odwołana."))
        interruption.status = Interruption.Status.CANCELLED
        interruption.save(update_fields=["status", "updated_at"])
        _record(interruption, Change.Verb.CANCELLED, user=user, source=source, request=request)
    return interruption


# --- reading ----------------------------------------------------------------------------


def open_interruptions(when=None):
    """Interruptions under way or still to come (not ended, not cancelled, end ahead)."""
    when = when or now()
    return Interruption.objects.filter(
        status__in=Interruption.OPEN_STATUSES, expected_end_at__gt=when
    )


def banner_for_customer(customer_id: int) -> list[dict]:
    """The customer's interruptions under way now, for the banner on every portal page.

    One query at most: the open interruptions at the customer's sites are cached per
    customer with the version that every change of any interruption replaces, read in one
    cache round trip with the current version (an entry of another version is stale);
    which of them last *now* is decided on each request from the cached times."""
    key = f"ebok.interruptions.banner:{customer_id}"
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or cache_version()
    cached = found.get(key)
    if cached is not None and cached[0] == version:
        rows = cached[1]
    else:
        rows = list(
            open_interruptions()
            .filter(sites__customer_id=customer_id)
            .distinct()
            .order_by("starts_at", "pk")
            .values("pk", "kind", "affects", "starts_at", "expected_end_at", "status")
        )
        cache.set(key, (version, rows), BANNER_TTL)
    current = now()
    shown = []
    for row in rows:
        if row["starts_at"] <= current < row["expected_end_at"]:
            shown.append(
                {
                    **row,
                    "kind_label": Interruption.Kind(row["kind"]).label,
                    "affects_label": Interruption.Affects(row["affects"]).label,
                }
            )
    return shown


# --- the dispatch system's push (API) ---------------------------------------------------


def _same(interruption: Interruption, data: InterruptionData) -> bool:
    current = data_of(interruption)
    return (
        current.kind == data.kind
        and current.affects == data.affects
        and current.starts_at == data.starts_at
        and current.expected_end_at == data.expected_end_at
        and current.description == data.description
        and sorted(current.site_codes) == sorted(data.site_codes)
        and sorted(map(repr, current.ranges)) == sorted(map(repr, data.ranges))
    )


def push(external_id: str, data: InterruptionData, status: str, ended_at=None) -> tuple:
    """Create or bring up to date the interruption with this external id, as the dispatch
    system sees it. Idempotent: the same push twice changes nothing the second time.
    Returns (interruption, result) where result is created, updated, extended, started,
    ended, cancelled or unchanged."""
    from django.db import IntegrityError

    data.validate()
    if status not in Interruption.Status.values:
        raise InterruptionError(_("Nieznany stan przerwy."))
    with transaction.atomic():
        interruption = (
            Interruption.objects.select_for_update().filter(external_id=external_id).first()
        )
        results = []
        if interruption is None:
            try:
                with transaction.atomic():
                    interruption = create_interruption(data, source="api", external_id=external_id)
            except IntegrityError:
                # The same push arrived twice at once; the other one created it.
                interruption = Interruption.objects.select_for_update().get(external_id=external_id)
            else:
                results.append("created")
        if not results and not interruption.is_open:
            if interruption.status == status:
                return interruption, "unchanged"
            raise InterruptionError(
                _("Przerwa %(id)s jest już zakończona albo odwołana; nie można jej zmienić.")
                % {"id": external_id}
            )
        if not results and not _same(interruption, data):
            before = interruption.expected_end_at
            interruption = update_interruption(interruption, data, source="api")
            results.append(
                "extended"
                if interruption.status == Interruption.Status.EXTENDED
                and data.expected_end_at > before
                else "updated"
            )
        if (
            status == Interruption.Status.IN_PROGRESS
            and interruption.status == Interruption.Status.ANNOUNCED
        ):
            interruption = start_interruption(interruption, source="api")
            results.append("started")
        elif status == Interruption.Status.ENDED:
            interruption = end_interruption(interruption, ended_at, source="api")
            results.append("ended")
        elif status == Interruption.Status.CANCELLED:
            interruption = cancel_interruption(interruption, source="api")
            results.append("cancelled")
    return interruption, (results[-1] if results else "unchanged")
