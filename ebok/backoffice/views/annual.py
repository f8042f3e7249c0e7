"""A customer's annual information letters in the back office: the list of years, the
stored PDF, and the operator's (re)issue of one letter (permission-checked, audited)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ebok.backoffice.permissions import operator_required
from ebok.billing.documents import download_response
from ebok.core.audit import log_action
from ebok.customers.models import Customer
from ebok.insight import annual
from ebok.insight.models import AnnualInformation, FuelMix

PERM = "accounts.view_customer_data"
# Issuing a letter to a customer is handling correspondence, not only reading data (the
# auditor, who reads customer data, may not do it).
ISSUE_PERM = "accounts.handle_letters"


@require_GET
@operator_required(PERM)
def customer_annual(request, pk):
    customer = get_object_or_404(Customer, pk=pk)
    letters = {i.year: i for i in AnnualInformation.objects.filter(customer=customer)}
    years = sorted(set(FuelMix.objects.values_list("year", flat=True)) | set(letters), reverse=True)
    rows = [{"year": y, "info": letters.get(y)} for y in years]
    log_action("backoffice.customer.viewed", request=request, obj=customer, data={"annual": True})
    return render(request, "backoffice/customers/annual.html", {"customer": customer, "rows": rows})


@require_GET
@operator_required(PERM)
def customer_annual_pdf(request, pk, year):
    info = get_object_or_404(
        AnnualInformation.objects.select_related("customer"), customer_id=pk, year=year
    )
    filename, content = annual.pdf_bytes(info)
    log_action(
        "insight.annual_information.pdf_downloaded",
        request=request,
        obj=info,
        data={"customer": info.customer.payer_code, "year": year},
    )
    return download_response(filename, "application/pdf", content)


@require_POST
@operator_required(ISSUE_PERM)
def customer_annual_reissue(request, pk, year):
    customer = get_object_or_404(Customer, pk=pk)
    existed = AnnualInformation.objects.filter(customer=customer, year=year).exists()
    try:
        info = annual.issue(customer, year, reissue=True, user=request.user)
    except annual.NoFuelMix:
        messages.error(
            request,
            _(
                "Brak struktury paliw za rok %(year)d: administrator musi ją najpierw "
                "wprowadzić w ustawieniach."
            )
            % {"year": year},
        )
        return redirect("backoffice:customer_annual", pk=customer.pk)
    if info is None:
        messages.error(
            request,
            _("Kontrahent nie pobierał ciepła w roku %(year)d: informacji nie wystawiono.")
            % {"year": year},
        )
        return redirect("backoffice:customer_annual", pk=customer.pk)
    log_action(
        "insight.annual_information.reissued" if existed else "insight.annual_information.issued",
        request=request,
        obj=info,
        data={"customer": customer.payer_code, "year": year, "version": info.version},
    )
    messages.success(
        request,
        _("Wystawiono informację roczną za rok %(year)d (wersja %(version)d).")
        % {"year": year, "version": info.version},
    )
    return redirect("backoffice:customer_annual", pk=customer.pk)
