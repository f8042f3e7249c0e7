"""The per-customer account summary (balance, unpaid, overdue, next due date, counts): the
one place the portal, the back office, the API and the PDFs read those numbers from.

Kept by the paths that change billing data: every import of invoices or payments
recomputes the summaries of the customers it touched, in the same transaction
(`refresh_account_summaries`); imports of sites, contracts, meters and readings only give
those customers a new `stamp`, so cached fragments keyed on it are never served again
(`touch_account_summaries`). `reconcile_account_summaries` (`manage.py
reconcile_summaries`) compares every stored row with the invoices and payments and repairs
what differs.

A row's "overdue" figures are those of the day `as_of`; they change without any data
changing when an open invoice's due date passes, so the row carries `valid_until` and a
reader on a later day recomputes it (one grouped query).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db import connection
from django.db.models import Count, DecimalField, F, Min, Q, Sum
from django.utils import timezone

from ebok.billing.models import AccountSummary, Invoice, Payment
from ebok.core.rows import RowReader
from ebok.customers.models import CustomerAccess

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
CHUNK = 2000

# The figures `compute_figures` returns, in the model's field names.
MONEY_FIELDS = (
    "invoiced_total",
    "paid_total",
    "unpaid_total",
    "overdue_total",
    "debt_collection_total",
)
COUNT_FIELDS = ("unpaid_count", "overdue_count", "invoice_count", "payment_count")
# Figures that depend on the day (compared only when a stored row is current).
DAY_FIELDS = ("overdue_total", "overdue_count", "next_due_date", "valid_until")
FIELDS = (*MONEY_FIELDS, *COUNT_FIELDS, "next_due_date", "valid_until")


def new_stamp() -> str:
    return secrets.token_hex(8)


def _money(value) -> Decimal:
    # SQLite sums decimals as binary floats; two decimals is the money's precision.
    return (value if value is not None else ZERO).quantize(CENT)


def _open() -> Q:
    return Q(paid_amount__lt=F("gross_amount"))


def compute_figures(customer_ids: Iterable[int], today: date) -> dict[int, dict]:
    """The figures of each customer from their invoices and payments: two grouped queries
    for any number of customers."""
    ids = list(customer_ids)
    figures = {
        pk: {
            **dict.fromkeys(MONEY_FIELDS, ZERO),
            **dict.fromkeys(COUNT_FIELDS, 0),
            "next_due_date": None,
            "valid_until": None,
        }
        for pk in ids
    }
    if not ids:
        return figures
    unpaid = _open() & Q(in_debt_collection=False)
    overdue = _open() & Q(due_date__lt=today)
    collection = _open() & Q(in_debt_collection=True)
    remaining = F("gross_amount") - F("paid_amount")
    invoices = (
        Invoice.objects.filter(customer_id__in=ids, cancelled_at__isnull=True)
        .order_by()
        .values("customer_id")
        .annotate(
            invoiced=Sum("gross_amount"),
            invoices=Count("pk"),
            unpaid_count=Count("pk", filter=unpaid),
            unpaid_total=Sum(remaining, filter=unpaid, output_field=MONEY_FIELD),
            overdue_count=Count("pk", filter=overdue),
            overdue_total=Sum(remaining, filter=overdue, output_field=MONEY_FIELD),
            collection_total=Sum(remaining, filter=collection, output_field=MONEY_FIELD),
            next_due=Min("due_date", filter=unpaid & Q(due_date__gte=today)),
            valid_until=Min("due_date", filter=_open() & Q(due_date__gte=today)),
        )
    )
    for row in invoices:
        f = figures[row["customer_id"]]
        f["invoiced_total"] = _money(row["invoiced"])
        f["invoice_count"] = row["invoices"]
        f["unpaid_count"] = row["unpaid_count"]
        f["unpaid_total"] = _money(row["unpaid_total"])
        f["overdue_count"] = row["overdue_count"]
        f["overdue_total"] = _money(row["overdue_total"])
        f["debt_collection_total"] = _money(row["collection_total"])
        f["next_due_date"] = row["next_due"]
        f["valid_until"] = row["valid_until"]
    payments = (
        Payment.objects.filter(customer_id__in=ids, cancelled_at__isnull=True)
        .order_by()
        .values("customer_id")
        .annotate(total=Sum("amount"), count=Count("pk"))
    )
    for row in payments:
        f = figures[row["customer_id"]]
        f["paid_total"] = _money(row["total"])
        f["payment_count"] = row["count"]
    return figures


def _chunks(ids: list, size: int = CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def refresh_account_summaries(customer_ids: Iterable[int], *, today: date | None = None) -> int:
    """Recompute and store the summaries of these customers with a new stamp. Call it in
    the transaction that changed their invoices or payments. Returns the number of rows."""
    ids = sorted({pk for pk in customer_ids if pk is not None})
    if not ids:
        return 0
    today = today or timezone.localdate()
    stamp, now = new_stamp(), timezone.now()
    for chunk in _chunks(ids):
        figures = compute_figures(chunk, today)
        AccountSummary.objects.bulk_create(
            [
                AccountSummary(
                    customer_id=pk, **figures[pk], as_of=today, stamp=stamp, changed_at=now
                )
                for pk in chunk
            ],
            update_conflicts=True,
            unique_fields=["customer"],
            update_fields=[*FIELDS, "as_of", "stamp", "changed_at"],
        )
    return len(ids)


def touch_account_summaries(customer_ids: Iterable[int]) -> None:
    """A new stamp for these customers (their sites, contracts, meters or readings changed):
    every cached fragment of their pages is out of date. A customer without a row gets one
    when it is first read."""
    ids = sorted({pk for pk in customer_ids if pk is not None})
    stamp, now = new_stamp(), timezone.now()
    for chunk in _chunks(ids):
        AccountSummary.objects.filter(customer_id__in=chunk).update(stamp=stamp, changed_at=now)


def rebuild_account_summaries(today: date | None = None) -> int:
    """Every customer's summary from scratch (after a bulk load that bypassed the paths
    that keep them, e.g. seed_demo)."""
    from ebok.customers.models import Customer

    ids = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
    return refresh_account_summaries(ids, today=today)


# The stored row by customer, in a statement written once (read on most portal pages).
_SUMMARY = RowReader(AccountSummary, "customer")


def get_account_summary(customer, today: date) -> AccountSummary:
    """The customer's summary for `today`: one query when the stored row is current, one
    more grouped query (and a conditional update) when a due date has passed since."""
    row = _SUMMARY.get(customer.pk)
    if row is not None and row.is_current(today):
        return row
    return _recompute(customer.pk, row, today)


def billing_stamp(customer, today: date) -> str:
    """The customer's stamp alone, for keys of cached fragments: one statement written
    once, not an ORM query built per request. A row that is not current for `today` keeps
    its stamp when it is recomputed (only the date moved), so it is read as stored; a
    customer without a row gets one (get_account_summary)."""
    stamp = stored_stamp(customer.pk)
    if stamp is not None:
        return stamp
    return get_account_summary(customer, today).stamp


def stored_stamp(customer_id: int) -> str | None:
    """The stamp of the customer's stored summary, or None without a row (none is made)."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [customer_id])
        row = cursor.fetchone()
    return row[0] if row is not None else None


