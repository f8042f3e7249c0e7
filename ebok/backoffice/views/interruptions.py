"""Heat supply interruptions in the back office (/obsluga/przerwy/): list, announce with a
preview of the matched sites and affected customers, edit, extend, end, cancel, and a CSV
import of many at once. The use cases live in ebok.interruptions.services."""

import re

from django import forms
from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ebok.backoffice.permissions import operator_required
from ebok.core.audit import log_action
from ebok.core.paging import page_of
from ebok.interruptions import csv_import, matching, services
from ebok.interruptions.models import Interruption, new_external_id

PERM = "accounts.manage_interruptions"
PREVIEW_LIMIT = 200
KEY_RE = re.compile(r"^bok-[0-9a-f]{16}$")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kw):
        super().__init__(format=DATETIME_FORMAT, **kw)


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        error_messages={"invalid": gettext_lazy("Podaj datę i godzinę, np. 2026-12-03 08:00.")},
    )


class InterruptionForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, initial=new_external_id, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Rodzaj"), choices=Interruption.Kind.choices)
    affects = forms.ChoiceField(
        label=gettext_lazy("Czego dotyczy"), choices=Interruption.Affects.choices
    )
    starts_at = _datetime_field(gettext_lazy("Początek"))
    expected_end_at = _datetime_field(gettext_lazy("Przewidywany koniec"))
    description = forms.CharField(
        label=gettext_lazy("Opis dla odbiorców"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Zwykły tekst: przyczyna, co robić, kontakt. Widzą go wszyscy."),
    )
    site_codes = forms.CharField(
        label=gettext_lazy("Obiekty lub węzły (kody)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kody z systemu rozliczeń, np. W-000123, oddzielone przecinkami."),
    )
    addresses = forms.CharField(
        label=gettext_lazy("Adresy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Jeden adres w wierszu: ulica, numery (np. 10-20, 5A), „parzyste” albo "
            "„nieparzyste”, po przecinku miejscowość. Np. „Gdańska 10-20 parzyste, "
            "Bydgoszcz”. Sama ulica obejmuje wszystkie numery."
        ),
    )

    def clean_key(self):
        # A missing or foreign key gets a fresh one (no protection then, but no dead end).
        key = self.cleaned_data["key"]
        return key if KEY_RE.match(key) else new_external_id()

    def clean_addresses(self):
        try:
            return matching.parse_address_lines(self.cleaned_data["addresses"])
        except matching.ScopeError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_site_codes(self):
        codes = matching.parse_site_codes(self.cleaned_data["site_codes"])
        if any(len(code) > 30 for code in codes):
            raise forms.ValidationError(_("Kod obiektu ma najwyżej 30 znaków."))
        return codes

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = self.interruption_data()
        try:
            data.validate()
        except services.InterruptionError as exc:
            raise forms.ValidationError(str(exc)) from None
        return cleaned

    def interruption_data(self) -> services.InterruptionData:
        c = self.cleaned_data
        return services.InterruptionData(
            kind=c["kind"],
            affects=c["affects"],
            starts_at=c["starts_at"],
            expected_end_at=c["expected_end_at"],
            description=c["description"].strip(),
            site_codes=c["site_codes"],
            ranges=c["addresses"],
        )

    @classmethod
    def initial_for(cls, interruption: Interruption) -> dict:
        codes, ranges = services.scope_of(interruption)
        return {
            "kind": interruption.kind,
            "affects": interruption.affects,
            "starts_at": timezone.localtime(interruption.starts_at),
            "expected_end_at": timezone.localtime(interruption.expected_end_at),
            "description": interruption.description,
            "site_codes": ", ".join(codes),
            "addresses": "\n".join(matching.range_line(r) for r in ranges),
        }


class ExtendForm(forms.Form):
    expected_end_at = _datetime_field(gettext_lazy("Nowy przewidywany koniec"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Plik CSV"),
        help_text=gettext_lazy(
            "Kolumny: identyfikator; rodzaj; dotyczy; poczatek; koniec; opis; obiekty; adresy. "
            "Kodowanie UTF-8, najwyżej 2 MB."
        ),
    )


def _preview_context(data: services.InterruptionData) -> dict:
    sites, customers = services.preview(data)
    return {
        "preview_sites": sites[:PREVIEW_LIMIT],
        "preview_site_count": len(sites),
        "preview_customers": customers[:PREVIEW_LIMIT],
        "preview_customer_count": len(customers),
        "preview_limit": PREVIEW_LIMIT,
    }


@operator_required(PERM)
def interruption_list(request):
    show_all = request.GET.get("stan") == "wszystkie"
    qs = Interruption.objects.annotate(site_count=Count("sites")).order_by("-starts_at", "-pk")
    if not show_all:
        qs = qs.filter(status__in=Interruption.OPEN_STATUSES)
    page = page_of(request, qs, 25)
    return render(
        request,
        "backoffice/interruptions/list.html",
        {"page": page, "show_all": show_all, "query": "stan=wszystkie" if show_all else ""},
    )


def _form_view(request, interruption=None):
    initial = InterruptionForm.initial_for(interruption) if interruption else None
    form = InterruptionForm(request.POST or None, initial=initial)
    context = {"form": form, "interruption": interruption}
    if request.method == "POST" and form.is_valid():
        data = form.interruption_data()
        if request.POST.get("action") == "publish":
            if interruption is None:
                # The form's key becomes the external id: a second click on "publish"
                # (or a resent form) finds the first one instead of announcing it twice.
                key = form.cleaned_data["key"]
                interruption = Interruption.objects.filter(external_id=key).first()
                if interruption is None:
                    try:
                        interruption = services.create_interruption(
                            data, user=request.user, request=request, external_id=key
                        )
                    except IntegrityError:
                        interruption = Interruption.objects.get(external_id=key)
                    else:
                        messages.success(request, _("Przerwę ogłoszono."))
            else:
                try:
                    interruption = services.update_interruption(
                        interruption, data, user=request.user, request=request
                    )
                except services.InterruptionError as exc:
                    form.add_error(None, str(exc))
                    return render(request, "backoffice/interruptions/form.html", context)
                messages.success(request, _("Zmiany zapisano."))
            return redirect("backoffice:interruption", interruption.pk)
        context.update(_preview_context(data))
        context["previewed"] = True
        log_action(
            "interruptions.interruption.previewed",
            request=request,
            obj=interruption,
            data={"sites": context["preview_site_count"]},
        )
    return render(request, "backoffice/interruptions/form.html", context)


@operator_required(PERM)
def interruption_new(request):
    return _form_view(request)


@operator_required(PERM)
def interruption_edit(request, pk):
    interruption = get_object_or_404(Interruption, pk=pk)
    if not interruption.is_open:
        messages.error(request, _("Zakończonej ani odwołanej przerwy nie można zmieniać."))
        return redirect("backoffice:interruption", pk)
    return _form_view(request, interruption)


def _detail(request, interruption, extend_form=None):
    sites = interruption.sites.select_related("customer").order_by("city", "street", "code")
    site_count = sites.count()
    customers = {s.customer_id: s.customer for s in sites[:PREVIEW_LIMIT]}
    return render(
        request,
        "backoffice/interruptions/detail.html",
        {
            "interruption": interruption,
            "scope": list(interruption.scope_entries.all()),
            "changes": interruption.changes.select_related("user").annotate(
                notice_count=Count("notices")
            ),
            "sites": sites[:PREVIEW_LIMIT],
            "site_count": site_count,
            "customer_count": interruption.sites.values("customer_id").distinct().count(),
            "customers": sorted(customers.values(), key=lambda c: c.name),
            "preview_limit": PREVIEW_LIMIT,
            "extend_form": extend_form
            or ExtendForm(
                initial={"expected_end_at": timezone.localtime(interruption.expected_end_at)}
            ),
        },
    )


@operator_required(PERM)
def interruption_detail(request, pk):
    interruption = get_object_or_404(Interruption, pk=pk)
    log_action("interruptions.interruption.viewed", request=request, obj=interruption)
    return _detail(request, interruption)


@require_POST
@operator_required(PERM)
def interruption_extend(request, pk):
    interruption = get_object_or_404(Interruption, pk=pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.extend_interruption(
                interruption,
                form.cleaned_data["expected_end_at"],
                user=request.user,
                request=request,
            )
        except services.InterruptionError as exc:
            form.add_error("expected_end_at", str(exc))
        else:
            messages.success(request, _("Przerwę przedłużono; odbiorcy dostaną wiadomość."))
            return redirect("backoffice:interruption", pk)
    return _detail(request, interruption, extend_form=form)


def _simple_action(request, pk, action, done_message):
    interruption = get_object_or_404(Interruption, pk=pk)
    try:
        action(interruption, user=request.user, request=request)
    except services.InterruptionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done_message)
    return redirect("backoffice:interruption", pk)


@require_POST
@operator_required(PERM)
def interruption_end(request, pk):
    return _simple_action(
        request, pk, services.end_interruption, _("Przerwę zakończono; odbiorcy dostaną wiadomość.")
    )


@require_POST
@operator_required(PERM)
def interruption_cancel(request, pk):
    return _simple_action(
        request,
        pk,
        services.cancel_interruption,
        _("Przerwę odwołano; odbiorcy dostaną wiadomość."),
    )


@operator_required(PERM)
def interruption_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": csv_import.COLUMNS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > csv_import.MAX_BYTES:
            form.add_error("file", _("Plik jest za duży (najwyżej 2 MB)."))
        else:
            try:
                created, errors = csv_import.import_csv(
                    upload.read(), user=request.user, request=request
                )
            except csv_import.CsvRefused as exc:
                form.add_error("file", str(exc))
            else:
                if not errors:
                    messages.success(
                        request,
                        _("Zaimportowano przerwy: %(count)s.") % {"count": len(created)},
                    )
                    return redirect("backoffice:interruptions")
                context["row_errors"] = errors
                log_action(
                    "interruptions.interruption.import_refused",
                    request=request,
                    data={"file": upload.name[:200], "errors": len(errors)},
                )
    return render(
        request,
        "backoffice/interruptions/import.html",
        context,
    )
