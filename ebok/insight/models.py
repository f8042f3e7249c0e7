"""Heat insight: the company's outdoor temperatures (degree days), optional hourly
consumption, the tariff groups' distributions, customers' alert settings and the alerts
sent. The arithmetic lives in `ebok.insight.services`."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ebok.contracts.models import Meter
from ebok.core.model_fields import acting_user
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


class HeatedArea(BillingRecord):
    """The heated floor area of a site, when billing knows it (optional `heated_areas`
    record kind); enables the GJ per m² comparison."""

    site = models.OneToOneField(
        "contracts.Site", verbose_name=_("obiekt"), on_delete=models.CASCADE, related_name="+"
    )
    area_m2 = models.DecimalField(_("powierzchnia ogrzewana [m²]"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("powierzchnia ogrzewana")
        verbose_name_plural = _("powierzchnie ogrzewane")
        constraints = [
            models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="insight_area_positive"),
        ]

    def __str__(self):
        return f"{self.site_id}: {self.area_m2} m²"


class GroupStatistic(models.Model):
    """The distribution of a tariff group's yearly consumption per unit (GJ per MW
    ordered) over the twelve months ending `period_end`. Written by the
    `compute_group_statistics` job, never per request."""

    class Metric(models.TextChoices):
        GJ_PER_MW = "gj_per_mw", _("GJ na MW mocy zamówionej")
        GJ_PER_M2 = "gj_per_m2", _("GJ na m² powierzchni ogrzewanej")

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


# --- the annual information letter (Prawo energetyczne art. 5 ust. 6c) ----------------------

PERCENT = {"max_digits": 5, "decimal_places": 2}
FACTOR = {"max_digits": 10, "decimal_places": 4}


class FuelMix(models.Model):
    """The company's fuel mix and emission factors of one calendar year, entered by an
    administrator (/obsluga/ustawienia/paliwa/). The annual information letters of that
    year apply them to each customer's consumption (GJ × kg/GJ)."""

    # (field, label) of every fuel share; the shares add up to 100 %.
    FUELS = (
        ("coal_percent", _("węgiel kamienny")),
        ("gas_percent", _("gaz ziemny")),
        ("oil_percent", _("olej opałowy")),
        ("biomass_percent", _("biomasa")),
        ("other_renewable_percent", _("inne odnawialne źródła energii")),
        ("other_percent", _("inne paliwa i ciepło odpadowe")),
    )
    # (field, label) of every emission factor, kg per GJ of heat sold.
    EMISSIONS = (
        ("co2_kg_per_gj", _("CO₂")),
        ("so2_kg_per_gj", _("SO₂")),
        ("nox_kg_per_gj", _("NOx")),
        ("dust_kg_per_gj", _("pył")),
    )

    year = models.PositiveSmallIntegerField(
        _("rok"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    coal_percent = models.DecimalField(_("węgiel kamienny [%]"), default=0, **PERCENT)
    gas_percent = models.DecimalField(_("gaz ziemny [%]"), default=0, **PERCENT)
    oil_percent = models.DecimalField(_("olej opałowy [%]"), default=0, **PERCENT)
    biomass_percent = models.DecimalField(_("biomasa [%]"), default=0, **PERCENT)
    other_renewable_percent = models.DecimalField(
        _("inne odnawialne źródła energii [%]"), default=0, **PERCENT
    )
    other_percent = models.DecimalField(
        _("inne paliwa i ciepło odpadowe [%]"), default=0, **PERCENT
    )
    renewable_percent = models.DecimalField(
        _("udział energii z odnawialnych źródeł [%]"), default=0, **PERCENT
    )
    co2_kg_per_gj = models.DecimalField(_("CO₂ [kg/GJ]"), **FACTOR)
    so2_kg_per_gj = models.DecimalField(_("SO₂ [kg/GJ]"), **FACTOR)
    nox_kg_per_gj = models.DecimalField(_("NOx [kg/GJ]"), **FACTOR)
    dust_kg_per_gj = models.DecimalField(_("pył [kg/GJ]"), **FACTOR)
    group_averages_published_at = models.CharField(
        _("gdzie opublikowano średnie zużycie grup taryfowych"),
        max_length=300,
        blank=True,
        help_text=_(
            "Adres strony lub miejsce, np. „www.example.pl/srednie-zuzycie oraz w Biurze "
            "Obsługi Klienta”. Pojawia się w informacji rocznej."
        ),
    )
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)
    updated_by = acting_user(_("zmienił"))

    class Meta:
        verbose_name = _("struktura paliw i emisje")
        verbose_name_plural = _("struktura paliw i emisje")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    coal_percent__gte=0,
                    gas_percent__gte=0,
                    oil_percent__gte=0,
                    biomass_percent__gte=0,
                    other_renewable_percent__gte=0,
                    other_percent__gte=0,
                    renewable_percent__gte=0,
                    renewable_percent__lte=100,
                    co2_kg_per_gj__gte=0,
                    so2_kg_per_gj__gte=0,
                    nox_kg_per_gj__gte=0,
                    dust_kg_per_gj__gte=0,
                ),
                name="insight_fuel_mix_nonneg",
            ),
        ]

    def __str__(self):
        return str(self.year)

    def shares(self) -> list[tuple[str, object]]:
        return [(str(label), getattr(self, name)) for name, label in self.FUELS]

    def factors(self) -> list[tuple[str, object]]:
        return [(str(label), getattr(self, name)) for name, label in self.EMISSIONS]


class AnnualInformation(models.Model):
    """A customer's annual information letter for one year: the computed content as a
    snapshot (`data`) and the PDF rendered from it once. One per customer and year;
    an operator's reissue recomputes both and raises `version`."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("kontrahent"),
        on_delete=models.PROTECT,
        related_name="annual_information",
    )
    year = models.PositiveSmallIntegerField(_("rok"))
    version = models.PositiveSmallIntegerField(_("wersja"), default=1)
    data = models.JSONField(_("treść"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to="annual/%Y/", blank=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    issued_at = models.DateTimeField(_("wystawiono"))
    issued_by = acting_user(_("wystawił ponownie"))

    class Meta:
        verbose_name = _("informacja roczna")
        verbose_name_plural = _("informacje roczne")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "year"], name="insight_annual_once_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.customer_id} {self.year}"
