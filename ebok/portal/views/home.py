from django.db.models import F, Sum
from django.shortcuts import redirect, render
from django.utils import timezone

from ebok.billing.models import Invoice
from ebok.portal.forms import LoginForm
from ebok.portal.scoping import current_customer


def home(request):
    """Anonymous: the login form and public links. Logged in: the start page."""
    if not request.user.is_authenticated:
        return render(request, "portal/welcome.html", {"form": LoginForm(request)})
    customer = current_customer(request)
    if customer is None:
        if request.user.is_operator:
            # An operator acting for no customer logs in at /logowanie/ to work in /obsluga/.
            return redirect("backoffice:dashboard")
        return render(request, "portal/no_customer.html", status=403)
    today = timezone.localdate()
    unpaid = Invoice.objects.filter(
        customer=customer, in_debt_collection=False, cancelled_at__isnull=True
    ).exclude(paid_amount__gte=F("gross_amount"))
    totals = unpaid.aggregate(gross=Sum("gross_amount"), paid=Sum("paid_amount"))
    overdue = unpaid.filter(due_date__lt=today).aggregate(
        gross=Sum("gross_amount"), paid=Sum("paid_amount")
    )
    context = {
        "customer": customer,
        "unpaid_count": unpaid.count(),
        "unpaid_total": (totals["gross"] or 0) - (totals["paid"] or 0),
        "overdue_total": (overdue["gross"] or 0) - (overdue["paid"] or 0),
        "next_due": unpaid.filter(due_date__gte=today).order_by("due_date").first(),
    }
    return render(request, "portal/home.html", context)



def logo(request):
    """The company logo from the site configuration (uploaded by an administrator)."""
    import mimetypes

    from django.http import FileResponse, Http404

    from ebok.core.models import SiteConfiguration

    config = SiteConfiguration.get()
    if not config.logo:
        raise Http404
    content_type = mimetypes.guess_type(config.logo.name)[0] or "application/octet-stream"
    if content_type not in {"image/png", "image/jpeg", "image/svg+xml", "image/webp"}:
        raise Http404
    response = FileResponse(config.logo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
