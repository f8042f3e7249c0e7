from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ebok.accounts.models import Registration
from ebok.billing.summary import billing_stamp
from ebok.contracts.models import Contract
from ebok.core import jinja
from ebok.core.fields import INT64_MAX
from ebok.core.fragments import cached_fragment
from ebok.core.pages import render_page
from ebok.core.rows import RowReader
from ebok.portal.scoping import customer_required, switch_customer

# The user's latest registration for the customer that was not rejected
# (customer, user, the rejected status), by a statement written once.
_REGISTRATION = RowReader(
    Registration,
    "customer",
    condition="t.user_id = %s AND t.status <> %s",
    order_by="t.created_at DESC, t.id DESC",
    limit=1,
)


@customer_required
def detail(request):
    customer = request.customer
    # What the user agreed to when they registered for this customer (recorded by
    # accounts.Registration): shown so the customer can see their consents.
    registration = _REGISTRATION.get(customer.pk, request.user.pk, Registration.Status.REJECTED)
    context = {
        "customer": customer,
        "contracts_section": _contracts_section(customer),
        "registration": registration,
    }
    return render_page(request, "portal/customer_page.html", context)


def _contracts_section(customer):
    """The contracts, rendered once per customer, billing stamp and language (an import of
    contracts or sites renews the stamp; ebok/core/fragments.py)."""

    def render_section():
        contracts = Contract.objects.filter(
            customer=customer, cancelled_at__isnull=True
        ).select_related("site")
        return jinja.render("portal/customer_contracts.html", {"contracts": contracts})

    stamp = billing_stamp(customer, timezone.localdate())
    return cached_fragment("customer-contracts", customer.pk, stamp, (), render_section)


@require_POST
@customer_required
def switch(request):
    try:
        customer_id = int(request.POST.get("customer", ""))
    except ValueError:
        customer_id = None
    if customer_id is None or not 1 <= customer_id <= INT64_MAX:
        return render(request, "400.html", status=400)
    switch_customer(request, customer_id)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "portal:home"
    return redirect(target)
