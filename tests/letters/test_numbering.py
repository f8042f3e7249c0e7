"""Letter numbers: PR/YYYY/MM/NNNNN per Warsaw month, gapless and unique."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, connections, transaction

from ebok.letters import services
from ebok.letters.models import Letter, LetterKind


def submit(**kw):
    return services.submit_letter(
        kind=LetterKind.INCOMING, description="test", body="treść", **kw
    ).letter


def test_letters_are_numbered_in_sequence_per_month(customer):
    first, second = submit(customer=customer), submit(customer=customer)
    assert first.number.startswith("PR/")
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


def test_the_month_rolls_over_at_midnight_warsaw_time(customer, monkeypatch):
    # 30 Nov 2026 23:59:59 in Warsaw (CET, UTC+1) is 22:59:59 UTC.
    monkeypatch.setattr(services, "now", lambda: datetime(2026, 11, 30, 22, 59, 59, tzinfo=UTC))
    november = submit(customer=customer)
    monkeypatch.setattr(services, "now", lambda: datetime(2026, 11, 30, 23, 0, 0, tzinfo=UTC))
    december = submit(customer=customer)
    assert november.number == "PR/2026/11/00001"
    assert december.number == "PR/2026/12/00001"


def test_a_failed_submission_gives_its_number_back(customer):
    first = submit(customer=customer)

    def explode(letter):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        submit(customer=customer, after_create=explode)
    third = submit(customer=customer)
    assert int(third.number[-5:]) == int(first.number[-5:]) + 1


def test_letters_are_never_deleted(customer):
    letter = submit(customer=customer)
    with pytest.raises(PermissionError):
        letter.delete()
    with pytest.raises(PermissionError):
        Letter.objects.all().delete()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locking under real concurrency needs PostgreSQL; runs in CI with DATABASE_URL=postgres://",
)
@pytest.mark.django_db(transaction=True)
def test_numbers_stay_gapless_and_unique_under_concurrent_submissions():
    from tests.factories import make_customer

    customer = make_customer()
    threads, failures_wanted = 24, 8
    barrier = threading.Barrier(threads)
    errors = []

    def worker(i):
        try:
            barrier.wait()
            fail = i < failures_wanted

            def maybe_fail(letter):
                if fail:
                    raise RuntimeError("failed on purpose")

            try:
                for _ in range(3):
                    services.submit_letter(
                        kind=LetterKind.INCOMING,
                        description=f"t{i}",
                        customer=customer,
                        after_create=maybe_fail,
                    )
            except RuntimeError:
                pass
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    numbers = sorted(int(n[-5:]) for n in Letter.objects.values_list("number", flat=True))
    expected_ok = (threads - failures_wanted) * 3
    assert numbers == list(range(1, expected_ok + 1))
    with transaction.atomic():
        assert Letter.objects.count() == expected_ok
