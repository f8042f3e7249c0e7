"""The terms of use and the privacy notice for customers: the current versions as PDFs
(public), and the page where a logged-in customer user accepts a new terms version."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ebok.accounts import terms as acceptance
from ebok.accounts.middleware import TERMS_ACCEPTED
from ebok.core import uploads
from ebok.core.audit import client_ip
from ebok.core.models import CompanySettings, TermsDocument


def document_response(version, basename: str):
    document = TermsDocument.objects.filter(pk=version.id).first()
    if document is None:
        raise Http404
    return uploads.download_response(
        document.file_path, f"{basename}-{document.version}.pdf", "application/pdf"
    )


def privacy_notice(request):
    """The privacy notice in force (public), as a PDF."""
    current = CompanySettings.get().current_privacy_notice
    if current is None:
        raise Http404
    return document_response(current, "informacja-o-danych-osobowych")


class AcceptForm(forms.Form):
    accepted = forms.BooleanField(
        label=_("Zapoznałem(-am) się z regulaminem i akceptuję go"),
        error_messages={"required": _("Zaznacz akceptację regulaminu, aby przejść dalej.")},
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def terms_accept(request):
    """Shown once per new terms version; returns to the page the person asked for."""
    current = CompanySettings.get().current_terms
    if current is None:
        return redirect(_next(request))
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document = get_object_or_404(TermsDocument, pk=current.id)
        acceptance.accept(request.user, document, request=request, ip=client_ip(request))
        request.session[TERMS_ACCEPTED] = current.id
        return redirect(_next(request))
    return render(
        request,
        "portal/terms_accept.html",
        {"form": form, "current": current, "next": _next(request)},
    )
