"""Faktury podgląd-pdf: unpaid invoices, invoice history, one invoice, its PDF, the
KSeF XML, and the Saldo płatności statement."""

from django import forms
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ebok.billing import qr, services
from ebok.billing.documents import download_response, invoice_pdf
from ebok.billing.models import Invoice
from ebok.billing.pdf import StatementPdfRenderer
from ebok.billing.summary import billing_stamp
from ebok.core import jinja
from ebok.core.forms import DateRangeForm
from ebok.core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from ebok.core.fragments import cached_fragment, fragment_key
from ebok.core.models import CompanySettings
from ebok.core.pages import render_page
from ebok.core.paging import PAGE_PARAM, page_of, query_without_page
from ebok.portal.scoping import customer_required, owned_or_404

PAGE_SIZE = 20
STATEMENT_PAGE_SIZE = 50


class InvoiceFilterForm(DateRangeForm):
    """The invoice history's filter: the issue date range (`od`, `do`) and the status."""

    STATUS_CHOICES = [
        ("", _("wszystkie")),
        (services.STATUS_UNPAID, _("niezapłacone")),
        (services.STATUS_OVERDUE, _("po terminie")),
        (services.STATUS_PAID, _("zapłacone")),
        (services.STATUS_DEBT_COLLECTION, _("w windykacji")),
    ]
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def status_value(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return self.cleaned_data.get("status") or ""


@require_GET
@customer_required
def unpaid(request):
    """Unpaid invoices. The table (rows, pages) is cached per customer, billing stamp, day
    and page (ebok/core/fragments.py)."""
    today = timezone.localdate()
    customer = request.customer
    summary = services.account_summary(customer, today)

    def render_table():
        # The stored summary counts the unpaid invoices: no count of a long history.
        invoices = services.unpaid_invoices(customer)
        page = page_of(request, invoices, count=summary.unpaid_count)
        page.object_list = services.with_status(page.object_list, today)
        return render_to_string(
            "portal/invoices/_unpaid_table.html", {"page": page}, request=request
        )

    context = {
        "invoice_table": cached_fragment(
            "unpaid", customer.pk, summary.stamp, (today, _page_param(request)), render_table
        ),
        "today": today,
        "summary": summary,
        "tab": "unpaid",
    }
    return render_page(request, "portal/invoices/unpaid.html", context)


@require_GET
@customer_required
def history(request):
    """All invoices, filtered. The table is cached per customer, billing stamp, day,
    filter and page (ebok/core/fragments.py)."""
    today = timezone.localdate()
    customer = request.customer
    summary = services.account_summary(customer, today)
    form = InvoiceFilterForm.from_query(request.GET)
    date_from, date_to = form.range()
    status = form.status_value()
    query = query_without_page(request)

    def render_table():
        invoices = services.invoice_history(
            customer, today=today, date_from=date_from, date_to=date_to, status=status
        )
        # Unfiltered, the stored account summary knows how many invoices there are.
        unfiltered = not (date_from or date_to or status)
        page = page_of(request, invoices, count=summary.invoice_count if unfiltered else None)
        page.object_list = services.with_status(page.object_list, today)
        return render_to_string(
            "portal/invoices/_history_table.html", {"page": page, "query": query}, request=request
        )

    parts = (today, date_from, date_to, status, _page_param(request))
    context = {
        "form": form,
        "invoice_table": cached_fragment(
            "history", customer.pk, summary.stamp, parts, render_table
        ),
        "today": today,
        "query": query,
        "tab": "history",
    }
    return render_page(request, "portal/invoices/history.html", context)


def _page_param(request) -> str:
    """The page number as asked for, for a fragment's key (a malformed one shows page 1 or
    the last page; its key stays short)."""
    return request.GET.get(PAGE_PARAM, "")[:8]


def invoice_context(invoice: Invoice, today) -> dict:
    """What the invoice page shows; shared with the back office's invoice view."""
    lines = list(invoice.lines.all())
    config = CompanySettings.get()
    account = services.payment_account(invoice)
    payment_qr = None
    if invoice.gross_amount > 0 and len(account) == 26 and not invoice.is_paid:
        payment = qr.payment_payload(
            nip=config.nip,
            account=account,
            amount=invoice.remaining_amount,
            recipient=config.company_short_name or config.company_name,
            title=invoice.number,
        )
        payment_qr = {
            "svg": qr.qr_svg(payment.payload, title=str(_("Kod QR do płatności"))),
            "amount_in_code": payment.amount_in_code,
        }
    ksef_url = ksef_svg = None
    if invoice.ksef_number and invoice.ksef_xml and config.nip:
        try:
            with invoice.ksef_xml.open("rb") as fh:
                xml = fh.read()
        except OSError:
            xml = None
        if xml is not None:
            ksef_url = qr.ksef_verification_url(
                seller_nip=config.nip, issue_date=invoice.issue_date, xml=xml
            )
            ksef_svg = qr.qr_svg(ksef_url, title=str(_("Kod weryfikacyjny KSeF")))
    return {
        "invoice": invoice,
        "lines": lines,
        "vat_summary": services.vat_summary(lines),
        "payments": list(invoice.payments.filter(cancelled_at__isnull=True).order_by("paid_on")),
        "account": account,
        "payment_qr": payment_qr,
        "ksef_url": ksef_url,
        "ksef_svg": ksef_svg,
        "overdue": invoice.is_overdue(today),
        "today": today,
    }


def _owned_invoice(request, pk) -> Invoice:
    invoice = owned_or_404(
        Invoice.objects.select_related("contract", "corrected_invoice"),
        request.customer,
        pk=pk,
        cancelled_at__isnull=True,
    )
    # The lookup was scoped to the request's customer: no second read of the customer.
    invoice.customer = request.customer
    return invoice


@require_GET
@customer_required
def detail(request, pk):
    """One invoice. Its heading and body are rendered once per customer, billing stamp
    (every import of invoices or payments renews it), day (the overdue notice), language
    and the accounts the payment QR code names (the customer's and the company's): a
    repeated page reads neither the invoice, its lines nor its payments. Nothing is cached
    before the invoice is found to be the customer's own and not cancelled, and the key
    holds the customer, so another customer's invoice is still a 404."""
    today = timezone.localdate()
    customer = request.customer
    stamp = billing_stamp(customer, today)
    config = CompanySettings.get()
    key = fragment_key(
        "invoice",
        customer.pk,
        stamp,
        pk,
        today,
        customer.bank_account,
        config.nip,
        config.bank_account,
        config.company_short_name,
        config.company_name,
    )
    page = cache.get(key)
    if page is None:
        page = _invoice_page(request, pk, today)
        cache.set(key, page, FRAGMENT_TIMEOUT)
    title, body = page
    # The body is Jinja2's output (autoescaped when rendered); the title is plain text
    # that the page's template escapes.
    return render_page(
        request,
        "portal/cached_page.html",
        {"title": title, "body": mark_safe(body)},  # noqa: S308
    )


def _invoice_page(request, pk, today) -> tuple[str, str]:
    """The invoice's title and rendered heading and body (404 if it is not the customer's)."""
    invoice = _owned_invoice(request, pk)
    context = invoice_context(invoice, today)
    context["pdf_url"] = reverse("portal:invoice_pdf", args=[invoice.pk])
    context["xml_url"] = (
        reverse("portal:invoice_ksef_xml", args=[invoice.pk]) if invoice.ksef_xml else None
    )
    title = f"{capfirst(invoice.get_kind_display())} {invoice.number}"
    return title, jinja.render("portal/invoice_body.html", context)


@require_GET
@customer_required
def pdf(request, pk):
    invoice = _owned_invoice(request, pk)
    filename, content = invoice_pdf(invoice)
    return download_response(filename, "application/pdf", content)


@require_GET
@customer_required
def ksef_xml(request, pk):
    invoice = _owned_invoice(request, pk)
    if not invoice.ksef_xml:
        raise Http404
    with invoice.ksef_xml.open("rb") as fh:
        content = fh.read()
    safe = invoice.ksef_number or str(invoice.pk)
    return download_response(f"{safe}.xml", "application/xml", content)


def statement_range(request, today):
    """The filter form and the date range in the query string (default: the last 12
    months)."""
    form = DateRangeForm.from_query(request.GET)
    date_from, date_to = form.range()
    if not form.is_bound:
        date_from = today.replace(year=today.year - 1, day=1)
        form = DateRangeForm(initial={"od": date_from})
    return form, date_from, date_to


def statement_for(request):
    """The whole statement for the filter in the query string (the PDF and exports)."""
    today = timezone.localdate()
    form, date_from, date_to = statement_range(request, today)
    statement = services.statement(
        request.customer, date_from=date_from, date_to=date_to, today=today
    )
    return form, statement


@require_GET
@customer_required
def balance(request):
    """The statement, STATEMENT_PAGE_SIZE entries a page. The rendered table is cached
    per customer, billing stamp, day, range and page (ebok/core/fragments.py)."""
    today = timezone.localdate()
    customer = request.customer
    summary = services.account_summary(customer, today)
    form, date_from, date_to = statement_range(request, today)
    query = query_without_page(request)

    def render_table():
        statement = services.statement(customer, date_from=date_from, date_to=date_to, today=today)
        page = page_of(request, statement.entries, STATEMENT_PAGE_SIZE)
        carried = statement.opening_balance
        if page.number > 1:
            first = page.object_list[0]
            carried = first.balance - first.debit + first.credit
        return render_to_string(
            "portal/invoices/_statement.html",
            {"statement": statement, "page": page, "carried": carried, "query": query},
            request=request,
        )

    table = cached_fragment(
        "statement",
        customer.pk,
        summary.stamp,
        (today, date_from, date_to, _page_param(request)),
        render_table,
    )
    context = {
        "form": form,
        "summary": summary,
        "statement_table": table,
        "query": query,
        "tab": "balance",
    }
    return render_page(request, "portal/invoices/balance.html", context)


@require_GET
@customer_required
def balance_pdf(request) -> HttpResponse:
    _form, statement = statement_for(request)
    return download_response(*StatementPdfRenderer().generate(statement))
