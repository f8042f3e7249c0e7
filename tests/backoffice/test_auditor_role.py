"""The auditor ("Audytor") sees every back-office page and changes nothing."""

import pytest

from ebok.core.models import Announcement
from tests import factories


@pytest.fixture
def auditor(db):
    return factories.make_operator(role="Audytor", username="audytor1")


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/obsluga/",
        "/obsluga/rejestracje/",
        "/obsluga/kontrahenci/",
        "/obsluga/pisma/",
        "/obsluga/komunikaty/",
        "/obsluga/integracja/klucze/",
        "/obsluga/ustawienia/",
        "/obsluga/ustawienia/historia/",
        "/obsluga/ustawienia/regulamin/",
        "/obsluga/ustawienia/pisma/",
        "/obsluga/operatorzy/",
        "/obsluga/audyt/",
    ],
)
def test_the_auditor_opens_every_list(auditor_client, url):
    response = auditor_client.get(url)
    assert response.status_code == 200
    assert "tryb tylko do odczytu" in response.content.decode()


def test_the_auditor_sees_a_customer_record(auditor_client, customer):
    assert auditor_client.get(f"/obsluga/kontrahenci/{customer.pk}/").status_code == 200


def test_every_change_is_refused_to_the_auditor(auditor_client, customer):
    announcement = Announcement.objects.create(title="T", body="B")
    for url, data in [
        ("/obsluga/komunikaty/nowy/", {"title": "X", "body": "Y"}),
        (f"/obsluga/komunikaty/{announcement.pk}/publikuj/", {}),
        ("/obsluga/ustawienia/", {"company_name": "X", "company_short_name": "X"}),
        ("/obsluga/operatorzy/nowy/", {"username": "x", "email": "x@example.com"}),
        ("/obsluga/ustawienia/pisma/", {"action": "formats", "attachment_formats_text": "x"}),
    ]:
        assert auditor_client.post(url, data).status_code == 403, url
    announcement.refresh_from_db()
    assert announcement.published_at is None


def test_the_menu_shows_the_auditor_every_section(auditor_client):
    html = auditor_client.get("/obsluga/").content.decode()
    for href in [
        "/obsluga/rejestracje/",
        "/obsluga/kontrahenci/",
        "/obsluga/pisma/",
        "/obsluga/ustawienia/",
    ]:
        assert f'href="{href}"' in html


def test_an_operator_without_the_role_is_still_refused_what_it_lacks(client, db):
    client.force_login(factories.make_operator())
    assert client.get("/obsluga/audyt/").status_code == 403
    assert client.get("/obsluga/ustawienia/").status_code == 403
