from django.utils.functional import SimpleLazyObject


def banner(request):
    """`interruption_banner`: the interruptions under way at the current customer's
    sites. Lazy, so pages that do not show it (back office, anonymous pages) pay
    nothing; the portal layout pays at most one query (see services.banner_for_customer)."""

    def load():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        from ebok.interruptions.services import banner_for_customer
        from ebok.portal.scoping import current_customer

        customer = current_customer(request)
        return banner_for_customer(customer.pk) if customer is not None else []

    return {"interruption_banner": SimpleLazyObject(load)}
