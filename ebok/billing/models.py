from decimal import Decimal

from django.conf import settings
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

    def status(self, today) -> tuple[str, str]:
        """(key, label) of the invoice's state: the one definition the portal, the back
        office and the exports use."""
        if self.cancelled_at:
            return "cancelled", str(_("anulowana"))
        if self.is_paid:
            return "paid", str(_("zapłacona"))
        if self.in_debt_collection:
            return "debt_collection", str(_("w windykacji"))
        if self.is_overdue(today):
            return "overdue", str(_("po terminie"))
        return "unpaid", str(_("niezapłacona"))


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


class AccountSummary(models.Model):
    """What the customer's account adds up to, kept by the paths that change it.

    One row per customer, recomputed from the invoices and payments in the same
    transaction as every import of either (ebok/billing/summary.py), and checked against
    them by `manage.py reconcile_summaries`. "Overdue" depends on the day: the row holds
    the figures as of `as_of` and stays valid until `valid_until`, the earliest due date
    of an open invoice not yet passed; a reader after that day recomputes it.

    `stamp` changes with every billing change of the customer (invoices, payments,
    meters, readings): cached fragments of their pages are keyed on it, so no fragment
    outlives the data it shows.
    """

    customer = models.OneToOneField(
        Customer,
        verbose_name=_("kontrahent"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="account_summary",
    )
    invoiced_total = models.DecimalField(_("zafakturowano"), default=Decimal("0.00"), **MONEY)
    paid_total = models.DecimalField(_("wpłacono"), default=Decimal("0.00"), **MONEY)
    unpaid_count = models.PositiveIntegerField(_("liczba niezapłaconych faktur"), default=0)
    unpaid_total = models.DecimalField(_("do zapłaty"), default=Decimal("0.00"), **MONEY)
    overdue_total = models.DecimalField(_("po terminie"), default=Decimal("0.00"), **MONEY)
    overdue_count = models.PositiveIntegerField(_("liczba faktur po terminie"), default=0)
    debt_collection_total = models.DecimalField(_("w windykacji"), default=Decimal("0.00"), **MONEY)
    next_due_date = models.DateField(_("najbliższy termin płatności"), null=True, blank=True)
    invoice_count = models.PositiveIntegerField(_("liczba faktur"), default=0)
    payment_count = models.PositiveIntegerField(_("liczba wpłat"), default=0)
    as_of = models.DateField(_("stan na dzień"))
    valid_until = models.DateField(_("aktualne do dnia"), null=True, blank=True)
    stamp = models.CharField(_("znacznik zmiany"), max_length=32)
    changed_at = models.DateTimeField(_("ostatnia zmiana danych rozliczeniowych"))

    class Meta:
        verbose_name = _("podsumowanie konta")
        verbose_name_plural = _("podsumowania kont")

    def __str__(self):
        return f"{self.customer_id}: {self.balance}"

    @property
    def balance(self) -> Decimal:
        """Positive: the customer owes the company."""
        return self.invoiced_total - self.paid_total

    @property
    def outstanding_total(self) -> Decimal:
        """Everything unpaid, including what is in debt collection."""
        return self.unpaid_total + self.debt_collection_total

    def is_current(self, today) -> bool:
        return self.as_of <= today and (self.valid_until is None or today <= self.valid_until)


class NotificationPreference(models.Model):
    """Which e-mail notices about invoices a portal user wants (new invoices, payment
    reminders). No row means the defaults (all on). Interruption notices and insight
    alerts have their own preferences in their apps."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("użytkownik"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    new_invoices = models.BooleanField(_("powiadomienia o nowych fakturach"), default=True)
    payment_reminders = models.BooleanField(_("przypomnienia o terminach płatności"), default=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("ustawienia powiadomień")
        verbose_name_plural = _("ustawienia powiadomień")

    def __str__(self):
        return str(self.user)


class SentNotice(models.Model):
    """A notice sent to a user about an invoice (ebok.billing.notifications); unique so it
    is never sent twice."""

    class Kind(models.TextChoices):
        NEW_INVOICE = "new_invoice", _("nowa faktura")
        DUE_SOON = "due_soon", _("zbliża się termin płatności")
        OVERDUE = "overdue", _("minął termin płatności")

    kind = models.CharField(_("rodzaj"), max_length=12, choices=Kind.choices)
    invoice = models.ForeignKey(
        "billing.Invoice", verbose_name=_("faktura"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("użytkownik"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("wysłano"), auto_now_add=True)

    class Meta:
        verbose_name = _("wysłane powiadomienie")
        verbose_name_plural = _("wysłane powiadomienia")
        constraints = [
            models.UniqueConstraint(fields=["kind", "invoice", "user"], name="billing_notice_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.invoice_id} → {self.user_id}"
