"""Back-office permissions beyond the matrix: a permission of its own for customer data,
the menu, and revocation that takes effect at the next request."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests import factories
from tests.security import permission_matrix as pm


@pytest.fixture
def objects(customer):
    meter = factories.make_meter(customer)
    return {"customer": customer, "meter": meter}


# Who may open which back-office URL (anonymous, customers, operators with and without
# 2FA, administrators) is the permission matrix: tests/security/permission_matrix.py.
# Here: the finer points - a permission of its own, the menu, revocation at once.

# The back-office pages of customer data, which need `view_customer_data`.
CUSTOMER_DATA_URLS = [
    ("backoffice:customers", None),
    ("backoffice:customer", "customer"),
    ("backoffice:meter", "meter"),
]


def resolve(name, obj_key, objects):
    return reverse(name, args=[objects[obj_key].pk]) if obj_key else reverse(name)


@pytest.fixture
def clerk(db):
    """A back-office user who may not see customer data (e.g. handles letters only)."""
    group = Group.objects.create(name="Kancelaria")
    group.permissions.add(Permission.objects.get(codename="access_backoffice"))
    user = factories.make_user()
    user.groups.add(group)
    return user


@pytest.mark.parametrize(("name", "obj_key"), CUSTOMER_DATA_URLS)
def test_customer_data_needs_its_own_permission(client, clerk, objects, name, obj_key):
    client.force_login(clerk)
    assert client.get(reverse("backoffice:dashboard")).status_code == 200
    assert client.get(resolve(name, obj_key, objects)).status_code == 403


def test_the_menu_shows_customers_only_to_those_who_may_see_them(client, clerk, operator):
    client.force_login(clerk)
    assert 'href="/obsluga/kontrahenci/"' not in client.get("/obsluga/").content.decode()
    client.force_login(operator)
    assert 'href="/obsluga/kontrahenci/"' in client.get("/obsluga/").content.decode()


def _back_office_pages():
    return sorted(
        name
        for name, entry in pm.MATRIX.items()
        if name.startswith("backoffice:")
        and entry.method == "get"
        and entry.expect[pm.OPERATOR] == 200
        and entry.expect[pm.ANONYMOUS] != 200  # a token page (set password) needs no role
    )


@pytest.mark.parametrize("name", _back_office_pages())
def test_revoking_the_role_takes_effect_at_once(client, operator, settings, tmp_path, name):
    settings.MEDIA_ROOT = tmp_path / "media"
    entry = pm.MATRIX[name]
    url = reverse(name, kwargs=entry.build(pm.build_world()))
    client.force_login(operator)
    assert client.get(url).status_code == 200
    operator.groups.clear()
    assert client.get(url).status_code == 403


def test_a_deactivated_operator_is_logged_out(operator_client, operator, objects):
    operator.is_active = False
    operator.save()
    response = operator_client.get(reverse("backoffice:customers"))
    assert response.status_code == 302
