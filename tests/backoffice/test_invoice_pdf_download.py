"""Operators download the same stored invoice PDF the customer gets, audit-logged."""

import pytest

from ebok.core.models import AuditLogEntry
from tests import factories
from tests.billing.helpers import media_root  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("media_root")


def test_operator_gets_the_same_pdf_as_the_customer(operator_client, customer):
    invoice = factories.make_invoice(customer, number="FV/2026/10/00777")
    from django.test import Client

    customer_browser = Client()
    customer_browser.force_login(factories.make_user(customers=[customer]))
    customer_pdf = customer_browser.get(f"/faktury/{invoice.pk}/pdf/").content

    response = operator_client.get(f"/obsluga/faktury/{invoice.pk}/pdf/")

    assert response.status_code == 200
    assert response.content == customer_pdf
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    entry = AuditLogEntry.objects.get(action="billing.invoice.pdf_downloaded")
    assert entry.object_repr == "FV/2026/10/00777"


def test_customers_cannot_use_the_back_office_download(customer_client, customer):
    invoice = factories.make_invoice(customer)
    assert customer_client.get(f"/obsluga/faktury/{invoice.pk}/pdf/").status_code == 403


def test_unknown_invoice_is_404(operator_client):
    assert operator_client.get("/obsluga/faktury/999999/pdf/").status_code == 404


def test_the_back_office_customer_page_links_each_invoice_pdf(operator_client, customer):
    invoice = factories.make_invoice(customer)
    html = operator_client.get(f"/obsluga/kontrahenci/{customer.pk}/").content.decode()
    assert f'href="/obsluga/faktury/{invoice.pk}/pdf/"' in html


def test_operator_downloads_the_ksef_xml_audit_logged(operator_client, customer):
    from django.core.files.base import ContentFile

    invoice = factories.make_invoice(customer, ksef_number="1234567890-20261031-0123456789AB-CD")
    invoice.ksef_xml.save("fa3.xml", ContentFile(b"<Faktura/>"))

    response = operator_client.get(f"/obsluga/faktury/{invoice.pk}/ksef.xml")

    assert response.content == b"<Faktura/>"
    assert AuditLogEntry.objects.filter(action="billing.invoice.ksef_xml_downloaded").exists()
    other = factories.make_invoice(customer)
    assert operator_client.get(f"/obsluga/faktury/{other.pk}/ksef.xml").status_code == 404
