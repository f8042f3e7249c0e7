"""Password and login reminders. The answer never reveals whether an account exists:
the request only counts and enqueues, the lookup and the mail happen in a task."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect, render
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from ebok.accounts import services
from ebok.accounts.forms import ReminderForm, ResetPasswordForm
from ebok.core import ratelimit

User = get_user_model()
RATE_WINDOW = 60 * 60


@require_http_methods(["GET", "POST"])
def reminder(request):
    form = ReminderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"].strip()
        per_client = ratelimit.hit(
            "reminder",
            ratelimit.client(request),
            limit=settings.EBOK_REMINDER_RATE_PER_HOUR,
            window=RATE_WINDOW,
        )
        if not per_client.allowed:
            return render(request, "portal/reminder/throttled.html", status=429)
        per_address = ratelimit.hit(
            "reminder-target",
            ratelimit.hashed(identifier),
            limit=settings.EBOK_REMINDER_PER_ADDRESS_PER_HOUR,
            window=RATE_WINDOW,
        )
        # Past the per-address limit nothing more is sent, but the answer stays the same:
        # it must not tell a prober anything about the address.
        if per_address.allowed:
            services.request_reminder(form.cleaned_data["what"], identifier)
        return redirect("portal:reminder_sent")
    return render(request, "portal/reminder/form.html", {"form": form})


def sent(request):
    return render(request, "portal/reminder/sent.html")


def _user_for(uidb64):
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        return User.objects.get(pk=pk, is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_reset(request, uidb64, token):
    user = _user_for(uidb64)
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "portal/reminder/invalid.html", status=400)
    form = ResetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()  # the token is derived from the password hash: now spent
        services.password_changed(user)
        messages.success(request, _("Nowe hasło zostało ustawione. Możesz się zalogować."))
        return redirect("portal:login")
    return render(request, "portal/reminder/reset.html", {"form": form})
