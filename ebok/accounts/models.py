import hashlib
import secrets

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
    password_expires_at = models.DateTimeField(
        _("hasło ważne do"),
        null=True,
        blank=True,
        help_text=_("Termin ważności hasła jednorazowego; po nim logowanie nie jest możliwe."),
    )
    preferred_language = models.CharField(
        _("język"), max_length=5, default="pl", choices=[("pl", "polski"), ("en", "English")]
    )
    # Raised to end every session of the user at once (authenticator reset, account
    # disabled): it is part of the session hash Django checks on each request.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

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
            ("manage_operators", _("Może zarządzać kontami pracowników BOK i ich rolami")),
            ("view_audit_log", _("Może przeglądać dziennik zdarzeń")),
            (
                "read_backoffice",
                _("Może przeglądać wszystkie strony obsługi bez wprowadzania zmian (audytor)"),
            ),
        ]

    @property
    def is_operator(self) -> bool:
        return self.is_active and self.has_perm("accounts.access_backoffice")

    def _get_session_auth_hash(self, secret=None):
        # Django's hash of the password hash, plus the session generation once it was
        # raised (generation 0 gives Django's own value, so no session ends on upgrade).
        from django.utils.crypto import salted_hmac

        value = (
            self.password
            if not self.session_generation
            else (f"{self.password}:{self.session_generation}")
        )
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def end_all_sessions(self) -> None:
        """Every session of this user stops working at its next request."""
        User.objects.filter(pk=self.pk).update(
            session_generation=models.F("session_generation") + 1
        )
        self.refresh_from_db(fields=["session_generation"])


