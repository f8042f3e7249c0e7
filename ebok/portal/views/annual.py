"""The annual information letter (Prawo energetyczne art. 5 ust. 6c) of the customer the
user acts for: the list of years, the letter as a page, and its stored PDF."""

from datetime import date

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ebok.billing.documents import download_response
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
    info = owned_or_404(AnnualInformation.objects.all(), request.customer, year=year)
    return render(request, "portal/annual/detail.html", letter_context(info))


@require_GET
@customer_required
def annual_pdf(request, year):
    info = owned_or_404(
        AnnualInformation.objects.select_related("customer"), request.customer, year=year
    )
    filename, content = annual.pdf_bytes(info)
    return download_response(filename, "application/pdf", content)
