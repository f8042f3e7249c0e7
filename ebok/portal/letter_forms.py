"""Forms of the correspondence pages: new letter, remark, data change, date filter."""

import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from ebok.accounts.forms import captcha_field
from ebok.core.forms import DateRangeForm
from ebok.core.models import CompanySettings
from ebok.core.uploads import (
    AttachmentsField,
    AttachmentsFormMixin,
    MultipleFileInput,
    accept_attribute,
)
from ebok.letters.models import LetterKind, RemarkType

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
POSTAL_CODE = RegexValidator(r"^\d{2}-\d{3}$", _("Podaj kod pocztowy w postaci 00-000."))
PHONE = RegexValidator(r"^[0-9 +()\-]{6,20}$", _("Podaj numer telefonu (cyfry, spacje, +, -)."))


def attachments_field():
    return AttachmentsField(
        label=_("Załączniki"),
        widget=MultipleFileInput(attrs={"accept": accept_attribute()}),
        help_text=CompanySettings.get().attachment_formats_text,
    )


class SubmissionTokenMixin:
    """A hidden one-time token: a second submit of the same form finds the first letter."""

    def submission_key(self) -> str | None:
        token = self.data.get("form_token", "")
        return token if TOKEN_RE.match(token or "") else None


class LetterFilterForm(DateRangeForm):
    """The letters register's filter: a date range (`od`, `do`)."""


class NewLetterForm(SubmissionTokenMixin, AttachmentsFormMixin, forms.Form):
    KINDS = [
        (LetterKind.INCOMING, _("Pismo")),
        (LetterKind.COMPLAINT, _("Reklamacja")),
    ]
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(
        label=_("Rodzaj"), choices=KINDS, initial=LetterKind.INCOMING, widget=forms.RadioSelect
    )
    description = forms.CharField(label=_("Opis (temat)"), max_length=200)
    body = forms.CharField(
        label=_("Treść"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = attachments_field()


class RemarkForm(SubmissionTokenMixin, AttachmentsFormMixin, forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    remark_type = forms.ModelChoiceField(
        label=_("Typ uwagi"),
        queryset=RemarkType.objects.filter(is_active=True),
        empty_label=_("— wybierz —"),
    )
    concerns_address = forms.CharField(
        label=_("Adres zgłoszenia"),
        max_length=300,
        help_text=_("Adres budynku lub miejsca, którego dotyczy uwaga."),
    )
    text = forms.CharField(
        label=_("Uwaga"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    contact_name = forms.CharField(label=_("Imię i nazwisko lub nazwa"), max_length=200)
    email = forms.EmailField(label=_("Adres e-mail"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=20, required=False, validators=[PHONE])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remark_type"].label_from_instance = lambda t: t.display_name
        # The administrator's description of each type, as plain text under the list
        # (the help text is escaped, its line breaks kept).
        described = [
            f"{t.display_name}: {t.description}"
            for t in self.fields["remark_type"].queryset
            if t.description
        ]
        if described:
            self.fields["remark_type"].help_text = "\n".join(described)
        self.fields["email"].help_text = _(
            "Podaj e-mail lub telefon, abyśmy mogli odpowiedzieć. Na e-mail wyślemy link do śledzenia sprawy."
        )
        attachments = attachments_field()
        self.fields["attachments"] = attachments
        # The CAPTCHA goes last: a picture, or the same code as audio (the same field as
        # the registration form, ebok.accounts.forms).
        self.fields["captcha"] = captcha_field(
            _("Kod z obrazka jest nieprawidłowy. Przepisz nowy kod.")
        )

    def clean(self):
        data = super().clean()
        if (
            not data.get("email")
            and not data.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            raise forms.ValidationError(_("Podaj adres e-mail lub numer telefonu."))
        return data


class DataChangeForm(SubmissionTokenMixin, AttachmentsFormMixin, forms.Form):
    """The manual's "Zgłoszenie zmiany danych", pre-filled with the current data."""

    FIELDS = [
        "name",
        "nip",
        "regon",
        "phone",
        "fax",
        "email",
        "street",
        "postal_code",
        "city",
        "has_correspondence_address",
        "correspondence_name",
        "correspondence_street",
        "correspondence_postal_code",
        "correspondence_city",
        "marketing_objection",
    ]

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Nazwa podmiotu"), max_length=250)
    nip = forms.CharField(label=_("NIP"), max_length=13, required=False)
    regon = forms.CharField(label=_("REGON"), max_length=14, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=20, required=False, validators=[PHONE])
    fax = forms.CharField(label=_("Faks"), max_length=20, required=False, validators=[PHONE])
    email = forms.EmailField(label=_("Adres e-mail"), required=False)
    street = forms.CharField(label=_("Adres"), max_length=200)
    postal_code = forms.CharField(label=_("Kod pocztowy"), max_length=6, validators=[POSTAL_CODE])
    city = forms.CharField(label=_("Poczta"), max_length=100)
    has_correspondence_address = forms.BooleanField(
        label=_("Adres korespondencyjny jest inny niż powyżej"), required=False
    )
    correspondence_name = forms.CharField(
        label=_("Nazwa (korespondencja)"), max_length=250, required=False
    )
    correspondence_street = forms.CharField(
        label=_("Adres (korespondencja)"), max_length=200, required=False
    )
    correspondence_postal_code = forms.CharField(
        label=_("Kod pocztowy (korespondencja)"),
        max_length=6,
        required=False,
        validators=[POSTAL_CODE],
    )
    correspondence_city = forms.CharField(
        label=_("Poczta (korespondencja)"), max_length=100, required=False
    )
    marketing_objection = forms.BooleanField(label="", required=False)
    declaration = forms.BooleanField(
        label=_(
            "Oświadczam, że podane przeze mnie dane są prawidłowe i ponoszę odpowiedzialność za ich wprowadzenie."
        ),
        error_messages={"required": _("Potwierdź poprawność danych.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["marketing_objection"].label = CompanySettings.get().marketing_objection_text
        attachments = attachments_field()
        attachments.label = _("Załączniki (dokumenty potwierdzające zmiany)")
        self.fields["attachments"] = attachments

    @staticmethod
    def values_of(customer) -> dict:
        values = {
            f: getattr(customer, f, "")
            for f in DataChangeForm.FIELDS
            if f != "has_correspondence_address"
        }
        values["has_correspondence_address"] = customer.has_correspondence_address
        return values

    def clean_nip(self):
        value = self.cleaned_data["nip"]
        if not value:
            return ""
        if not stdnum_nip.is_valid(value):
            raise forms.ValidationError(_("Nieprawidłowy NIP."))
        return stdnum_nip.compact(value)

    def clean_regon(self):
        value = self.cleaned_data["regon"]
        if not value:
            return ""
        if not stdnum_regon.is_valid(value):
            raise forms.ValidationError(_("Nieprawidłowy REGON."))
        return stdnum_regon.compact(value)

    def clean(self):
        data = super().clean()
        if data.get("has_correspondence_address"):
            for name in (
                "correspondence_street",
                "correspondence_postal_code",
                "correspondence_city",
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Uzupełnij adres korespondencyjny."))
        else:
            for name in (
                "correspondence_name",
                "correspondence_street",
                "correspondence_postal_code",
                "correspondence_city",
            ):
                data[name] = ""
        return data

    def new_values(self) -> dict:
        return {f: self.cleaned_data.get(f, "") for f in self.FIELDS}
