"""Account summaries follow every ORM write of billing data.

The billing import writes in bulk (COPY, executemany) and keeps the summaries itself
(ebok/integration/importer.py); these handlers cover every other path that saves or
deletes an invoice, an invoice line, a payment, a site, a contract, a meter or a reading
through the ORM (the admin, a maintenance script, the tests' factories), in the same
transaction as the write.
"""

from django.db.models.signals import post_delete, post_save

from ebok.billing.models import Invoice, InvoiceLine, Payment
from ebok.billing.summary import refresh_account_summaries, touch_account_summaries
from ebok.contracts.models import Contract, Meter, Reading, Site


def _refresh(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_account_summaries([instance.customer_id])


def _touch_customer(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_account_summaries([instance.customer_id])


def _touch_reading(sender, instance, raw=False, **kwargs):
    if not raw:
        customer_id = Meter.objects.filter(pk=instance.meter_id).values_list(
            "customer_id", flat=True
        )
        touch_account_summaries(customer_id)


def _touch_invoice_line(sender, instance, raw=False, **kwargs):
    # The invoice page is cached under the stamp; the import writes lines in bulk with
    # their invoices (and renews the stamp itself).
    if not raw:
        customer_id = Invoice.objects.filter(pk=instance.invoice_id).values_list(
            "customer_id", flat=True
        )
        touch_account_summaries(customer_id)


def connect():
    for model in (Invoice, Payment):
        post_save.connect(_refresh, sender=model, dispatch_uid=f"summary-{model.__name__}")
        post_delete.connect(_refresh, sender=model, dispatch_uid=f"summary-del-{model.__name__}")
    for model in (Site, Contract, Meter):
        post_save.connect(
            _touch_customer, sender=model, dispatch_uid=f"summary-{model.__name__.lower()}"
        )
    post_save.connect(_touch_reading, sender=Reading, dispatch_uid="summary-reading")
    post_save.connect(_touch_invoice_line, sender=InvoiceLine, dispatch_uid="summary-invoiceline")
    post_delete.connect(
        _touch_invoice_line, sender=InvoiceLine, dispatch_uid="summary-del-invoiceline"
    )
