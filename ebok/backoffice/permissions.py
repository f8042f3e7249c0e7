"""Every back-office view requires an operator permission.

Logged out → the login page; logged in without the permission → 403; an operator who
has not passed two-factor authentication in this session → the code page (or enrolment).

The auditor role ("Audytor", permission `accounts.read_backoffice`) may open every
back-office page with GET (lists, details, downloads) whatever permission the view
names, and is refused (403) any other method: an auditor sees and changes nothing.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

READ_ONLY = "accounts.read_backoffice"
SAFE_METHODS = ("GET", "HEAD")


def may_enter(user, perm: str, method: str) -> bool:
    """Whether `user` may run a view guarded by `perm` with this HTTP method."""
    if not user.has_perm("accounts.access_backoffice"):
        return False
    if user.has_perm(perm):
        return True
    return method in SAFE_METHODS and user.has_perm(READ_ONLY)


def operator_required(perm: str = "accounts.access_backoffice"):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may_enter(request.user, perm, request.method):
                raise PermissionDenied
            if not request.user.is_verified():
                # 2FA is mandatory for operators: enrol at the first visit, then verify.
                return redirect_to_login(request.get_full_path(), reverse("portal:otp_verify"))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
