"""The import engine: bulk, idempotent upserts of billing records keyed on external_id.

Records are processed in chunks, each in its own transaction:

1. validate every record against the kind's strict schema;
2. keep, per external_id, only the newest version in the chunk;
3. resolve the external ids of referenced records (cached for the whole import);
4. fetch the existing rows of the chunk with one query and compare in memory:
   new → insert, newer version → update, same version and same data → unchanged,
   older version → refused, same version with other data → refused;
5. insert with ``COPY`` on PostgreSQL (``bulk_create`` elsewhere) and update with one
   ``executemany`` whose ``WHERE version < new`` guard keeps the rule in SQL, so two
   imports running at once can never let an older version win.

When the fast path hits a constraint (a duplicate payer code, a concurrent import that
inserted the same rows first), the chunk's savepoint is rolled back and its records are
written one by one, each with its own savepoint and its own result.
"""

from __future__ import annotations

import base64
import binascii
import logging
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError

try:
    import psycopg
except ImportError:  # pragma: no cover - SQLite-only installations
    psycopg = None

from ebok.billing.documents import queue_invoice_pdfs
from ebok.billing.models import AccountSummary, InvoiceLine
from ebok.billing.summary import new_stamp, refresh_account_summaries, touch_account_summaries
from ebok.contracts.models import Meter
from ebok.core.models import CompanySettings
from ebok.integration.files import RecordParseError
from ebok.integration.models import ImportBatch
from ebok.integration.records import SPECS, Spec

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED, ERROR = "created", "updated", "unchanged", "error"
STATUSES = (CREATED, UPDATED, UNCHANGED, ERROR)
DEFAULT_CHUNK = 10000
# How an import keeps the customers' account summaries: invoices and payments change the
# figures (recomputed for the customers touched), sites, contracts, meters and readings
# only what the pages show (a new stamp, so cached fragments are not served again).
SUMMARY_KEEPING = {
    "invoices": "refresh",
    "payments": "refresh",
    "sites": "touch",
    "contracts": "touch",
    "meters": "touch",
    "readings": "touch",
}
SUMMARY_OWNER = {
    "invoices": "customer_id",
    "payments": "customer_id",
    "sites": "customer_id",
    "contracts": "customer_id",
    "meters": "customer_id",
    "readings": "meter_id",
}
ERROR_SAMPLE = 50


@dataclass
class RecordResult:
    index: int
    external_id: str
    status: str
    message: str = ""


@dataclass
class ImportSummary:
    kind: str
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    results: list[RecordResult] | None = None
    errors: list[RecordResult] = field(default_factory=list)
    batch: ImportBatch | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add_many(self, results: list[RecordResult], keep_all: bool):
        counts = Counter(r.status for r in results)
        for status, n in counts.items():
            self.counts[status] += n
        if keep_all:
            self.results.extend(results)
        if counts[ERROR] and len(self.errors) < ERROR_SAMPLE:
            self.errors.extend(
                [r for r in results if r.status == ERROR][: ERROR_SAMPLE - len(self.errors)]
            )

    def add(self, result: RecordResult, keep_all: bool):
        self.counts[result.status] += 1
        if keep_all:
            self.results.append(result)
        if result.status == ERROR and len(self.errors) < ERROR_SAMPLE:
            self.errors.append(result)


class UnknownKind(ValueError):
    pass


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False)[:5]:
        where = ".".join(str(p) for p in err["loc"])
        kind = err["type"]
        if kind == "missing":
            text = _("brak wymaganego pola")
        elif kind == "extra_forbidden":
            text = _("nieznane pole")
        elif kind == "value_error":
            text = _("nieprawidłowe dane: %(reason)s") % {
                "reason": err["msg"].removeprefix("Value error, ")
            }
        else:
            text = _("nieprawidłowa wartość (%(type)s)") % {"type": kind}
        parts.append(f"{where}: {text}" if where else text)
    return "; ".join(parts)


