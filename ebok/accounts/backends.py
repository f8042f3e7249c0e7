from django.contrib.auth.backends import ModelBackend
from django.utils import timezone


class AccountBackend(ModelBackend):
    """Django's backend, plus: an expired one-time password no longer logs anybody in."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        expires = getattr(user, "password_expires_at", None)
        return expires is None or expires > timezone.now()
