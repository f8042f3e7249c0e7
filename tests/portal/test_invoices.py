"""Faktury podgląd-pdf: the unpaid list, history, invoice page, PDF download, KSeF XML."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import escape

from ebok.billing.models import Invoice
from ebok.core.models import CompanySettings
from tests import factories
from tests.billing.helpers import media_root, pdf_text  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def config(db):
    config = CompanySettings.get()
    config.nip = "1234567890"
    config.company_short_name = "MPEC Sp. z o.o."
    config.bank_account = "92124012340001567890123456"
    config.save()
    return config


def count_queries(client, url) -> int:
    """Queries of one page view, after a warm-up request (session, login bookkeeping)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def today():
    return timezone.localdate()


def test_unpaid_list_shows_only_unpaid_invoices_outside_debt_collection(customer_client, customer):
    factories.make_invoice(customer, number="FV/A/1", due_date=today() + timedelta(days=10))
    factories.make_invoice(customer, number="FV/PAID/2", paid_amount=Decimal("984.00"))
    factories.make_invoice(customer, number="FV/DEBT/3", in_debt_collection=True)
    factories.make_invoice(customer, number="FV/CANCEL/4", cancelled_at=timezone.now())

    html = customer_client.get("/faktury/").content.decode()

    assert "FV/A/1" in html
    assert "FV/PAID/2" not in html
    assert "FV/DEBT/3" not in html
    assert "FV/CANCEL/4" not in html
    assert "nie są objęte procesem windykacji" in html
    assert "984,00 zł" in html


def test_overdue_invoices_are_highlighted_and_show_what_remains(customer_client, customer):
    factories.make_invoice(
        customer,
        number="FV/LATE/1",
        issue_date=today() - timedelta(days=40),
        sale_date=today() - timedelta(days=40),
        due_date=today() - timedelta(days=5),
        paid_amount=Decimal("84.00"),
    )

    html = customer_client.get("/faktury/").content.decode()

    assert 'class="overdue"' in html
    assert "po terminie" in html
    assert "900,00 zł" in html  # 984 - 84


def test_unpaid_list_says_so_when_nothing_is_owed(customer_client):
    assert "Nie ma niezapłaconych faktur." in customer_client.get("/faktury/").content.decode()


def test_history_filters_by_date_range_and_status(customer_client, customer):
    factories.make_invoice(
        customer,
        number="FV/2025/01",
        issue_date=date(2025, 1, 31),
        sale_date=date(2025, 1, 31),
        due_date=date(2025, 2, 14),
        paid_amount=Decimal("984.00"),
    )
    factories.make_invoice(
        customer,
        number="FV/2026/01",
        issue_date=date(2026, 1, 31),
        sale_date=date(2026, 1, 31),
        due_date=date(2026, 2, 14),
    )

    html = customer_client.get("/faktury/historia/").content.decode()
    assert "FV/2025/01" in html and "FV/2026/01" in html

    html = customer_client.get("/faktury/historia/", {"od": "2026-01-01"}).content.decode()
    assert "FV/2025/01" not in html and "FV/2026/01" in html

    html = customer_client.get("/faktury/historia/", {"do": "2025-12-31"}).content.decode()
    assert "FV/2025/01" in html and "FV/2026/01" not in html

    # A bookmark from before od/do still filters.
    html = customer_client.get("/faktury/historia/", {"date_from": "2026-01-01"}).content.decode()
    assert "FV/2025/01" not in html and "FV/2026/01" in html

    html = customer_client.get("/faktury/historia/", {"status": "paid"}).content.decode()
    assert "FV/2025/01" in html and "FV/2026/01" not in html


def test_history_rejects_a_reversed_date_range_and_keeps_the_input(customer_client):
    html = customer_client.get(
        "/faktury/historia/", {"od": "2026-05-01", "do": "2026-01-01"}
    ).content.decode()
    assert "Data „od” jest późniejsza niż data „do”." in html
    assert 'value="2026-05-01"' in html and 'value="2026-01-01"' in html


