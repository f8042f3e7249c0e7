"""The manual's layout: last billing sync, who is logged in, the menu, page generation time."""

from datetime import datetime
from zoneinfo import ZoneInfo

from ebok.core.models import CompanySettings


def test_start_page_shows_last_sync_customer_menu_and_generation_time(customer_client, customer):
    config = CompanySettings.get()
    config.last_billing_sync = datetime(2026, 11, 23, 6, 30, 15, tzinfo=ZoneInfo("Europe/Warsaw"))
    config.save()

    response = customer_client.get("/")

    html = response.content.decode()
    assert "Ostatnio zaktualizowano" in html
    assert "23-11-2026 06:30:15" in html
    assert "zalogowany jako" in html
    assert customer.name in html
    for entry in [
        "Kontrahent",
        "Faktury",
        "Wykaz umów i liczników",
        "Wnioski internetowe",
        "Pisma",
        "Zmiana hasła",
        "Strona główna",
    ]:
        assert entry in html, entry
    assert "czas generowania strony:" in html
    assert "Server-Timing" not in response  # staff only (tests/security/test_reminder.py)


def test_anonymous_home_offers_login_and_public_links(client, db):
    html = client.get("/").content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert "Zarejestruj się" in html
    assert "Przypomnienie hasła lub loginu" in html
    assert "Wysłanie uwagi" in html


def test_logged_in_pages_are_not_stored(customer_client):
    response = customer_client.get("/kontrahent/")
    assert "no-store" in response["Cache-Control"]


def test_language_can_be_switched_to_english(customer_client):
    customer_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = customer_client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Log out" in html
