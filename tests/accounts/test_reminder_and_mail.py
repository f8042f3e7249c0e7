"""Reminders at /przypomnienie/ and account mail through a real SMTP server (aiosmtpd),
including an outage: the outbox keeps the message and the worker sends it later."""

import contextlib
import re
import socket
from datetime import datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ebok.core.models import OutgoingEmail
from tests.accounts.conftest import registration_data


def remind(client, what, identifier):
    return client.post("/przypomnienie/", {"what": what, "identifier": identifier})


# The reminder's lookup and mail run in a task (the request takes the same time whatever
# the account); the worker closes connections, so on PostgreSQL these need transactions.
@pytest.mark.django_db(transaction=True)
def test_the_answer_is_the_same_whether_or_not_the_account_exists(client, customer_user, run_tasks):
    responses = [
        remind(client, "password", "jan"),
        remind(client, "password", "nie-istnieje"),
        remind(client, "login", customer_user.email),
        remind(client, "login", "nikt@example.com"),
    ]
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {"/przypomnienie/wyslano/"}
    assert OutgoingEmail.objects.count() == 0  # nothing looked up in the request
    run_tasks()
    assert OutgoingEmail.objects.count() == 2
    page = client.get("/przypomnienie/wyslano/").content.decode()
    assert "Jeśli podane dane pasują do konta w eBOK" in page


@pytest.mark.django_db(transaction=True)
def test_the_login_reminder_mails_the_login(client, customer_user, run_tasks):
    remind(client, "login", customer_user.email.upper())
    run_tasks()
    mail = OutgoingEmail.objects.get()
    assert mail.subject == "Przypomnienie loginu do systemu eBOK"
    assert "jan" in mail.body


def _reset_link(body):
    return re.search(r"http://[^/]+(/przypomnienie/haslo/\S+/)", body).group(1)


@pytest.mark.django_db(transaction=True)
def test_the_reset_link_works_once(client, customer_user, run_tasks):
    remind(client, "password", "jan")
    run_tasks()
    link = _reset_link(OutgoingEmail.objects.get().body)
    assert "Ustaw nowe hasło" in client.get(link).content.decode()
    response = client.post(
        link, {"new_password1": "Nowe ciepło 2027", "new_password2": "Nowe ciepło 2027"}
    )
    assert response.status_code == 302
    customer_user.refresh_from_db()
    assert customer_user.check_password("Nowe ciepło 2027")
    again = client.get(link)
    assert again.status_code == 400
    assert "wygasł albo został już użyty" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_reset_link_expires_after_two_hours(client, customer_user, settings, run_tasks):
    remind(client, "password", "jan")
    run_tasks()
    link = _reset_link(OutgoingEmail.objects.get().body)
    from unittest import mock

    later = datetime.now() + timedelta(hours=2, minutes=1)  # the generator's own clock
    with mock.patch(
        "django.contrib.auth.tokens.PasswordResetTokenGenerator._now", return_value=later
    ):
        assert client.get(link).status_code == 400


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(settings):
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    yield controller, inbox
    with contextlib.suppress(Exception):  # never started, or already stopped
        controller.stop()


# The worker closes database connections between tasks, as in production: on PostgreSQL
# that needs real transactions instead of the test's wrapping one.
@pytest.mark.django_db(transaction=True)
def test_the_confirmation_mail_goes_through_a_real_smtp_server(
    client, billing_customer, smtp, run_tasks
):
    controller, inbox = smtp
    controller.start()
    client.post("/rejestracja/", registration_data())
    run_tasks()
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert envelope.rcpt_tos == ["zarzad@dluga5.example.com"]
    assert b"/rejestracja/potwierdz/" in envelope.content
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_with_the_smtp_server_down_the_mail_is_sent_later_by_the_worker(
    client, billing_customer, smtp, run_tasks
):
    controller, inbox = smtp
    client.post("/rejestracja/", registration_data())
    run_tasks()  # nobody listens on the port
    mail = OutgoingEmail.objects.get()
    assert mail.status == OutgoingEmail.Status.PENDING
    assert mail.attempts == 1 and mail.last_error
    controller.start()
    # The retry is scheduled a minute later; let that minute pass.
    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - timedelta(seconds=1)
    )
    run_tasks()
    mail.refresh_from_db()
    assert mail.status == OutgoingEmail.Status.SENT
    assert len(inbox.messages) == 1
