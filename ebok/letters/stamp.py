"""The stamp the portal's letter pages (the register, a letter, the online requests) are
cached under: the customer's `AccountSummary.stamp` (ebok/billing/summary.py), which every
save of one of their letters renews in the same transaction (letters/signals.py).

A customer without a summary row reads as "" here (no row is created on a page view);
the first save of one of their letters creates the row with a fresh stamp, so what was
cached under "" is not served after it."""

from functools import lru_cache

from django.db import connection

from ebok.billing.models import AccountSummary


def letters_stamp(customer) -> str:
    """One statement, written once per process."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [customer.pk])
        row = cursor.fetchone()
    return row[0] if row is not None else ""


@lru_cache(maxsize=1)
def _stamp_sql() -> str:
    qn = connection.ops.quote_name
    meta = AccountSummary._meta
    column = meta.get_field("customer").column
    # Model table and column names only, no user input.
    return f"SELECT {qn('stamp')} FROM {qn(meta.db_table)} WHERE {qn(column)} = %s"  # noqa: S608
