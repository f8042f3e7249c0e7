from django.utils.functional import SimpleLazyObject

from ebok.interruptions.services import banner_for_customer
from ebok.portal.scoping import current_customer, customers_for, has_several_customers


def portal(request):
    """`current_customer` and `customer_choices` (the header's switcher), both lazy: a
    page that does not show them (the back office, anonymous pages) runs no query."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}

    def choices():
        # The switcher's query runs only for someone acting for several customers.
        if has_several_customers(request):
            return list(customers_for(request.user).only("pk", "name", "payer_code"))
        return []

    return {
        "current_customer": SimpleLazyObject(lambda: current_customer(request)),
        "customer_choices": SimpleLazyObject(choices),
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
