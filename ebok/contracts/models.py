from django.db import models
from django.utils.translation import gettext_lazy as _

from ebok.core.models import BillingRecord
from ebok.customers.models import Customer


class Site(BillingRecord):
    """A supplied building or heat substation (obiekt, węzeł cieplny)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("kontrahent"), on_delete=models.PROTECT, related_name="sites"
    )
    code = models.CharField(_("kod obiektu"), max_length=30)
    name = models.CharField(_("nazwa"), max_length=200, blank=True)
    street = models.CharField(_("ulica i numer"), max_length=200)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6)
    city = models.CharField(_("miejscowość"), max_length=100)

    class Meta:
        verbose_name = _("obiekt")
        verbose_name_plural = _("obiekty")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.street}"


class Contract(BillingRecord):
    """A heat supply contract (umowa)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("kontrahent"), on_delete=models.PROTECT, related_name="contracts"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("obiekt"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("numer umowy"), max_length=40, unique=True)
    start_date = models.DateField(_("obowiązuje od"))
    end_date = models.DateField(_("obowiązuje do"), null=True, blank=True)
    tariff_group = models.CharField(_("grupa taryfowa"), max_length=20)
    ordered_capacity_mw = models.DecimalField(
        _("moc zamówiona [MW]"), max_digits=10, decimal_places=4
    )

    class Meta:
        verbose_name = _("umowa")
        verbose_name_plural = _("umowy")
        ordering = ["-start_date", "number"]
        indexes = [models.Index(fields=["customer", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ordered_capacity_mw__gte=0), name="contracts_capacity_nonneg"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="contracts_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.number


class Meter(BillingRecord):
    """A heat meter (ciepłomierz); `serial_number` is the manual's "Nr fabr."."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("kontrahent"), on_delete=models.PROTECT, related_name="meters"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("obiekt"), on_delete=models.PROTECT, related_name="meters"
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("umowa"),
        on_delete=models.PROTECT,
        related_name="meters",
        null=True,
        blank=True,
    )
    serial_number = models.CharField(_("numer fabryczny"), max_length=40, db_index=True)
    meter_type = models.CharField(_("typ"), max_length=100)
    location = models.CharField(_("miejsce montażu"), max_length=200, blank=True)
    unit = models.CharField(_("jednostka"), max_length=10, default="GJ")
    installed_on = models.DateField(_("data montażu"))
    legalisation_valid_until = models.DateField(_("legalizacja ważna do"), null=True, blank=True)
    removed_on = models.DateField(_("data demontażu"), null=True, blank=True)

    class Meta:
        verbose_name = _("licznik")
        verbose_name_plural = _("liczniki")
        ordering = ["serial_number"]
        indexes = [models.Index(fields=["customer", "serial_number"])]

    def __str__(self):
        return self.serial_number


class Reading(BillingRecord):
    """A meter reading (odczyt): the register value and the consumption since the last one."""

    class Source(models.TextChoices):
        REMOTE = "remote", _("zdalny")
        MANUAL = "manual", _("ręczny")
        ESTIMATE = "estimate", _("szacunkowy")

    meter = models.ForeignKey(
        Meter, verbose_name=_("licznik"), on_delete=models.PROTECT, related_name="readings"
    )
    read_on = models.DateField(_("data odczytu"))
    value = models.DecimalField(_("stan licznika"), max_digits=14, decimal_places=3)
    consumption = models.DecimalField(_("zużycie"), max_digits=14, decimal_places=3)
    source = models.CharField(_("źródło"), max_length=10, choices=Source.choices)

    class Meta:
        verbose_name = _("odczyt")
        verbose_name_plural = _("odczyty")
        ordering = ["-read_on"]
        indexes = [models.Index(fields=["meter", "-read_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="contracts_reading_value_nonneg"
            ),
        ]

    def __str__(self):
        return f"{self.meter} {self.read_on}"
