"""The annual information letter (Prawo energetyczne art. 5 ust. 6c) of the customer the
user acts for: the list of years, the letter as a page, and its stored PDF."""

from datetime import date
from functools import lru_cache

from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from ebok.billing.documents import download_response
from ebok.core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from ebok.core.fragments import fragment_key
from ebok.core.pages import render_page
from ebok.core.rows import key_or_404
from ebok.insight import annual
from ebok.insight.annual_pdf import normalised_sentence
from ebok.insight.models import AnnualInformation
from ebok.portal.scoping import customer_required, owned_or_404


def letter_context(info: AnnualInformation) -> dict:
    """What the page (portal and back office) shows, from the letter's data snapshot."""
    d = info.data
    sites = [
        {
            **site,
            "advice_items": annual.advice_items(site),
            "normalised_text": normalised_sentence(site, d["year"]),
            "group_period": (
                (
                    date.fromisoformat(site["group"]["period_start"]),
                    date.fromisoformat(site["group"]["period_end"]),
                )
                if site["group"]
                else None
            ),
        }
        for site in d["sites"]
    ]
    return {
        "info": info,
        "data": d,
        "sites": sites,
        "group_hidden": any(s["group"] is None for s in d["sites"]),
        "fuel_rows": annual.fuel_rows(d),
        "emission_rows": annual.emission_rows(d),
    }


@require_GET
@customer_required
def annual_list(request):
    letters = AnnualInformation.objects.filter(customer=request.customer).only(
        "year", "version", "issued_at", "customer_id"
    )
    return render(request, "portal/annual/list.html", {"letters": letters})


@require_GET
@customer_required
def annual_detail(request, year):
    """The letter as a page. Its content is the issued snapshot, so the page below the
    layout is rendered once per letter, version (an operator's reissue raises it) and
    language; that the customer has the letter is checked at every request."""
    customer = request.customer
    letter_id, version = _owned_letter(customer, year)
    key = fragment_key("annual-letter", customer.pk, f"{letter_id}:{version}", year)
    page = cache.get(key)
    if page is None:
        info = owned_or_404(AnnualInformation.objects.all(), customer, pk=letter_id)
        body = render_to_string(
            "portal/annual/_detail_body.html", letter_context(info), request=request
        )
        title = gettext("Informacja o zużyciu ciepła za rok %(year)s") % {"year": info.year}
        page = (title, body)
        cache.set(key, page, FRAGMENT_TIMEOUT)
    title, body = page
    # The body is a Django template's output (autoescaped); the page escapes the title.
    return render_page(
        request,
        "portal/cached_page.html",
        {"title": title, "body": mark_safe(body)},  # noqa: S308
    )


@lru_cache(maxsize=1)
def _letter_sql() -> str:
    # The model's table; every value is a query parameter.
    table = AnnualInformation._meta.db_table
    return f'SELECT id, version FROM "{table}" WHERE customer_id = %s AND year = %s'  # noqa: S608


def _owned_letter(customer, year) -> tuple[int, int]:
    """(id, version) of the customer's letter for `year`; 404 if there is none."""
    with connection.cursor() as cursor:
        cursor.execute(_letter_sql(), [customer.pk, key_or_404(year)])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return row


@require_GET
@customer_required
def annual_pdf(request, year):
    info = owned_or_404(
        AnnualInformation.objects.select_related("customer"), request.customer, year=year
    )
    filename, content = annual.pdf_bytes(info)
    return download_response(filename, "application/pdf", content)
