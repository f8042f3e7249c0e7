"""Every back-office view requires an operator permission.

Logged out → the login page; logged in without the permission → 403.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


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
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
