from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ebok.accounts.services import is_valid_tax_id, normalise_tax_id


class AccessibleCaptchaInput(CaptchaTextInput):
    """The image with a Polish alt text, and a link to the same code read aloud
    (ebok.core.captcha_audio) for people who cannot see the picture."""

    template_name = "accounts/captcha_widget.html"

    def get_context(self, name, value, attrs):
        # The widget's attributes (required, autocomplete, aria-*) belong on the text
        # input only: on the hidden key input they are invalid HTML.
        context = super().get_context(name, value, attrs)
        context["spoken"] = reverse("captcha_audio_pl", args=[self._key])
        for subwidget in context["widget"]["subwidgets"]:
            if subwidget.get("type") == "hidden":
                subwidget["attrs"] = (
                    {"id": subwidget["attrs"].get("id")} if subwidget["attrs"].get("id") else {}
                )
        return context


def captcha_field(invalid_message) -> CaptchaField:
    """The CAPTCHA of the public forms: a picture, or the same code heard as audio."""
    return CaptchaField(
        label=_("Przepisz kod z obrazka lub nagrania"),
        widget=AccessibleCaptchaInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": invalid_message},
    )


def password_policy_help() -> str:
    """The active validators' help texts, one per line: always the policy in force.
    (Lines, not a list: the help sits in a <p> that the input's aria-describedby names.)"""
    texts = password_validation.password_validators_help_texts()
    return format_html_join(mark_safe("<br>"), "{}", ((t,) for t in texts))


class TaxIdField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIP/PESEL"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "help_text", _("NIP (10 cyfr) firmy lub wspólnoty albo PESEL (11 cyfr) osoby.")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not is_valid_tax_id(value):
            raise forms.ValidationError(
                _("To nie jest poprawny NIP ani PESEL. Sprawdź cyfry."), code="invalid_tax_id"
            )
        return normalise_tax_id(value)


class ProofFields(forms.Form):
    """What proves a link to a customer: payer code, NIP/PESEL, a document number."""

    payer_code = forms.CharField(
        label=_("Kod płatnika"),
        max_length=20,
        help_text=_("Znajduje się na fakturze, w prawym górnym rogu."),
    )
    tax_id = TaxIdField()
    document_number = forms.CharField(
        label=_("Numer ostatniej faktury lub umowy"),
        max_length=40,
        help_text=_("Np. FV/2026/10/00123 albo numer umowy kompleksowej."),
    )


class RegistrationForm(ProofFields):
    name = forms.CharField(
        label=_("Nazwa"),
        max_length=250,
        help_text=_("Imię i nazwisko albo nazwa firmy lub wspólnoty."),
    )
    address = forms.CharField(label=_("Adres"), max_length=300)
    email = forms.EmailField(
        label=_("Adres e-mail"),
        help_text=_("Na ten adres wyślemy odnośnik potwierdzający rejestrację."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent_personal_data = forms.BooleanField(
        label=_("Wyrażam zgodę na przetwarzanie moich danych osobowych"),
        error_messages={
            "required": _("Bez zgody na przetwarzanie danych nie możemy założyć konta.")
        },
    )
    marketing_objection = forms.BooleanField(required=False)
    terms_accepted = forms.BooleanField(
        label=_("Zapoznałem się z regulaminem"),
        error_messages={"required": _("Zaznacz, że zapoznałeś(-aś) się z regulaminem.")},
    )
    data_correct = forms.BooleanField(
        label=_(
            "Potwierdzam poprawność danych; ponoszę odpowiedzialność za błędnie wprowadzone dane"
        ),
        error_messages={"required": _("Potwierdź poprawność wprowadzonych danych.")},
    )

    field_order = [
        "payer_code",
        "name",
        "address",
        "tax_id",
        "document_number",
        "email",
        "consent_personal_data",
        "marketing_objection",
        "terms_accepted",
        "data_correct",
    ]

    def __init__(self, *args, config=None, **kwargs):
        super().__init__(*args, **kwargs)
        if config is not None:
            self.fields["consent_personal_data"].help_text = config.personal_data_clause
            self.fields["marketing_objection"].label = config.marketing_objection_text
        self.fields["captcha"] = captcha_field(
            _("Kod z obrazka jest nieprawidłowy. Spróbuj ponownie.")
        )


class AccessRequestForm(ProofFields):
    data_correct = forms.BooleanField(
        label=_("Potwierdzam poprawność danych i prawo do działania w imieniu tego kontrahenta"),
        error_messages={"required": _("Potwierdź poprawność wprowadzonych danych.")},
    )


class PolicyHelpMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_policy_help()
        self.fields["new_password1"].label = _("Nowe hasło")
        self.fields["new_password2"].label = _("Powtórz nowe hasło")


class ForcedPasswordChangeForm(PolicyHelpMixin, auth_forms.SetPasswordForm):
    """First login: the new password must differ from the one-time one."""

    def clean_new_password1(self):
        password = self.cleaned_data.get("new_password1")
        if password and self.user.check_password(password):
            raise forms.ValidationError(
                _("Nowe hasło musi się różnić od hasła jednorazowego."), code="same_password"
            )
        return password


class PasswordChangeForm(PolicyHelpMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Obecne hasło")

    def clean_new_password1(self):
        password = self.cleaned_data.get("new_password1")
        if password and self.user.check_password(password):
            raise forms.ValidationError(
                _("Nowe hasło musi się różnić od obecnego."), code="same_password"
            )
        return password


class ResetPasswordForm(PolicyHelpMixin, auth_forms.SetPasswordForm):
    pass


class ReminderForm(forms.Form):
    PASSWORD, LOGIN = "password", "login"
    what = forms.ChoiceField(
        label=_("Co chcesz odzyskać?"),
        choices=[(PASSWORD, _("Hasło (ustawię nowe)")), (LOGIN, _("Login"))],
        widget=forms.RadioSelect,
        initial=PASSWORD,
    )
    identifier = forms.CharField(
        label=_("Login lub adres e-mail"),
        max_length=254,
        help_text=_("Przy przypomnieniu loginu podaj adres e-mail zapisany w koncie."),
    )


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kod weryfikacyjny"),
        max_length=20,
        help_text=_("6 cyfr z aplikacji uwierzytelniającej albo jeden z kodów zapasowych."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Powód odrzucenia"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zostanie wysłany wnioskodawcy e-mailem."),
    )
