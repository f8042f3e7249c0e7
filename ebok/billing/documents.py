"""Invoice documents as stored snapshots.

The PDF billing delivered is served as it is. Without one, the invoice is rendered once
from its data and the result is stored on the invoice, so every later download (by the
customer or an operator) gets exactly the same document.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse

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