@pytest.mark.parametrize("url", ["/faktury/historia/", "/faktury/saldo/"])
@pytest.mark.parametrize("value", ["garbage", "2026-13-45", "31.02.2026", "<b>1</b>"])
def test_a_date_that_is_not_a_date_is_a_polish_error_that_keeps_the_input(
    customer_client, customer, url, value
):
    factories.make_invoice(customer, number="FV/2026/01")
    response = customer_client.get(url, {"od": value, "do": "2026-12-31"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Popraw błędy zaznaczone poniżej." in html and "Wpisz poprawną datę." in html
    assert f'value="{escape(value)}"' in html and 'value="2026-12-31"' in html
    assert "FV/2026/01" in html  # an invalid filter filters nothing


@pytest.mark.parametrize("url", ["/faktury/historia/", "/faktury/saldo/"])
def test_very_long_filter_values_are_an_error_not_a_crash(customer_client, url):
    response = customer_client.get(url, {"od": "2026-01-01" * 400, "do": "9" * 4000})
    assert response.status_code == 200
    assert response.content.decode().count("Wpisz poprawną datę.") == 2


def test_the_balance_rejects_a_reversed_date_range_and_keeps_the_input(customer_client):
    html = customer_client.get(
        "/faktury/saldo/", {"od": "2026-05-01", "do": "2026-01-01"}
    ).content.decode()
    assert "Data „od” jest późniejsza niż data „do”." in html
    assert 'value="2026-05-01"' in html and 'value="2026-01-01"' in html


def test_the_balance_shows_the_last_twelve_months_until_filtered(customer_client, customer):
    today = timezone.localdate()
    start = today.replace(year=today.year - 1, day=1)
    html = customer_client.get("/faktury/saldo/").content.decode()
    assert 'name="od"' in html and f'value="{start.isoformat()}"' in html
    assert 'name="do"' in html and "Wpisz poprawną datę." not in html
    html = customer_client.get("/faktury/saldo/", {"od": "2026-01-01"}).content.decode()
    assert 'href="/faktury/saldo/eksport.csv?od=2026-01-01"' in html
    assert 'href="/faktury/saldo/pdf/?od=2026-01-01"' in html


def test_history_pages_through_many_invoices(customer_client, customer):
    for i in range(25):
        factories.make_invoice(customer, number=f"FV/P/{i:03d}")
    first = customer_client.get("/faktury/historia/").content.decode()
    second = customer_client.get("/faktury/historia/", {"strona": 2}).content.decode()
    assert "Strona 1 z 2" in first
    assert first.count("/pdf/") == 20
    assert second.count("/pdf/") == 5


def test_history_pages_and_downloads_keep_the_filter(customer_client, customer):
    for i in range(25):
        factories.make_invoice(customer, number=f"FV/P/{i:03d}")
    query = {"od": "2026-01-01", "do": "2026-12-31", "status": "unpaid"}
    html = customer_client.get("/faktury/historia/", query).content.decode()
    carried = "od=2026-01-01&amp;do=2026-12-31&amp;status=unpaid"
    assert f'href="?{carried}&amp;strona=2"' in html
    assert f'href="/faktury/eksport.csv?{carried}"' in html
    assert f'href="/faktury/eksport.xlsx?{carried}"' in html
    # An old bookmark's names are carried under the current ones.
    html = customer_client.get(
        "/faktury/historia/", {"date_from": "2026-01-01", "strona": "2"}
    ).content.decode()
    assert 'href="?od=2026-01-01&amp;strona=1"' in html
    assert 'href="/faktury/eksport.csv?od=2026-01-01"' in html


@pytest.mark.parametrize("url", ["/faktury/", "/faktury/historia/", "/faktury/saldo/", "/"])
def test_invoice_pages_use_a_constant_number_of_queries(customer_client, customer, url):
    factories.make_invoice(
        customer,
        due_date=date(2026, 1, 14),
        issue_date=date(2025, 12, 31),
        sale_date=date(2025, 12, 31),
    )
    factories.make_payment(customer)
    few = count_queries(customer_client, url)
    for i in range(30):
        issued = today() - timedelta(days=i + 14)
        factories.make_invoice(
            customer, issue_date=issued, sale_date=issued, due_date=issued + timedelta(days=14)
        )
        factories.make_payment(customer, paid_on=today() - timedelta(days=i))
    assert count_queries(customer_client, url) == few


def test_invoice_page_shows_lines_vat_summary_payments_and_payment_qr(
    config, customer_client, customer
):
    invoice = factories.make_invoice(
        customer, number="FV/2026/10/00099", due_date=today() + timedelta(days=3)
    )
    factories.make_payment(
        customer, invoice=invoice, amount=Decimal("100.00"), title="Przelew częściowy"
    )
    Invoice.objects.filter(pk=invoice.pk).update(paid_amount=Decimal("100.00"))

    html = customer_client.get(f"/faktury/{invoice.pk}/").content.decode()

    assert "FV/2026/10/00099" in html
    assert "Opłata za ciepło" in html
    assert "Podsumowanie VAT" in html
    assert "23%" in html
    assert "Przelew częściowy" in html
    assert "884,00 zł" in html
    assert "Kod QR do płatności" in html
    assert "<svg" in html
    assert "style=" not in html
    assert "KSeF" not in html


def test_invoice_page_shows_ksef_number_xml_and_verification_code_apart(
    config, customer_client, customer
):
    invoice = factories.make_invoice(customer, ksef_number="1234567890-20261031-0123456789AB-CD")
    invoice.ksef_xml.save("fa3.xml", ContentFile(b"<Faktura>FA(3)</Faktura>"))

    html = customer_client.get(f"/faktury/{invoice.pk}/").content.decode()

    assert "1234567890-20261031-0123456789AB-CD" in html
    assert "https://qr.ksef.mf.gov.pl/invoice/1234567890/31-10-2026/" in html
    assert "to nie jest kod do płatności" in html
    xml = customer_client.get(f"/faktury/{invoice.pk}/ksef.xml")
    assert xml.status_code == 200
    assert (
        b"".join(xml.streaming_content if xml.streaming else [xml.content])
        == b"<Faktura>FA(3)</Faktura>"
    )
    assert "no-store" in xml["Cache-Control"]


def test_pdf_is_rendered_once_stored_and_served_as_a_private_download(
    config, customer_client, customer
):
    invoice = factories.make_invoice(customer, number="FV/2026/10/00100")

    response = customer_client.get(f"/faktury/{invoice.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="faktura-FV-2026-10-00100.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "FV/2026/10/00100" in pdf_text(response.content)
    invoice.refresh_from_db()
    assert invoice.pdf.name
    # The snapshot is what later downloads get, byte for byte.
    assert customer_client.get(f"/faktury/{invoice.pk}/pdf/").content == response.content


def test_the_pdf_billing_delivered_is_served_as_it_is(customer_client, customer):
    invoice = factories.make_invoice(customer)
    invoice.pdf.save("billing.pdf", ContentFile(b"%PDF-1.4 from billing"))

    response = customer_client.get(f"/faktury/{invoice.pk}/pdf/")

    assert response.content == b"%PDF-1.4 from billing"


def test_logged_out_visitors_are_sent_to_the_login_page(client, customer):
    invoice = factories.make_invoice(customer)
    for url in ["/faktury/", f"/faktury/{invoice.pk}/", f"/faktury/{invoice.pk}/pdf/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/logowanie/" in response["Location"]


def test_an_invoice_billing_cancelled_is_gone_for_the_customer(customer_client, customer):
    invoice = factories.make_invoice(customer, cancelled_at=timezone.now())
    assert customer_client.get(f"/faktury/{invoice.pk}/").status_code == 404
    assert customer_client.get(f"/faktury/{invoice.pk}/pdf/").status_code == 404
