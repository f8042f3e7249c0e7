from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from ebok.contracts.models import Contract
from ebok.core.models import BillingRecord
from ebok.customers.models import Customer

MONEY = {"max_digits": 14, "decimal_places": 2}
HALF_GROSZ = models.Value(
    Decimal("0.005"), output_field=models.DecimalField(max_digits=4, decimal_places=3)
)


class Invoice(BillingRecord):
    """An invoice, correction or interest note, copied from billing as issued."""

    class Kind(models.TextChoices):
        VAT = "vat", _("faktura VAT")
        CORRECTION = "correction", _("faktura korygująca")
        INTEREST_NOTE = "interest", _("nota odsetkowa")

    customer = models.ForeignKey(
        Customer, verbose_name=_("kontrahent"), on_delete=models.PROTECT, related_name="invoices"
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("umowa"),
        on_delete=models.PROTECT,
        related_name="invoices",
        null=True,
        blank=True,
    )
    number = models.CharField(_("numer"), max_length=40, unique=True)
    kind = models.CharField(_("rodzaj"), max_length=12, choices=Kind.choices, default=Kind.VAT)
    corrected_invoice = models.ForeignKey(
        "self",
        verbose_name=_("faktura korygowana"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    issue_date = models.DateField(_("data wystawienia"))
    sale_date = models.DateField(_("data sprzedaży"))
    due_date = models.DateField(_("termin płatności"))
    period_start = models.DateField(_("okres rozliczeniowy od"), null=True, blank=True)
    period_end = models.DateField(_("okres rozliczeniowy do"), null=True, blank=True)
    net_amount = models.DecimalField(_("netto"), **MONEY)
    vat_amount = models.DecimalField(_("VAT"), **MONEY)
    gross_amount = models.DecimalField(_("brutto"), **MONEY)
    paid_amount = models.DecimalField(_("zapłacono"), default=Decimal("0.00"), **MONEY)
    in_debt_collection = models.BooleanField(_("w windykacji"), default=False)
    bank_account = models.CharField(_("rachunek do wpłaty"), max_length=26, blank=True)
    ksef_number = models.CharField(_("numer KSeF"), max_length=35, blank=True)
    ksef_xml = models.FileField(_("KSeF XML"), upload_to="ksef/%Y/%m/", blank=True)
    pdf = models.FileField(
        _("PDF"),
        upload_to="invoices/%Y/%m/",
        blank=True,
        help_text=_(
            "PDF dostarczony przez system rozliczeń albo utrwalona kopia wygenerowana przy pierwszym pobraniu."
        ),
    )

    class Meta:
        verbose_name = _("faktura")
        verbose_name_plural = _("faktury")
        ordering = ["-issue_date", "-number"]
        indexes = [
            models.Index(fields=["customer", "-issue_date"]),
            models.Index(fields=["customer", "due_date"]),
        ]
        constraints = [
            # Amounts have two decimals, so "within half a grosz" is equality; the
            # tolerance exists because SQLite compares decimals as binary floats
            # (0.10 + 0.20 != 0.30 there).
            models.CheckConstraint(
                condition=models.Q(
                    gross_amount__gte=models.F("net_amount") + models.F("vat_amount") - HALF_GROSZ,
                    gross_amount__lte=models.F("net_amount") + models.F("vat_amount") + HALF_GROSZ,
                ),
                name="billing_invoice_gross_is_net_plus_vat",
            ),
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("issue_date")),
                name="billing_invoice_due_after_issue",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def remaining_amount(self) -> Decimal:
        return self.gross_amount - self.paid_amount

    @property
    def is_paid(self) -> bool:
        return self.remaining_amount <= 0

    def is_overdue(self, today) -> bool:
        return not self.is_paid and self.due_date < today


class InvoiceLine(models.Model):
    """One line of an invoice, by heat tariff component."""

    class Component(models.TextChoices):
        CAPACITY = "capacity", _("opłata stała za moc zamówioną")
        HEAT = "heat", _("opłata za ciepło")
        TRANSMISSION_FIXED = "transmission_fixed", _("opłata stała za usługi przesyłowe")
        TRANSMISSION_VARIABLE = "transmission_variable", _("opłata zmienna za usługi przesyłowe")
        HEAT_CARRIER = "heat_carrier", _("opłata za nośnik ciepła")
        OTHER = "other", _("inne")

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("faktura"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("pozycja"))
    component = models.CharField(_("składnik"), max_length=25, choices=Component.choices)
    description = models.CharField(_("opis"), max_length=200)
    quantity = models.DecimalField(_("ilość"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("jednostka"), max_length=20)
    unit_price = models.DecimalField(_("cena jednostkowa"), max_digits=14, decimal_places=4)
    net_amount = models.DecimalField(_("netto"), **MONEY)
    vat_rate = models.DecimalField(_("stawka VAT [%]"), max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), **MONEY)

    class Meta:
        verbose_name = _("pozycja faktury")
        verbose_name_plural = _("pozycje faktury")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "position"], name="billing_line_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.invoice} #{self.position}"

    @property
    def gross_amount(self) -> Decimal:
        return self.net_amount + self.vat_amount


class Payment(BillingRecord):
    """A payment booked in billing (wpłata)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("kontrahent"), on_delete=models.PROTECT, related_name="payments"
    )
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("faktura"),
        on_delete=models.PROTECT,
        related_name="payments",
        null=True,
        blank=True,
    )
    paid_on = models.DateField(_("data wpłaty"))
    amount = models.DecimalField(_("kwota"), **MONEY)
    title = models.CharField(_("tytuł"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("wpłata")
        verbose_name_plural = _("wpłaty")
        ordering = ["-paid_on"]
        indexes = [models.Index(fields=["customer", "-paid_on"])]

    def __str__(self):
        return f"{self.paid_on} {self.amount}"
