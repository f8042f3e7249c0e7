"""Fuel mix and emission factors per year (/obsluga/ustawienia/paliwa/), entered by
administrators; the annual information letters of a year apply them to each customer's
consumption. Every change is audit-logged with the old and new values."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ebok.backoffice.permissions import operator_required
from ebok.core.audit import log_action
from ebok.insight.models import AnnualInformation, FuelMix

PERM = "accounts.manage_configuration"
SHARE_FIELDS = [name for name, _label in FuelMix.FUELS]
FACTOR_FIELDS = [name for name, _label in FuelMix.EMISSIONS]


def _localized(field) -> None:
    """Typed and shown with the language's decimal mark (12,5 in Polish): a text input,
    since a number input only takes a point."""
    field.localize = True
    field.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    field.widget.is_localized = True


class FuelMixForm(forms.ModelForm):
    class Meta:
        model = FuelMix
        fields = [
            "year",
            *SHARE_FIELDS,
            "renewable_percent",
            *FACTOR_FIELDS,
            "group_averages_published_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        not_negative = MinValueValidator(0, message=_("Wartość nie może być ujemna."))
        at_most_100 = MaxValueValidator(100, message=_("Udział nie może przekraczać 100%%."))
        for name in [*SHARE_FIELDS, "renewable_percent"]:
            field = self.fields[name]
            _localized(field)
            field.validators += [not_negative, at_most_100]
            field.error_messages["invalid"] = _("Podaj liczbę, np. 12,5.")
            field.error_messages["required"] = _("Podaj udział (0, jeśli nie występuje).")
        for name in FACTOR_FIELDS:
            field = self.fields[name]
            _localized(field)
            field.validators.append(not_negative)
            field.error_messages["invalid"] = _("Podaj liczbę, np. 94,6.")
            field.error_messages["required"] = _("Podaj emisję na 1 GJ (0, jeśli nie występuje).")
        self.fields["year"].error_messages["required"] = _("Podaj rok.")
        self.fields["year"].error_messages["unique"] = _(
            "Struktura paliw za ten rok już istnieje – popraw ją zamiast dodawać nową."
        )
        if self.instance.pk:
            # The year names the letters already issued with it.
            self.fields["year"].disabled = True

    def clean(self):
        data = super().clean()
        shares = [data.get(name) for name in SHARE_FIELDS]
        if all(v is not None for v in shares):
            total = sum(shares, Decimal(0))
            if total != Decimal(100):
                raise forms.ValidationError(
                    _("Udziały paliw muszą sumować się do 100%%; teraz suma wynosi %(total)s%%.")
                    % {"total": f"{total:.2f}".replace(".", ",")}
                )
        return data


def _values(mix: FuelMix) -> dict:
    return {f: str(getattr(mix, f)) for f in FuelMixForm.Meta.fields}


@operator_required(PERM)
def fuel_mix_list(request):
    mixes = list(FuelMix.objects.all())
    return render(
        request,
        "backoffice/fuel_mix/list.html",
        {
            "mixes": mixes,
            "fuels": FuelMix.FUELS,
            "emissions": FuelMix.EMISSIONS,
            "rows": [
                {
                    "mix": m,
                    "shares": [getattr(m, n) for n in SHARE_FIELDS],
                    "factors": [getattr(m, n) for n in FACTOR_FIELDS],
                }
                for m in mixes
            ],
        },
    )


@operator_required(PERM)
def fuel_mix_edit(request, year=None):
    mix = get_object_or_404(FuelMix, year=year) if year is not None else None
    # Read before binding: validation writes the typed values into the instance.
    before = _values(mix) if mix else None
    form = FuelMixForm(request.POST or None, instance=mix)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                saved = form.save(commit=False)
                saved.updated_by = request.user
                saved.save()
                saved.refresh_from_db()
                after = _values(saved)
                log_action(
                    "insight.fuel_mix.updated" if before else "insight.fuel_mix.created",
                    request=request,
                    obj=saved,
                    data={
                        "changes": {
                            k: [before.get(k) if before else None, v]
                            for k, v in after.items()
                            if not before or before.get(k) != v
                        }
                    },
                )
            messages.success(
                request, _("Zapisano strukturę paliw za rok %(year)d.") % {"year": saved.year}
            )
            return redirect("backoffice:fuel_mix")
        status = 400
    else:
        status = 200
    issued = AnnualInformation.objects.filter(year=mix.year).count() if mix else 0
    return render(
        request,
        "backoffice/fuel_mix/form.html",
        {"form": form, "mix": mix, "issued": issued},
        status=status,
    )
