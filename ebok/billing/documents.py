"""Invoice documents as stored snapshots.

The PDF billing delivered is served as it is. Without one, the invoice is rendered once
from its data and the result is stored on the invoice, so every later download (by the
customer or an operator) gets exactly the same document. Recent invoices are rendered by
a task the import enqueues (`queue_invoice_pdfs`), so even the first download is served
from the stored snapshot; rendering at the first download stays as the fallback.
"""

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django_tasks import task

from ebok.billing.models import Invoice
from ebok.billing.pdf import InvoicePdfRenderer


def invoice_pdf(invoice: Invoice) -> tuple[str, bytes]:
    """The invoice's PDF as (filename, bytes), rendering and storing it the first time."""
    if not invoice.pdf:
        with transaction.atomic():
            # Lock the row: two first downloads at once store one snapshot, not two.
            locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
            if not locked.pdf:
                filename, _mimetype, content = InvoicePdfRenderer().generate(locked)
                locked.pdf.save(filename, ContentFile(content), save=False)
                Invoice.objects.filter(pk=locked.pk).update(pdf=locked.pdf.name)
            invoice.pdf = locked.pdf
    with invoice.pdf.open("rb") as fh:
        content = fh.read()
    safe = "".join(ch if ch.isalnum() else "-" for ch in invoice.number).strip("-")
    return f"faktura-{safe}.pdf", content


def download_response(filename: str, mimetype: str, content: bytes) -> HttpResponse:
    """A private download: attachment, never cached by the browser or a proxy."""
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Invoices issued within this many days are rendered when imported (the ones customers
# open first); older ones, e.g. from the first load of billing's history, are rendered
# at their first download.
PRERENDER_DAYS = 62
PRERENDER_BATCH = 50


@task()
def render_invoice_pdfs(invoice_ids: list[int]) -> int:
    """Render and store the PDFs of these invoices that have none yet. Returns how many
    were rendered."""
    rendered = 0
    for invoice in Invoice.objects.filter(pk__in=invoice_ids, cancelled_at__isnull=True, pdf=""):
        invoice_pdf(invoice)
        rendered += 1
    return rendered


def queue_invoice_pdfs(invoices: list[tuple[int, date]], today: date | None = None) -> int:
    """Enqueue the rendering of recent invoices' PDFs, in the caller's transaction, so the
    first download is served from the stored snapshot. `invoices` are (id, issue date)
    of invoices billing sent without a PDF. Returns how many were queued."""
    today = today or timezone.localdate()
    recent = sorted(pk for pk, issued in invoices if (today - issued).days <= PRERENDER_DAYS)
    for start in range(0, len(recent), PRERENDER_BATCH):
        render_invoice_pdfs.enqueue(recent[start : start + PRERENDER_BATCH])
    return len(recent)
