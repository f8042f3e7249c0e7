"""Heat insight: the company's outdoor temperatures (degree days), optional hourly
consumption, the tariff groups' distributions, customers' alert settings and the alerts
sent. The arithmetic lives in `ebok.insight.services`."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ebok.contracts.models import Meter
from ebok.core.models import BillingRecord
from ebok.customers.models import Customer


class DailyTemperature(BillingRecord):
    """The mean outdoor temperature of one day, from the company's own series (imported
    as the `temperatures` record kind). Degree days are computed from it with the base
    in `EBOK_HDD_BASE`, so changing the base needs no re-import."""

    day = models.DateField(_("dzień"), unique=True)
    mean_temperature = models.DecimalField(
        _("średnia temperatura dobowa [°C]"), max_digits=4, decimal_places=1
    )

    class Meta:
        verbose_name = _("temperatura dobowa")
        verbose_name_plural = _("temperatury dobowe")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mean_temperature__gte=-60, mean_temperature__lte=60),
                name="insight_temperature_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.mean_temperature} °C"


class HourlyConsumption(BillingRecord):
    """Heat used by a meter in one hour (optional `hourly_consumption` record kind, from
    remote reading); used for the peak-demand estimate when present."""

    meter = models.ForeignKey(
        Meter, verbose_name=_("licznik"), on_delete=models.PROTECT, related_name="+"
    )
    hour_start = models.DateTimeField(_("początek godziny"))
    consumption = models.DecimalField(_("zużycie [GJ]"), max_digits=10, decimal_places=4)

    class Meta:
        verbose_name = _("zużycie godzinowe")
        verbose_name_plural = _("zużycie godzinowe")
        ordering = ["meter", "hour_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["meter", "hour_start"], name="insight_hourly_once_per_hour"
            ),
            models.CheckConstraint(
                condition=models.Q(consumption__gte=0), name="insight_hourly_nonneg"
            ),
        ]

    def __str__(self):
        return f"{self.meter_id} {self.hour_start}"


class GroupStatistic(models.Model):
    """The distribution of a tariff group's yearly consumption per unit (GJ per MW
    ordered) over the twelve months ending `period_end`. Written by the
    `compute_group_statistics` job, never per request."""

    class Metric(models.TextChoices):
        GJ_PER_MW = "gj_per_mw", _("GJ na MW mocy zamówionej")

    tariff_group = models.CharField(_("grupa taryfowa"), max_length=20)
    metric = models.CharField(_("miara"), max_length=12, choices=Metric.choices)
    period_start = models.DateField(_("od"))
    period_end = models.DateField(_("do"))
    customers = models.PositiveIntegerField(_("liczba odbiorców"))
    sites = models.PositiveIntegerField(_("liczba obiektów"))
    minimum = models.DecimalField(_("minimum"), max_digits=14, decimal_places=3)
    lower_quartile = models.DecimalField(_("pierwszy kwartyl"), max_digits=14, decimal_places=3)
    median = models.DecimalField(_("mediana"), max_digits=14, decimal_places=3)
    upper_quartile = models.DecimalField(_("trzeci kwartyl"), max_digits=14, decimal_places=3)
    maximum = models.DecimalField(_("maksimum"), max_digits=14, decimal_places=3)
    mean = models.DecimalField(_("średnia"), max_digits=14, decimal_places=3)
    computed_at = models.DateTimeField(_("obliczono"), auto_now=True)

    class Meta:
        verbose_name = _("statystyka grupy taryfowej")
        verbose_name_plural = _("statystyki grup taryfowych")
        ordering = ["-period_end", "tariff_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["tariff_group", "metric", "period_end"], name="insight_group_stat_once"
            ),
        ]

    def __str__(self):
        return f"{self.tariff_group} {self.metric} {self.period_end}"


class CustomerInsightSettings(models.Model):
    """A customer's own alert threshold. No row means the default (20 %)."""

    DEFAULT_THRESHOLD = 20

    customer = models.OneToOneField(
        Customer,
        verbose_name=_("kontrahent"),
        on_delete=models.CASCADE,
        related_name="insight_settings",
    )
    alert_threshold_percent = models.PositiveSmallIntegerField(
        _("próg powiadomienia [%]"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(5), MaxValueValidator(200)],
    )
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("ustawienia analizy zużycia")
        verbose_name_plural = _("ustawienia analizy zużycia")

    def __str__(self):
        return f"{self.customer_id}: {self.alert_threshold_percent} %"


class InsightPreference(models.Model):
    """Which insight e-mails a user wants. No row means both on (like the other notices)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("użytkownik"),
        on_delete=models.CASCADE,
        related_name="insight_preference",
    )
    consumption_alerts = models.BooleanField(
        _("powiadomienia o zużyciu wyższym od oczekiwanego"), default=True
    )
    legalisation_alerts = models.BooleanField(
        _("powiadomienia o kończącej się legalizacji licznika"), default=True
    )
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("ustawienia powiadomień o zużyciu")
        verbose_name_plural = _("ustawienia powiadomień o zużyciu")

    def __str__(self):
        return str(self.user)


class InsightAlert(models.Model):
    """A notice shown in the portal (and e-mailed unless the user opted out). Unique per
    user, kind, period and subject, so the daily job never repeats one."""

    class Kind(models.TextChoices):
        HIGH_CONSUMPTION = "high_consumption", _("zużycie wyższe od oczekiwanego")
        LEGALISATION = "legalisation", _("kończy się legalizacja licznika")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("użytkownik"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("kontrahent"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices)
    # The month ("2026-11") for consumption, the legalisation end date for a meter.
    period = models.CharField(_("okres"), max_length=10)
    # What the alert is about: "site:12" or "meter:34".
    subject = models.CharField(_("dotyczy"), max_length=30)
    data = models.JSONField(_("dane"), default=dict)
    emailed = models.BooleanField(_("wysłano e-mail"), default=False)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)

    class Meta:
        verbose_name = _("powiadomienie o zużyciu")
        verbose_name_plural = _("powiadomienia o zużyciu")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "customer", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "period", "subject"], name="insight_alert_once"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.period} {self.subject} → {self.user_id}"
