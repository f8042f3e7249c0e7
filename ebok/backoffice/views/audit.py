"""The audit log viewer (/obsluga/audyt/): filter by action, user, customer and date
range (a GET form), paginated, and the same selection as CSV. Administrators and
auditors (`accounts.view_audit_log`). Opening the log and exporting it are audited too.
"""

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ebok.backoffice.permissions import operator_required
from ebok.billing.exports import CSV_MIMETYPE, Column, to_csv
from ebok.core.audit import log_action
from ebok.core.forms import DateRangeForm
from ebok.core.models import AuditLogEntry
from ebok.core.paging import page_of, query_without_page
from ebok.customers.models import Customer

PERM = "accounts.view_audit_log"
PAGE_SIZE = 50
CSV_MAX_ROWS = 100_000


class AuditFilterForm(DateRangeForm):
    """What to show: an action prefix, a user, a customer, and the days `od` to `do`."""

    field_order = ["action", "user", "customer", "od", "do"]

    action = forms.CharField(
        label=gettext_lazy("Czynność"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Początek nazwy, np. „accounts.operator” albo „core.”."),
    )
    user = forms.CharField(label=gettext_lazy("Użytkownik (login)"), required=False, max_length=150)
    customer = forms.CharField(
        label=gettext_lazy("Kontrahent (kod płatnika)"), required=False, max_length=20
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["od"].label = gettext_lazy("Od dnia")
        self.fields["do"].label = gettext_lazy("Do dnia")


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_entries(form: AuditFilterForm):
    entries = AuditLogEntry.objects.select_related("user").order_by("-created_at", "-id")
    if not form.is_valid():
        return entries, False
    data = form.cleaned_data
    if data["action"]:
        entries = entries.filter(action__startswith=data["action"].strip())
    if data["user"]:
        entries = entries.filter(user__username__iexact=data["user"].strip())
    if data["customer"]:
        customer = Customer.objects.filter(payer_code=data["customer"].strip()).first()
        if customer is None:
            return entries.none(), True
        # Entries about the customer itself, or whose data names it.
        entries = entries.filter(
            Q(object_type="customers.customer", object_id=str(customer.pk))
            | Q(data__customer_id=customer.pk)
            | Q(data__payer_code=customer.payer_code)
        )
    if data["od"]:
        entries = entries.filter(created_at__gte=_day_start(data["od"]))
    if data["do"]:
        entries = entries.filter(created_at__lt=_day_start(data["do"] + timedelta(days=1)))
    return entries, True


@operator_required(PERM)
@require_http_methods(["GET"])
def audit_log(request):
    # Logged first, so the count and the page agree (the own visit is the newest entry).
    log_action("core.audit_log.viewed", request=request, data=dict(request.GET.items()))
    form = AuditFilterForm(request.GET or None)
    entries, _valid = filtered_entries(form)
    page = page_of(request, entries, PAGE_SIZE)
    return render(
        request,
        "backoffice/audit/list.html",
        {"form": form, "page": page, "page_query": query_without_page(request)},
    )


def _spreadsheet_safe(value: str) -> str:
    # A cell starting with = + - @ is a formula to spreadsheets: keep it text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@operator_required(PERM)
@require_http_methods(["GET"])
def audit_csv(request):
    import json

    form = AuditFilterForm(request.GET or None)
    entries, _valid = filtered_entries(form)
    columns = [
        Column(_("Czas")),
        Column(_("Czynność")),
        Column(_("Użytkownik")),
        Column(_("Adres IP")),
        Column(_("Typ obiektu")),
        Column(_("Identyfikator obiektu")),
        Column(_("Obiekt")),
        Column(_("Dane")),
    ]
    rows = (
        [
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.action,
            e.user.username if e.user else "",
            e.ip or "",
            e.object_type,
            e.object_id,
            _spreadsheet_safe(e.object_repr),
            _spreadsheet_safe(json.dumps(e.data, ensure_ascii=False, sort_keys=True))
            if e.data
            else "",
        ]
        for e in entries[:CSV_MAX_ROWS].iterator(chunk_size=2000)
    )
    log_action("core.audit_log.exported", request=request, data=dict(request.GET.items()))
    response = HttpResponse(to_csv(columns, rows), content_type=CSV_MIMETYPE)
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="dziennik-zdarzen-{stamp}.csv"'
    return response
