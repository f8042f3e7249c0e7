"""E-mail: every message is three templates (subject, text, HTML) rendered in the
recipient's language, stored in the outbox and sent by the task worker.

    queue_mail("accounts/email/registration_confirm", ["a@example.com"], {"link": ...})

looks for ``<prefix>_subject.txt``, ``<prefix>.txt`` and (optional) ``<prefix>.html``.
"""

from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from ebok.core.models import CompanySettings, OutgoingEmail

MAX_ATTEMPTS = 8


def _retry_delay(attempts: int) -> timedelta:
    # 1, 2, 4, ... minutes, capped at one hour.
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def queue_mail(template_prefix: str, to: list[str], context: dict, language: str = "pl"):
    """Render the message now and enqueue its sending in the current transaction."""
    context = {
        "company_settings": CompanySettings.get(),
        "base_url": settings.EBOK_BASE_URL,
        **context,
    }
    with translation.override(language):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        body = render_to_string(f"{template_prefix}.txt", context)
        try:
            html_body = render_to_string(f"{template_prefix}.html", context)
        except TemplateDoesNotExist:
            html_body = ""
    with transaction.atomic():
        message = OutgoingEmail.objects.create(
            to=list(to),
            subject=" ".join(subject.split())[:255],
            body=body,
            html_body=html_body,
        )
        send_outgoing_email.enqueue(message.pk)
    return message


def message_id(message: OutgoingEmail) -> str:
    """One Message-ID per outbox row, the same on every attempt: a copy sent again after
    an uncertain failure (a timeout after the server took the data) is recognisable as
    the same message, by mail clients and by the tests that count deliveries."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "ebok.invalid"
    return f"<ebok.outgoing.{message.pk}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def deliver(message: OutgoingEmail) -> bool:
    """Try to send one stored message; record the outcome. True when sent."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        headers={"Message-ID": message_id(message)},
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    message.attempts += 1
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any transport failure is retried
        message.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutgoingEmail.Status.FAILED
        message.save(update_fields=["attempts", "last_error", "status"])
        return False
    message.status = OutgoingEmail.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    return True


@task()
def send_outgoing_email(message_id: int) -> str:
    message = OutgoingEmail.objects.filter(
        pk=message_id, status=OutgoingEmail.Status.PENDING
    ).first()
    if message is None:
        return "nothing to send"
    if deliver(message):
        return "sent"
    if message.status == OutgoingEmail.Status.PENDING:
        send_outgoing_email.using(
            run_after=timezone.now() + _retry_delay(message.attempts)
        ).enqueue(message.pk)
        return "retry scheduled"
    return "gave up"
