from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from markupsafe import Markup

from ebok.billing import services
from ebok.core import jinja
from ebok.core.formatting import money
from ebok.core.fragments import cached_fragment
from ebok.core.models import Announcement
from ebok.core.pages import render_page
from ebok.core.rows import RowReader
from ebok.customers.models import Customer, CustomerAccess
from ebok.insight.models import InsightAlert
from ebok.insight.services import customer_overview, overview_stamp
from ebok.portal.forms import LoginForm
from ebok.portal.scoping import current_customer, has_several_customers

LATEST = 5
# The customers the user may act for, by name (a manager's start page).
_MANAGED = RowReader(
    Customer,
    None,
    condition=(
        # IN, not EXISTS: the database starts from the user's few accesses instead of
        # testing every customer in name order.
        f'"t"."id" IN (SELECT a.customer_id FROM "{CustomerAccess._meta.db_table}" a'  # noqa: S608 - model table
        " WHERE a.user_id = %s)"
    ),
    order_by="t.name, t.id",
)
# The user's latest three heat insight alerts for the customer (user, customer).
_ALERTS = RowReader(
    InsightAlert,
    "user",
    condition="t.customer_id = %s",
    order_by="t.created_at DESC, t.id DESC",
    limit=3,
)


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
    summary = services.account_summary(customer, today)
    context = {
        "customer": customer,
        "summary": summary,
        "latest": _latest(customer, summary.stamp, today),
        "announcements": Announcement.on_start_page(),
        "today": today,
        # Heat insight: the season forecast (cached per customer and billing import) and
        # the latest alerts.
        "forecast": _forecast(customer, today),
        "insight_alerts": _ALERTS.all(request.user.pk, customer.pk),
    }
    # A property manager acting for several customers sees all of them at a glance.
    if has_several_customers(request):
        managed = services.customers_with_balances(
            _MANAGED.all(request.user.pk), today, user=request.user
        )
        context["managed_customers"] = managed
        context["customer_choices"] = managed  # the header's switcher: no second query

    return render_page(request, "portal/home.html", context)


def _forecast(customer, today):
    """The season forecast's sentence (the translation's markup kept, the amounts
    escaped), rendered once per customer, insight stamp (last import, degree-day base,
    day) and language: the page does not read the cached overview of every site."""

    def render_forecast():
        insight = customer_overview(customer, today)
        if insight.forecast_gross is None:
            return ""
        sentence = Markup(  # noqa: S704 - our own translation catalogue
            gettext(
                "Prognozowany koszt ciepła do końca sezonu: <strong>%(gross)s</strong> brutto "
                "(od %(mild)s przy łagodnej do %(cold)s przy mroźnej zimie)."
            )
        )
        return sentence % {
            "gross": money(insight.forecast_gross),
            "mild": money(insight.forecast_gross_mild),
            "cold": money(insight.forecast_gross_cold),
        }

    stamp = overview_stamp(customer.pk, today)
    return cached_fragment("home-forecast", customer.pk, stamp, (), render_forecast)


def _latest(customer, stamp: str, today):
    """The latest invoices and readings, rendered once per customer, billing stamp and day
    (ebok/core/fragments.py): an import of invoices, payments or readings gives the
    customer a new stamp, and "overdue" changes with the day."""

    def render_latest():
        invoices = services.active_invoices(customer).order_by("-issue_date", "-number")
        return jinja.render(
            "portal/home_latest.html",
            {
                "latest_invoices": services.with_status(invoices[:LATEST], today),
                "latest_readings": services.latest_readings(customer, today, LATEST),
            },
        )

    return cached_fragment("home-latest", customer.pk, stamp, (today.isoformat(),), render_latest)


def logo(request):
    """The company logo from the company settings (uploaded by an administrator)."""
    import mimetypes

    from django.http import FileResponse, Http404

    from ebok.core.models import CompanySettings

    config = CompanySettings.get()
    if not config.logo:
        raise Http404
    content_type = mimetypes.guess_type(config.logo.name)[0] or "application/octet-stream"
    if content_type not in {"image/png", "image/jpeg", "image/svg+xml", "image/webp"}:
        raise Http404
    response = FileResponse(config.logo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
