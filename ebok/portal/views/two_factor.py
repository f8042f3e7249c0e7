"""Two-factor authentication (TOTP, django-otp): optional for customers, mandatory for
operators. Recovery codes are a django-otp static device."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ebok.accounts.forms import OTPTokenForm
from ebok.accounts.middleware import OTP_PENDING
from ebok.accounts.services import random_recovery_code
from ebok.core.audit import log_action

RECOVERY_CODES = 10


def _next(request, default="portal:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _qr_data_uri(device) -> str:
    # A complete SVG document (with its namespace): an <img> needs one.
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Second step of the login: a code from the app or a recovery code."""
    if request.user.is_verified():
        return redirect(_next(request))
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if not has_device:
        url, nxt = reverse("portal:otp_enrol"), _next(request, "")
        return redirect(f"{url}?{urlencode({'next': nxt})}" if nxt else url)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            request.session.pop(OTP_PENDING, None)
            return redirect(_next(request))
        form.add_error("token", _("Kod jest nieprawidłowy lub wygasł."))
    return render(
        request, "portal/two_factor/verify.html", {"form": form, "next": _next(request, "")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Turn 2FA on: scan the QR code, type a code to confirm, get recovery codes."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("portal:security")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="eBOK", confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                codes = _new_recovery_codes(user)
                log_action("accounts.two_factor.enabled", request=request, obj=user)
            otp_login(request, device)
            request.session.pop(OTP_PENDING, None)
            return render(
                request,
                "portal/two_factor/codes.html",
                {"codes": codes, "next": _next(request, "")},
            )
        form.add_error(
            "token", _("Kod jest nieprawidłowy. Sprawdź czas w telefonie i spróbuj ponownie.")
        )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "portal/two_factor/enrol.html",
        {
            "form": form,
            "qr": _qr_data_uri(device),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next(request, ""),
            "operator": user.is_operator,
        },
    )


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="kody zapasowe", confirmed=True)
    codes = [random_recovery_code() for _ in range(RECOVERY_CODES)]
    # django-otp compares static tokens verbatim; they are single use and deleted on use.
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


@login_required
def disable(request):
    if request.method != "POST":
        return redirect("portal:security")
    user = request.user
    if user.is_operator:
        messages.error(request, _("Dla pracowników BOK weryfikacja dwuetapowa jest obowiązkowa."))
        return redirect("portal:security")
    form = OTPTokenForm(request.POST)
    if form.is_valid() and match_token(user, form.cleaned_data["token"].replace(" ", "")):
        with transaction.atomic():
            # Deleting the device ends every session of the user (accounts.signals) ...
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            log_action("accounts.two_factor.disabled", request=request, obj=user)
        # ... except this one, which proved the code just now.
        user.refresh_from_db(fields=["session_generation"])
        update_session_auth_hash(request, user)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Weryfikacja dwuetapowa została wyłączona."))
    else:
        messages.error(request, _("Aby wyłączyć weryfikację dwuetapową, podaj aktualny kod."))
    return redirect("portal:security")


@login_required
def regenerate_codes(request):
    if request.method != "POST":
        return redirect("portal:security")
    if not request.user.is_verified():
        return redirect("portal:otp_verify")
    codes = _new_recovery_codes(request.user)
    return render(request, "portal/two_factor/codes.html", {"codes": codes, "next": ""})
