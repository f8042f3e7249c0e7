"""E-mail notices: a new invoice, reminders before and after the due date, opting out."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ebok.billing.models import NotificationPreference
from ebok.billing.notifications import send_payment_reminders
from ebok.core.mail import deliver
from ebok.core.models import OutgoingEmail
from ebok.integration.importer import import_records
from tests import factories
from tests.integration import records as r

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing_customer(db):
    customer = factories.make_customer(external_id="C1", payer_code="500001")
    return customer


def future(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_a_new_invoice_sends_a_queued_mail_with_a_link(billing_customer, settings):
    settings.EBOK_BASE_URL = "https://ebok.example.pl"
    user = factories.make_user(customers=[billing_customer], email="zarzad@example.com")

    import_records("invoices", [r.invoice("F1", number="FV/2026/11/00042", due_date=future(14))])

    message = OutgoingEmail.objects.get()
    assert message.to == [user.email]
    assert "FV/2026/11/00042" in message.subject
    assert "https://ebok.example.pl/faktury/" in message.body
    assert not mail.outbox  # queued, not sent inline
    assert deliver(message)  # what the task worker does
    assert mail.outbox[0].to == ["zarzad@example.com"]


def test_importing_the_invoice_again_sends_nothing_more(billing_customer):
    factories.make_user(customers=[billing_customer])
    batch = [r.invoice("F1", due_date=future(14))]
    import_records("invoices", batch)

    import_records("invoices", batch)
    import_records("invoices", [r.invoice("F1", version=2, due_date=future(14))])

    assert OutgoingEmail.objects.count() == 1


def test_a_user_who_opted_out_gets_no_invoice_notice(billing_customer):
    user = factories.make_user(customers=[billing_customer])
    NotificationPreference.objects.create(user=user, new_invoices=False)

    import_records("invoices", [r.invoice("F1", due_date=future(14))])

    assert not OutgoingEmail.objects.exists()


def test_old_history_is_not_announced(billing_customer):
    factories.make_user(customers=[billing_customer])

    import_records("invoices", [r.invoice("F1", due_date="2026-01-20")])

    assert not OutgoingEmail.objects.exists()


def test_other_customers_users_get_nothing(billing_customer, other_customer):
    factories.make_user(customers=[other_customer])

    import_records("invoices", [r.invoice("F1", due_date=future(14))])

    assert not OutgoingEmail.objects.exists()


def test_reminders_go_before_and_after_the_due_date_once(billing_customer):
    user = factories.make_user(customers=[billing_customer])
    today = date(2026, 11, 23)
    factories.make_invoice(
        billing_customer,
        number="FV/SOON",
        issue_date=date(2026, 11, 1),
        due_date=date(2026, 11, 25),
    )
    factories.make_invoice(
        billing_customer,
        number="FV/LATE",
        issue_date=date(2026, 10, 1),
        due_date=date(2026, 11, 10),
    )
    factories.make_invoice(
        billing_customer,
        number="FV/LATER",
        issue_date=date(2026, 11, 1),
        due_date=date(2026, 12, 20),
    )
    paid = factories.make_invoice(
        billing_customer,
        number="FV/PAID",
        issue_date=date(2026, 11, 1),
        due_date=date(2026, 11, 24),
    )
    paid.paid_amount = paid.gross_amount
    paid.save()

    counts = send_payment_reminders(today=today, days_before=3, days_after=7)
    again = send_payment_reminders(today=today, days_before=3, days_after=7)

    assert counts == {"due_soon": 1, "overdue": 1}
    assert again == {"due_soon": 0, "overdue": 0}
    subjects = sorted(OutgoingEmail.objects.values_list("subject", flat=True))
    assert subjects == [
        "Minął termin płatności faktury FV/LATE",
        "Zbliża się termin płatności faktury FV/SOON",
    ]
    assert OutgoingEmail.objects.filter(to=[user.email]).count() == 2


def test_reminders_respect_the_opt_out(billing_customer):
    user = factories.make_user(customers=[billing_customer])
    NotificationPreference.objects.create(user=user, payment_reminders=False)
    factories.make_invoice(
        billing_customer, issue_date=date(2026, 10, 1), due_date=date(2026, 11, 10)
    )

    assert send_payment_reminders(today=date(2026, 11, 23)) == {"due_soon": 0, "overdue": 0}


def test_the_reminder_command_reports_what_it_queued(billing_customer, capsys):
    factories.make_user(customers=[billing_customer])
    due = timezone.localdate() + timedelta(days=1)
    factories.make_invoice(billing_customer, issue_date=due - timedelta(days=14), due_date=due)

    call_command("send_payment_reminders", "--days-before", "2", "--days-after", "-1")

    assert "Queued 1 reminders before the due date and 0 after it." in capsys.readouterr().out
