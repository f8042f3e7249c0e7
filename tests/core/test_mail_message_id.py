"""A queued message keeps one Message-ID on every attempt, so a copy sent again after an
uncertain failure is recognisable (and the cluster test can count deliveries by it)."""

import smtplib

import pytest
from django.core import mail

from ebok.core.mail import deliver, message_id
from ebok.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def _queued():
    return OutgoingEmail.objects.create(to=["klient@example.org"], subject="Temat", body="Treść")


def test_the_sent_message_carries_the_outbox_rows_message_id(settings):
    settings.DEFAULT_FROM_EMAIL = "eBOK <ebok@mpec.example.org>"
    message = _queued()

    assert deliver(message) is True

    expected = f"<ebok.outgoing.{message.pk}.{message.created_at:%Y%m%d%H%M%S}@mpec.example.org>"
    assert message_id(message) == expected
    assert mail.outbox[0].message()["Message-ID"] == expected


def test_a_retry_after_a_failure_sends_the_same_message_id(settings, monkeypatch):
    message = _queued()
    calls = []

    def send_fails_once(self, fail_silently=False):
        calls.append(self.message()["Message-ID"])
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("connection lost after DATA")
        return 1

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", send_fails_once)

    assert deliver(message) is False
    assert deliver(message) is True
    assert calls[0] == calls[1] == message_id(message)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutgoingEmail.Status.SENT, 2)


def test_two_rows_never_share_a_message_id():
    first, second = _queued(), _queued()

    assert message_id(first) != message_id(second)
