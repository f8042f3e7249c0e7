"""Django's admin is for superusers only, and asks for the 2FA code like the back office."""

from tests import factories
from tests.conftest import force_login_without_2fa


def test_a_superuser_without_a_verified_code_does_not_get_into_the_admin(client, db):
    superuser = factories.make_user(is_superuser=True, is_staff=True)
    force_login_without_2fa(client, superuser)
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]


def test_a_verified_superuser_gets_in(client, db):
    superuser = factories.make_user(is_superuser=True, is_staff=True)
    client.force_login(superuser)  # the test helper passes 2FA for operators (and superusers)
    assert client.get("/django-admin/").status_code == 200


def test_staff_without_superuser_status_does_not_get_into_the_admin(client, db):
    """Staff status alone, or the back-office administrator role, is not enough."""
    staff = factories.make_operator(role="Administrator", is_staff=True)
    client.force_login(staff)
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]
