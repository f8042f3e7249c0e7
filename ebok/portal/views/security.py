"""The account's security page: login history and two-factor authentication."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ebok.accounts.forms import OTPTokenForm
from ebok.accounts.models import LoginEvent

HISTORY = 20


@login_required
def security(request):
    user = request.user
    events = list(LoginEvent.objects.filter(user=user).order_by("-created_at")[: HISTORY + 1])
    # The current login is the newest success; "last login" is the one before it.
    successes = [e for e in events if e.success]
    previous = successes[1] if len(successes) > 1 else None
    failures_since = [
        e
        for e in events
        if not e.success and (previous is None or e.created_at > previous.created_at)
    ]
    return render(
        request,
        "portal/security.html",
        {
            "events": events[:HISTORY],
            "previous_login": previous,
            "failures_since": failures_since,
            "two_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "codes_left": StaticToken.objects.filter(device__user=user).count(),
            "form": OTPTokenForm(),
        },
    )
