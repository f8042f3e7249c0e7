"""Heat supply interruptions (przerwy w dostawie ciepła): planned works and failures,
their scope (sites, substations, street and house-number ranges), the sites that scope
matched, the history of every change and the e-mail notices sent about each change."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ebok.core.model_fields import acting_user


def new_external_id() -> str:
    # Interruptions typed in the back office get a key of their own, so the external id
    # is unique for all of them and the dispatch system's ids never collide with it.
    return f"bok-{uuid.uuid4().hex[:16]}"


class Interruption(models.Model):
    class Kind(models.TextChoices):
        PLANNED = "planned", _("prace planowe")
        FAILURE = "failure", _("awaria")

    class Affects(models.TextChoices):
        HEATING = "heating", _("ogrzewanie")
        HOT_WATER = "hot_water", _("ciepła woda")
        BOTH = "both", _("ogrzewanie i ciepła woda")

    class Status(models.TextChoices):
        ANNOUNCED = "announced", pgettext_lazy("interruption", "zapowiedziana")
        IN_PROGRESS = "in_progress", pgettext_lazy("interruption", "trwa")
        EXTENDED = "extended", pgettext_lazy("interruption", "przedłużona")
        ENDED = "ended", pgettext_lazy("interruption", "zakończona")
        CANCELLED = "cancelled", pgettext_lazy("interruption", "odwołana")

    OPEN_STATUSES = (Status.ANNOUNCED, Status.IN_PROGRESS, Status.EXTENDED)

    external_id = models.CharField(
        _("identyfikator zewnętrzny"), max_length=64, unique=True, default=new_external_id
    )
    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices)
    affects = models.CharField(_("czego dotyczy"), max_length=10, choices=Affects.choices)
    starts_at = models.DateTimeField(_("początek"))
    expected_end_at = models.DateTimeField(_("przewidywany koniec"))
    ended_at = models.DateTimeField(_("zakończono"), null=True, blank=True)
    status = models.CharField(
        _("stan"), max_length=12, choices=Status.choices, default=Status.ANNOUNCED
    )
    description = models.TextField(_("opis dla odbiorców"), blank=True)
    sites = models.ManyToManyField(
        "contracts.Site",
        verbose_name=_("objęte obiekty"),
        related_name="interruptions",
        blank=True,
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("przerwa w dostawie ciepła")
        verbose_name_plural = _("przerwy w dostawie ciepła")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["status", "expected_end_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_end_at__gt=models.F("starts_at")),
                name="interruptions_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M} ({self.external_id})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def lasts_at(self, when) -> bool:
        """True while the interruption is under way: started, not ended or cancelled, and
        its expected end not yet passed."""
        return self.is_open and self.starts_at <= when < self.expected_end_at

    @property
    def effective_status(self) -> str:
        """The stored status, except that an announced interruption whose start has come
        reads as in progress (nobody has to switch it by hand)."""
        if self.status == self.Status.ANNOUNCED and self.starts_at <= timezone.now():
            return self.Status.IN_PROGRESS
        return self.status

    @property
    def effective_status_label(self) -> str:
        return str(self.Status(self.effective_status).label)


class ScopeEntry(models.Model):
    """One line of an interruption's scope: a site/substation code, or a street with an
    optional house-number range and parity, in an optional city."""

    class Type(models.TextChoices):
        SITE = "site", _("obiekt lub węzeł")
        ADDRESS = "address", _("adres")

    class Parity(models.TextChoices):
        ALL = "all", _("wszystkie numery")
        ODD = "odd", _("numery nieparzyste")
        EVEN = "even", _("numery parzyste")

    interruption = models.ForeignKey(
        Interruption, on_delete=models.CASCADE, related_name="scope_entries"
    )
    type = models.CharField(_("rodzaj"), max_length=10, choices=Type.choices)
    site_code = models.CharField(_("kod obiektu lub węzła"), max_length=30, blank=True)
    street = models.CharField(_("ulica"), max_length=200, blank=True)
    number_from = models.CharField(_("numer od"), max_length=10, blank=True)
    number_to = models.CharField(_("numer do"), max_length=10, blank=True)
    parity = models.CharField(_("numery"), max_length=4, choices=Parity.choices, default=Parity.ALL)
    city = models.CharField(_("miejscowość"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("zakres przerwy")
        verbose_name_plural = _("zakres przerwy")
        ordering = ["pk"]

    def __str__(self):
        from ebok.interruptions.matching import describe_entry

        return describe_entry(self)


class Change(models.Model):
    """One change of an interruption, kept as history; e-mail notices hang off it."""

    class Verb(models.TextChoices):
        ANNOUNCED = "announced", pgettext_lazy("interruption change", "ogłoszenie")
        UPDATED = "updated", pgettext_lazy("interruption change", "zmiana danych")
        STARTED = "started", pgettext_lazy("interruption change", "rozpoczęcie")
        EXTENDED = "extended", pgettext_lazy("interruption change", "przedłużenie")
        ENDED = "ended", pgettext_lazy("interruption change", "zakończenie")
        CANCELLED = "cancelled", pgettext_lazy("interruption change", "odwołanie")

    NOTIFIED_VERBS = (Verb.ANNOUNCED, Verb.EXTENDED, Verb.ENDED, Verb.CANCELLED)

    interruption = models.ForeignKey(Interruption, on_delete=models.CASCADE, related_name="changes")
    verb = models.CharField(_("zmiana"), max_length=10, choices=Verb.choices)
    at = models.DateTimeField(_("kiedy"), default=timezone.now)
    starts_at = models.DateTimeField(_("początek"))
    expected_end_at = models.DateTimeField(_("przewidywany koniec"))
    previous_expected_end_at = models.DateTimeField(
        _("poprzedni przewidywany koniec"), null=True, blank=True
    )
    status = models.CharField(_("stan"), max_length=12, choices=Interruption.Status.choices)
    user = acting_user(_("operator"))
    source = models.CharField(_("źródło"), max_length=20, default="backoffice")

    class Meta:
        verbose_name = _("zmiana przerwy")
        verbose_name_plural = _("historia zmian przerwy")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.interruption_id} {self.verb} {self.at:%Y-%m-%d %H:%M}"


class Notice(models.Model):
    """An e-mail notice about one change to one user. Unique: inserted in the same
    transaction as the queued mail, so no change is ever mailed twice to anybody."""

    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.ForeignKey(
        "core.OutgoingEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("powiadomienie o przerwie")
        verbose_name_plural = _("powiadomienia o przerwach")
        constraints = [
            models.UniqueConstraint(fields=["change", "user"], name="interruptions_notice_once"),
        ]

    def __str__(self):
        return f"{self.change_id} → {self.user_id}"


class NoticePreference(models.Model):
    """Which interruption notices a portal user wants; no row means both kinds on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interruption_preference"
    )
    planned = models.BooleanField(_("powiadomienia o planowanych przerwach"), default=True)
    failures = models.BooleanField(_("powiadomienia o awariach"), default=True)

    class Meta:
        verbose_name = _("ustawienia powiadomień o przerwach")
        verbose_name_plural = _("ustawienia powiadomień o przerwach")

    FIELD_FOR_KIND = {Interruption.Kind.PLANNED: "planned", Interruption.Kind.FAILURE: "failures"}

    def __str__(self):
        return str(self.user)
