"""The one way portal views reach customer data.

`customer_required` puts the customer the logged-in user currently acts for on
`request.customer`; `owned_or_404` fetches an object only if it belongs to that customer.
Anything else is a 404: an outsider cannot tell a foreign id from a missing one.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from ebok.core.fields import INT64_MAX
from ebok.core.rows import RowReader
from ebok.customers.models import Customer, CustomerAccess

SESSION_KEY = "ebok_customer_id"
# How many customers the user may act for, counted in the same query that loads the
# current customer: the customer switcher (a query) is built only when it is more than
# one, and an access granted meanwhile shows in the switcher at the next page.
COUNT_SESSION_KEY = "ebok_customer_count"


def customers_for(user):
    return Customer.objects.filter(accesses__user=user).order_by("name")


def current_customer(request) -> Customer | None:
    """The customer the user acts for now: the one chosen in the session, else the first.

    One query per request: the chosen customer by primary key, joined with the user's
    access to it (so a revoked access takes effect at the next page) and annotated with
    the number of customers the user may act for.
    """
    if not request.user.is_authenticated:
        return None
    if hasattr(request, "_ebok_customer"):
        return request._ebok_customer
    chosen = request.session.get(SESSION_KEY)
    customers = customers_for(request.user)
    customer = None
    if chosen is not None:
        customer = _chosen_customer(chosen, request.user.pk)
        if customer is not None and request.session.get(COUNT_SESSION_KEY) != customer.access_count:
            request.session[COUNT_SESSION_KEY] = customer.access_count  # a write: only on change
    if customer is None:
        customer = customers.first()
        request.session[COUNT_SESSION_KEY] = customers.count() if customer is not None else 0
        if customer is not None:
            request.session[SESSION_KEY] = customer.pk
    request._ebok_customer = customer
    return customer


# The chosen customer if the user may act for it, with the number of customers the user
# may act for (parameters: user, customer, user).
_CHOSEN = RowReader(
    Customer,
    "id",
    extra=(
        (
            "access_count",
            f'SELECT COUNT(*) FROM "{CustomerAccess._meta.db_table}" n WHERE n.user_id = %s',  # noqa: S608 - model table
        ),
    ),
    condition=(
        f'EXISTS (SELECT 1 FROM "{CustomerAccess._meta.db_table}" a'  # noqa: S608 - model table
        " WHERE a.customer_id = t.id AND a.user_id = %s)"
    ),
)


def _chosen_customer(customer_id, user_id) -> Customer | None:
    """The chosen customer if the user may still act for it, with `access_count`.

    Read by a statement written once (core/rows.py) because it runs on every portal page:
    building the same query with the ORM cost more than running it (docs/performance.md)."""
    try:
        customer_id = int(customer_id)
    except (TypeError, ValueError):
        return None
    if not 1 <= customer_id <= INT64_MAX:
        return None
    return _CHOSEN.get(user_id, customer_id, user_id)


def has_several_customers(request) -> bool:
    """Whether the user acts for more than one customer (a property manager)."""
    current_customer(request)
    return request.session.get(COUNT_SESSION_KEY, 2) > 1


def switch_customer(request, customer_id) -> Customer:
    customer = customers_for(request.user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    request.session[SESSION_KEY] = customer.pk
    request._ebok_customer = customer
    return customer


def customer_required(view):
    """Login required, and the user must act for a customer (`request.customer`)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        customer = current_customer(request)
        if customer is None:
            return render(request, "portal/no_customer.html", status=403)
        request.customer = customer
        return view(request, *args, **kwargs)

    return wrapper


def owned_or_404(queryset, customer, customer_field="customer", **lookup):
    """Get one object of `queryset` that belongs to `customer`, or raise 404."""
    obj = queryset.filter(**{customer_field: customer}, **lookup).first()
    if obj is None:
        raise Http404
    return obj
