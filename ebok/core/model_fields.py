"""Model fields that several apps declare alike."""

from django.conf import settings
from django.db import models


def acting_user(verbose_name, *, related_name: str = "+") -> models.ForeignKey:
    """The user who created, changed, uploaded or applied a row.

    Optional (imports and the system write rows too) and set to NULL when the account is
    deleted, so the record outlives the person; no reverse accessor on the user unless
    `related_name` asks for one.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )
