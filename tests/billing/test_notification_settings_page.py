"""The portal page where a user turns e-mail notices on and off (/powiadomienia/)."""

import pytest

from ebok.billing.models import NotificationPreference

pytestmark = pytest.mark.django_db


def test_it_shows_both_notices_switched_on_by_default(customer_client):
    html = customer_client.get("/powiadomienia/").content.decode()

    assert html.count("<h1") == 1
    assert "Powiadamiaj mnie e-mailem o nowych fakturach" in html
    assert html.count("checked") == 6  # invoices, interruptions, heat insight: two each


def test_a_user_turns_reminders_off(customer_client, customer_user):
    response = customer_client.post("/powiadomienia/", {"new_invoices": "on"}, follow=True)

    assert "Zapisano ustawienia powiadomień." in response.content.decode()
    pref = NotificationPreference.objects.get(user=customer_user)
    assert pref.new_invoices is True
    assert pref.payment_reminders is False


def test_it_requires_logging_in(client):
    response = client.get("/powiadomienia/")

    assert response.status_code == 302
    assert "/logowanie/" in response["Location"]


def test_the_customer_page_links_to_it(customer_client):
    assert 'href="/powiadomienia/"' in customer_client.get("/kontrahent/").content.decode()