class Registration(models.Model):
    """An application for access: a new account (`kind=account`) or, from a logged-in
    user, access to one more customer (`kind=access`). Matched against billing data on
    submission; the match is shown to operators only."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("nowe konto")
        ACCESS = "access", _("dostęp do kolejnego kontrahenta")

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = (
            "awaiting_confirmation",
            _("oczekuje na potwierdzenie adresu e-mail"),
        )
        AWAITING_VERIFICATION = "awaiting_verification", _("oczekuje na weryfikację przez BOK")
        APPROVED = "approved", _("zatwierdzona, list z hasłem w przygotowaniu")
        LETTER_POSTED = "letter_posted", _("list z hasłem wysłany")
        REJECTED = "rejected", _("odrzucona")
        ACTIVE = "active", _("konto aktywne")

    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices, default=Kind.ACCOUNT)
    status = models.CharField(
        _("stan"),
        max_length=24,
        choices=Status.choices,
        default=Status.AWAITING_CONFIRMATION,
        db_index=True,
    )
    payer_code = models.CharField(_("kod płatnika"), max_length=20)
    name = models.CharField(_("nazwa"), max_length=250, blank=True)
    address = models.CharField(_("adres"), max_length=300, blank=True)
    tax_id = models.CharField(_("NIP/PESEL"), max_length=11)
    document_number = models.CharField(_("numer ostatniej faktury lub umowy"), max_length=40)
    email = models.EmailField(_("adres e-mail"))
    # Consents: what was shown, which version, when and from where.
    consent_personal_data = models.BooleanField(_("zgoda na przetwarzanie danych"), default=False)
    consent_text = models.TextField(_("treść klauzuli"), blank=True)
    marketing_objection = models.BooleanField(_("sprzeciw wobec marketingu"), default=False)
    terms_version = models.CharField(
        _("zaakceptowana wersja regulaminu"), max_length=20, blank=True
    )
    data_correct_declared = models.BooleanField(
        _("oświadczenie o poprawności danych"), default=False
    )
    ip = models.GenericIPAddressField(_("adres IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("złożono"), auto_now_add=True, db_index=True)
    # E-mail confirmation: only the SHA-256 of the token is stored.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_expires_at = models.DateTimeField(_("link ważny do"), null=True, blank=True)
    email_confirmed_at = models.DateTimeField(_("potwierdzono e-mail"), null=True, blank=True)
    # Automatic matching against billing data.
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("kontrahent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    payer_code_matches = models.BooleanField(_("kod płatnika istnieje"), default=False)
    tax_id_matches = models.BooleanField(_("NIP/PESEL zgodny"), default=False)
    document_matches = models.BooleanField(_("dokument zgodny"), default=False)
    # Applicant already logged in (access requests) or the account created on approval.
    user = models.ForeignKey(
        User,
        verbose_name=_("użytkownik"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("rozpatrzył"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("rozpatrzono"), null=True, blank=True, db_index=True)
    rejection_reason = models.TextField(_("powód odrzucenia"), blank=True)
    letter_number = models.CharField(_("numer listu"), max_length=30, blank=True)
    letter_printed_at = models.DateTimeField(_("list wydrukowano"), null=True, blank=True)

    class Meta:
        verbose_name = _("rejestracja")
        verbose_name_plural = _("rejestracje")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.payer_code} <{self.email}>"

    @property
    def fully_matched(self) -> bool:
        return self.payer_code_matches and self.tax_id_matches and self.document_matches


class OneTimePassword(models.Model):
    """A one-time password posted in a letter. Only its hash exists, in `User.password`;
    this row records when it was issued, when it expires and whether it was voided."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_passwords")
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="passwords"
    )
    issued_at = models.DateTimeField(_("wydano"), auto_now_add=True)
    issued_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("ważne do"))
    voided_at = models.DateTimeField(_("unieważniono"), null=True, blank=True)
    used_at = models.DateTimeField(_("użyto"), null=True, blank=True)
    letter_number = models.CharField(_("numer listu"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("hasło jednorazowe")
        verbose_name_plural = _("hasła jednorazowe")
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.user} {self.letter_number}"


class LoginEvent(models.Model):
    """Every login attempt, successful or not, for the login history."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="login_events"
    )
    username = models.CharField(_("login"), max_length=150, blank=True)
    success = models.BooleanField(_("udane"))
    ip = models.GenericIPAddressField(_("adres IP"), null=True, blank=True)
    user_agent = models.CharField(_("przeglądarka"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("czas"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("logowanie")
        verbose_name_plural = _("historia logowań")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return (
            f"{self.username} {self.created_at:%Y-%m-%d %H:%M} {'ok' if self.success else 'fail'}"
        )


class PersonalAccessTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class PersonalAccessToken(models.Model):
    """A customer user's read-only token for the personal JSON feed (/api/v1/my/).

    It reads what its owner may read at the moment of the request (the customers of
    `CustomerAccess`), so losing access to a customer takes effect at once. Like the
    integrations' API keys, only a SHA-256 digest is stored: the token is shown once.
    """

    PREFIX = "ebokp_"

    user = models.ForeignKey(
        User,
        verbose_name=_("użytkownik"),
        on_delete=models.CASCADE,
        related_name="personal_tokens",
    )
    name = models.CharField(_("nazwa"), max_length=100)
    prefix = models.CharField(_("początek tokenu"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ostatnio użyty"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("unieważniono"), null=True, blank=True)

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token dostępu")
        verbose_name_plural = _("tokeny dostępu")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest(raw_token: str) -> str:
        return hashlib.sha256(raw_token.encode()).hexdigest()

    @classmethod
    def generate(cls, user, name: str) -> tuple["PersonalAccessToken", str]:
        """Create a token; returns the model and the raw token (shown once, never stored)."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[: len(cls.PREFIX) + 6], token_hash=cls.digest(raw)
        )
        return token, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class TermsAcceptance(models.Model):
    """A customer user accepted one version of the terms: when, from where, and how
    (on the page shown after a new version took effect, or with the registration)."""

    class Source(models.TextChoices):
        PAGE = "page", _("strona akceptacji")
        REGISTRATION = "registration", _("rejestracja")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terms_acceptances")
    document = models.ForeignKey(
        "core.TermsDocument",
        verbose_name=_("wersja"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    accepted_at = models.DateTimeField(_("zaakceptowano"), db_index=True)
    ip = models.GenericIPAddressField(_("adres IP"), null=True, blank=True)
    source = models.CharField(
        _("sposób"), max_length=12, choices=Source.choices, default=Source.PAGE
    )

    class Meta:
        verbose_name = _("akceptacja regulaminu")
        verbose_name_plural = _("akceptacje regulaminu")
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "document"], name="accounts_terms_once"),
        ]

    def __str__(self):
        return f"{self.user} {self.document}"
