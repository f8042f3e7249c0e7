"""The confirmation link /rejestracja/potwierdz/<token>/: confirms once, expires, and
always shows the registration's current state."""

from datetime import timedelta

from django.utils import timezone

from ebok.accounts import services
from ebok.accounts.models import Registration
from ebok.core.models import OutgoingEmail
from tests.accounts.conftest import registration_data


def _register_and_get_link(client):
    client.post("/rejestracja/", registration_data())
    body = OutgoingEmail.objects.get().body
    return next(w for w in body.split() if "/rejestracja/potwierdz/" in w).split("127.0.0.1:8000")[
        -1
    ]


def test_the_token_is_unguessable_and_stored_only_hashed(client, billing_customer):
    link = _register_and_get_link(client)
    token = link.rstrip("/").split("/")[-1]
    assert len(token) >= 40
    registration = Registration.objects.get()
    assert registration.token_hash == services.hash_token(token)
    assert token not in registration.token_hash


def test_opening_the_link_confirms_nothing_and_offers_a_button(client, billing_customer):
    """A mail scanner that prefetches the link does not confirm the address."""
    link = _register_and_get_link(client)
    page = client.get(link).content.decode()
    assert "oczekuje na potwierdzenie adresu e-mail" in page
    assert "Potwierdzam adres e-mail" in page and 'method="post"' in page
    assert Registration.objects.get().status == Registration.Status.AWAITING_CONFIRMATION


def test_the_button_confirms_once_and_then_the_link_shows_the_state(client, billing_customer):
    link = _register_and_get_link(client)
    first = client.post(link).content.decode()
    assert "adres e-mail został potwierdzony" in first
    registration = Registration.objects.get()
    confirmed_at = registration.email_confirmed_at
    assert registration.status == Registration.Status.AWAITING_VERIFICATION
    second = client.get(link).content.decode()
    assert "adres e-mail został potwierdzony" not in second
    assert "Potwierdzam adres e-mail" not in second
    assert "adres e-mail został potwierdzony" not in client.post(link).content.decode()
    assert "czekają na weryfikację przez Biuro Obsługi Klienta" in second
    registration.refresh_from_db()
    assert registration.email_confirmed_at == confirmed_at


def test_the_link_shows_the_letter_date_the_rejection_and_the_active_state(
    client, billing_customer
):
    link = _register_and_get_link(client)
    client.post(link)
    registration = Registration.objects.get()
    Registration.objects.filter(pk=registration.pk).update(
        status=Registration.Status.LETTER_POSTED, letter_printed_at=timezone.now()
    )
    assert (
        "list z loginem i hasłem jednorazowym wysłano pocztą" in client.get(link).content.decode()
    )
    Registration.objects.filter(pk=registration.pk).update(
        status=Registration.Status.REJECTED, rejection_reason="Brak zgodności danych."
    )
    page = client.get(link).content.decode()
    assert "zgłoszenie odrzucone" in page and "Brak zgodności danych." in page
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.ACTIVE)
    assert "konto aktywne" in client.get(link).content.decode()


def test_an_expired_link_does_not_confirm(client, billing_customer):
    link = _register_and_get_link(client)
    Registration.objects.update(token_expires_at=timezone.now() - timedelta(seconds=1))
    page = client.post(link).content.decode()
    assert "Odnośnik wygasł" in page
    assert Registration.objects.get().status == Registration.Status.AWAITING_CONFIRMATION


def test_an_unknown_token_is_a_404(client, db):
    response = client.get("/rejestracja/potwierdz/zgadywanie-nic-nie-da/")
    assert response.status_code == 404
    assert "nieprawidłowy" in response.content.decode()
