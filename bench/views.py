"""The two floors `make bench` compares every page with. Routed only when EBOK_BENCH is
set (bench/urls.py)."""

from django.shortcuts import render

from ebok.core.models import AuditLogEntry
from ebok.core.pages import render_page
from ebok.portal.scoping import customer_required


def floor(request):
    """The framework floor: anonymous, one query, a ~2 kB template with 20 rows."""
    rows = list(AuditLogEntry.objects.order_by("id")[:20])
    return render(request, "bench/floor.html", {"rows": rows})


@customer_required
def chrome_floor(request):
    """The chrome floor: an empty page in the portal's full layout behind the same login
    and customer scoping as every portal page, rendered as the portal's pages are
    (core.pages.render_page)."""
    return render_page(request, "bench/chrome.html")
