"""The registry of online request types (wnioski internetowe).

Each type is a code, a Polish title and description, and a form with its own fields and
validation. The form is built for one customer (it offers that customer's contracts,
meters or invoices only). `summary(cleaned_data)` turns the answers into labelled text
rows stored with the letter and printed on the request's PDF.

To add a type: subclass RequestForm, then `register(RequestType(...))` below.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ebok.billing.models import Invoice
from ebok.contracts.models import Contract, Meter
from ebok.core import fields as safe_fields
from ebok.core.formatting import money
from ebok.core.forms import DateInput


class RequestForm(forms.Form):
    comment = forms.CharField(
        label=_("Uwagi do wniosku"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, customer, **kwargs):
        self.customer = customer
        super().__init__(*args, **kwargs)

    def contracts(self):
        return Contract.objects.filter(
            customer=self.customer, cancelled_at__isnull=True
        ).select_related("site")

    def contract_field(self):
        return safe_fields.ModelChoiceField(
            label=_("Umowa"),
            queryset=self.contracts(),
            empty_label=_("— wybierz umowę —"),
        )

    @staticmethod
    def _future(value, field_label):
        if value <= timezone.localdate():
            raise forms.ValidationError(_("Data musi być późniejsza niż dzisiejsza."))
        return value


def _contract_label(contract):
    return f"{contract.number} — {contract.site.street}, {contract.site.city}"


class CapacityChangeForm(RequestForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "contract": self.contract_field(),
            "new_capacity_mw": forms.DecimalField(
                label=_("Nowa moc zamówiona [MW]"),
                min_value=Decimal("0.0010"),
                max_value=Decimal("100"),
                max_digits=9,
                decimal_places=4,
            ),
            "effective_from": forms.DateField(
                label=_("Od dnia"),
                widget=DateInput(),
                help_text=_("Zmiana obowiązuje od pierwszego dnia miesiąca."),
            ),
            **self.fields,
        }
        self.fields["contract"].label_from_instance = _contract_label

    def clean_effective_from(self):
        value = self._future(self.cleaned_data["effective_from"], "")
        if value.day != 1:
            raise forms.ValidationError(_("Podaj pierwszy dzień miesiąca."))
        return value

    def clean(self):
        data = super().clean()
        contract, capacity = data.get("contract"), data.get("new_capacity_mw")
        if contract and capacity is not None and capacity == contract.ordered_capacity_mw:
            self.add_error("new_capacity_mw", _("Nowa moc jest taka sama jak obecna."))
        return data


class TerminationForm(RequestForm):
    REASONS = [
        ("building_sold", _("sprzedaż lub przekazanie obiektu")),
        ("other_source", _("zmiana źródła ciepła")),
        ("demolition", _("rozbiórka obiektu")),
        ("other", _("inny powód")),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "contract": self.contract_field(),
            "termination_date": forms.DateField(
                label=_("Data rozwiązania umowy"), widget=DateInput()
            ),
            "reason": forms.ChoiceField(label=_("Powód"), choices=self.REASONS),
            "notice_ack": forms.BooleanField(
                label=_(
                    "Przyjmuję do wiadomości, że umowa rozwiązuje się z zachowaniem okresu wypowiedzenia określonego w umowie."
                )
            ),
            **self.fields,
        }
        self.fields["contract"].label_from_instance = _contract_label

    def clean_termination_date(self):
        return self._future(self.cleaned_data["termination_date"], "")

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other" and not data.get("comment"):
            self.add_error("comment", _("Opisz powód rozwiązania umowy."))
        return data


class TariffChangeForm(RequestForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "contract": self.contract_field(),
            "new_tariff_group": forms.RegexField(
                label=_("Nowa grupa taryfowa"),
                regex=r"^[A-Za-z0-9.\-/]{1,20}$",
                max_length=20,
                error_messages={"invalid": _("Podaj symbol grupy taryfowej, np. A1 lub B2.")},
            ),
            "effective_from": forms.DateField(label=_("Od dnia"), widget=DateInput()),
            "justification": forms.CharField(
                label=_("Uzasadnienie"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
            ),
            **self.fields,
        }
        self.fields["contract"].label_from_instance = _contract_label

    def clean_new_tariff_group(self):
        return self.cleaned_data["new_tariff_group"].upper()

    def clean_effective_from(self):
        return self._future(self.cleaned_data["effective_from"], "")

    def clean(self):
        data = super().clean()
        contract, group = data.get("contract"), data.get("new_tariff_group")
        if contract and group and group == contract.tariff_group.upper():
            self.add_error("new_tariff_group", _("To jest obecna grupa taryfowa umowy."))
        return data


class NoArrearsCertificateForm(RequestForm):
    DELIVERY = [
        ("email", _("e-mailem (skan)")),
        ("post", _("pocztą na adres korespondencyjny")),
        ("pickup", _("odbiór osobisty w BOK")),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "purpose": forms.CharField(label=_("Cel wydania zaświadczenia"), max_length=300),
            "delivery": forms.ChoiceField(
                label=_("Sposób odbioru"), choices=self.DELIVERY, widget=forms.RadioSelect
            ),
            "email": forms.EmailField(
                label=_("Adres e-mail"),
                required=False,
                help_text=_("Wymagany przy wysyłce e-mailem."),
            ),
            **self.fields,
        }

    def clean(self):
        data = super().clean()
        if data.get("delivery") == "email" and not data.get("email"):
            self.add_error("email", _("Podaj adres e-mail, na który wyślemy zaświadczenie."))
        return data


class EInvoiceConsentForm(RequestForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "email": forms.EmailField(
                label=_("Adres e-mail do wysyłki faktur"), initial=self.customer.email
            ),
            "consent": forms.BooleanField(
                label=_(
                    "Wyrażam zgodę na przesyłanie faktur, faktur korygujących i duplikatów w formie elektronicznej."
                )
            ),
            **self.fields,
        }


class EInvoiceWithdrawalForm(RequestForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "effective_from": forms.DateField(
                label=_("Od dnia"), widget=DateInput(), initial=date.today
            ),
            "withdrawal": forms.BooleanField(
                label=_(
                    "Wycofuję zgodę na przesyłanie faktur w formie elektronicznej; proszę o faktury papierowe."
                )
            ),
            **self.fields,
        }

    def clean_effective_from(self):
        value = self.cleaned_data["effective_from"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("Data nie może być wcześniejsza niż dzisiejsza."))
        return value


class InstalmentPlanForm(RequestForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        overdue = Invoice.objects.filter(
            customer=self.customer,
            cancelled_at__isnull=True,
            in_debt_collection=False,
            due_date__lt=timezone.localdate(),
        ).order_by("due_date")
        invoices = safe_fields.ModelMultipleChoiceField(
            label=_("Zaległe faktury"),
            queryset=overdue,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Zaznacz co najmniej jedną zaległą fakturę.")},
        )
        if not overdue.exists():
            invoices.help_text = _("Nie ma Państwo zaległych faktur, które można rozłożyć na raty.")
        invoices.label_from_instance = lambda inv: (
            _("%(number)s — %(amount)s, termin płatności %(due)s")
            % {
                "number": inv.number,
                "amount": money(inv.gross_amount),
                "due": f"{inv.due_date:%d-%m-%Y}",
            }
        )
        self.fields = {
            "invoices": invoices,
            "instalments": forms.IntegerField(label=_("Liczba rat"), min_value=2, max_value=24),
            "justification": forms.CharField(
                label=_("Uzasadnienie"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
            ),
            **self.fields,
        }

    def clean_invoices(self):
        invoices = self.cleaned_data["invoices"]
        if any(inv.remaining_amount <= 0 for inv in invoices):
            raise forms.ValidationError(_("Zaznaczono fakturę, która jest już zapłacona."))
        return invoices


class MeterCheckForm(RequestForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meter = safe_fields.ModelChoiceField(
            label=_("Licznik"),
            queryset=Meter.objects.filter(
                customer=self.customer, removed_on__isnull=True
            ).select_related("site"),
            empty_label=_("— wybierz licznik —"),
        )
        meter.label_from_instance = lambda m: f"{m.serial_number} — {m.site.street}, {m.site.city}"
        self.fields = {
            "meter": meter,
            "reason": forms.CharField(
                label=_("Dlaczego licznik budzi wątpliwości"),
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 4}),
            ),
            "cost_ack": forms.BooleanField(
                label=_(
                    "Przyjmuję do wiadomości, że jeśli sprawdzenie nie wykaże nieprawidłowości, "
                    "koszt sprawdzenia pokrywa wnioskodawca."
                )
            ),
            **self.fields,
        }


def _display(value) -> str:
    if isinstance(value, str | Promise):  # a choice's label is a lazy translation
        return str(value)
    if isinstance(value, bool):
        return str(_("tak")) if value else str(_("nie"))
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Contract):
        return _contract_label(value)
    if isinstance(value, Meter):
        return f"{value.serial_number} — {value.site.street}, {value.site.city}"
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return ", ".join(getattr(v, "number", str(v)) for v in value)
    return str(value)


@dataclass(frozen=True)
class RequestType:
    code: str
    title: str
    description: str
    form_class: type

    def form(self, *args, customer, **kwargs):
        return self.form_class(*args, customer=customer, **kwargs)

    def summary(self, form) -> list[tuple[str, str, str]]:
        """(name, label, shown value) for every answered field of a valid form, in order."""
        rows = []
        for name, field in form.fields.items():
            if name in ("comment", "attachments", "form_token"):
                continue  # the comment is the letter's text; files are its attachments
            value = form.cleaned_data.get(name)
            if value in (None, "", [], ()):
                continue
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                value = dict(field.choices).get(value, value)
            rows.append((name, str(field.label), _display(value)))
        return rows


REGISTRY: dict[str, RequestType] = {}


def register(request_type: RequestType) -> None:
    REGISTRY[request_type.code] = request_type


def get(code: str) -> RequestType | None:
    return REGISTRY.get(code)


def all_types() -> list[RequestType]:
    return list(REGISTRY.values())


register(
    RequestType(
        "zmiana-mocy",
        _("Zmiana mocy zamówionej"),
        _("Zwiększenie lub zmniejszenie mocy cieplnej zamówionej w umowie."),
        CapacityChangeForm,
    )
)
register(
    RequestType(
        "rozwiazanie-umowy",
        _("Rozwiązanie umowy"),
        _("Wypowiedzenie umowy kompleksowej lub sprzedaży ciepła."),
        TerminationForm,
    )
)
register(
    RequestType(
        "zmiana-grupy-taryfowej",
        _("Zmiana grupy taryfowej"),
        _("Przypisanie obiektu do innej grupy taryfowej."),
        TariffChangeForm,
    )
)
register(
    RequestType(
        "zaswiadczenie-o-niezaleganiu",
        _("Zaświadczenie o niezaleganiu z płatnościami"),
        _("Zaświadczenie, że nie ma Państwo zaległości wobec firmy."),
        NoArrearsCertificateForm,
    )
)
register(
    RequestType(
        "zgoda-e-faktura",
        _("Zgoda na e-fakturę"),
        _("Faktury w formie elektronicznej zamiast papierowych."),
        EInvoiceConsentForm,
    )
)
register(
    RequestType(
        "wycofanie-zgody-e-faktura",
        _("Wycofanie zgody na e-fakturę"),
        _("Powrót do faktur papierowych."),
        EInvoiceWithdrawalForm,
    )
)
register(
    RequestType(
        "raty",
        _("Rozłożenie zaległości na raty"),
        _("Harmonogram spłaty zaległych faktur w ratach."),
        InstalmentPlanForm,
    )
)
register(
    RequestType(
        "sprawdzenie-licznika",
        _("Sprawdzenie licznika"),
        _("Sprawdzenie prawidłowości działania układu pomiarowego (ciepłomierza)."),
        MeterCheckForm,
    )
)
