"""Two imports of the same batch at the same time: no server error, one consistent state."""

import threading

import pytest
from django.db import connection, connections

from ebok.contracts.models import Reading
from ebok.customers.models import Customer
from ebok.integration.importer import import_records
from tests.integration import records as r

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers (one write lock), so there is no race to test; "
        "run with DATABASE_URL=postgres://... to test real concurrency",
    ),
]


def run_twice_at_once(kind, batch, **kw):
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def worker():
        try:
            barrier.wait()
            outcomes.append(import_records(kind, batch, **kw))
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes, errors


def test_two_imports_of_the_same_batch_at_once_cause_no_error():
    customers = [r.customer(f"C{i}", name=f"Kontrahent {i}") for i in range(300)]

    outcomes, errors = run_twice_at_once("customers", customers, chunk_size=50)

    assert errors == []
    assert Customer.objects.count() == 300
    created = sum(o.counts["created"] for o in outcomes)
    unchanged = sum(o.counts["unchanged"] for o in outcomes)
    assert created == 300
    assert created + unchanged == 600
    assert sum(o.counts["error"] for o in outcomes) == 0


def test_concurrent_updates_leave_the_newest_version():
    import_records("customers", [r.customer("C1"), r.customer("C2")])
    import_records("sites", [r.site("S1", "C1")])
    import_records("meters", [r.meter("M1", "C1", "S1")])
    batch = [r.reading(f"R{i}", value=f"{i}.000", version=2) for i in range(500)]
    import_records("readings", [r.reading(f"R{i}", version=1) for i in range(500)])

    outcomes, errors = run_twice_at_once("readings", batch, chunk_size=100)

    assert errors == []
    assert Reading.objects.filter(version=2).count() == 500
    assert sum(o.counts["updated"] for o in outcomes) >= 500
