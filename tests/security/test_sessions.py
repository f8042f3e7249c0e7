"""Finding 7 (2FA part): removing an authenticator used to take effect at the next login
only. Now every other session of the user ends at once."""

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.conftest import pass_two_factor


@pytest.fixture
def user_with_totp(db):
    customer = factories.make_customer()
    user = factories.make_user(customers=[customer])
    TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="kody zapasowe", confirmed=True)
    StaticToken.objects.create(device=static, token="kod12345")
    return user


def test_turning_two_factor_off_ends_the_users_other_sessions_at_once(user_with_totp):
    here, elsewhere = Client(), Client()
    pass_two_factor(here, user_with_totp)
    pass_two_factor(elsewhere, user_with_totp)
    assert elsewhere.get("/kontrahent/").status_code == 200

    response = here.post("/konto/weryfikacja-dwuetapowa/wylacz/", {"token": "kod12345"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user_with_totp).exists()

    stolen = elsewhere.get("/kontrahent/")
    assert stolen.status_code == 302 and stolen["Location"].startswith("/logowanie/")
    assert here.get("/kontrahent/").status_code == 200  # the session that proved the code


def test_a_device_removed_by_someone_else_ends_every_session(user_with_totp):
    browser = pass_two_factor(Client(), user_with_totp)
    assert browser.get("/kontrahent/").status_code == 200
    TOTPDevice.objects.filter(user=user_with_totp).delete()  # e.g. in the admin
    assert browser.get("/kontrahent/").status_code == 302
