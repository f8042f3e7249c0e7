from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in: a customer's user or an operator of the customer office.

    Operators are users with the `accounts.access_backoffice` permission (through the
    "Operator" or "Administrator" group). What a customer user may see is given by
    `customers.CustomerAccess`.
    """

    must_change_password = models.BooleanField(
        _("wymagana zmiana hasła"),
        default=False,
        help_text=_("Ustawione, dopóki użytkownik loguje się hasłem jednorazowym."),
    )
    preferred_language = models.CharField(
        _("język"), max_length=5, default="pl", choices=[("pl", "polski"), ("en", "English")]
    )

    class Meta:
        verbose_name = _("użytkownik")
        verbose_name_plural = _("użytkownicy")
        permissions = [
            ("access_backoffice", _("Może korzystać z obsługi BOK")),
            ("view_customer_data", _("Może przeglądać dane kontrahentów w obsłudze")),
            ("verify_registration", _("Może weryfikować rejestracje i wydawać hasła jednorazowe")),
            ("handle_letters", _("Może obsługiwać pisma i na nie odpowiadać")),
            ("manage_announcements", _("Może publikować komunikaty")),
            ("manage_configuration", _("Może zmieniać konfigurację portalu")),
            ("manage_api_keys", _("Może zarządzać kluczami API integracji")),
        ]

    @property
    def is_operator(self) -> bool:
        return self.is_active and self.has_perm("accounts.access_backoffice")
