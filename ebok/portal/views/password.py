"""Password change: forced after a one-time password, or chosen by the user."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from ebok.accounts import services
from ebok.accounts.forms import ForcedPasswordChangeForm, PasswordChangeForm
from ebok.core.mail import queue_mail


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    user = request.user
    forced = user.must_change_password
    form_class = ForcedPasswordChangeForm if forced else PasswordChangeForm
    form = form_class(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            services.password_changed(user)
            if user.email:
                queue_mail(
                    "accounts/email/password_changed",
                    [user.email],
                    {"user": user, "when": formats.date_format(timezone.localtime(), "j E Y, H:i")},
                )
        # Keeps this session; every other session of the user fails Django's session
        # hash check (it is derived from the password hash) and ends.
        update_session_auth_hash(request, user)
        messages.success(request, _("Hasło zostało zmienione."))
        return redirect("portal:home")
    return render(request, "portal/password/change.html", {"form": form, "forced": forced})
