"""The account backend reads a user's permissions with plain SQL: the same sets as Django's."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from ebok.accounts.backends import AccountBackend
from tests import factories


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_own_and_group_permissions_are_djangos(db):
    user = factories.make_user()
    group = Group.objects.create(name="Operatorzy testowi")
    group.permissions.add(
        Permission.objects.get(codename="access_backoffice"),
        Permission.objects.get(codename="view_customer_data"),
    )
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="view_group"))

    ours, djangos = AccountBackend(), ModelBackend()
    assert (
        ours.get_user_permissions(_fresh(user))
        == djangos.get_user_permissions(_fresh(user))
        == {"auth.view_group"}
    )
    assert (
        ours.get_group_permissions(_fresh(user))
        == djangos.get_group_permissions(_fresh(user))
        == {"accounts.access_backoffice", "accounts.view_customer_data"}
    )
    assert _fresh(user).has_perm("accounts.view_customer_data")


def test_a_user_without_groups_or_an_inactive_one_has_no_permissions(db):
    user = factories.make_user()
    assert AccountBackend().get_all_permissions(_fresh(user)) == set()
    user.groups.add(Group.objects.create(name="Inni"))
    user.user_permissions.add(Permission.objects.get(codename="view_group"))
    user.is_active = False
    user.save()
    assert AccountBackend().get_all_permissions(_fresh(user)) == set()


def test_a_superuser_has_every_permission(db):
    user = factories.make_user(is_superuser=True)
    assert "accounts.view_customer_data" in AccountBackend().get_all_permissions(_fresh(user))
