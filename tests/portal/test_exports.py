"""Exports of invoices, the balance statement and readings to CSV and XLSX."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests import factories


def xlsx_rows(content: bytes):
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_invoices_export_csv_opens_in_a_polish_spreadsheet(customer_client, customer):
    factories.make_invoice(customer, number="FV/2026/10/00001")

    response = customer_client.get("/faktury/eksport.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="faktury-')
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("Numer;Rodzaj;Data wystawienia")
    assert row.startswith("FV/2026/10/00001;faktura VAT;2026-10-31;2026-11-14;800,00;184,00;984,00")


def test_invoices_export_xlsx_holds_real_dates_and_numbers(customer_client, customer):
    factories.make_invoice(customer, number="FV/2026/10/00002")

    rows = xlsx_rows(customer_client.get("/faktury/eksport.xlsx").content)

    assert rows[0][0] == "Numer"
    number, _kind, issued, due, net, _vat, gross = rows[1][:7]
    assert number == "FV/2026/10/00002"
    assert issued == datetime(2026, 10, 31)
    assert due == datetime(2026, 11, 14)
    assert net == 800 and gross == 984


def test_invoices_export_honours_the_history_filter(customer_client, customer):
    factories.make_invoice(
        customer,
        number="FV/OLD",
        issue_date=date(2024, 1, 31),
        sale_date=date(2024, 1, 31),
        due_date=date(2024, 2, 14),
    )
    factories.make_invoice(customer, number="FV/NEW")
    text = customer_client.get("/faktury/eksport.csv", {"od": "2026-01-01"}).content.decode(
        "utf-8-sig"
    )
    assert "FV/NEW" in text and "FV/OLD" not in text
    text = customer_client.get("/faktury/eksport.csv", {"do": "2025-12-31"}).content.decode(
        "utf-8-sig"
    )
    assert "FV/NEW" not in text and "FV/OLD" in text


@pytest.mark.parametrize(
    "url", ["/faktury/eksport.csv", "/faktury/saldo/eksport.xlsx", "/faktury/saldo/pdf/"]
)
@pytest.mark.parametrize(
    "query",
    [{"od": "garbage"}, {"od": "2026-13-45"}, {"od": "2026-05-01", "do": "2026-01-01"}],
)
def test_a_download_with_a_bad_filter_is_the_unfiltered_list_not_an_error(
    customer_client, customer, url, query
):
    factories.make_invoice(customer, number="FV/NEW")
    assert customer_client.get(url, query).status_code == 200


def test_statement_export_has_running_balance_and_totals(customer_client, customer):
    factories.make_invoice(
        customer,
        number="FV/S/1",
        issue_date=date(2026, 9, 30),
        sale_date=date(2026, 9, 30),
        due_date=date(2026, 10, 14),
    )
    factories.make_payment(
        customer, paid_on=date(2026, 10, 10), amount=Decimal("500.00"), title="Przelew"
    )

    rows = xlsx_rows(
        customer_client.get("/faktury/saldo/eksport.xlsx", {"od": "2026-01-01"}).content
    )

    assert rows[1][1] == "Saldo początkowe"
    assert rows[2][1] == "FV/S/1" and rows[2][4] == 984 and rows[2][6] == 984
    assert rows[3][1] == "Przelew" and rows[3][5] == 500 and rows[3][6] == 484
    assert rows[-1][1] == "Razem" and rows[-1][6] == 484


def test_statement_pdf_downloads(customer_client, customer):
    factories.make_invoice(customer)
    response = customer_client.get("/faktury/saldo/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


def test_readings_export(customer_client, customer):
    meter = factories.make_meter(customer, serial_number="65215917")
    factories.make_reading(
        meter, read_on=date(2026, 10, 31), value=Decimal("1234.500"), consumption=Decimal("45.250")
    )

    csv_text = customer_client.get(f"/liczniki/{meter.pk}/eksport.csv").content.decode("utf-8-sig")
    assert "65215917;2026-10-31;1234,5;45,25;GJ;zdalny" in csv_text

    rows = xlsx_rows(customer_client.get(f"/liczniki/{meter.pk}/eksport.xlsx").content)
    assert rows[1][1] == datetime(2026, 10, 31)
    assert rows[1][2] == 1234.5


def test_unknown_format_is_404(customer_client, customer):
    assert customer_client.get("/faktury/eksport.exe").status_code == 404
