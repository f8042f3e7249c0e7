"""Cross-cutting models: company settings, audit log, document counters, and the
abstract base every record mirrored from the billing system derives from."""

from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from ebok.core import request_memo
from ebok.core.model_fields import acting_user


class BillingRecord(models.Model):
    """A row mirrored from the billing system.

    `external_id` is billing's key; `version` only ever grows, so an older copy of a
    record arriving late never overwrites a newer one. Billing cancels a record
    explicitly (`cancelled_at`); the portal never deletes it silently.
    """

    external_id = models.CharField(
        _("identyfikator w systemie rozliczeń"), max_length=64, unique=True
    )
    version = models.PositiveBigIntegerField(_("wersja"), default=0)
    billing_updated_at = models.DateTimeField(
        _("zmieniono w systemie rozliczeń"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("anulowano"), null=True, blank=True)
    imported_at = models.DateTimeField(_("zaimportowano"), auto_now=True)

    class Meta:
        abstract = True


class CompanySettings(models.Model):
    """The company's branding and texts. One row (pk=1); edited by administrators."""

    SINGLETON_PK = 1
    CACHE_KEY = "ebok.company-settings"

    company_name = models.CharField(
        _("nazwa firmy"), max_length=200, default="Przedsiębiorstwo Energetyki Cieplnej Sp. z o.o."
    )
    company_short_name = models.CharField(_("nazwa skrócona"), max_length=40, default="PEC")
    street = models.CharField(_("ulica i numer"), max_length=200, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6, blank=True)
    city = models.CharField(_("miejscowość"), max_length=100, blank=True)
    nip = models.CharField(_("NIP"), max_length=10, blank=True)
    regon = models.CharField(_("REGON"), max_length=14, blank=True)
    krs = models.CharField(_("KRS"), max_length=10, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("rachunek bankowy (26 cyfr)"), max_length=26, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail kontaktowy"), blank=True)
    website = models.URLField(_("strona internetowa"), blank=True)
    office_hours = models.CharField(_("godziny pracy BOK"), max_length=200, blank=True)
    logo = models.FileField(_("logo"), upload_to="branding/", blank=True)
    welcome_text = models.TextField(_("tekst powitalny"), blank=True)
    personal_data_clause = models.TextField(
        _("klauzula o danych osobowych"),
        blank=True,
        help_text=_(
            "Wyświetlana przy zgodzie na przetwarzanie danych osobowych (klauzula administratora)."
        ),
    )
    marketing_objection_text = models.TextField(
        _("tekst sprzeciwu marketingowego"),
        default=(
            "Wyrażam sprzeciw wobec przetwarzania danych osobowych w celach marketingowych "
            "lub przekazywania ich innemu administratorowi danych."
        ),
    )
    attachment_formats_text = models.TextField(
        _("tekst o dopuszczalnych formatach załączników"),
        default="Dopuszczalne formaty: PDF, JPG, PNG, DOCX, ODT, XLSX, ODS; do 10 MB na plik, najwyżej 5 plików.",
    )
    terms_version = models.CharField(_("wersja regulaminu"), max_length=20, default="1.0")
    terms_document = models.FileField(_("dokument regulaminu"), upload_to="terms/", blank=True)
    terms_text = models.TextField(_("treść regulaminu"), blank=True)
    accessibility_statement = models.TextField(_("deklaracja dostępności"), blank=True)
    last_billing_sync = models.DateTimeField(
        _("ostatnia aktualizacja danych z systemu rozliczeń"), null=True, blank=True
    )

    # Every version of the terms and of the privacy notice: [{"id", "kind", "version",
    # "effective_from"}], rewritten whenever a TermsDocument is added. Kept here so the
    # terms check on every page reads the cached configuration and costs no query.
    terms_schedule = models.JSONField(default=list, blank=True, editable=False)
    # Online request types as offered to customers, set by an administrator:
    # {code: {"active": bool, "position": int, "help_text": str}}; a type without an entry
    # is offered in the registry's order with its own description.
    request_type_settings = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("ustawienia firmy")
        verbose_name_plural = _("ustawienia firmy")

    def __str__(self):
        return self.company_name

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        request_memo.forget(self.CACHE_KEY)
        # A reader that loaded the old row before this commit may have cached it again:
        # drop the entry once more after the commit, so every node reads the new values.
        transaction.on_commit(lambda: cache.delete(self.CACHE_KEY))

    @classmethod
    def get(cls) -> "CompanySettings":
        memo = request_memo.current()
        if memo is not None and cls.CACHE_KEY in memo:
            return memo[cls.CACHE_KEY]
        config = cache.get(cls.CACHE_KEY)
        if config is None:
            config, _created = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
            cache.set(cls.CACHE_KEY, config, 60)
        if memo is not None:
            memo[cls.CACHE_KEY] = config
        return config

    @property
    def current_terms(self):
        """The terms version in force (ebok.core.terms.ScheduledVersion) or None."""
        from ebok.core import terms

        return terms.current(TermsDocument.Kind.TERMS, config=self)

    @property
    def current_privacy_notice(self):
        from ebok.core import terms

        return terms.current(TermsDocument.Kind.PRIVACY, config=self)

    @property
    def current_terms_version(self) -> str:
        """What a registration records as accepted: the uploaded version in force, or the
        version typed before versioned documents existed."""
        current = self.current_terms
        return current.version if current is not None else self.terms_version

    @property
    def address_line(self) -> str:
        return ", ".join(p for p in [self.street, f"{self.postal_code} {self.city}".strip()] if p)


class AuditLogEntry(models.Model):
    """Who did what, when, from where. Written by `ebok.core.audit.log_action`."""

    action = models.CharField(_("czynność"), max_length=100, db_index=True)
    user = acting_user(_("użytkownik"))
    object_type = models.CharField(_("typ obiektu"), max_length=100, blank=True)
    object_id = models.CharField(_("identyfikator obiektu"), max_length=64, blank=True)
    object_repr = models.CharField(_("obiekt"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("adres IP"), null=True, blank=True)
    data = models.JSONField(_("dane"), default=dict, blank=True)
    created_at = models.DateTimeField(_("czas"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("wpis dziennika zdarzeń")
        verbose_name_plural = _("dziennik zdarzeń")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class DocumentCounter(models.Model):
    """The last number used in a numbering series for one month (e.g. PR/2026/11)."""

    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "month"], name="core_counter_unique"),
        ]

    def __str__(self):
        return f"{self.series}/{self.year}/{self.month:02d}: {self.last_number}"


class OutgoingEmail(models.Model):
    """One e-mail the portal owes somebody.

    Stored in the transaction that caused it, then sent by the task worker. When the
    mail server is down the send is retried with back-off, so mail is delayed, never lost.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("oczekuje")
        SENT = "sent", _("wysłano")
        FAILED = "failed", _("niewysłany")

    to = models.JSONField(_("odbiorcy"))
    subject = models.CharField(_("temat"), max_length=255)
    body = models.TextField(_("treść"))
    html_body = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("próby"), default=0)
    last_error = models.TextField(_("ostatni błąd"), blank=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    sent_at = models.DateTimeField(_("wysłano"), null=True, blank=True)

    class Meta:
        verbose_name = _("wiadomość wychodząca")
        verbose_name_plural = _("wiadomości wychodzące")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class AnnouncementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False, withdrawn_at__isnull=True)


class Announcement(models.Model):
    """A notice operators publish on the customers' start page (e.g. a planned outage)."""

    title = models.CharField(_("tytuł"), max_length=200)
    body = models.TextField(_("treść"), max_length=4000)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    created_by = acting_user(_("utworzył"))
    published_at = models.DateTimeField(_("opublikowano"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("wycofano"), null=True, blank=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("komunikat")
        verbose_name_plural = _("komunikaty")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["withdrawn_at", "-published_at"])]

    def __str__(self):
        return self.title

    # The start page's latest published announcements, cached for every node: each save
    # (creating, publishing, withdrawing) drops the entry, after its commit too.
    START_PAGE_KEY = "ebok.announcements.start_page:v1"
    START_PAGE_COUNT = 5

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.START_PAGE_KEY)
        transaction.on_commit(lambda: cache.delete(self.START_PAGE_KEY))

    @classmethod
    def on_start_page(cls) -> list[dict]:
        """The latest published announcements (pk, title, body, published_at)."""
        rows = cache.get(cls.START_PAGE_KEY)
        if rows is None:
            rows = list(
                cls.objects.published().values("pk", "title", "body", "published_at")[
                    : cls.START_PAGE_COUNT
                ]
            )
            cache.set(cls.START_PAGE_KEY, rows, 300)
        return rows

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.withdrawn_at is None

    @property
    def status_label(self) -> str:
        if self.withdrawn_at:
            return _("wycofany")
        if self.published_at:
            return _("opublikowany")
        return _("szkic")


class CompanySettingsChange(models.Model):
    """One save of the company settings: who, when, and each changed field's old and new
    value (`changes = {"field": {"old": ..., "new": ...}}`)."""

    changed_at = models.DateTimeField(_("czas"), auto_now_add=True, db_index=True)
    changed_by = acting_user(_("zmienił"))
    changes = models.JSONField(_("zmiany"), default=dict)

    class Meta:
        verbose_name = _("zmiana ustawień firmy")
        verbose_name_plural = _("historia zmian ustawień firmy")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.changed_at:%Y-%m-%d %H:%M} {', '.join(self.changes)}"


class TermsDocument(models.Model):
    """One version of the terms of use (regulamin) or of the privacy notice, as a PDF.

    The current version of a kind is the one with the latest `effective_from` that is
    not in the future. Versions are never edited or deleted: acceptances point at them.
    """

    class Kind(models.TextChoices):
        TERMS = "terms", _("regulamin")
        PRIVACY = "privacy", _("informacja o przetwarzaniu danych osobowych")

    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices)
    version = models.CharField(_("wersja"), max_length=20)
    effective_from = models.DateField(_("obowiązuje od"))
    file_path = models.CharField(max_length=255, editable=False)
    file_name = models.CharField(_("plik"), max_length=120)
    size = models.PositiveIntegerField(_("rozmiar"), default=0)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_at = models.DateTimeField(_("dodano"), auto_now_add=True)
    uploaded_by = acting_user(_("dodał"))

    class Meta:
        verbose_name = _("wersja dokumentu")
        verbose_name_plural = _("regulamin i informacja o danych osobowych")
        ordering = ["kind", "-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="core_terms_kind_version"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version}"
