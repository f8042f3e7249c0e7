"""Company settings (/obsluga/ustawienia/): the company's data, bank account, contact,
texts and logo, with the history of every change. Administrators only
(`accounts.manage_configuration`); auditors see the page read-only.

Each save writes one `CompanySettingsChange` row (old → new per field) and the audit
entry `core.configuration.changed`; `CompanySettings.save` clears the shared cache, so
every node reads the new values at its next request.
"""

import io
import re
import secrets

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from stdnum import iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip, regon

from ebok.backoffice.permissions import operator_required
from ebok.core import uploads
from ebok.core.audit import log_action
from ebok.core.models import CompanySettings, CompanySettingsChange
from ebok.core.paging import page_of, query_without_page

PERM = "accounts.manage_configuration"
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 1000
HISTORY_PAGE_SIZE = 25

TEXT_FIELDS = [
    "company_name",
    "company_short_name",
    "street",
    "postal_code",
    "city",
    "nip",
    "regon",
    "krs",
    "bank_name",
    "bank_account",
    "phone",
    "email",
    "website",
    "office_hours",
    "welcome_text",
    "personal_data_clause",
    "marketing_objection_text",
    "attachment_formats_text",
    "accessibility_statement",
]


class LogoError(Exception):
    pass


def check_logo(f) -> tuple[str, str]:
    """(extension, MIME type) of an acceptable logo, or LogoError with a Polish reason.

    PNG or JPEG by content (magic bytes, then Pillow decodes it), at most 512 KB and
    1000 × 1000 px. SVG and everything else are refused: an SVG can carry scripts.
    """
    from PIL import Image, UnidentifiedImageError

    size = getattr(f, "size", 0) or 0
    if isinstance(f, uploads.RejectedUpload) or size > LOGO_MAX_BYTES:
        raise LogoError(_("Logo jest za duże (najwyżej 512 KB)."))
    if size == 0:
        raise LogoError(_("Plik logo jest pusty."))
    try:
        kind = uploads.detect_type(f)
    except uploads.UploadError:
        kind = None
    if kind not in ("png", "jpeg"):
        raise LogoError(_("Logo musi być obrazem PNG lub JPEG."))
    f.seek(0)
    data = f.read(LOGO_MAX_BYTES + 1)
    f.seek(0)
    if len(data) > LOGO_MAX_BYTES:
        raise LogoError(_("Logo jest za duże (najwyżej 512 KB)."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
                raise LogoError(
                    _("Logo może mieć najwyżej 1000 × 1000 pikseli (ma %(w)d × %(h)d).")
                    % {"w": width, "h": height}
                )
            image.verify()
    except LogoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise LogoError(_("Plik logo jest uszkodzony.")) from None
    mime, ext, _label = uploads.FILE_TYPES[kind]
    return ext, mime


class SettingsForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=gettext_lazy("Nowe logo"),
        required=False,
        help_text=gettext_lazy("PNG lub JPEG, najwyżej 512 KB i 1000 × 1000 pikseli."),
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
    )
    remove_logo = forms.BooleanField(label=gettext_lazy("Usuń obecne logo"), required=False)
    # Typed with spaces or dashes; stored normalised (10 and 26 digits) by clean_*.
    nip = forms.CharField(
        label=gettext_lazy("NIP"),
        max_length=13,
        required=False,
        help_text=gettext_lazy("10 cyfr, z kreskami lub bez."),
    )
    bank_account = forms.CharField(
        label=gettext_lazy("Rachunek bankowy"),
        max_length=40,
        required=False,
        help_text=gettext_lazy(
            "Numer rachunku w formacie IBAN (PL i 26 cyfr) lub same 26 cyfr; "
            "drukowany na fakturach i listach."
        ),
    )

    class Meta:
        model = CompanySettings
        fields = TEXT_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in [
                "welcome_text",
                "personal_data_clause",
                "marketing_objection_text",
                "attachment_formats_text",
                "accessibility_statement",
            ]
        }
        help_texts = {
            "postal_code": gettext_lazy("W formacie 00-000."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company_name"].required = True
        self.fields["company_short_name"].required = True

    def clean_nip(self):
        value = self.cleaned_data["nip"].strip()
        if not value:
            return ""
        try:
            return nip.validate(value)
        except StdnumError:
            raise forms.ValidationError(
                _("NIP jest nieprawidłowy: sprawdź 10 cyfr (suma kontrolna się nie zgadza).")
            ) from None

    def clean_regon(self):
        value = self.cleaned_data["regon"].strip()
        if not value:
            return ""
        try:
            return regon.validate(value)
        except StdnumError:
            raise forms.ValidationError(_("REGON jest nieprawidłowy (9 lub 14 cyfr).")) from None

    def clean_krs(self):
        value = re.sub(r"\s", "", self.cleaned_data["krs"])
        if value and not re.fullmatch(r"\d{10}", value):
            raise forms.ValidationError(_("Numer KRS ma 10 cyfr."))
        return value

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if value and not re.fullmatch(r"\d{2}-\d{3}", value):
            raise forms.ValidationError(_("Kod pocztowy wpisz w formacie 00-000."))
        return value

    def clean_bank_account(self):
        value = re.sub(r"[\s-]", "", self.cleaned_data["bank_account"]).upper()
        if not value:
            return ""
        if re.fullmatch(r"\d{26}", value):
            value = "PL" + value
        try:
            value = iban.validate(value)
        except StdnumError:
            raise forms.ValidationError(
                _("Numer rachunku jest nieprawidłowy: sprawdź 26 cyfr (suma kontrolna IBAN).")
            ) from None
        if not value.startswith("PL"):
            raise forms.ValidationError(_("Podaj polski numer rachunku (PL i 26 cyfr)."))
        return value[2:]

    def clean_logo_upload(self):
        f = self.cleaned_data.get("logo_upload")
        if not f:
            return None
        try:
            self.logo_kind = check_logo(f)
        except LogoError as exc:
            raise forms.ValidationError(str(exc)) from None
        return f


def _shown(value) -> str:
    return "" if value is None else str(value)


def save_settings(form: SettingsForm, request) -> dict:
    """Apply the form under a row lock; returns the changes (field → old/new)."""
    stored_path = None
    logo = form.cleaned_data.get("logo_upload")
    if logo:
        ext, _mime = form.logo_kind
        logo.seek(0)
        stored_path = default_storage.save(f"branding/logo-{secrets.token_hex(8)}.{ext}", logo)
    try:
        with transaction.atomic():
            config, _created = CompanySettings.objects.select_for_update().get_or_create(
                pk=CompanySettings.SINGLETON_PK
            )
            changes = {}
            for name in TEXT_FIELDS:
                old, new = getattr(config, name), form.cleaned_data[name]
                if _shown(old) != _shown(new):
                    changes[name] = {"old": _shown(old), "new": _shown(new)}
                    setattr(config, name, new)
            old_logo = config.logo.name if config.logo else ""
            if stored_path:
                config.logo.name = stored_path
            elif form.cleaned_data.get("remove_logo"):
                config.logo.name = ""
            new_logo = config.logo.name if config.logo else ""
            if new_logo != old_logo:
                changes["logo"] = {"old": old_logo, "new": new_logo}
            if changes:
                config.save()
                CompanySettingsChange.objects.create(changed_by=request.user, changes=changes)
                log_action("core.configuration.changed", request=request, obj=config, data=changes)
    except Exception:
        if stored_path:
            uploads.delete_stored([stored_path])
        raise
    return changes


@operator_required(PERM)
@require_http_methods(["GET", "POST"])
def settings_page(request):
    config = CompanySettings.objects.get_or_create(pk=CompanySettings.SINGLETON_PK)[0]
    form = SettingsForm(request.POST or None, request.FILES or None, instance=config)
    if request.method == "POST" and form.is_valid():
        changes = save_settings(form, request)
        if changes:
            messages.success(request, _("Zapisano ustawienia firmy."))
        else:
            messages.info(request, _("Nic się nie zmieniło."))
        return redirect("backoffice:settings")
    return render(request, "backoffice/settings/company.html", {"form": form, "config": config})


def _label(name: str) -> str:
    if name == "logo":
        return _("logo")
    return str(CompanySettings._meta.get_field(name).verbose_name)


@operator_required(PERM)
@require_http_methods(["GET"])
def settings_history(request):
    page = page_of(
        request, CompanySettingsChange.objects.select_related("changed_by"), HISTORY_PAGE_SIZE
    )
    rows = [
        {
            "change": change,
            "fields": [
                {"label": _label(name), "old": values.get("old", ""), "new": values.get("new", "")}
                for name, values in change.changes.items()
            ],
        }
        for change in page
    ]
    return render(
        request,
        "backoffice/settings/history.html",
        {"page": page, "rows": rows, "page_query": query_without_page(request)},
    )


@operator_required("accounts.handle_letters")
def letters_config_moved(request):
    """The letters configuration moved to /obsluga/ustawienia/pisma/."""
    return redirect("backoffice:letters_config", permanent=True)


class RequestTypeForm(forms.Form):
    """One online request type as customers are offered it."""

    active = forms.BooleanField(label=gettext_lazy("oferowany"), required=False)
    position = forms.IntegerField(label=gettext_lazy("kolejność"), min_value=0, max_value=9999)
    help_text = forms.CharField(
        label=gettext_lazy("tekst pomocy"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Pusty: opis wbudowany."),
    )


def _request_type_forms(data=None):
    from ebok.letters import request_settings

    return [
        (
            request_type,
            RequestTypeForm(data, prefix=request_type.code, initial=values),
        )
        for request_type, values in request_settings.configured_types()
    ]


@operator_required(PERM)
@require_http_methods(["GET", "POST"])
def request_types_page(request):
    """Enable, disable, reorder online request types and edit their help texts."""
    from ebok.letters.models import DEFAULT_DUE_DAYS, KindDeadline, LetterKind

    rows = _request_type_forms(request.POST if request.method == "POST" else None)
    if request.method == "POST" and all(form.is_valid() for _t, form in rows):
        new = {
            t.code: {
                "active": form.cleaned_data["active"],
                "position": form.cleaned_data["position"],
                "help_text": form.cleaned_data["help_text"].strip(),
            }
            for t, form in rows
        }
        with transaction.atomic():
            config, _created = CompanySettings.objects.select_for_update().get_or_create(
                pk=CompanySettings.SINGLETON_PK
            )
            old = config.request_type_settings or {}
            if old != new:
                config.request_type_settings = new
                config.save(update_fields=["request_type_settings"])
                changed = {
                    code: {"old": old.get(code, {}), "new": values}
                    for code, values in new.items()
                    if old.get(code) != values
                }
                log_action("letters.request_types.changed", request=request, data=changed)
        messages.success(request, _("Zapisano ustawienia wniosków internetowych."))
        return redirect("backoffice:request_types")
    kind = LetterKind.ONLINE_REQUEST
    deadline = KindDeadline.days_for(kind)
    return render(
        request,
        "backoffice/settings/request_types.html",
        {
            "rows": rows,
            "deadline": deadline,
            "default_deadline": DEFAULT_DUE_DAYS.get(kind),
        },
    )
