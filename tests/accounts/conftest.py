import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _captcha_test_mode(monkeypatch):
    # django-simple-captcha accepts "PASSED" in test mode (read at import: patch it there).
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def billing_customer(db):
    from tests import factories

    customer = factories.make_customer(
        payer_code="204455",
        nip="5260250995",
        name="Wspólnota Mieszkaniowa ul. Długa 5",
        correspondence_name="Zarząd Wspólnoty Długa 5",
        correspondence_street="ul. Żółkiewskiego 3/4",
        correspondence_postal_code="85-950",
        correspondence_city="Bydgoszcz",
    )
    factories.make_invoice(customer, number="FV/2026/10/00123")
    return customer


def registration_data(**kw):
    data = {
        "payer_code": "204455",
        "name": "Wspólnota Mieszkaniowa ul. Długa 5",
        "address": "ul. Długa 5, 85-001 Bydgoszcz",
        "tax_id": "526-025-09-95",
        "document_number": "FV/2026/10/00123",
        "email": "zarzad@dluga5.example.com",
        "consent_personal_data": "on",
        "terms_accepted": "on",
        "data_correct": "on",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(kw)
    return data
