from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.utils import timezone


class AccountBackend(ModelBackend):
    """Django's backend, plus: an expired one-time password no longer logs anybody in."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        expires = getattr(user, "password_expires_at", None)
        return expires is None or expires > timezone.now()

    def get_user(self, user_id):
        """The logged-in user, loaded on every request: the row by primary key in one
        prepared statement (building the ORM query cost more than running it)."""
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        sql = f'SELECT * FROM "{model._meta.db_table}" WHERE id = %s'  # noqa: S608 - model table
        user = next(iter(model._default_manager.raw(sql, [pk])), None)
        return user if user is not None and self.user_can_authenticate(user) else None
