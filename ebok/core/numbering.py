"""Gapless document numbers per series and month (Europe/Warsaw calendar)."""

from django.db import transaction
from django.utils import timezone

from ebok.core.models import DocumentCounter


def next_number(series: str, when=None) -> str:
    """Return the next number in `series` for the month of `when`: ``PR/2026/11/00042``.

    Must run inside the transaction that stores the numbered document: the counter row
    stays locked until that transaction ends, so concurrent submissions queue, and a
    failed transaction rolls the counter back with the document (no gaps).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must be called inside transaction.atomic()")
    local = timezone.localtime(when or timezone.now())
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
        series=series, year=local.year, month=local.month
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{series}/{local.year}/{local.month:02d}/{counter.last_number:05d}"
