"""The company logo appears on invoice PDFs and on the one-time-password letter, and in
the HTML of the operator invitation as an absolute link (no attachment)."""

import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from ebok.accounts import operators
from ebok.accounts.password_notice_pdf import PasswordNoticePdf
from ebok.accounts.services import IssuedPasswordNotice
from ebok.billing.pdf import InvoicePdfRenderer
from ebok.core.models import CompanySettings, OutgoingEmail
from tests import factories
from tests.backoffice.admin_files import image_bytes


@pytest.fixture
def with_logo(settings, tmp_path, db):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EBOK_BASE_URL = "https://ebok.mpec.example"
    cache.delete(CompanySettings.CACHE_KEY)
    config = CompanySettings.get()
    config.logo.save("logo-test.png", ContentFile(image_bytes(300, 100)), save=True)
    return config


def _images(pdf: bytes) -> list[tuple[int, int]]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return [(img.image.width, img.image.height) for img in page.images]


def test_the_invoice_pdf_carries_the_logo(with_logo, customer):
    invoice = factories.make_invoice(customer)
    _name, _type, pdf = InvoicePdfRenderer().generate(invoice)
    assert (300, 100) in _images(pdf)


def test_without_a_logo_the_invoice_has_only_its_qr_code(db, customer, settings, tmp_path):
    from django.core.cache import cache

    cache.delete(CompanySettings.CACHE_KEY)
    invoice = factories.make_invoice(customer)
    _name, _type, pdf = InvoicePdfRenderer().generate(invoice)
    assert (300, 100) not in _images(pdf)


def test_the_one_time_password_letter_carries_the_logo(with_logo, customer):
    from types import SimpleNamespace

    user = factories.make_user(customers=[customer])
    letter = IssuedPasswordNotice(
        registration=SimpleNamespace(user=user),
        login=user.username,
        password="abc123def456",
        number="HJ/2026/12/00001",
        date=date(2026, 12, 1),
        address_lines=["Wspólnota", "ul. Gdańska 12", "85-001 Bydgoszcz"],
    )
    _name, _type, pdf = PasswordNoticePdf().generate([letter])
    assert (300, 100) in _images(pdf)


def test_the_invitation_mail_links_the_logo_by_its_absolute_address(with_logo):
    operators.create_operator(username="ewa", email="ewa@mpec.example", roles=["Operator"])
    html = OutgoingEmail.objects.get().html_body
    assert '<img src="https://ebok.mpec.example/logo/"' in html
