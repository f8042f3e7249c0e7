"""Every back-office view requires an operator permission.

Logged out → the login page; logged in without the permission → 403; an operator who
has not passed two-factor authentication in this session → the code page (or enrolment).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


def operator_required(perm: str = "accounts.access_backoffice"):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (
                request.user.has_perm("accounts.access_backoffice") and request.user.has_perm(perm)
            ):
                raise PermissionDenied
            if not request.user.is_verified():
                # 2FA is mandatory for operators: enrol at the first visit, then verify.
                return redirect_to_login(request.get_full_path(), reverse("portal:otp_verify"))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
