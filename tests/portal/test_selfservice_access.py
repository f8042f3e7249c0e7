"""Nobody reaches another customer's invoices, PDFs, meters, readings or exports."""

import pytest

from tests import factories
from tests.billing.helpers import media_root  # noqa: F401 - fixture


@pytest.fixture
def foreign_objects(other_customer):
    invoice = factories.make_invoice(other_customer, number="FV/OBCA/1", ksef_number="X" * 35)
    meter = factories.make_meter(other_customer, serial_number="OBCY-1")
    reading = factories.make_reading(meter)
    return invoice, meter, reading


# Every object URL answering 404 to another customer is proven by the permission matrix
# (tests/security/permission_matrix.py, entries made with `owned_by_a`).


@pytest.mark.usefixtures("media_root")
def test_lists_and_exports_never_show_another_customers_data(customer_client, foreign_objects):
    for url in [
        "/",
        "/faktury/",
        "/faktury/historia/",
        "/faktury/saldo/",
        "/umowy/",
        "/faktury/eksport.csv",
        "/faktury/saldo/eksport.csv",
    ]:
        body = customer_client.get(url).content.decode("utf-8-sig")
        assert "FV/OBCA/1" not in body, url
        assert "OBCY-1" not in body, url


def test_a_property_manager_sees_all_linked_customers_and_only_those(client, db):
    a = factories.make_customer(name="Wspólnota A")
    b = factories.make_customer(name="Wspólnota B")
    foreign = factories.make_customer(name="Obca Spółdzielnia")
    factories.make_invoice(a, number="FV/A/1")
    factories.make_invoice(b, number="FV/B/1")
    foreign_invoice = factories.make_invoice(foreign, number="FV/X/1")
    manager = factories.make_user(customers=[a, b])
    client.force_login(manager)

    home = client.get("/").content.decode()
    assert "Wszyscy Twoi kontrahenci" in home
    assert "Wspólnota A" in home and "Wspólnota B" in home
    assert "Obca Spółdzielnia" not in home
    assert "984,00 zł" in home

    # Everything shows the selected customer only.
    client.post("/kontrahent/wybierz/", {"customer": b.pk, "next": "/faktury/"})
    invoices = client.get("/faktury/").content.decode()
    assert "FV/B/1" in invoices and "FV/A/1" not in invoices
    assert client.get(f"/faktury/{foreign_invoice.pk}/").status_code == 404


def test_property_manager_table_uses_a_constant_number_of_queries(client, db):
    from tests.portal.test_invoices import count_queries

    customers = [factories.make_customer() for _ in range(2)]
    manager = factories.make_user(customers=customers)
    client.force_login(manager)
    few = count_queries(client, "/")
    for _ in range(10):
        extra = factories.make_customer()
        factories.make_invoice(extra)
        from ebok.customers.models import CustomerAccess

        CustomerAccess.objects.create(user=manager, customer=extra)
    assert count_queries(client, "/") == few
