"""The rendered invoice PDF: the right text, Polish letters, and a payment QR that decodes."""

from decimal import Decimal

import pytest

from ebok.billing.pdf import InvoicePdfRenderer, StatementPdfRenderer
from ebok.billing.services import statement
from ebok.core.models import CompanySettings
from tests import factories
from tests.billing.helpers import pdf_qr_codes, pdf_text

COMPANY_ACCOUNT = "92124012340001567890123456"
CUSTOMER_ACCOUNT = "61109010140000071219812874"


@pytest.fixture
def config(db):
    config = CompanySettings.get()
    config.company_name = "Miejskie Przedsiębiorstwo Energetyki Cieplnej Sp. z o.o."
    config.company_short_name = "MPEC Sp. z o.o."
    config.nip = "1234567890"
    config.street = "ul. Żółkiewskiego 5"
    config.postal_code = "85-001"
    config.city = "Bydgoszcz"
    config.bank_account = COMPANY_ACCOUNT
    config.save()
    return config


def heat(quantity, price="80.0000"):
    return {
        "component": "heat",
        "description": "Opłata za ciepło — źródło ąćęłńóśźż",
        "quantity": Decimal(quantity),
        "unit": "GJ",
        "unit_price": Decimal(price),
        "vat_rate": Decimal("23.00"),
    }


def test_pdf_holds_number_amounts_parties_and_polish_letters(config, customer):
    invoice = factories.make_invoice(customer, number="FV/2026/10/00042", lines=[heat("10")])

    filename, mimetype, content = InvoicePdfRenderer().generate(invoice)
    text = pdf_text(content)

    assert filename == "faktura-FV-2026-10-00042.pdf"
    assert mimetype == "application/pdf"
    assert "Faktura VAT nr FV/2026/10/00042" in text
    assert "984,00 zł" in text  # 800 net + 184 VAT
    assert "800,00 zł" in text
    assert "Miejskie Przedsiębiorstwo Energetyki Cieplnej" in text
    assert "Wspólnota Mieszkaniowa ul. Gdańska 12" in text
    assert "ąćęłńóśźż" in text
    assert "Termin płatności: 14-11-2026" in text
    assert "92 1240 1234 0001 5678 9012 3456" in text


def test_payment_qr_decodes_to_the_exact_payload(config, customer):
    invoice = factories.make_invoice(customer, number="FV/2026/10/00043", lines=[heat("10")])

    _name, _type, content = InvoicePdfRenderer().generate(invoice)

    assert pdf_qr_codes(content) == [
        f"1234567890|PL|{COMPANY_ACCOUNT}|098400|MPEC Sp. z o.o.|FV/2026/10/00043|||"
    ]


def test_above_9999_99_zl_the_code_has_no_amount_and_the_pdf_says_so(config, customer):
    invoice = factories.make_invoice(customer, number="FV/2026/10/00044", lines=[heat("200")])
    assert invoice.gross_amount == Decimal("19680.00")

    _name, _type, content = InvoicePdfRenderer().generate(invoice)

    assert pdf_qr_codes(content) == [
        f"1234567890|PL|{COMPANY_ACCOUNT}|000000|MPEC Sp. z o.o.|FV/2026/10/00044|||"
    ]
    text = " ".join(pdf_text(content).split())
    assert "19 680,00 zł" in text
    assert "kod QR nie zawiera kwoty" in text


def test_the_customers_individual_account_is_used_when_billing_gives_one(config, customer):
    customer.bank_account = CUSTOMER_ACCOUNT
    customer.save()
    invoice = factories.make_invoice(customer, number="FV/2026/10/00045", lines=[heat("1")])

    _name, _type, content = InvoicePdfRenderer().generate(invoice)

    assert "61 1090 1014 0000 0712 1981 2874" in pdf_text(content)
    assert pdf_qr_codes(content)[0].split("|")[2] == CUSTOMER_ACCOUNT


def test_a_correction_with_a_negative_amount_has_no_payment_code(config, customer):
    original = factories.make_invoice(customer, number="FV/2026/10/00046")
    correction = factories.make_invoice(
        customer,
        number="FK/2026/10/00001",
        kind="correction",
        corrected_invoice=original,
        lines=[heat("-1")],
    )

    _name, _type, content = InvoicePdfRenderer().generate(correction)
    text = pdf_text(content)

    assert "Faktura korygująca nr FK/2026/10/00001" in text
    assert "Do zwrotu" in text
    assert pdf_qr_codes(content) == []


def test_a_missing_font_fails_loudly(settings, tmp_path, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured
    from reportlab.pdfbase import pdfmetrics

    from ebok.core import pdf_fonts

    settings.EBOK_PDF_FONT_DIR = str(tmp_path)
    monkeypatch.setattr(pdfmetrics, "getRegisteredFontNames", lambda: [])
    with pytest.raises(ImproperlyConfigured, match="fonts-dejavu-core"):
        pdf_fonts.register_fonts()


def test_statement_pdf_lists_documents_and_totals(config, customer):
    from datetime import date

    factories.make_invoice(
        customer,
        number="FV/2026/09/00001",
        issue_date=date(2026, 9, 30),
        due_date=date(2026, 10, 14),
    )
    factories.make_payment(
        customer, paid_on=date(2026, 10, 10), amount=Decimal("500.00"), title="Przelew wrzesień"
    )

    st = statement(customer, today=date(2026, 11, 23))
    filename, _type, content = StatementPdfRenderer().generate(st)
    text = pdf_text(content)

    assert filename.startswith(f"saldo-{customer.payer_code}-")
    assert "FV/2026/09/00001" in text
    assert "Przelew wrzesień" in text
    assert "484,00 zł" in text  # 984 - 500
    assert "Saldo płatności" in text


def test_the_stored_pdf_is_polish_even_when_an_english_user_downloads_it_first(
    config, customer_client, customer
):
    invoice = factories.make_invoice(customer, lines=[heat("10")])
    customer_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    english_first = customer_client.get(f"/faktury/{invoice.pk}/pdf/")

    text = pdf_text(
        b"".join(english_first.streaming_content)
        if english_first.streaming
        else english_first.content
    )
    assert "Faktura VAT" in text
    assert "VAT invoice" not in text
