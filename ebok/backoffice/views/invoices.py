"""Operators download the same invoice PDFs (and KSeF XML) customers get."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from ebok.backoffice.permissions import operator_required
from ebok.billing.documents import download_response, invoice_pdf
from ebok.billing.models import Invoice
from ebok.core.audit import log_action

PERM = "accounts.view_customer_data"


@require_GET
@operator_required(PERM)
def pdf(request, pk):
    invoice = get_object_or_404(Invoice.objects.select_related("customer"), pk=pk)
    filename, content = invoice_pdf(invoice)
    log_action(
        "billing.invoice.pdf_downloaded",
        request=request,
        obj=invoice,
        data={"customer": invoice.customer.payer_code},
    )
    return download_response(filename, "application/pdf", content)


@require_GET
@operator_required(PERM)
def ksef_xml(request, pk):
    invoice = get_object_or_404(Invoice, pk=pk)
    if not invoice.ksef_xml:
        raise Http404
    with invoice.ksef_xml.open("rb") as fh:
        content = fh.read()
    log_action("billing.invoice.ksef_xml_downloaded", request=request, obj=invoice)
    return download_response(f"{invoice.ksef_number or invoice.pk}.xml", "application/xml", content)
