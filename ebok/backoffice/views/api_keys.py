"""API keys of the integrations (billing, document system) and the recent imports.

A key is shown once, right after it is created; only its hash is stored. Revoking a key
takes effect at the next request. Every change is audit-logged.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ebok.backoffice.permissions import operator_required
from ebok.core.audit import log_action
from ebok.integration.models import ApiKey, ImportBatch

PERM = "accounts.manage_api_keys"


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nazwa integracji"),
        max_length=100,
        help_text=gettext_lazy("Kto będzie używał klucza, np. „System rozliczeń – import nocny”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Uprawnienia"),
        choices=ApiKey.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Wybierz co najmniej jedno uprawnienie.")},
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Podaj nazwę integracji."))
        return name


@operator_required(PERM)
def key_list(request):
    keys = ApiKey.objects.select_related("created_by").order_by("revoked_at", "-created_at")
    batches = ImportBatch.objects.select_related("api_key")[:20]
    return render(request, "backoffice/api_keys/list.html", {"keys": keys, "batches": batches})


@operator_required(PERM)
def key_create(request):
    if request.method == "POST":
        form = ApiKeyForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                key, raw = ApiKey.generate(
                    form.cleaned_data["name"], form.cleaned_data["scopes"], created_by=request.user
                )
                log_action(
                    "integration.api_key.created",
                    request=request,
                    obj=key,
                    data={"scopes": key.scopes},
                )
            # Rendered, not redirected: the key exists in this response only.
            return render(request, "backoffice/api_keys/created.html", {"key": key, "raw_key": raw})
    else:
        form = ApiKeyForm()
    return render(request, "backoffice/api_keys/form.html", {"form": form})


@require_POST
@operator_required(PERM)
def key_revoke(request, pk):
    key = get_object_or_404(ApiKey, pk=pk)
    if key.revoked_at is None:
        with transaction.atomic():
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            log_action("integration.api_key.revoked", request=request, obj=key)
        messages.success(request, _("Klucz „%(name)s” został unieważniony.") % {"name": key.name})
    return redirect("backoffice:api_keys")
