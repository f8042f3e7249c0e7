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
