from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from ebok.accounts.middleware import OTP_PENDING
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
        return response


login_view = LoginView.as_view()
logout_view = require_POST(auth_views.LogoutView.as_view())