@lru_cache(maxsize=1)
def _stamp_sql() -> str:
    qn = connection.ops.quote_name
    meta = AccountSummary._meta
    column = meta.get_field("customer").column
    # Model table and column names only, no user input.
    return f"SELECT {qn('stamp')} FROM {qn(meta.db_table)} WHERE {qn(column)} = %s"  # noqa: S608


def get_account_summaries(customer_ids: list[int], today: date) -> dict[int, AccountSummary]:
    """Summaries of several customers (a manager's): one query, plus one grouped query for
    those that are missing or out of date."""
    rows = {
        row.customer_id: row for row in AccountSummary.objects.filter(customer_id__in=customer_ids)
    }
    return _with_current(rows, customer_ids, today)


def _with_current(rows: dict, customer_ids, today: date) -> dict[int, AccountSummary]:
    """`rows` (stored summaries by customer) with those missing or out of date for
    `today` computed in one grouped query."""
    stale = [pk for pk in customer_ids if pk not in rows or not rows[pk].is_current(today)]
    if stale:
        figures = compute_figures(stale, today)
        for pk in stale:
            rows[pk] = _store(pk, rows.get(pk), figures[pk], today)
    return rows


# The summaries of the customers a user may act for (a manager's start page).
_USER_SUMMARIES = RowReader(
    AccountSummary,
    None,
    condition=(
        f"t.customer_id IN (SELECT a.customer_id FROM "  # noqa: S608 - model table
        f'"{CustomerAccess._meta.db_table}" a WHERE a.user_id = %s)'
    ),
)


