"""First login with a one-time password, lockout, sessions, login history."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from ebok.accounts.models import LoginEvent
from ebok.core.models import OutgoingEmail
from tests import factories

PASSWORD = factories.PASSWORD


def login(client, username, password, **extra):
    return client.post("/logowanie/", {"username": username, "password": password}, **extra)


@pytest.fixture
def new_user(customer):
    """A user who has only a one-time password."""
    user = factories.make_user(customers=[customer], username="204455", password="Jednorazowe7x")
    user.must_change_password = True
    user.password_expires_at = timezone.now() + timezone.timedelta(days=30)
    user.save()
    return user


def test_first_login_forces_the_password_change_on_every_page(client, new_user):
    response = login(client, "204455", "Jednorazowe7x")
    assert response.status_code == 302
    for path in ["/", "/kontrahent/", "/faktury/", "/konto/bezpieczenstwo/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/haslo/zmiana/"
    page = client.get("/haslo/zmiana/").content.decode()
    assert "Zmiana hasła jednorazowego" in page
    assert "co najmniej 12 znaków" in page  # the policy, from the active validators
    assert "co najmniej jedną literę i jedną cyfrę" in page


def test_the_new_password_must_differ_from_the_one_time_one_and_follow_the_policy(client, new_user):
    login(client, "204455", "Jednorazowe7x")
    same = client.post(
        "/haslo/zmiana/", {"new_password1": "Jednorazowe7x", "new_password2": "Jednorazowe7x"}
    )
    assert "Nowe hasło musi się różnić od hasła jednorazowego." in same.content.decode()
    short = client.post("/haslo/zmiana/", {"new_password1": "abc1", "new_password2": "abc1"})
    assert short.status_code == 200
    similar = client.post(
        "/haslo/zmiana/", {"new_password1": "204455-haslo", "new_password2": "204455-haslo"}
    )
    assert "zbyt podobne do Twoich danych" in similar.content.decode()
    no_digit = client.post(
        "/haslo/zmiana/",
        {"new_password1": "Ciepła woda w kranie", "new_password2": "Ciepła woda w kranie"},
    )
    assert "co najmniej jedną literę i jedną cyfrę" in no_digit.content.decode()
    ok = client.post(
        "/haslo/zmiana/",
        {"new_password1": "Żółty kaloryfer 42", "new_password2": "Żółty kaloryfer 42"},
    )
    assert ok.status_code == 302
    new_user.refresh_from_db()
    assert not new_user.must_change_password
    assert new_user.password_expires_at is None
    assert client.get("/").status_code == 200


def test_an_expired_one_time_password_no_longer_logs_in(client, new_user):
    new_user.password_expires_at = timezone.now() - timezone.timedelta(minutes=1)
    new_user.save()
    response = login(client, "204455", "Jednorazowe7x")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_the_manuals_weaker_policy_can_be_configured(settings):
    from django.contrib.auth import password_validation

    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 5},
        },
        {"NAME": "ebok.accounts.validators.LetterAndDigitValidator"},
    ]
    password_validation.get_default_password_validators.cache_clear()
    try:
        password_validation.validate_password("abc12")
        texts = " ".join(password_validation.password_validators_help_texts())
        assert "5" in texts and "literę i jedną cyfrę" in texts
    finally:
        password_validation.get_default_password_validators.cache_clear()


def test_a_password_change_needs_the_current_password_mails_and_ends_other_sessions(
    client, customer_user, db
):
    other = factories.make_user  # noqa: F841
    from django.test import Client

    elsewhere = Client()
    login(elsewhere, "jan", PASSWORD)
    assert elsewhere.get("/").status_code == 200
    login(client, "jan", PASSWORD)
    wrong = client.post(
        "/haslo/zmiana/",
        {
            "old_password": "zle",
            "new_password1": "Nowe hasło 2027",
            "new_password2": "Nowe hasło 2027",
        },
    )
    assert wrong.status_code == 200
    ok = client.post(
        "/haslo/zmiana/",
        {
            "old_password": PASSWORD,
            "new_password1": "Nowe hasło 2027",
            "new_password2": "Nowe hasło 2027",
        },
    )
    assert ok.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert elsewhere.get("/kontrahent/").status_code == 302  # the other one ended
    mail = OutgoingEmail.objects.get(subject="Hasło do systemu eBOK zostało zmienione")
    assert mail.to == [customer_user.email]


def test_login_answers_identically_for_unknown_and_existing_logins(client, customer_user):
    unknown = login(client, "nie-ma-takiego", "cokolwiek1")
    existing = login(client, "jan", "cokolwiek1")
    assert unknown.status_code == existing.status_code == 200
    message = "Nieprawidłowy login lub hasło."
    assert message in unknown.content.decode() and message in existing.content.decode()


def test_five_failures_lock_the_login_from_that_address_for_15_minutes(
    client, customer_user, settings
):
    for _ in range(5):
        login(client, "jan", "zle-haslo-1", REMOTE_ADDR="10.9.9.9")
    locked = login(client, "jan", PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert locked.status_code == 429
    assert "Zbyt wiele nieudanych prób logowania" in locked.content.decode()
    # An unknown login locks the same way: no way to tell who exists.
    for _ in range(5):
        login(client, "nikt", "zle-haslo-1", REMOTE_ADDR="10.9.9.9")
    assert login(client, "nikt", "zle-haslo-1", REMOTE_ADDR="10.9.9.9").status_code == 429
    # A forged X-Forwarded-For changes nothing; another real address is not locked.
    assert (
        login(
            client, "jan", PASSWORD, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="8.8.8.8"
        ).status_code
        == 429
    )
    assert login(client, "jan", PASSWORD, REMOTE_ADDR="10.9.9.10").status_code == 302


def test_the_lock_expires_after_the_cool_off(client, customer_user, settings):
    from axes.models import AccessAttempt

    for _ in range(5):
        login(client, "jan", "zle-haslo-1", REMOTE_ADDR="10.9.9.9")
    assert login(client, "jan", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))
    if hasattr(AccessAttempt, "expiration"):
        from axes.models import AccessAttemptExpiration

        AccessAttemptExpiration.objects.update(
            expires_at=timezone.now() - timezone.timedelta(seconds=1)
        )
    assert login(client, "jan", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_an_address_trying_many_logins_is_stopped(client, db, settings):
    settings.EBOK_LOGIN_IP_FAILURE_LIMIT = 6
    for i in range(6):
        login(client, f"login{i}", "zle-haslo-1", REMOTE_ADDR="10.7.7.7")
    assert login(client, "login99", "zle-haslo-1", REMOTE_ADDR="10.7.7.7").status_code == 429


def test_the_session_id_is_rotated_at_login(client, customer_user):
    client.get("/logowanie/")
    client.session.save()
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    login(client, "jan", PASSWORD)
    assert client.cookies["sessionid"].value != before


def test_an_idle_session_ends(client, customer_user, settings):
    login(client, "jan", PASSWORD)
    assert client.get("/kontrahent/").status_code == 200
    session = client.session
    session["ebok_last_seen"] = int(time.time()) - settings.EBOK_SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get("/kontrahent/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logowanie/")
    assert client.get("/kontrahent/").status_code == 302


def test_a_session_ends_after_the_absolute_limit_even_when_active(client, customer_user, settings):
    login(client, "jan", PASSWORD)
    session = client.session
    session["ebok_login_at"] = int(time.time()) - settings.EBOK_SESSION_ABSOLUTE_LIMIT - 1
    session.save()
    assert client.get("/kontrahent/").status_code == 302


def test_authenticated_pages_are_not_stored(customer_client):
    assert "no-store" in customer_client.get("/konto/bezpieczenstwo/")["Cache-Control"]


def test_the_customer_sees_the_last_login_and_failed_attempts_since(client, customer_user):
    login(client, "jan", PASSWORD, REMOTE_ADDR="10.1.1.1")
    client.post("/wyloguj/")
    login(client, "jan", "zle-haslo-1", REMOTE_ADDR="10.6.6.6")
    login(client, "jan", "zle-haslo-2", REMOTE_ADDR="10.6.6.6")
    start = client.post(
        "/logowanie/",
        {"username": "jan", "password": PASSWORD},
        REMOTE_ADDR="10.1.1.2",
        follow=True,
    ).content.decode()
    assert "Poprzednie logowanie:" in start and "było 2 nieudanych prób logowania" in start
    page = client.get("/konto/bezpieczenstwo/").content.decode()
    assert "z adresu 10.1.1.1" in page
    assert "było 2 nieudanych prób logowania" in page
    assert "10.6.6.6" in page
    assert LoginEvent.objects.filter(user=customer_user, success=False).count() == 2


def test_the_operator_sees_a_users_login_history(operator_client, customer_user, client):
    LoginEvent.objects.create(user=customer_user, username="jan", success=False, ip="10.5.5.5")
    page = operator_client.get(
        f"/obsluga/uzytkownicy/{customer_user.pk}/logowania/"
    ).content.decode()
    assert "10.5.5.5" in page and "nieudane" in page
