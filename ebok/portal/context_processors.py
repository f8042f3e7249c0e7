from ebok.portal.scoping import current_customer, customers_for


def portal(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_customer": current_customer(request),
        "customer_choices": customers_for(request.user).only("pk", "name", "payer_code"),
    }