def get_user_account_summaries(user_id: int, customer_ids, today: date):
    """The summaries of `customer_ids` (the customers the user may act for): one statement
    written once, plus one grouped query for those missing or out of date."""
    rows = {row.customer_id: row for row in _USER_SUMMARIES.all(user_id)}
    return _with_current(rows, customer_ids, today)


def _recompute(pk: int, row: AccountSummary | None, today: date) -> AccountSummary:
    return _store(pk, row, compute_figures([pk], today)[pk], today)


def _store(pk: int, row: AccountSummary | None, figures: dict, today: date) -> AccountSummary:
    if row is None:
        row = AccountSummary(
            customer_id=pk, **figures, as_of=today, stamp=new_stamp(), changed_at=timezone.now()
        )
        # A concurrent import may have created it meanwhile: its row wins.
        AccountSummary.objects.bulk_create([row], ignore_conflicts=True)
        return row
    if today < row.as_of:
        # A request for an earlier day than the stored one (never in production, where
        # the day only advances): answer it without rewinding the stored row.
        return AccountSummary(
            customer_id=pk, **figures, as_of=today, stamp=row.stamp, changed_at=row.changed_at
        )
    for name, value in figures.items():
        setattr(row, name, value)
    row.as_of = today
    # Only the date moved, so the stamp stays; and only if no import changed the row
    # since it was read (an import's own figures are newer than these).
    AccountSummary.objects.filter(customer_id=pk, stamp=row.stamp).update(**figures, as_of=today)
    return row


@dataclass
class Difference:
    customer_id: int
    field: str
    stored: object
    actual: object


def reconcile_account_summaries(*, dry_run: bool, today: date | None = None) -> list[Difference]:
    """Compare every customer's stored summary with their invoices and payments; unless
    `dry_run`, store the right figures for those that differ (with a new stamp)."""
    from ebok.customers.models import Customer

    today = today or timezone.localdate()
    differences: list[Difference] = []
    ids = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(ids):
        figures = compute_figures(chunk, today)
        stored = {s.customer_id: s for s in AccountSummary.objects.filter(customer_id__in=chunk)}
        wrong = []
        for pk in chunk:
            row = stored.get(pk)
            if row is None:
                differences.append(Difference(pk, "row", None, "missing"))
                wrong.append(pk)
                continue
            current = row.is_current(today)
            found = False
            for name in FIELDS:
                if name in DAY_FIELDS and not current:
                    continue
                if name == "valid_until":
                    continue  # derived from the same data as next_due_date
                if getattr(row, name) != figures[pk][name]:
                    differences.append(Difference(pk, name, getattr(row, name), figures[pk][name]))
                    found = True
            if found:
                wrong.append(pk)
        if wrong and not dry_run:
            refresh_account_summaries(wrong, today=today)
    return differences
