"""Integration with the billing system: API keys, import batches, the export feed's
items and their acknowledgements."""

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ebok.core.model_fields import acting_user

KEY_PREFIX = "ebok_"

# What each import kind is called in the back office.
KIND_LABELS = {
    "customers": _("kontrahenci"),
    "sites": _("obiekty"),
    "contracts": _("umowy"),
    "meters": _("liczniki"),
    "readings": _("odczyty"),
    "invoices": _("faktury"),
    "payments": _("wpłaty"),
}


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A key one integration (billing, a document system) uses to call the API.

    Only a SHA-256 digest of the key is stored: the key itself is shown once, when it is
    created. Keys are long random strings, so a fast digest is enough (no password
    hashing needed) and lets a request be authenticated with one indexed lookup.
    """

    class Scope(models.TextChoices):
        IMPORT = "import", _("import danych z systemu rozliczeń")
        EXPORT = "export", _("odbiór pism i wniosków (eksport)")
        INTERRUPTIONS = "interruptions", _("przerwy w dostawie ciepła (system dyspozytorski)")

    name = models.CharField(_("nazwa integracji"), max_length=100)
    prefix = models.CharField(_("początek klucza"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("uprawnienia"), default=list)
    created_by = acting_user(_("utworzył"))
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ostatnio użyty"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("unieważniono"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("klucz API")
        verbose_name_plural = _("klucze API")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()

    @classmethod
    def generate(cls, name: str, scopes: list[str], created_by=None) -> tuple["ApiKey", str]:
        """Create a key; returns the model and the raw key (shown once, never stored)."""
        raw = KEY_PREFIX + secrets.token_urlsafe(32)
        key = cls.objects.create(
            name=name,
            prefix=raw[: len(KEY_PREFIX) + 6],
            key_hash=cls.digest(raw),
            scopes=sorted(set(scopes)),
            created_by=created_by,
        )
        return key, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes

    def scope_labels(self) -> list[str]:
        return [str(self.Scope(s).label) for s in self.scopes if s in self.Scope.values]


class ImportBatch(models.Model):
    """One import (an API call or a batch file) with the count of each outcome."""

    class Source(models.TextChoices):
        API = "api", _("API")
        FILE = "file", _("plik wsadowy")

    kind = models.CharField(_("rodzaj danych"), max_length=20)
    source = models.CharField(_("źródło"), max_length=10, choices=Source.choices)
    api_key = models.ForeignKey(
        ApiKey, verbose_name=_("klucz API"), null=True, blank=True, on_delete=models.SET_NULL
    )
    file_name = models.CharField(_("plik"), max_length=255, blank=True)
    started_at = models.DateTimeField(_("rozpoczęto"), default=timezone.now)
    finished_at = models.DateTimeField(_("zakończono"), null=True, blank=True)
    total = models.PositiveIntegerField(_("rekordów"), default=0)
    created = models.PositiveIntegerField(_("utworzono"), default=0)
    updated = models.PositiveIntegerField(_("zaktualizowano"), default=0)
    unchanged = models.PositiveIntegerField(_("bez zmian"), default=0)
    errors = models.PositiveIntegerField(_("błędy"), default=0)
    # The first errors (external id and message), for an operator to read; the full
    # per-record result goes back to the caller.
    error_sample = models.JSONField(_("przykładowe błędy"), default=list, blank=True)

    class Meta:
        verbose_name = _("partia importu")
        verbose_name_plural = _("partie importu")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class ExportItem(models.Model):
    """Something a customer sent through the portal, waiting to be picked up.

    Written when the source object is created (see `ebok.integration.export`), read in
    id order through the feed, and marked acknowledged by the consumer, so each item is
    handed over exactly once.
    """

    source = models.CharField(_("źródło"), max_length=30)
    object_id = models.CharField(_("identyfikator obiektu"), max_length=64)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("potwierdzono odbiór"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        ApiKey,
        verbose_name=_("odebrał"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pozycja do odbioru")
        verbose_name_plural = _("pozycje do odbioru")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id"], name="integration_export_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["id"],
                name="integration_export_pending",
                condition=models.Q(acknowledged_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.source}:{self.object_id}"
