"""Permission matrix of the back office: every URL x every role (pretix style).

Anonymous -> the login page; a customer's user -> 403; an operator and an
administrator -> the page. Taking the permission away works at the next request.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories


@pytest.fixture
def objects(customer):
    meter = factories.make_meter(customer)
    return {"customer": customer, "meter": meter}


# Every back-office page of the customer view, with the permission it needs.
CUSTOMER_DATA_URLS = [
    ("backoffice:customers", None),
    ("backoffice:customer", "customer"),
    ("backoffice:meter", "meter"),
]
ALL_URLS = [("backoffice:dashboard", None), *CUSTOMER_DATA_URLS]


def resolve(name, obj_key, objects):
    return reverse(name, args=[objects[obj_key].pk]) if obj_key else reverse(name)


@pytest.mark.parametrize(("name", "obj_key"), ALL_URLS)
def test_anonymous_visitors_are_sent_to_login(client, objects, name, obj_key):
    url = resolve(name, obj_key, objects)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/logowanie/?next=")


@pytest.mark.parametrize(("name", "obj_key"), ALL_URLS)
def test_customer_users_are_refused(customer_client, objects, name, obj_key):
    assert customer_client.get(resolve(name, obj_key, objects)).status_code == 403


@pytest.mark.parametrize("role", ["Operator", "Administrator"])
@pytest.mark.parametrize(("name", "obj_key"), ALL_URLS)
def test_operators_and_administrators_may_enter(client, objects, role, name, obj_key):
    client.force_login(factories.make_operator(role=role))
    assert client.get(resolve(name, obj_key, objects)).status_code == 200


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


@pytest.mark.parametrize(("name", "obj_key"), ALL_URLS)
def test_revoking_the_role_takes_effect_at_once(operator_client, operator, objects, name, obj_key):
    url = resolve(name, obj_key, objects)
    assert operator_client.get(url).status_code == 200
    operator.groups.clear()
    assert operator_client.get(url).status_code == 403


def test_a_deactivated_operator_is_logged_out(operator_client, operator, objects):
    operator.is_active = False
    operator.save()
    response = operator_client.get(reverse("backoffice:customers"))
    assert response.status_code == 302


def _backoffice_urls_without_arguments():
    resolver = get_resolver()
    names = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver) and p.namespace == "backoffice":
            names += [
                f"backoffice:{q.name}"
                for q in p.url_patterns
                if isinstance(q, URLPattern) and q.name and not q.pattern.regex.groupindex
            ]
    return sorted(names)


@pytest.mark.parametrize("name", _backoffice_urls_without_arguments())
def test_no_back_office_page_opens_for_outsiders(client, customer_user, name):
    """A guard over every argument-free back-office URL, including ones added later.

    405 (a POST-only action asked with GET) also means the view did not run."""
    url = reverse(name)
    response = client.get(url)
    if response.status_code != 405:
        assert response.status_code == 302 and "/logowanie/" in response["Location"], name
    client.force_login(customer_user)
    assert client.get(url).status_code in (403, 405), name
