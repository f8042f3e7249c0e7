"""CSV and XLSX exports: invoices, the balance statement and a meter's readings.

Each export honours the same filters as the page it is offered on.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ebok.billing import exports, services
from ebok.billing.documents import download_response
from ebok.contracts.models import Meter
from ebok.portal.scoping import customer_required, owned_or_404
from ebok.portal.views.invoices import InvoiceFilterForm, statement_for
from ebok.portal.views.meters import readings_for


def _check(fmt):
    if fmt not in exports.FORMATS:
        raise Http404


@require_GET
@customer_required
def invoices(request, fmt):
    _check(fmt)
    today = timezone.localdate()
    form = InvoiceFilterForm.from_query(request.GET)
    date_from, date_to = form.range()
    qs = services.invoice_history(
        request.customer,
        today=today,
        date_from=date_from,
        date_to=date_to,
        status=form.status_value(),
    )
    C = exports.Column
    columns = [
        C(_("Numer")),
        C(_("Rodzaj")),
        C(_("Data wystawienia"), "date"),
        C(_("Termin płatności"), "date"),
        C(_("Netto"), "money"),
        C(_("VAT"), "money"),
        C(_("Brutto"), "money"),
        C(_("Zapłacono"), "money"),
        C(_("Pozostało do zapłaty"), "money"),
        C(_("Po terminie")),
        C(_("W windykacji")),
        C(_("Numer KSeF")),
    ]
    yes, no = _("tak"), _("nie")
    rows = (
        [
            i.number,
            i.get_kind_display(),
            i.issue_date,
            i.due_date,
            i.net_amount,
            i.vat_amount,
            i.gross_amount,
            i.paid_amount,
            i.remaining_amount,
            yes if i.is_overdue(today) else no,
            yes if i.in_debt_collection else no,
            i.ksef_number,
        ]
        for i in qs
    )
    return download_response(
        *exports.export(
            fmt,
            columns,
            rows,
            basename=f"faktury-{request.customer.payer_code}-{exports.today_stamp(today)}",
            sheet_title=_("Faktury"),
        )
    )


@require_GET
@customer_required
def balance(request, fmt):
    _check(fmt)
    _form, st = statement_for(request)
    C = exports.Column
    columns = [
        C(_("Data"), "date"),
        C(_("Dokument")),
        C(_("Opis")),
        C(_("Termin płatności"), "date"),
        C(_("Winien"), "money"),
        C(_("Ma"), "money"),
        C(_("Saldo"), "money"),
        C(_("Po terminie")),
    ]
    rows = [[st.date_from, _("Saldo początkowe"), "", None, None, None, st.opening_balance, ""]]
    yes = _("tak")
    for e in st.entries:
        rows.append(
            [
                e.date,
                e.document,
                e.description,
                e.due_date,
                e.debit or None,
                e.credit or None,
                e.balance,
                yes if e.overdue else "",
            ]
        )
    rows.append(
        [None, _("Razem"), "", None, st.total_debit, st.total_credit, st.closing_balance, ""]
    )
    return download_response(
        *exports.export(
            fmt,
            columns,
            rows,
            basename=f"saldo-{request.customer.payer_code}-{exports.today_stamp(st.today)}",
            sheet_title=_("Saldo"),
        )
    )


@require_GET
@customer_required
def readings(request, pk, fmt):
    _check(fmt)
    meter = owned_or_404(Meter.objects.all(), request.customer, pk=pk, cancelled_at__isnull=True)
    _form, qs = readings_for(request, meter)
    C = exports.Column
    columns = [
        C(_("Nr fabr.")),
        C(_("Data odczytu"), "date"),
        C(_("Stan licznika"), "number"),
        C(_("Zużycie"), "number"),
        C(_("Jednostka")),
        C(_("Źródło")),
    ]
    rows = (
        [meter.serial_number, r.read_on, r.value, r.consumption, meter.unit, r.get_source_display()]
        for r in qs
    )
    today = timezone.localdate()
    return download_response(
        *exports.export(
            fmt,
            columns,
            rows,
            basename=f"odczyty-{meter.serial_number}-{exports.today_stamp(today)}",
            sheet_title=_("Odczyty"),
        )
    )
