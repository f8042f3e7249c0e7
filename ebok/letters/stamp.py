"""A stamp of a customer's letters, for keys of cached fragments of the letter pages.

Letters are never deleted, every write of a letter goes through `save()` (which renews
its `updated_at`), and every change of status adds a status change row. So the number of
the customer's letters (replies included), the latest `updated_at` among them and the
number of their status changes together change whenever a letter page could show
something else: a new letter or reply (with its attachments, in the same transaction), a
new status or answer. The status changes are counted too because two transactions may
commit in the other order than their `updated_at`.
"""

import hashlib
from functools import lru_cache

from django.db import connection

from ebok.letters.models import Letter, LetterStatusChange


def letters_stamp(customer_id: int) -> str:
    """One statement, written once per process."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [customer_id, customer_id])
        row = cursor.fetchone()
    return hashlib.sha256(repr(tuple(row)).encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _stamp_sql() -> str:
    qn = connection.ops.quote_name
    letter, change = Letter._meta, LetterStatusChange._meta
    customer = qn(letter.get_field("customer").column)
    updated = qn(letter.get_field("updated_at").column)
    letter_id = qn(change.get_field("letter").column)
    # Model table and column names only, no user input.
    return (
        f"SELECT COUNT(*), MAX(l.{updated}),"  # noqa: S608
        f" (SELECT COUNT(*) FROM {qn(change.db_table)} c"
        f" JOIN {qn(letter.db_table)} m ON m.{qn('id')} = c.{letter_id}"
        f" WHERE m.{customer} = %s)"
        f" FROM {qn(letter.db_table)} l WHERE l.{customer} = %s"
    )
