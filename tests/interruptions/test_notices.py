"""One e-mail per user per change, whatever runs the task and how often."""

from datetime import timedelta

import pytest

from ebok.core.models import AuditLogEntry, OutgoingEmail
from ebok.interruptions import services
from ebok.interruptions.models import Change, Notice, NoticePreference
from ebok.interruptions.notifications import send_change_notices
from tests import factories
from tests.interruptions.conftest import data


@pytest.fixture
def people(street):
    return {
        "jan": factories.make_user(customers=[street["a"]], email="jan@example.com"),
        # acts for A and B, both affected: still one mail per change
        "manager": factories.make_user(
            customers=[street["a"], street["b"]], email="zarzadca@example.com"
        ),
        "ewa": factories.make_user(customers=[street["b"]], email="ewa@example.com"),
        "outsider": factories.make_user(customers=[street["c"]], email="obcy@example.com"),
        "no_email": factories.make_user(customers=[street["a"]], email=""),
    }


def mails_to(address):
    return [m for m in OutgoingEmail.objects.all() if address in m.to]


def test_announcing_matches_the_range_and_records_history_and_audit(street, operator):
    interruption = services.create_interruption(data(), user=operator)
    assert set(interruption.sites.all()) == {street["site_a"], street["site_b"]}
    change = interruption.changes.get()
    assert change.verb == Change.Verb.ANNOUNCED
    assert change.user == operator
    entry = AuditLogEntry.objects.get(action="interruptions.interruption.created")
    assert entry.user == operator
    assert entry.data["sites"] == 2


@pytest.mark.django_db(transaction=True)  # the worker closes connections
def test_each_affected_user_gets_one_mail_per_change_even_when_the_task_runs_twice(
    people, run_tasks
):
    interruption = services.create_interruption(data())
    run_tasks()
    run_tasks()
    change = interruption.changes.get()
    send_change_notices.call(change.pk)  # a second worker running the same task again
    # jan (A), the manager (A and B: one mail), ewa (B); not the outsider (C, odd
    # number), not the user without an address.
    assert sorted(a for m in OutgoingEmail.objects.all() for a in m.to) == [
        "ewa@example.com",
        "jan@example.com",
        "zarzadca@example.com",
    ]
    assert Notice.objects.filter(change=change).count() == 3


def test_a_notice_another_worker_already_wrote_is_not_sent_again(people):
    interruption = services.create_interruption(data())
    change = interruption.changes.get()
    Notice.objects.create(change=change, user=people["jan"])  # the other worker's row
    assert send_change_notices.call(change.pk) == "sent 2"
    assert mails_to("jan@example.com") == []


@pytest.mark.django_db(transaction=True)  # the worker closes connections
def test_extension_and_end_are_told_once_each_and_plain_edits_are_not(people, run_tasks):
    interruption = services.create_interruption(data())
    run_tasks()
    same_times = {
        "starts_at": interruption.starts_at,
        "expected_end_at": interruption.expected_end_at,
    }
    services.update_interruption(interruption, data(description="Inny opis", **same_times))
    services.extend_interruption(interruption, interruption.expected_end_at + timedelta(hours=3))
    services.end_interruption(interruption)
    run_tasks()
    run_tasks()
    subjects = sorted(m.subject for m in mails_to("jan@example.com"))
    assert subjects == [
        "Koniec przerwy w dostawie ciepła",
        "Planowana przerwa w dostawie ciepła",
        "Przerwa w dostawie ciepła potrwa dłużej",
    ]
    assert OutgoingEmail.objects.count() == 9  # 3 changes x 3 users
    extended = interruption.changes.get(verb=Change.Verb.EXTENDED)
    assert extended.previous_expected_end_at is not None
    body = mails_to("jan@example.com")[0].body
    assert "ul. Gdańska 12" in body
    assert "ul. Gdańska 14" not in body  # B's site is not jan's business


@pytest.mark.django_db(transaction=True)  # the worker closes connections
def test_users_who_opted_out_of_planned_works_still_hear_of_failures(people, run_tasks):
    NoticePreference.objects.create(user=people["jan"], planned=False)
    services.create_interruption(data(kind="planned"))
    services.create_interruption(data(kind="failure"))
    run_tasks()
    assert [m.subject for m in mails_to("jan@example.com")] == ["Awaria: przerwa w dostawie ciepła"]
    assert len(mails_to("ewa@example.com")) == 2


def test_the_notification_preferences_page_switches_interruption_notices(customer_client):
    page = customer_client.get("/powiadomienia/")
    assert "planowanych przerwach" in page.content.decode()
    customer_client.post(
        "/powiadomienia/",
        {"new_invoices": "on", "payment_reminders": "on", "przerwy-failures": "on"},
    )
    preference = NoticePreference.objects.get()
    assert (preference.planned, preference.failures) == (False, True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_one_mail_per_user_on_postgresql(people):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("threads share SQLite's in-memory test database; run with DATABASE_URL")
    import threading

    interruption = services.create_interruption(data())
    change = interruption.changes.get()
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        try:
            send_change_notices.call(change.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert OutgoingEmail.objects.count() == 3
