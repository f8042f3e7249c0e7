"""The invoice page is rendered once per customer, billing stamp, day, language and
accounts (portal/views/invoices.detail): it never reaches another customer nor outlives
the invoice, its lines, its payments or the account it names."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ebok.billing.models import InvoiceLine
from ebok.core.models import CompanySettings
from tests import factories
from tests.billing.helpers import media_root  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("media_root")


def _page(client, invoice) -> str:
    response = client.get(f"/faktury/{invoice.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _unpaid(customer, number, **kw):
    today = timezone.localdate()
    return factories.make_invoice(
        customer,
        number=number,
        issue_date=today - timedelta(days=3),
        sale_date=today - timedelta(days=3),
        due_date=today + timedelta(days=11),
        **kw,
    )


def _client(*customers) -> Client:
    client = Client()
    client.force_login(factories.make_user(customers=list(customers)))
    return client


def test_another_customers_invoice_is_a_404_although_its_page_was_cached(
    customer, other_customer, db
):
    mine = _unpaid(customer, "FV/MINE/1")
    owner, stranger = _client(customer), _client(other_customer)

    assert "FV/MINE/1" in _page(owner, mine)
    assert "FV/MINE/1" in _page(owner, mine)  # from the cache

    assert stranger.get(f"/faktury/{mine.pk}/").status_code == 404


def test_a_manager_switching_customers_gets_404_for_the_first_customers_invoice(
    customer, other_customer, db
):
    first = _unpaid(customer, "FV/FIRST/1")
    manager = _client(customer, other_customer)
    manager.post("/kontrahent/wybierz/", {"customer": customer.pk, "next": "/"})
    assert "FV/FIRST/1" in _page(manager, first)

    manager.post("/kontrahent/wybierz/", {"customer": other_customer.pk, "next": "/"})

    assert manager.get(f"/faktury/{first.pk}/").status_code == 404


def test_a_repeated_page_does_not_read_the_invoice_lines_or_payments(customer, db):
    invoice = _unpaid(customer, "FV/CACHED/1")
    client = _client(customer)
    _page(client, invoice)

    with CaptureQueriesContext(connection) as ctx:
        assert "FV/CACHED/1" in _page(client, invoice)

    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "billing_invoice" not in sql and "billing_payment" not in sql


def test_a_payment_shows_at_once_although_the_page_was_cached(customer, db):
    invoice = _unpaid(customer, "FV/PAY/1")
    client = _client(customer)
    assert "Brak wpłat zaliczonych na tę fakturę." in _page(client, invoice)

    factories.make_payment(
        customer, invoice=invoice, amount=Decimal("100.00"), title="Wpłata testowa"
    )

    html = _page(client, invoice)
    assert "Wpłata testowa" in html
    assert "Brak wpłat zaliczonych na tę fakturę." not in html


def test_a_cancelled_invoice_is_a_404_although_its_page_was_cached(customer, db):
    invoice = _unpaid(customer, "FV/GONE/1")
    client = _client(customer)
    _page(client, invoice)

    invoice.cancelled_at = timezone.now()
    invoice.save()

    assert client.get(f"/faktury/{invoice.pk}/").status_code == 404


def test_an_edited_invoice_line_shows_at_once(customer, db):
    invoice = _unpaid(customer, "FV/LINE/1")
    client = _client(customer)
    assert "Opłata za ciepło" in _page(client, invoice)

    line = InvoiceLine.objects.get(invoice=invoice)
    line.description = "Opłata poprawiona"
    line.save()

    assert "Opłata poprawiona" in _page(client, invoice)


def test_a_new_company_account_shows_at_once(customer, db):
    config = CompanySettings.get()
    config.bank_account = "92124012340001567890123456"
    config.save()
    invoice = _unpaid(customer, "FV/ACCOUNT/1")
    client = _client(customer)
    assert "92 1240 1234 0001 5678 9012 3456" in _page(client, invoice)

    config = CompanySettings.get()
    config.bank_account = "61109010140000071219812874"
    config.save()

    html = _page(client, invoice)
    assert "61 1090 1014 0000 0712 1981 2874" in html
    assert "92 1240 1234 0001 5678 9012 3456" not in html


def test_the_overdue_notice_appears_on_the_day_after_the_due_date(customer, db, monkeypatch):
    today = timezone.localdate()
    invoice = factories.make_invoice(
        customer,
        number="FV/DUE/1",
        issue_date=today - timedelta(days=14),
        sale_date=today - timedelta(days=14),
        due_date=today,
    )
    client = _client(customer)
    assert "Termin płatności minął" not in _page(client, invoice)

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + timedelta(days=1))

    assert "Termin płatności minął" in _page(client, invoice)
