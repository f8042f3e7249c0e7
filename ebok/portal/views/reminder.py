"""Password and login reminders. The answer never reveals whether an account exists."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from ebok.accounts import services
from ebok.accounts.forms import ReminderForm, ResetPasswordForm
from ebok.core.mail import queue_mail

User = get_user_model()


@require_http_methods(["GET", "POST"])
def reminder(request):
    form = ReminderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"].strip()
        if form.cleaned_data["what"] == ReminderForm.PASSWORD:
            user = (
                User.objects.filter(
                    Q(username=identifier) | Q(email__iexact=identifier), is_active=True
                )
                .exclude(email="")
                .order_by("pk")
                .first()
            )
            if user is not None and user.has_usable_password() and not user.must_change_password:
                token = default_token_generator.make_token(user)
                uid = urlsafe_base64_encode(force_bytes(user.pk))
                link = settings.SITE_URL + reverse("portal:password_reset", args=[uid, token])
                queue_mail(
                    "accounts/email/password_reset", [user.email], {"user": user, "link": link}
                )
        else:
            users = list(
                User.objects.filter(email__iexact=identifier, is_active=True).order_by("username")
            )
            if users:
                queue_mail("accounts/email/login_reminder", [users[0].email], {"users": users})
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
