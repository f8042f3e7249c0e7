"""The stamp the portal's letter pages (the register, a letter, the online requests) are
cached under: the customer's `AccountSummary.stamp` (ebok/billing/summary.py), which every
save of one of their letters renews in the same transaction (letters/signals.py).

A customer without a summary row reads as "" here (no row is created on a page view);
the first save of one of their letters creates the row with a fresh stamp, so what was
cached under "" is not served after it."""

from ebok.billing.summary import stored_stamp


def letters_stamp(customer) -> str:
    """One statement, written once per process."""
    return stored_stamp(customer.pk) or ""
