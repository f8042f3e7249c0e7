from django.db.models import Count, F, Q
from django.shortcuts import render
from django.utils import timezone

from ebok.backoffice.permissions import operator_required
from ebok.billing.models import Invoice
from ebok.customers.models import Customer


@operator_required()
def dashboard(request):
    """The operator's start page: what billing holds now, and where to go from here."""
    today = timezone.localdate()
    open_invoices = Q(cancelled_at__isnull=True, paid_amount__lt=F("gross_amount"))
    invoice_counts = Invoice.objects.aggregate(
        unpaid=Count("pk", filter=open_invoices & Q(in_debt_collection=False)),
        overdue=Count("pk", filter=open_invoices & Q(in_debt_collection=False, due_date__lt=today)),
        debt_collection=Count("pk", filter=open_invoices & Q(in_debt_collection=True)),
    )
    context = {
        "customer_count": Customer.objects.filter(cancelled_at__isnull=True).count(),
        "invoice_counts": invoice_counts,
        "can_view_customers": request.user.has_perm("accounts.view_customer_data"),
    }
    return render(request, "backoffice/dashboard.html", context)