class _Engine:
    def __init__(self, spec: Spec, *, dry_run: bool, on_invoices_created: Callable | None):
        self.spec = spec
        self.dry_run = dry_run
        self.model = spec.model
        self.table = spec.model._meta.db_table
        self.columns = spec.columns
        self.compare = ["external_id", *self.columns]
        self.ref_cache: dict[type, dict[str, int]] = {}
        self.is_postgres = connection.vendor == "postgresql"
        self.self_refs = [r for r in spec.refs.values() if r.model is spec.model]
        self.on_invoices_created = on_invoices_created
        self.refs = list(spec.refs.values())
        # Column values straight from a validated record's __dict__ (C speed).
        self.get_columns = operator.itemgetter(
            "external_id", "version", "billing_updated_at", "cancelled_at", *spec.fields
        )
        fields = {f.attname: f for f in spec.model._meta.concrete_fields}
        self.db_fields = [fields[c] for c in self.compare]
        quoted = ", ".join(connection.ops.quote_name(c) for c in ["id", *self.compare])
        table = connection.ops.quote_name(self.table)
        self.existing_sql = f"SELECT {quoted} FROM {table} WHERE external_id = ANY(%s)"  # noqa: S608
        # Columns billing does not send (e.g. an invoice's stored PDF) get their defaults.
        self.default_fields = [
            f
            for f in spec.model._meta.concrete_fields
            if f.attname not in self.compare and f.attname not in ("id", "imported_at")
        ]

    # --- reference resolution ----------------------------------------------------------

    def _resolve(self, records: list) -> None:
        for ref in self.spec.refs.values():
            cache_ = self.ref_cache.setdefault(ref.model, {})
            wanted = {getattr(r, ref.name) for r in records} - {None} - cache_.keys()
            if wanted:
                wanted = sorted(wanted)
                for start in range(0, len(wanted), 2000):
                    cache_.update(
                        ref.model.objects.filter(
                            external_id__in=wanted[start : start + 2000]
                        ).values_list("external_id", "id")
                    )

    def _row(self, rec, now) -> tuple[list, str | None]:
        """Column values of a record (external_id first), or an error message."""
        data = rec.__dict__
        values = list(self.get_columns(data))
        for ref in self.refs:
            target = data[ref.name]
            if target is None:
                values.append(None)
                continue
            pk = self.ref_cache[ref.model].get(target)
            if pk is None:
                return values, _("nieznany rekord %(field)s: %(id)s") % {
                    "field": ref.name,
                    "id": target,
                }
            values.append(pk)
        return values, None

    # --- one chunk ---------------------------------------------------------------------

    def run_chunk(self, items: list[tuple[int, dict]]) -> tuple[list[RecordResult], list]:
        """Results of a chunk, and the records deferred because they point at a record
        of the same kind that does not exist yet."""
        return self.finish(*self.validate(items))

    def validate(self, items: list[tuple[int, dict]]) -> tuple[list[RecordResult], dict]:
        """Schema validation and de-duplication; no database access, so it can run in a
        thread while the previous chunk is being written."""
        results: list[RecordResult] = []
        newest: dict[str, tuple[int, object]] = {}
        for index, raw in items:
            ext = raw.get("external_id") if isinstance(raw, dict) else None
            ext = ext if isinstance(ext, str) else ""
            if not isinstance(raw, dict):
                message = (
                    str(raw) if isinstance(raw, RecordParseError) else _("rekord musi być obiektem")
                )
                results.append(RecordResult(index, ext, ERROR, message))
                continue
            try:
                rec = self.spec.schema.model_validate(raw)
            except ValidationError as exc:
                results.append(RecordResult(index, ext, ERROR, _validation_message(exc)))
                continue
            seen = newest.get(rec.external_id)
            if seen is None:
                newest[rec.external_id] = (index, rec)
                continue
            # The same record twice in one chunk: the newer version wins, whatever the order.
            (keep_i, keep), (drop_i, drop) = sorted(
                [seen, (index, rec)], key=lambda p: (p[1].version, -p[0]), reverse=True
            )
            newest[rec.external_id] = (keep_i, keep)
            if drop.version == keep.version and drop.model_dump() == keep.model_dump():
                results.append(RecordResult(drop_i, drop.external_id, UNCHANGED))
            else:
                results.append(
                    RecordResult(drop_i, drop.external_id, ERROR, self._older_message(drop, keep))
                )
        return results, newest

    def finish(self, results: list[RecordResult], newest: dict) -> tuple[list[RecordResult], list]:
        if not newest:
            return results, []
        # A fixed order makes concurrent imports of the same data take row locks in the
        # same order, so they wait for each other instead of deadlocking.
        ordered = sorted(newest.items())
        self._resolve([rec for _ext, (_i, rec) in ordered])
        deferred = []
        if self.self_refs:
            # A record pointing at one of its own kind that is not stored yet (a correction
            # before the invoice it corrects) waits for the end of the import, so the
            # order of records in a batch never changes the outcome.
            keep = []
            for ext, (i, rec) in ordered:
                if any(
                    getattr(rec, r.name) is not None
                    and getattr(rec, r.name) not in self.ref_cache[self.model]
                    for r in self.self_refs
                ):
                    deferred.append((i, rec.model_dump(mode="json", exclude_unset=True)))
                else:
                    keep.append((ext, (i, rec)))
            ordered = keep
        if not ordered:
            return results, deferred
        if self.dry_run:
            results.extend(self._classify(ordered)[0])
            return results, deferred
        try:
            with transaction.atomic():
                if self.is_postgres:
                    # A chunk's commit need not wait for the WAL flush: after a crash the
                    # last chunks are simply imported again (the import is idempotent).
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit = off")
                results_fast = self._write(ordered)
        except (IntegrityError, DatabaseError):
            results_fast = self._write_one_by_one(ordered)
        results.extend(results_fast)
        return results, deferred

    def _older_message(self, rec, current) -> str:
        if rec.version < current.version:
            return _("odrzucono starszą wersję %(old)s (aktualna: %(new)s)") % {
                "old": rec.version,
                "new": current.version,
            }
        return _("ta sama wersja %(version)s z innymi danymi; zmiana wymaga nowej wersji") % {
            "version": rec.version
        }

    def _existing(self, external_ids: list[str]) -> dict[str, tuple]:
        if self.is_postgres:
            # One array parameter instead of thousands of placeholders: no query building
            # per chunk, and PostgreSQL plans it once.
            # A server-side-binding cursor sends the array as one binary parameter instead
            # of an inlined literal (Django's psycopg cursors bind on the client).
            connection.ensure_connection()
            with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
                cursor.execute(self.existing_sql, [external_ids], binary=True)
                return {row[1]: row for row in cursor.fetchall()}
        rows = {}
        for start in range(0, len(external_ids), 5000):
            part = external_ids[start : start + 5000]
            for row in self.model.objects.filter(external_id__in=part).values_list(
                "id", *self.compare
            ):
                rows[row[1]] = row
        return rows

    def _classify(self, ordered):
        """Split the chunk into results (unchanged, errors) and rows to insert or update."""
        results, inserts, updates = [], [], []
        now = timezone.now()
        existing = self._existing([ext for ext, _ in ordered])
        for ext, (i, rec) in ordered:
            values, problem = self._row(rec, now)
            if problem:
                results.append(RecordResult(i, ext, ERROR, problem))
                continue
            current = existing.get(ext)
            if current is None:
                inserts.append((i, rec, values))
                results.append(RecordResult(i, ext, CREATED))
                continue
            stored_version = current[2]
            if rec.version > stored_version:
                updates.append((i, rec, values, current[0]))
                results.append(RecordResult(i, ext, UPDATED))
            elif rec.version == stored_version and tuple(values) == current[1:]:
                results.append(RecordResult(i, ext, UNCHANGED))
            else:
                stored = type("Stored", (), {"version": stored_version})
                results.append(RecordResult(i, ext, ERROR, self._older_message(rec, stored)))
        return results, inserts, updates, now

    def _prep(self, values: list) -> list:
        if self.is_postgres:
            return values  # psycopg adapts str, int, bool, Decimal, date and aware datetimes
        return [
            f.get_db_prep_save(v, connection) for f, v in zip(self.db_fields, values, strict=True)
        ]

    def _write(self, ordered) -> list[RecordResult]:
        results, inserts, updates, now = self._classify(ordered)
        stamp = now if self.is_postgres else connection.ops.adapt_datetimefield_value(now)
        summaries = SUMMARY_KEEPING.get(self.spec.kind)
        moved_from = self._previous_owners(updates) if summaries and updates else []
        if inserts:
            self._insert(inserts, stamp)
        if updates:
            cols = self.columns
            assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in cols)
            table = connection.ops.quote_name(self.table)
            where = "WHERE id = %s AND version < %s"
            sql = f"UPDATE {table} SET {assignments}, imported_at = %s {where}"  # noqa: S608
            params = [
                [*self._prep(values)[1:], stamp, pk, rec.version] for _i, rec, values, pk in updates
            ]
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
        if self.spec.kind == "invoices":
            self._invoice_extras(inserts, updates)
        if summaries and (inserts or updates):
            self._keep_summaries(summaries, inserts, updates, moved_from)
        return results

    # --- account summaries (ebok/billing/summary.py), in the chunk's transaction --------

    def _owner_ids(self, rows) -> set:
        """The owner (customer or meter) ids of written rows, from their column values."""
        position = self.compare.index(SUMMARY_OWNER[self.spec.kind])
        return {values[position] for values in rows}

    def _previous_owners(self, updates) -> list:
        """Owners before an update: a record moved to another customer or meter changes
        both."""
        field = SUMMARY_OWNER[self.spec.kind]
        return list(
            self.model.objects.filter(pk__in=[pk for _i, _rec, _v, pk in updates]).values_list(
                field, flat=True
            )
        )

    def _keep_summaries(self, how, inserts, updates, moved_from):
        owners = self._owner_ids(
            [values for _i, _rec, values in inserts] + [values for _i, _rec, values, _pk in updates]
        )
        owners.update(moved_from)
        if how == "refresh":
            refresh_account_summaries(owners)
        elif self.spec.kind == "readings":
            meters = Meter.objects.filter(pk__in=sorted(owners)).values("customer_id")
            AccountSummary.objects.filter(customer_id__in=meters).update(
                stamp=new_stamp(), changed_at=timezone.now()
            )
        else:
            touch_account_summaries(owners)

    def _insert(self, inserts, stamp):
        cols = [*self.compare, "imported_at", *(f.attname for f in self.default_fields)]
        defaults = [f.get_db_prep_save(f.get_default(), connection) for f in self.default_fields]
        rows = [[*self._prep(values), stamp, *defaults] for _i, _rec, values in inserts]
        quoted = ", ".join(connection.ops.quote_name(c) for c in cols)
        with connection.cursor() as cursor, connection.wrap_database_errors:
            if self.is_postgres:
                with cursor.cursor.copy(
                    f"COPY {connection.ops.quote_name(self.table)} ({quoted}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(cols))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(self.table)} ({quoted}) VALUES ({marks})",  # noqa: S608
                    rows,
                )

    def _invoice_extras(self, inserts, updates):
        touched = [(rec, None) for _i, rec, _v in inserts] + [
            (rec, pk) for _i, rec, _v, pk in updates
        ]
        if not touched:
            return
        ids = dict(
            self.model.objects.filter(
                external_id__in=[rec.external_id for rec, _ in touched]
            ).values_list("external_id", "id")
        )
        self.ref_cache.setdefault(self.model, {}).update(ids)
        invoice_ids = [ids[rec.external_id] for rec, _ in touched]
        InvoiceLine.objects.filter(invoice_id__in=invoice_ids).delete()
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(invoice_id=ids[rec.external_id], **line.model_dump())
                for rec, _ in touched
                for line in rec.lines
            ],
            batch_size=1000,
        )
        for rec, _pk in touched:
            if rec.pdf_base64 is None and rec.ksef_xml is None:
                continue
            invoice = self.model.objects.get(pk=ids[rec.external_id])
            safe = rec.external_id.replace("/", "_")
            if rec.pdf_base64 is not None:
                try:
                    pdf = base64.b64decode(rec.pdf_base64, validate=True)
                except (binascii.Error, ValueError):
                    raise IntegrityError("pdf_base64") from None
                invoice.pdf.save(f"{safe}.pdf", ContentFile(pdf), save=False)
            if rec.ksef_xml is not None:
                invoice.ksef_xml.save(f"{safe}.xml", ContentFile(rec.ksef_xml.encode()), save=False)
            invoice.save(update_fields=["pdf", "ksef_xml"])
        if self.on_invoices_created and inserts:
            self.on_invoices_created([ids[rec.external_id] for _i, rec, _v in inserts])
        if inserts:
            # New invoices without billing's PDF: rendered by a task, in this transaction.
            queue_invoice_pdfs(
                [
                    (ids[rec.external_id], rec.issue_date)
                    for _i, rec, _v in inserts
                    if rec.pdf_base64 is None
                ]
            )

    def _write_one_by_one(self, ordered) -> list[RecordResult]:
        results = []
        for item in ordered:
            try:
                with transaction.atomic():
                    results.extend(self._write([item]))
            except (IntegrityError, DatabaseError) as exc:
                logger.info("import of %s record failed: %s", self.spec.kind, exc)
                ext, (i, _rec) = item
                message = _("rekord narusza ograniczenie bazy danych (np. zdublowany numer)")
                if "pdf_base64" in str(exc):
                    message = _("pdf_base64: nieprawidłowe kodowanie base64")
                results.append(RecordResult(i, ext, ERROR, message))
        return results


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    it = iter(iterable)
    while chunk := list(islice(it, size)):
        yield chunk


