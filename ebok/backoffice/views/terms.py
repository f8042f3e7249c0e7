"""Terms of use and privacy notice versions (/obsluga/ustawienia/regulamin/): upload a
PDF with its effective date, download any version, and see who accepted which version
(list with filters, CSV). `accounts.manage_configuration`; auditors read-only."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ebok.accounts.models import TermsAcceptance
from ebok.backoffice.permissions import operator_required
from ebok.billing.exports import CSV_MIMETYPE, Column, to_csv
from ebok.core import terms, uploads
from ebok.core.audit import log_action
from ebok.core.forms import DateInput
from ebok.core.models import TermsDocument
from ebok.core.paging import page_of, query_without_page

PERM = "accounts.manage_configuration"
PAGE_SIZE = 50


class TermsUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Dokument"), choices=TermsDocument.Kind.choices, widget=forms.RadioSelect
    )
    version = forms.RegexField(
        label=gettext_lazy("Wersja"),
        max_length=20,
        regex=r"^[\w.\-/]+$",
        help_text=gettext_lazy("Np. 2027.1; bez spacji."),
        error_messages={"invalid": gettext_lazy("Wersja może zawierać litery, cyfry i . - / _")},
    )
    effective_from = forms.DateField(
        label=gettext_lazy("Obowiązuje od"),
        widget=DateInput(),
        help_text=gettext_lazy(
            "Od tego dnia klienci pobierają tę wersję, a przy regulaminie każdy zalogowany "
            "klient zaakceptuje ją przy najbliższym wejściu."
        ),
    )
    document = forms.FileField(
        label=gettext_lazy("Plik PDF"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Data nie może być wcześniejsza niż dzisiejsza."))
        return day

    def clean_document(self):
        f = self.cleaned_data["document"]
        try:
            checked = uploads.validate_uploads([f])[0]
        except uploads.UploadError as exc:
            raise forms.ValidationError(exc.messages) from None
        if checked.content_type != "application/pdf":
            raise forms.ValidationError(_("Dokument musi być plikiem PDF."))
        return checked

    def clean(self):
        data = super().clean()
        if (
            data.get("kind")
            and data.get("version")
            and TermsDocument.objects.filter(kind=data["kind"], version=data["version"]).exists()
        ):
            self.add_error("version", _("Ta wersja tego dokumentu już istnieje."))
        return data


class AcceptanceFilterForm(forms.Form):
    version = forms.ModelChoiceField(
        label=gettext_lazy("Wersja regulaminu"),
        queryset=TermsDocument.objects.filter(kind=TermsDocument.Kind.TERMS),
        required=False,
        empty_label=gettext_lazy("wszystkie"),
    )
    user = forms.CharField(label=gettext_lazy("Login"), required=False, max_length=150)


@operator_required(PERM)
@require_http_methods(["GET", "POST"])
def terms_page(request):
    form = TermsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = terms.add_version(
                kind=data["kind"],
                version=data["version"],
                effective_from=data["effective_from"],
                checked=data["document"],
                request=request,
            )
        except uploads.StorageFailure:
            form.add_error("document", _("Nie udało się zapisać pliku. Spróbuj ponownie."))
        else:
            messages.success(
                request,
                _("Dodano %(doc)s w wersji %(version)s, obowiązującą od %(day)s.")
                % {
                    "doc": document.get_kind_display(),
                    "version": document.version,
                    "day": document.effective_from.strftime("%d.%m.%Y"),
                },
            )
            return redirect("backoffice:terms")
    documents = TermsDocument.objects.select_related("uploaded_by")
    current_ids = {
        v.id for v in (terms.current(kind) for kind in TermsDocument.Kind.values) if v is not None
    }
    return render(
        request,
        "backoffice/settings/terms.html",
        {
            "form": form,
            "documents": documents,
            "current_ids": current_ids,
            "today": timezone.localdate(),
        },
    )


@operator_required(PERM)
@require_http_methods(["GET"])
def terms_file(request, pk):
    document = get_object_or_404(TermsDocument, pk=pk)
    return uploads.download_response(document.file_path, document.file_name, "application/pdf")


def _acceptances(form):
    rows = TermsAcceptance.objects.select_related("user", "document").order_by(
        "-accepted_at", "-id"
    )
    if form.is_valid():
        if form.cleaned_data["version"]:
            rows = rows.filter(document=form.cleaned_data["version"])
        if form.cleaned_data["user"]:
            rows = rows.filter(user__username__iexact=form.cleaned_data["user"].strip())
    return rows


@operator_required(PERM)
@require_http_methods(["GET"])
def terms_acceptances(request):
    form = AcceptanceFilterForm(request.GET or None)
    page = page_of(request, _acceptances(form), PAGE_SIZE)
    return render(
        request,
        "backoffice/settings/acceptances.html",
        {"form": form, "page": page, "page_query": query_without_page(request)},
    )


@operator_required(PERM)
@require_http_methods(["GET"])
def terms_acceptances_csv(request):
    form = AcceptanceFilterForm(request.GET or None)
    columns = [
        Column(_("Login")),
        Column(_("E-mail")),
        Column(_("Wersja regulaminu")),
        Column(_("Zaakceptowano")),
        Column(_("Adres IP")),
        Column(_("Sposób")),
    ]
    rows = (
        [
            a.user.username,
            a.user.email,
            a.document.version,
            timezone.localtime(a.accepted_at).strftime("%Y-%m-%d %H:%M:%S"),
            a.ip or "",
            a.get_source_display(),
        ]
        for a in _acceptances(form).iterator(chunk_size=2000)
    )
    log_action(
        "accounts.terms_acceptances.exported", request=request, data=dict(request.GET.items())
    )
    response = HttpResponse(to_csv(columns, rows), content_type=CSV_MIMETYPE)
    response["Content-Disposition"] = 'attachment; filename="akceptacje-regulaminu.csv"'
    return response
