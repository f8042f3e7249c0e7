"""Correspondence: letters the customers send (and the company's replies), their
attachments, status history and remark types.

One source of truth per fact: a reply is a letter of kind REPLY (there is no separate
direction); an online request's type and answers are the letter's `request_type` and
`structured_data`; a change of data is the `customers.DataChangeRequest` row of the letter.

A letter is never deleted: it is the company's record of what a customer sent and when.
Every model has a stable integer id and a `created_at`, so the billing export can read
them incrementally.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ebok.core.model_fields import acting_user
from ebok.customers.models import Customer


class LetterKind(models.TextChoices):
    INCOMING = "incoming", _("Pismo przychodzące - dokument eBOK")
    DATA_CHANGE = "data_change", _("Zmiana danych Podmiotu - dokument eBOK")
    ONLINE_REQUEST = "online_request", _("Wniosek internetowy - dokument eBOK")
    COMPLAINT = "complaint", _("Reklamacja - dokument eBOK")
    REMARK = "remark", _("Uwaga - dokument eBOK")
    REPLY = "reply", _("Pismo wychodzące - odpowiedź")


class LetterStatus(models.TextChoices):
    RECEIVED = "received", _("przyjęte")
    IN_PROGRESS = "in_progress", _("w realizacji")
    ANSWERED = "answered", _("udzielono odpowiedzi")
    CLOSED = "closed", _("zamknięte")


# Days to answer when an operator has not configured the kind (KindDeadline).
DEFAULT_DUE_DAYS = {
    LetterKind.COMPLAINT: 14,
    LetterKind.INCOMING: 30,
    LetterKind.DATA_CHANGE: 14,
    LetterKind.ONLINE_REQUEST: 14,
    LetterKind.REMARK: 14,
}


class KindDeadline(models.Model):
    """How many days the company has to answer a letter of one kind (operator setting)."""

    kind = models.CharField(_("rodzaj"), max_length=20, choices=LetterKind.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("termin odpowiedzi [dni]"))

    class Meta:
        verbose_name = _("termin odpowiedzi")
        verbose_name_plural = _("terminy odpowiedzi")
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.days}"

    @classmethod
    def days_for(cls, kind: str) -> int | None:
        row = cls.objects.filter(kind=kind).first()
        if row is not None:
            return row.days
        return DEFAULT_DUE_DAYS.get(kind)


class RemarkType(models.Model):
    """A type offered on the public remark form ("Typ uwagi"); configured by operators."""

    name = models.CharField(
        _("nazwa"),
        max_length=200,
        help_text=_("{company} zostanie zastąpione skróconą nazwą firmy."),
    )
    is_complaint = models.BooleanField(
        _("reklamacja"),
        default=False,
        help_text=_("Uwagi tego typu są rejestrowane jako reklamacje (z terminem dla reklamacji)."),
    )
    description = models.TextField(
        _("opis dla klienta"),
        max_length=500,
        blank=True,
        help_text=_(
            "Zwykły tekst (bez HTML), wyświetlany pod listą typów w formularzu uwagi, "
            "np. czego dotyczy typ i kiedy go wybrać."
        ),
    )
    position = models.PositiveSmallIntegerField(_("kolejność"), default=0)
    is_active = models.BooleanField(_("aktywny"), default=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)

    class Meta:
        verbose_name = _("typ uwagi")
        verbose_name_plural = _("typy uwag")
        ordering = ["position", "name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name with ``{company}`` replaced by the company's short name."""
        from ebok.core.models import CompanySettings

        return self.name.replace("{company}", CompanySettings.get().company_short_name)


class LetterQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError("Letters are never deleted.")

    def incoming(self):
        return self.exclude(kind=LetterKind.REPLY)

    def replies(self):
        return self.filter(kind=LetterKind.REPLY)

    def open(self):
        return self.filter(status__in=[LetterStatus.RECEIVED, LetterStatus.IN_PROGRESS])

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)


