from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from ebok.accounts.middleware import OTP_PENDING
from ebok.accounts.models import LoginEvent
from ebok.accounts.signals import ip_is_blocked
from ebok.portal.forms import LoginForm


def lockout(request, response=None, credentials=None, *args, **kwargs):
    """django-axes: this login from this address is locked for a while (and the per-IP
    limit). The same page whether or not the login exists."""
    return render(request, "portal/lockout.html", status=429)


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if ip_is_blocked(request):
            return lockout(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)  # login() rotates the session key
        user = form.get_user()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            self.request.session[OTP_PENDING] = True
        self._tell_about_previous_login(user)
        return response

    def _tell_about_previous_login(self, user):
        """The manual's promise made visible: when did I last log in, did anyone try since?"""
        events = list(LoginEvent.objects.filter(user=user).order_by("-created_at")[:50])
        successes = [e for e in events if e.success]
        if len(successes) < 2:
            return
        previous = successes[1]
        failures = sum(1 for e in events if not e.success and e.created_at > previous.created_at)
        text = _("Poprzednie logowanie: %(when)s.") % {
            "when": formats.date_format(timezone.localtime(previous.created_at), "j E Y, H:i")
        }
        if failures:
            text += " " + ngettext(
                "Od tego czasu była %(n)d nieudana próba logowania.",
                "Od tego czasu było %(n)d nieudanych prób logowania.",
                failures,
            ) % {"n": failures}
            messages.warning(self.request, text)
        else:
            messages.info(self.request, text)


login_view = LoginView.as_view()
logout_view = require_POST(auth_views.LogoutView.as_view())
