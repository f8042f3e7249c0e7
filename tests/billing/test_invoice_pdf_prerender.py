"""Invoice PDFs are rendered by a task the import enqueues, so the first download is
served from the stored snapshot; rendering at the first download stays as the fallback."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ebok.billing.models import Invoice
from ebok.billing.pdf import InvoicePdfRenderer
from ebok.integration.importer import import_records
from tests import factories
from tests.billing.helpers import pdf_text
from tests.integration import records


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _recent(ext, days_ago=5, **kw):
    issued = timezone.localdate() - timedelta(days=days_ago)
    dates = {
        "issue_date": issued.isoformat(),
        "sale_date": issued.isoformat(),
        "due_date": (issued + timedelta(days=14)).isoformat(),
    }
    return records.invoice(ext, number=f"FV/{ext}", **dates, **kw)


# The worker closes connections between tasks: on PostgreSQL that needs real commits.
@pytest.mark.django_db(transaction=True)
def test_importing_a_recent_invoice_queues_its_pdf_and_the_worker_stores_it(
    needs_pdf_fonts, db, run_tasks
):
    import_records("customers", [records.customer("C1")])
    import_records("invoices", [_recent("F1")])
    invoice = Invoice.objects.get(external_id="F1")
    assert not invoice.pdf
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_tasks()

    invoice.refresh_from_db()
    assert invoice.pdf
    assert "FV/F1" in pdf_text(invoice.pdf.open("rb").read())


@pytest.mark.django_db(transaction=True)
def test_the_first_download_after_the_task_does_not_render_again(
    db, run_tasks, client, monkeypatch
):
    import_records("customers", [records.customer("C1")])
    import_records("invoices", [_recent("F1")])
    run_tasks()
    invoice = Invoice.objects.get(external_id="F1")
    client.force_login(factories.make_user(customers=[invoice.customer]))

    def no_rendering(self, obj):
        raise AssertionError("the stored PDF should have been served")

    monkeypatch.setattr(InvoicePdfRenderer, "generate", no_rendering)
    response = client.get(f"/faktury/{invoice.pk}/pdf/")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_old_invoices_and_invoices_with_billings_pdf_are_not_queued(db):
    import_records("customers", [records.customer("C1")])
    import_records("invoices", [_recent("OLD", days_ago=400)])
    assert not DBTaskResult.objects.exists()
    pdf = b"%PDF-1.4 billing's own"
    import base64

    import_records("invoices", [_recent("OWN", pdf_base64=base64.b64encode(pdf).decode())])
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize("count", [1, 120])
def test_a_large_import_queues_the_pdfs_in_batches_of_fifty(db, count):
    import_records("customers", [records.customer("C1")])
    import_records("invoices", [_recent(f"F{i}") for i in range(count)])
    assert DBTaskResult.objects.count() == (count + 49) // 50


def test_without_the_task_the_first_download_renders_and_stores_the_pdf(customer, customer_client):
    invoice = factories.make_invoice(customer, number="FV/2026/10/00077")
    response = customer_client.get(f"/faktury/{invoice.pk}/pdf/")
    assert response.status_code == 200
    invoice.refresh_from_db()
    assert invoice.pdf
