"""Registration, e-mail confirmation and requests for access to another customer."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ebok.accounts import services
from ebok.accounts.forms import AccessRequestForm, RegistrationForm
from ebok.accounts.models import Registration
from ebok.core import ratelimit
from ebok.core.audit import client_ip
from ebok.core.models import CompanySettings

RATE_WINDOW = 60 * 60


def _limit(request, count: bool) -> ratelimit.Verdict:
    """Registrations per client address and hour (only those sent count)."""
    check = ratelimit.hit if count else ratelimit.peek
    return check(
        "registration",
        ratelimit.client(request),
        limit=settings.EBOK_REGISTRATION_RATE_PER_HOUR,
        window=RATE_WINDOW,
    )


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:access_request")
    config = CompanySettings.get()
    form = RegistrationForm(request.POST or None, config=config)
    throttled = False
    if request.method == "POST":
        if not _limit(request, count=False).allowed:
            throttled = True
        elif form.is_valid():
            _limit(request, count=True)
            per_address = ratelimit.hit(
                "registration-target",
                ratelimit.hashed(form.cleaned_data["email"]),
                limit=settings.EBOK_REGISTRATION_PER_ADDRESS_PER_HOUR,
                window=RATE_WINDOW,
            )
            # Past the per-address limit no more confirmation mails go to that mailbox
            # (registration must not be a way to flood someone's inbox); same answer.
            if per_address.allowed:
                services.register(
                    data=form.cleaned_data,
                    consent_text=config.personal_data_clause,
                    terms_version=config.current_terms_version,
                    ip=client_ip(request),
                )
            # The same answer whatever matched: nobody can probe who is a customer.
            return redirect("portal:registration_sent")
    status = 429 if throttled else 200
    return render(
        request,
        "portal/registration/form.html",
        {"form": form, "config": config, "throttled": throttled},
        status=status,
    )


def sent(request):
    return render(request, "portal/registration/sent.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link from the mail. A GET only shows the state (with a button while the
    address waits for confirmation): mail scanners that open links confirm nothing.
    The button POSTs here and confirms."""
    registration = services.registration_for_token(token)
    if registration is None:
        return render(request, "portal/registration/state.html", {"unknown": True}, status=404)
    just_confirmed = False
    if request.method == "POST":
        just_confirmed = services.confirm(registration)
        registration.refresh_from_db()
    expired = services.is_expired(registration)
    return render(
        request,
        "portal/registration/state.html",
        {
            "registration": registration,
            "expired": expired,
            "just_confirmed": just_confirmed,
            "can_confirm": registration.status == Registration.Status.AWAITING_CONFIRMATION
            and not expired,
            "config": CompanySettings.get(),
        },
    )


def terms(request):
    """The current terms of use, to read before registering (the accepted version is recorded)."""
    config = CompanySettings.get()
    current = config.current_terms
    if current is not None:
        from ebok.portal.views.terms import document_response

        return document_response(current, "regulamin")
    if config.terms_document:
        return FileResponse(
            config.terms_document.open("rb"),
            as_attachment=True,
            filename=f"regulamin-{config.terms_version}.pdf",
        )
    if not config.terms_text:
        return render(request, "portal/registration/terms.html", {"config": config})
    if request.GET.get("pobierz") == "1":
        response = HttpResponse(config.terms_text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="regulamin-{config.terms_version}.txt"'
        )
        return response
    return render(request, "portal/registration/terms.html", {"config": config})


@login_required
@require_http_methods(["GET", "POST"])
def access_request(request):
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_access(user=request.user, data=form.cleaned_data, ip=client_ip(request))
        messages.success(
            request,
            _(
                "Wniosek został złożony. Biuro Obsługi Klienta sprawdzi dane; o decyzji powiadomimy e-mailem."
            ),
        )
        return redirect("portal:access_request")
    pending = Registration.objects.filter(user=request.user, kind=Registration.Kind.ACCESS)[:20]
    return render(request, "portal/registration/access.html", {"form": form, "pending": pending})
