"""Online request types at /obsluga/ustawienia/wnioski/: an administrator switches a
type off, reorders the list and replaces a help text; customers see exactly that."""

import pytest
from django.core.cache import cache

from ebok.core.models import AuditLogEntry, CompanySettings
from ebok.letters import request_types
from tests import factories

URL = "/obsluga/ustawienia/wnioski/"


@pytest.fixture(autouse=True)
def fresh_configuration(db):
    cache.delete(CompanySettings.CACHE_KEY)


@pytest.fixture
def admin_client(client):
    client.force_login(factories.make_operator(role="Administrator"))
    return client


def _data(**changes):
    """Every registered type offered in the registry's order, then `changes`."""
    data = {}
    for index, t in enumerate(request_types.all_types()):
        data[f"{t.code}-active"] = "on"
        data[f"{t.code}-position"] = str((index + 1) * 10)
        data[f"{t.code}-help_text"] = ""
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_type_switched_off_disappears_for_customers_and_cannot_be_opened(
    admin_client, customer_client_factory
):
    response = admin_client.post(URL, _data(**{"raty-active": None}))
    assert response.status_code == 302
    customer = customer_client_factory()
    html = customer.get("/wnioski/").content.decode()
    assert "/wnioski/nowy/raty/" not in html
    assert "/wnioski/nowy/zmiana-mocy/" in html
    assert customer.get("/wnioski/nowy/raty/").status_code == 404
    entry = AuditLogEntry.objects.get(action="letters.request_types.changed")
    assert entry.data["raty"]["new"]["active"] is False


def test_order_and_help_text_are_what_customers_see(admin_client, customer_client_factory):
    admin_client.post(
        URL,
        _data(**{"raty-position": "1", "raty-help_text": "Rozłożenie zaległości na raty."}),
    )
    html = customer_client_factory().get("/wnioski/").content.decode()
    assert html.index("/wnioski/nowy/raty/") < html.index("/wnioski/nowy/zmiana-mocy/")
    assert "Rozłożenie zaległości na raty." in html


def test_a_wrong_position_is_refused_and_nothing_changes(admin_client):
    response = admin_client.post(URL, _data(**{"raty-position": "-3"}))
    assert response.status_code == 200
    assert "Upewnij się, że ta wartość jest większa lub równa 0." in response.content.decode()
    assert CompanySettings.objects.get(pk=1).request_type_settings == {}


def test_the_page_shows_the_answer_deadline_and_links_its_setting(admin_client):
    html = admin_client.get(URL).content.decode()
    assert "Termin odpowiedzi na wniosek internetowy: 14 dni." in html
    assert 'href="/obsluga/ustawienia/pisma/"' in html


@pytest.fixture
def customer_client_factory(customer):
    from django.test import Client

    def make():
        client = Client()
        client.force_login(factories.make_user(customers=[customer]))
        return client

    return make
