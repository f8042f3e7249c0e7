"""Session rules enforced on every request of a logged-in user.

1. Idle timeout (EBOK_SESSION_IDLE_TIMEOUT) and absolute limit (EBOK_SESSION_ABSOLUTE_LIMIT) end the
   session, whatever the cookie says.
2. A user with two-factor authentication turned on who has not yet given a code is held
   at the code page.
3. A user with a one-time password is held at /haslo/zmiana/ until it is changed.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from ebok.accounts.signals import LAST_SEEN, LOGIN_AT

OTP_PENDING = "ebok_otp_pending"
# Writing the session on every request costs a write; a minute's precision is plenty.
TOUCH_EVERY = 30


class AccountSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _always_allowed(self, path: str) -> bool:
        return path.startswith(
            (settings.STATIC_URL, "/wyloguj/", "/captcha/", "/zdrowie/", "/i18n/", "/logo/")
        )

    def _check(self, request):
        session = request.session
        now = int(time.time())
        login_at = session.get(LOGIN_AT)
        last_seen = session.get(LAST_SEEN)
        expired = (
            login_at is not None and now - login_at > settings.EBOK_SESSION_ABSOLUTE_LIMIT
        ) or (last_seen is not None and now - last_seen > settings.EBOK_SESSION_IDLE_TIMEOUT)
        if expired:
            logout(request)
            messages.info(
                request,
                _(
                    "Sesja wygasła (brak aktywności lub upłynął maksymalny czas). Zaloguj się ponownie."
                ),
            )
            return redirect_to_login(request.get_full_path())
        if login_at is None:
            session[LOGIN_AT] = now
        if last_seen is None or now - last_seen >= TOUCH_EVERY:
            session[LAST_SEEN] = now
        path = request.path
        if self._always_allowed(path):
            return None
        if session.get(OTP_PENDING) and not request.user.is_verified():
            target = reverse("portal:otp_verify")
            if path != target:
                return redirect_to_login(request.get_full_path(), target)
            return None
        if request.user.must_change_password:
            target = reverse("portal:password_change")
            if path != target:
                return redirect(target)
        return None


class SessionOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, minus one query per page.

    django-otp reloads the verifying device from the database on every request. Here the
    server-side session is trusted: `django_otp.login()` wrote the device id into it after a
    correct code, and the session itself ends at logout, password change, idle timeout or
    the absolute limit. Removing a device ends every session of its user at once
    (accounts.signals raises the user's session generation), so no session stays trusted
    on a removed device. (docs/decisions.md)
    """

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated and request.session.get(DEVICE_ID_SESSION_KEY):
            user.is_verified = lambda: True
        return user


TERMS_ACCEPTED = "ebok_terms_accepted"


class TermsAcceptanceMiddleware:
    """A customer user accepts a new terms version once, at the next page view.

    Checked after the view, on HTML pages answered to a GET: the person is sent to the
    acceptance page, which returns them to the page they asked for. A POST (a form in
    flight) is never interrupted: its redirect leads to a GET, and that shows the
    acceptance page. Files (PDF, CSV) pass, so a download is never replaced by a page.

    The version in force is read from the cached company settings; the acceptance is
    remembered in the session, so after the first check a page costs no query.
    """

    EXEMPT = ("/obsluga/", "/django-admin/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "GET" or response.status_code != 200:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.EXEMPT):
            return response
        return self._check(request, user) or response

    def _check(self, request, user):
        from ebok.core.models import CompanySettings

        current = CompanySettings.get().current_terms
        if current is None or request.session.get(TERMS_ACCEPTED) == current.id:
            return None
        target = reverse("portal:terms_accept")
        if request.path in (target, reverse("portal:password_change")):
            return None
        from ebok.accounts.terms import has_accepted

        if user.is_operator or user.is_staff or has_accepted(user, current.id, current.version):
            # Operators work under the company's own rules, not the customers' terms.
            request.session[TERMS_ACCEPTED] = current.id
            return None
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
