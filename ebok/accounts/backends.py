from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from ebok.core.rows import RowReader


class AccountBackend(ModelBackend):
    """Django's backend, plus: an expired one-time password no longer logs anybody in."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        expires = getattr(user, "password_expires_at", None)
        return expires is None or expires > timezone.now()

    def get_user(self, user_id):
        """The logged-in user, loaded on every request: the row by primary key in a
        statement written once (core/rows.py; building the ORM query cost more than
        running it)."""
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _user_reader().get(pk)
        return user if user is not None and self.user_can_authenticate(user) else None

    def _get_permissions(self, user_obj, obj, from_name):
        """The user's own or their groups' permissions, read once per request by every
        back-office page: the same rows as Django's (one query each), in a statement
        written once instead of an ORM query built on every request."""
        if user_obj.is_superuser or obj is not None:
            return super()._get_permissions(user_obj, obj, from_name)
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, cache_name):
            with connection.cursor() as cursor:
                cursor.execute(_permissions_sql(from_name), [user_obj.pk])
                perms = {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}
            setattr(user_obj, cache_name, perms)
        return getattr(user_obj, cache_name)


@lru_cache(maxsize=1)
def _user_reader() -> RowReader:
    return RowReader(get_user_model(), "id")


@lru_cache(maxsize=2)
def _permissions_sql(from_name: str) -> str:
    """Django's `_get_user_permissions` / `_get_group_permissions` as plain SQL."""
    qn = connection.ops.quote_name
    user = get_user_model()
    perm, ct = Permission._meta, ContentType._meta
    # Model tables and columns only, no user input.
    select = (
        f"SELECT ct.{qn('app_label')}, p.{qn('codename')} FROM {qn(perm.db_table)} p"  # noqa: S608
        f" JOIN {qn(ct.db_table)} ct ON ct.{qn('id')} = p.{qn('content_type_id')}"
    )
    if from_name == "user":
        m2m = user._meta.get_field("user_permissions")
        through = m2m.remote_field.through._meta.db_table
        return (
            f"{select} JOIN {qn(through)} up ON up.{qn(m2m.m2m_reverse_name())} = p.{qn('id')}"
            f" WHERE up.{qn(m2m.m2m_column_name())} = %s"
        )
    groups = user._meta.get_field("groups")
    user_groups = groups.remote_field.through._meta.db_table
    group_perms = Group._meta.get_field("permissions")
    gp_table = group_perms.remote_field.through._meta.db_table
    return (
        f"{select} JOIN {qn(gp_table)} gp ON gp.{qn(group_perms.m2m_reverse_name())} = p.{qn('id')}"
        f" JOIN {qn(user_groups)} ug ON ug.{qn(groups.m2m_reverse_name())}"
        f" = gp.{qn(group_perms.m2m_column_name())}"
        f" WHERE ug.{qn(groups.m2m_column_name())} = %s"
    )