def import_records(
    kind: str,
    records: Iterable[dict],
    *,
    dry_run: bool = False,
    keep_results: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
    source: str = ImportBatch.Source.API,
    api_key=None,
    file_name: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import records of one kind. Returns the counts and (optionally) every result."""
    spec = SPECS.get(kind)
    if spec is None:
        raise UnknownKind(kind)
    from ebok.billing.notifications import notify_new_invoices

    engine = _Engine(spec, dry_run=dry_run, on_invoices_created=notify_new_invoices)
    summary = ImportSummary(kind=kind, dry_run=dry_run, results=[] if keep_results else None)
    started = timezone.now()
    deferred_all = []
    chunks = _chunks(enumerate(records), chunk_size)

    def read_and_validate():
        chunk = next(chunks, None)
        return None if chunk is None else (len(chunk), engine.validate(chunk))

    # Reading and validating the next chunk overlaps with writing this one: the thread
    # runs while the main thread waits for the database.
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(read_and_validate)
        while (prepared := future.result()) is not None:
            future = pool.submit(read_and_validate)
            size, validated = prepared
            results, deferred = engine.finish(*validated)
            deferred_all.extend(deferred)
            summary.add_many(results, keep_results)
            if progress:
                progress(size)
    if deferred_all:
        # Records pointing at a record of their own kind imported later in the batch.
        engine.self_refs = []
        results, _none = engine.run_chunk(deferred_all)
        for r in results:
            summary.add(r, keep_results)
    if summary.results is not None:
        summary.results.sort(key=lambda r: r.index)
    if not dry_run:
        summary.batch = ImportBatch.objects.create(
            kind=kind,
            source=source,
            api_key=api_key,
            file_name=file_name[:255],
            started_at=started,
            finished_at=timezone.now(),
            total=summary.total,
            created=summary.counts[CREATED],
            updated=summary.counts[UPDATED],
            unchanged=summary.counts[UNCHANGED],
            errors=summary.counts[ERROR],
            error_sample=[
                {"index": e.index, "external_id": e.external_id, "message": e.message}
                for e in summary.errors
            ],
        )
        mark_synced()
    return summary


def mark_synced(when=None):
    """Set the portal's "Ostatnio zaktualizowano" to the end of a finished import."""
    CompanySettings.objects.get_or_create(pk=CompanySettings.SINGLETON_PK)
    CompanySettings.objects.filter(pk=CompanySettings.SINGLETON_PK).update(
        last_billing_sync=when or timezone.now()
    )
    cache.delete(CompanySettings.CACHE_KEY)