class Letter(models.Model):
    """A numbered letter: incoming (from a customer or an anonymous sender) or the
    company's reply (kind REPLY, `in_reply_to` the incoming one)."""

    number = models.CharField(_("numer"), max_length=30, unique=True)
    kind = models.CharField(_("rodzaj"), max_length=20, choices=LetterKind.choices, db_index=True)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("kontrahent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("odpowiedź na"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    description = models.CharField(_("opis"), max_length=200, blank=True)
    body = models.TextField(_("treść"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LetterStatus.choices, default=LetterStatus.RECEIVED
    )
    due_date = models.DateField(_("termin odpowiedzi"), null=True, blank=True)
    # Sender data of an anonymous remark (and the contact the customer gave).
    sender_name = models.CharField(_("imię i nazwisko / nazwa"), max_length=200, blank=True)
    sender_email = models.EmailField(_("e-mail"), blank=True)
    sender_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    concerns_address = models.CharField(_("adres zgłoszenia"), max_length=300, blank=True)
    remark_type = models.ForeignKey(
        RemarkType, verbose_name=_("typ uwagi"), null=True, blank=True, on_delete=models.PROTECT
    )
    # An online request's type (a code of `ebok.letters.request_types`) and the answers
    # the customer gave: {"type", "title", "fields": [{"name", "label", "value"}]}.
    request_type = models.CharField(_("typ wniosku"), max_length=40, blank=True, db_index=True)
    structured_data = models.JSONField(_("dane formularza"), default=dict, blank=True)
    created_by = acting_user(_("utworzył"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prowadzący"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_letters",
    )
    # SHA-256 of the anonymous tracking token; the token itself is only in the sender's link.
    tracking_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # One-time form token: a second submit of the same form finds the first letter.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("data utworzenia"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)
    answered_at = models.DateTimeField(_("data odpowiedzi"), null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("pismo")
        verbose_name_plural = _("pisma")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-created_at"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self):
        return self.number

    def delete(self, *args, **kwargs):
        raise PermissionError("Letters are never deleted.")

    @property
    def is_reply(self) -> bool:
        return self.kind == LetterKind.REPLY

    @property
    def is_open(self) -> bool:
        return self.status in (LetterStatus.RECEIVED, LetterStatus.IN_PROGRESS)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class LetterStatusChange(models.Model):
    letter = models.ForeignKey(
        Letter, verbose_name=_("pismo"), on_delete=models.PROTECT, related_name="status_changes"
    )
    old_status = models.CharField(
        _("poprzedni status"), max_length=12, choices=LetterStatus.choices, blank=True
    )
    new_status = models.CharField(_("status"), max_length=12, choices=LetterStatus.choices)
    changed_by = acting_user(_("zmienił"))
    comment = models.CharField(_("komentarz"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("czas"), default=timezone.now)

    class Meta:
        verbose_name = _("zmiana statusu pisma")
        verbose_name_plural = _("zmiany statusu pism")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.letter}: {self.old_status} → {self.new_status}"


class InternalNote(models.Model):
    """An operator's note on a letter; never shown to the customer."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("pismo"), on_delete=models.PROTECT, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("notatka"))
    created_at = models.DateTimeField(_("czas"), default=timezone.now)

    class Meta:
        verbose_name = _("notatka wewnętrzna")
        verbose_name_plural = _("notatki wewnętrzne")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.letter}: {self.text[:40]}"


class Attachment(models.Model):
    """A file belonging to a letter: an upload, or the PDF document the portal rendered
    (a request's or a reply's). Stored under a random name; served only by views that
    check ownership."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("załącznik")
        DOCUMENT = "document", _("dokument PDF pisma")

    letter = models.ForeignKey(
        Letter, verbose_name=_("pismo"), on_delete=models.PROTECT, related_name="attachments"
    )
    source = models.CharField(
        _("pochodzenie"), max_length=10, choices=Source.choices, default=Source.UPLOAD
    )
    original_name = models.CharField(_("nazwa pliku"), max_length=150)
    file = models.FileField(_("plik"), max_length=200)
    content_type = models.CharField(_("typ"), max_length=100)
    size = models.PositiveBigIntegerField(_("rozmiar [B]"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("dodano"), default=timezone.now)

    class Meta:
        verbose_name = _("załącznik")
        verbose_name_plural = _("załączniki")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name
