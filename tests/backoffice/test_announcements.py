"""Operators publish and withdraw start-page announcements; customers see published ones."""

import pytest

from ebok.core.models import Announcement, AuditLogEntry
from tests import factories


def test_an_operator_writes_and_publishes_an_announcement_customers_see(operator_client, customer):
    response = operator_client.post(
        "/obsluga/komunikaty/nowy/",
        {
            "title": "Przerwa w dostawie ciepła",
            "body": "W dniu 1-12-2026 wyłączenie węzła.",
            "publish": "on",
        },
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert announcement.is_published
    assert AuditLogEntry.objects.filter(action="core.announcement.created").exists()

    from django.test import Client

    customer_browser = Client()
    customer_browser.force_login(factories.make_user(customers=[customer]))
    html = customer_browser.get("/").content.decode()
    assert "Przerwa w dostawie ciepła" in html
    assert "wyłączenie węzła" in html


@pytest.fixture
def customer_browser(customer):
    """A second browser: operator_client and customer_client share one test client."""
    from django.test import Client

    browser = Client()
    browser.force_login(factories.make_user(customers=[customer]))
    return browser


def test_withdrawn_announcements_disappear_from_the_start_page(operator_client, customer_browser):
    announcement = Announcement.objects.create(title="Stary komunikat", body="treść")
    operator_client.post(f"/obsluga/komunikaty/{announcement.pk}/publikuj/")
    assert "Stary komunikat" in customer_browser.get("/").content.decode()

    operator_client.post(f"/obsluga/komunikaty/{announcement.pk}/wycofaj/")

    assert "Stary komunikat" not in customer_browser.get("/").content.decode()
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"core.announcement.published", "core.announcement.withdrawn"} <= actions


def test_a_draft_is_not_shown(operator_client, customer_browser):
    operator_client.post("/obsluga/komunikaty/nowy/", {"title": "Szkic", "body": "x"})
    assert "Szkic" in operator_client.get("/obsluga/komunikaty/").content.decode()
    assert "Szkic" not in customer_browser.get("/").content.decode()

    # The start page's announcements are cached for every node: publishing shows at once.
    draft = Announcement.objects.get(title="Szkic")
    operator_client.post(f"/obsluga/komunikaty/{draft.pk}/publikuj/")
    assert "Szkic" in customer_browser.get("/").content.decode()


def test_the_form_keeps_input_and_explains_errors(operator_client):
    html = operator_client.post(
        "/obsluga/komunikaty/nowy/", {"title": "", "body": "Treść zostaje"}
    ).content.decode()
    assert "To pole jest wymagane." in html
    assert "Treść zostaje" in html
    assert not Announcement.objects.exists()


def test_publishing_is_post_only(operator_client):
    announcement = Announcement.objects.create(title="T", body="B")
    assert (
        operator_client.get(f"/obsluga/komunikaty/{announcement.pk}/publikuj/").status_code == 405
    )


@pytest.mark.parametrize("url", ["/obsluga/komunikaty/", "/obsluga/komunikaty/nowy/"])
def test_customers_and_logged_out_visitors_cannot_manage_announcements(
    client, customer_client, url
):
    assert customer_client.get(url).status_code == 403
    customer_client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/logowanie/" in response["Location"]


def test_an_operator_without_the_permission_gets_403(client, db):
    from django.contrib.auth.models import Permission

    operator = factories.make_user()
    operator.user_permissions.add(Permission.objects.get(codename="access_backoffice"))
    client.force_login(operator)
    assert client.get("/obsluga/komunikaty/").status_code == 403
