from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ebok.core.model_fields import acting_user
from ebok.core.models import BillingRecord


class Customer(BillingRecord):
    """A customer (kontrahent, odbiorca, płatnik) as billing knows them."""

    class Kind(models.TextChoices):
        HOUSING_COMMUNITY = "community", _("wspólnota mieszkaniowa")
        COOPERATIVE = "cooperative", _("spółdzielnia mieszkaniowa")
        COMPANY = "company", _("firma")
        INSTITUTION = "institution", _("instytucja publiczna")
        PERSON = "person", _("osoba prywatna")

    payer_code = models.CharField(_("kod płatnika"), max_length=20, unique=True)
    kind = models.CharField(_("rodzaj"), max_length=12, choices=Kind.choices, default=Kind.COMPANY)
    name = models.CharField(_("nazwa"), max_length=250)
    nip = models.CharField(_("NIP"), max_length=10, blank=True, db_index=True)
    regon = models.CharField(_("REGON"), max_length=14, blank=True)
    # Kept only to match registrations; never shown in full nor put in a URL.
    pesel = models.CharField(_("PESEL"), max_length=11, blank=True)
    street = models.CharField(_("ulica i numer"), max_length=200)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6)
    city = models.CharField(_("poczta"), max_length=100)
    correspondence_name = models.CharField(_("nazwa do korespondencji"), max_length=250, blank=True)
    correspondence_street = models.CharField(
        _("adres korespondencyjny"), max_length=200, blank=True
    )
    correspondence_postal_code = models.CharField(
        _("kod pocztowy (korespondencja)"), max_length=6, blank=True
    )
    correspondence_city = models.CharField(_("poczta (korespondencja)"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    fax = models.CharField(_("faks"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    marketing_objection = models.BooleanField(_("sprzeciw wobec marketingu"), default=False)
    bank_account = models.CharField(
        _("indywidualny rachunek bankowy"),
        max_length=26,
        blank=True,
        help_text=_(
            "Indywidualny numer rachunku kontrahenta do wpłat, jeśli system rozliczeń go nadaje."
        ),
    )

    class Meta:
        verbose_name = _("kontrahent")
        verbose_name_plural = _("kontrahenci")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name} ({self.payer_code})"

    @property
    def has_correspondence_address(self) -> bool:
        return bool(self.correspondence_street)

    @property
    def mailing_address(self) -> list[str]:
        """Lines for an envelope: correspondence address when given, else the main one."""
        if self.has_correspondence_address:
            return [
                self.correspondence_name or self.name,
                self.correspondence_street,
                f"{self.correspondence_postal_code} {self.correspondence_city}",
            ]
        return [self.name, self.street, f"{self.postal_code} {self.city}"]

    @property
    def masked_pesel(self) -> str:
        return f"*******{self.pesel[-4:]}" if self.pesel else ""


class CustomerAccess(models.Model):
    """A user may act for a customer. A property manager has several of these."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("użytkownik"),
        on_delete=models.CASCADE,
        related_name="customer_accesses",
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("kontrahent"), on_delete=models.CASCADE, related_name="accesses"
    )
    granted_at = models.DateTimeField(_("przyznano"), auto_now_add=True)

    class Meta:
        verbose_name = _("dostęp do kontrahenta")
        verbose_name_plural = _("dostępy do kontrahentów")
        constraints = [
            models.UniqueConstraint(fields=["user", "customer"], name="customers_access_unique"),
        ]

    def __str__(self):
        return f"{self.user} → {self.customer}"


class DataChangeRequest(models.Model):
    """A customer's request to change their data ("Zmiana danych"), registered as a letter.

    `old_values` is what the portal showed, `new_values` what the customer asked for
    (both keyed by Customer field names). The customer's data itself changes only when
    billing sends the updated record back; an operator marks the request applied.
    """

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("kontrahent"),
        on_delete=models.PROTECT,
        related_name="data_change_requests",
    )
    letter = models.OneToOneField(
        "letters.Letter",
        verbose_name=_("pismo"),
        on_delete=models.PROTECT,
        related_name="data_change_request",
    )
    old_values = models.JSONField(_("dotychczasowe dane"), default=dict)
    new_values = models.JSONField(_("nowe dane"), default=dict)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    applied_at = models.DateTimeField(_("wprowadzono"), null=True, blank=True)
    applied_by = acting_user(_("wprowadził"))

    class Meta:
        verbose_name = _("zgłoszenie zmiany danych")
        verbose_name_plural = _("zgłoszenia zmiany danych")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.customer.payer_code}: {self.letter_id}"

    def rows(self) -> list[dict]:
        """Every submitted field with its label, old and new value shown as text, and
        whether it changed: the diff operators and the customer see."""
        from django.core.exceptions import FieldDoesNotExist
        from django.utils.translation import gettext as _

        def label(name):
            if name == "has_correspondence_address":
                return _("adres korespondencyjny inny niż główny")
            try:
                return str(Customer._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                return name

        def shown(value):
            if value is True:
                return _("tak")
            if value is False:
                return _("nie")
            return str(value or "")

        keys = list(dict.fromkeys([*self.old_values, *self.new_values]))
        return [
            {
                "label": label(k),
                "old": shown(self.old_values.get(k)),
                "new": shown(self.new_values.get(k)),
                "changed": self.old_values.get(k) != self.new_values.get(k),
            }
            for k in keys
        ]

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for every value that differs."""
        keys = list(self.new_values)
        return [
            (k, self.old_values.get(k), self.new_values.get(k))
            for k in keys
            if self.old_values.get(k) != self.new_values.get(k)
        ]
