"""Finding 2 of the outside audit: the password reminder sent 60 mails to one address in
two seconds, answered faster for unknown accounts, and told its time to the millisecond
in `Server-Timing`. Each attack, rerun."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ebok.core.models import OutgoingEmail
from tests import factories


def remind(client, identifier, what="password", ip="10.1.1.1"):
    return client.post("/przypomnienie/", {"what": what, "identifier": identifier}, REMOTE_ADDR=ip)


@pytest.mark.django_db(transaction=True)
def test_sixty_reminders_for_one_address_send_three_mails(client, run_tasks, settings):
    """The audit's burst, from 60 different client addresses (a botnet) so that only the
    per-address limit stands in the way."""
    user = factories.make_user(username="ofiara", email="ofiara@example.com")
    for i in range(60):
        response = remind(client, "ofiara@example.com", ip=f"10.2.{i // 250}.{i % 250 + 1}")
        assert response.status_code == 302  # the same answer every time
    run_tasks()
    sent = OutgoingEmail.objects.filter(to=[user.email])
    assert sent.count() == settings.EBOK_REMINDER_PER_ADDRESS_PER_HOUR == 3


def test_one_client_is_stopped_after_its_hourly_limit(client, db, settings):
    settings.EBOK_REMINDER_RATE_PER_HOUR = 10
    answers = [remind(client, f"ktos{i}@example.com").status_code for i in range(12)]
    assert answers == [302] * 10 + [429, 429]
    page = remind(client, "jeszcze@example.com").content.decode()
    assert "Zbyt wiele próśb o przypomnienie" in page
    # Another client address is not affected.
    assert remind(client, "inny@example.com", ip="10.9.9.9").status_code == 302


def _normalised(queries) -> list[str]:
    """The SQL of each query with its literal values blanked out."""
    return [
        re.sub(r"'[^']*'|\"s\d+_x\d+\"|\bNULL\b|\btrue\b|\bfalse\b|\b\d+\b", "?", q["sql"])
        for q in queries
    ]


@pytest.mark.parametrize("what", ["password", "login"])
def test_the_request_does_the_same_work_whether_or_not_the_account_exists(client, db, what):
    """The timing leak came from the lookup and the mail rendering in the request: now the
    request runs the same statements for a known and an unknown account (the lookup is
    in the task), so there is nothing to time."""
    factories.make_user(username="istnieje", email="istnieje@example.com")
    remind(client, "rozgrzewka@example.com", what=what, ip="10.3.0.1")  # warm caches
    with CaptureQueriesContext(connection) as known:
        remind(client, "istnieje@example.com" if what == "login" else "istnieje", what=what)
    with CaptureQueriesContext(connection) as unknown:
        remind(client, "nieznany@example.com" if what == "login" else "nieznany", what=what)
    assert _normalised(known.captured_queries) == _normalised(unknown.captured_queries)
    assert not any("accounts_user" in q["sql"] for q in known.captured_queries)
    assert OutgoingEmail.objects.count() == 0


def test_anonymous_visitors_get_no_server_timing_header(client, db, settings):
    settings.DEBUG = False
    response = remind(client, "ktokolwiek")
    assert "Server-Timing" not in response
    assert "Server-Timing" not in client.get("/przypomnienie/")


def test_operators_still_see_server_timing(client, db, settings):
    settings.DEBUG = False
    client.force_login(factories.make_operator())
    response = client.get("/obsluga/")
    assert response.status_code == 200
    assert response["Server-Timing"].startswith("app;dur=")


def test_a_customer_gets_no_server_timing_but_the_footer_keeps_the_time(client, db):
    customer = factories.make_customer()
    client.force_login(factories.make_user(customers=[customer]))
    response = client.get("/")
    assert "Server-Timing" not in response
    assert "czas generowania strony" in response.content.decode()


def test_registration_runs_the_same_statements_for_a_customer_and_a_stranger(
    client, db, monkeypatch
):
    """Registration answers the same page either way; its matching against billing data
    also runs the same queries, so its time does not tell who is a customer."""
    from captcha.conf import settings as captcha_settings

    from tests.accounts.conftest import registration_data

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    customer = factories.make_customer(payer_code="204455", nip="5260250995")
    factories.make_invoice(customer, number="FV/2026/10/00123")

    def post(**kw):
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/rejestracja/", registration_data(**kw), REMOTE_ADDR="10.4.0.1")
        assert response.status_code == 302
        return _normalised(queries.captured_queries)

    post(email="rozgrzewka@example.com")
    known = post(email="a@example.com")
    stranger = post(payer_code="999999", email="b@example.com")
    assert known == stranger


def test_registration_cannot_flood_one_mailbox(client, db, monkeypatch, settings):
    """Registrations from many client addresses for one e-mail: three confirmation mails
    an hour at most, and the same answer every time."""
    from captcha.conf import settings as captcha_settings

    from ebok.accounts.models import Registration
    from tests.accounts.conftest import registration_data

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    for i in range(6):
        response = client.post(
            "/rejestracja/",
            registration_data(email="ofiara@example.com"),
            REMOTE_ADDR=f"10.5.0.{i + 1}",
        )
        assert response.status_code == 302
    assert Registration.objects.filter(email="ofiara@example.com").count() == 3
    assert OutgoingEmail.objects.filter(to=["ofiara@example.com"]).count() == 3
