"""Cached fragments (the balance statement's table, the meter chart) can never show one
customer's data to another, nor outlive the data they show."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from ebok.core.fragments import fragment_key
from ebok.integration.importer import import_records
from tests import factories
from tests.integration import records

TODAY = timezone.localdate


def _statement(client) -> str:
    response = client.get("/faktury/saldo/")
    assert response.status_code == 200
    return response.content.decode()


def _invoice(customer, number, gross="984.00"):
    day = TODAY() - timedelta(days=20)
    return factories.make_invoice(
        customer, number=number, issue_date=day, sale_date=day, due_date=day + timedelta(days=14)
    )


def test_two_customers_never_see_each_others_cached_statement(customer, other_customer, db):
    _invoice(customer, "FV/MINE/1")
    _invoice(other_customer, "FV/THEIRS/1")
    mine, theirs = Client(), Client()
    mine.force_login(factories.make_user(customers=[customer]))
    theirs.force_login(factories.make_user(customers=[other_customer]))

    first = _statement(mine)
    again = _statement(mine)  # from the cache
    other = _statement(theirs)

    assert "FV/MINE/1" in first and "FV/MINE/1" in again
    assert "FV/THEIRS/1" not in first
    assert "FV/THEIRS/1" in other
    assert "FV/MINE/1" not in other


def test_a_property_manager_switching_customers_gets_the_other_customers_statement(
    customer, other_customer, db
):
    _invoice(customer, "FV/FIRST/1")
    _invoice(other_customer, "FV/SECOND/1")
    manager = Client()
    manager.force_login(factories.make_user(customers=[customer, other_customer]))

    before = _statement(manager)
    chosen = "FV/FIRST/1" if "FV/FIRST/1" in before else "FV/SECOND/1"
    switch_to = other_customer if chosen == "FV/FIRST/1" else customer
    manager.post("/kontrahent/wybierz/", {"customer": switch_to.pk, "next": "/faktury/saldo/"})
    after = _statement(manager)

    assert chosen not in after
    assert ({"FV/FIRST/1", "FV/SECOND/1"} - {chosen}).pop() in after


def test_an_imported_invoice_appears_at_once_although_the_statement_was_cached(db):
    import_records("customers", [records.customer("C1")])
    issued = (TODAY() - timedelta(days=10)).isoformat()
    due = (TODAY() + timedelta(days=4)).isoformat()
    dates = {"issue_date": issued, "sale_date": issued, "due_date": due}
    import_records("invoices", [records.invoice("F1", number="FV/OLD/1", **dates)])
    from ebok.customers.models import Customer

    client = Client()
    client.force_login(factories.make_user(customers=[Customer.objects.get(external_id="C1")]))
    assert "FV/OLD/1" in _statement(client)
    assert "FV/NEW/2" not in _statement(client)

    import_records("invoices", [records.invoice("F2", number="FV/NEW/2", **dates)])

    html = _statement(client)
    assert "FV/NEW/2" in html
    # The closing balance of both invoices (2 × 984,00).
    assert "1 968,00" in html.replace("\xa0", " ").replace("\u202f", " ")


def test_an_imported_reading_changes_the_cached_chart(db):
    import_records("customers", [records.customer("C1")])
    import_records("sites", [records.site("S1")])
    import_records("meters", [records.meter("M1")])
    import_records(
        "readings",
        [records.reading("R1", read_on="2026-01-31", value="1000.000", consumption="40.000")],
    )
    from ebok.contracts.models import Meter
    from ebok.customers.models import Customer

    client = Client()
    client.force_login(factories.make_user(customers=[Customer.objects.get(external_id="C1")]))
    url = f"/liczniki/{Meter.objects.get(external_id='M1').pk}/"
    assert "40" in client.get(url).content.decode()
    assert "77,5" not in client.get(url).content.decode()

    import_records(
        "readings",
        [records.reading("R2", read_on="2026-02-28", value="1077.500", consumption="77.500")],
    )

    html = client.get(url).content.decode()
    assert "77,5" in html or "77.5" in html


def test_a_cached_chart_is_not_shown_for_another_customers_meter_with_the_same_year(
    customer, other_customer, db
):
    mine = factories.make_meter(customer)
    theirs = factories.make_meter(other_customer)
    factories.make_reading(mine, read_on=date(2026, 1, 31), consumption=Decimal("11.000"))
    factories.make_reading(theirs, read_on=date(2026, 1, 31), consumption=Decimal("99.000"))
    client = Client()
    client.force_login(factories.make_user(customers=[customer]))

    assert "11" in client.get(f"/liczniki/{mine.pk}/").content.decode()
    assert client.get(f"/liczniki/{theirs.pk}/").status_code == 404


def test_fragment_keys_hold_the_customer_the_stamp_and_the_language():
    base = fragment_key("statement", 1, "aaaa", "2026-11-01")
    assert base != fragment_key("statement", 2, "aaaa", "2026-11-01")
    assert base != fragment_key("statement", 1, "bbbb", "2026-11-01")
    assert base != fragment_key("statement", 1, "aaaa", "2026-11-02")
    assert base != fragment_key("meter-chart", 1, "aaaa", "2026-11-01")
    assert ":1:aaaa:" in base


def test_a_repeated_statement_page_is_served_from_the_cache(customer, customer_client):
    for i in range(3):
        _invoice(customer, f"FV/C/{i}")
    cache.clear()
    _statement(customer_client)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cached:
        _statement(customer_client)
    tables = " ".join(q["sql"] for q in cached.captured_queries)
    assert "billing_invoice" not in tables and "billing_payment" not in tables


def test_the_start_pages_latest_invoices_never_reach_another_customer(customer, other_customer, db):
    _invoice(customer, "FV/MINE/9")
    _invoice(other_customer, "FV/THEIRS/9")
    mine, theirs = Client(), Client()
    mine.force_login(factories.make_user(customers=[customer]))
    theirs.force_login(factories.make_user(customers=[other_customer]))

    first, again = mine.get("/").content.decode(), mine.get("/").content.decode()
    other = theirs.get("/").content.decode()

    assert "FV/MINE/9" in first and "FV/MINE/9" in again and "FV/THEIRS/9" not in first
    assert "FV/THEIRS/9" in other and "FV/MINE/9" not in other


def test_an_import_shows_on_the_start_page_although_it_was_cached(db):
    import_records("customers", [records.customer("C1")])
    import_records("sites", [records.site("S1")])
    import_records("meters", [records.meter("M1")])
    issued = (TODAY() - timedelta(days=10)).isoformat()
    dates = {"issue_date": issued, "sale_date": issued, "due_date": TODAY().isoformat()}
    import_records("invoices", [records.invoice("F1", number="FV/OLD/1", **dates)])
    from ebok.customers.models import Customer

    client = Client()
    client.force_login(factories.make_user(customers=[Customer.objects.get(external_id="C1")]))
    before = client.get("/").content.decode()
    assert "FV/OLD/1" in before and "FV/NEW/2" not in before and "77,5" not in before

    import_records("invoices", [records.invoice("F2", number="FV/NEW/2", **dates)])
    read_on = (TODAY() - timedelta(days=1)).isoformat()
    import_records(
        "readings",
        [records.reading("R1", read_on=read_on, value="1077.500", consumption="77.500")],
    )

    after = client.get("/").content.decode()
    assert "FV/NEW/2" in after
    assert "77,5" in after


def test_cached_invoice_lists_never_reach_another_customer_nor_outlive_an_import(
    customer, other_customer, db
):
    """The unpaid list and the history (with and without a filter) are cached fragments."""
    _invoice(customer, "FV/MINE/7")
    _invoice(other_customer, "FV/THEIRS/7")
    manager = Client()
    manager.force_login(factories.make_user(customers=[customer, other_customer]))
    pages = ("/faktury/", "/faktury/historia/", "/faktury/historia/?status=unpaid")

    def seen():
        return {path: manager.get(path).content.decode() for path in pages}

    manager.post("/kontrahent/wybierz/", {"customer": customer.pk, "next": "/"})
    first, again = seen(), seen()
    manager.post("/kontrahent/wybierz/", {"customer": other_customer.pk, "next": "/"})
    other = seen()
    for path in pages:
        assert "FV/MINE/7" in first[path] and "FV/MINE/7" in again[path], path
        assert "FV/THEIRS/7" not in first[path], path
        assert "FV/THEIRS/7" in other[path] and "FV/MINE/7" not in other[path], path


def test_an_imported_invoice_appears_in_the_cached_lists_at_once(db):
    import_records("customers", [records.customer("C1")])
    issued = (TODAY() - timedelta(days=10)).isoformat()
    dates = {"issue_date": issued, "sale_date": issued, "due_date": TODAY().isoformat()}
    import_records("invoices", [records.invoice("F1", number="FV/OLD/1", **dates)])
    from ebok.customers.models import Customer

    client = Client()
    client.force_login(factories.make_user(customers=[Customer.objects.get(external_id="C1")]))
    for path in ("/faktury/", "/faktury/historia/"):
        html = client.get(path).content.decode()
        assert "FV/OLD/1" in html and "FV/NEW/2" not in html

    import_records("invoices", [records.invoice("F2", number="FV/NEW/2", **dates)])

    for path in ("/faktury/", "/faktury/historia/"):
        assert "FV/NEW/2" in client.get(path).content.decode(), path
