from django.utils.functional import SimpleLazyObject

from ebok.interruptions.services import banner_for_customer
from ebok.portal.scoping import current_customer, customers_for, has_several_customers


def portal(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_customer": current_customer(request),
        # The switcher's query runs only for someone acting for several customers.
        "customer_choices": (
            customers_for(request.user).only("pk", "name", "payer_code")
            if has_several_customers(request)
            else ()
        ),
    }


def interruption_banner(request):
    """`interruption_banner`: the interruptions under way at the current customer's
    sites. Lazy, so pages that do not show it (back office, anonymous pages) pay
    nothing; the portal layout pays at most one query (see banner_for_customer)."""

    def load():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        customer = current_customer(request)
        return banner_for_customer(customer.pk) if customer is not None else []

    return {"interruption_banner": SimpleLazyObject(load)}
