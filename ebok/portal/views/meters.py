"""Wykaz umów i liczników: contracts with their sites and meters, one meter with its
readings and consumption chart, one reading."""

from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace

from django.db import connection
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ebok.billing.models import AccountSummary
from ebok.billing.summary import get_account_summary
from ebok.contracts.models import Contract, Meter, Reading, Site
from ebok.core import jinja
from ebok.core.forms import DateRangeForm
from ebok.core.fragments import cached_fragment
from ebok.core.pages import render_page
from ebok.core.paging import PAGE_PARAM, page_of, query_without_page
from ebok.core.rows import key_or_404
from ebok.insight.services import overview_stamp, site_insight
from ebok.portal import charts
from ebok.portal.pagekey import page_key
from ebok.portal.scoping import customer_required, owned_or_404

READINGS_PAGE_SIZE = 24


def meters_with_last_reading(queryset):
    last = Reading.objects.filter(meter=OuterRef("pk"), cancelled_at__isnull=True).order_by(
        "-read_on"
    )
    return queryset.annotate(
        last_read_on=Subquery(last.values("read_on")[:1]),
        last_value=Subquery(last.values("value")[:1]),
    )


CONTRACTS_PAGE_SIZE = 10


@require_GET
@customer_required
def contracts(request):
    """The contracts, CONTRACTS_PAGE_SIZE a page, each with the meters of its contract
    or site; meters of no contract shown follow the last page. Rendered once per page
    asked for, query string and billing stamp of the customer (imports of sites,
    contracts, meters and readings give the customer a new stamp); four queries whatever
    the number of contracts (a cooperative has hundreds) when it is not cached."""
    query = query_without_page(request)
    stamp = get_account_summary(request.customer, timezone.localdate()).stamp
    asked_page = request.GET.get(PAGE_PARAM, "")[:8]
    sections = cached_fragment(
        "contracts",
        request.customer.pk,
        stamp,
        (query, asked_page),
        lambda: render_to_string(
            "portal/meters/_contracts.html", contract_sections(request, query), request=request
        ),
    )
    return render_page(request, "portal/contracts_page.html", {"sections": sections})


def contract_sections(request, query: str) -> dict:
    """The context of the contract sections of the page asked for."""
    customer = request.customer
    active = Contract.objects.filter(customer=customer, cancelled_at__isnull=True)
    page = page_of(
        request,
        active.select_related("site").order_by("-start_date", "number", "pk"),
        CONTRACTS_PAGE_SIZE,
    )
    contract_list = list(page.object_list)
    meters = Meter.objects.filter(customer=customer, cancelled_at__isnull=True).select_related(
        "site"
    )
    on_page = meters_with_last_reading(
        meters.filter(
            Q(contract_id__in=[c.pk for c in contract_list])
            | Q(contract__isnull=True, site_id__in=[c.site_id for c in contract_list])
        )
    )
    by_contract, by_site = defaultdict(list), defaultdict(list)
    for meter in on_page:
        if meter.contract_id:
            by_contract[meter.contract_id].append(meter)
        else:
            by_site[meter.site_id].append(meter)
    shown_sites = set()
    for contract in contract_list:
        contract.meter_list = by_contract.pop(contract.pk, [])
        if contract.site_id not in shown_sites:
            contract.meter_list += by_site.pop(contract.site_id, [])
            shown_sites.add(contract.site_id)
    # Meters of a contract not shown (e.g. cancelled) or of a site without a contract,
    # after the last page (queried on every page, so every page takes as many queries).
    other_meters = list(
        meters_with_last_reading(
            meters.exclude(contract__in=active.values("pk")).exclude(
                contract__isnull=True, site__in=active.values("site_id")
            )
        )
    )
    if page.has_next():
        other_meters = []
    return {"contracts": contract_list, "other_meters": other_meters, "page": page, "query": query}


def readings_for(request, meter):
    """The meter's readings for the date filter in the query string, newest first."""
    form = DateRangeForm.from_query(request.GET)
    date_from, date_to = form.range()
    qs = Reading.objects.filter(meter=meter, cancelled_at__isnull=True)
    if date_from:
        qs = qs.filter(read_on__gte=date_from)
    if date_to:
        qs = qs.filter(read_on__lte=date_to)
    return form, qs.order_by("-read_on", "-pk")


def consumption_chart(meter, year: int) -> dict:
    """Monthly consumption of `year` next to the year before: bars, axis and a table."""
    rows = (
        Reading.objects.filter(
            meter=meter, cancelled_at__isnull=True, read_on__year__in=[year - 1, year]
        )
        .annotate(y=ExtractYear("read_on"), m=ExtractMonth("read_on"))
        .values("y", "m")
        .annotate(total=Sum("consumption"))
        .order_by()
    )
    totals = {(r["y"], r["m"]): r["total"] for r in rows}
    months = []
    for m in range(1, 13):
        prev, curr = totals.get((year - 1, m)), totals.get((year, m))
        change = None
        if prev and curr is not None:
            change = ((curr - prev) / prev * 100).quantize(Decimal("0.1"))
        months.append(
            {"month": m, "label": MONTHS_3[m], "previous": prev, "current": curr, "change": change}
        )
    top = charts.nice_max(max([v for v in totals.values() if v is not None], default=Decimal(0)))
    plot_h, bottom = charts.PLOT_H, charts.BOTTOM
    group_w = Decimal(charts.PLOT_W) / 12
    bar_w = group_w * Decimal("0.36")

    def bar(value, x):
        h = (Decimal(value) / top * plot_h) if value else Decimal(0)
        return {"x": f"{x:.1f}", "y": f"{bottom - h:.1f}", "w": f"{bar_w:.1f}", "h": f"{h:.1f}"}

    for i, month in enumerate(months):
        x0 = charts.PAD_L + group_w * i + group_w * Decimal("0.12")
        month["bar_prev"] = bar(month["previous"], x0) if month["previous"] is not None else None
        month["bar_curr"] = (
            bar(month["current"], x0 + bar_w) if month["current"] is not None else None
        )
        month["label_x"] = f"{charts.PAD_L + group_w * i + group_w / 2:.1f}"
    return {
        **charts.frame(top),
        "year": year,
        "previous_year": year - 1,
        "months": months,
        "has_data": bool(totals),
        "total_current": sum((v for (y, _m), v in totals.items() if y == year), Decimal(0)),
        "total_previous": sum((v for (y, _m), v in totals.items() if y == year - 1), Decimal(0)),
    }


def chart_section(request, meter, today) -> str:
    """The chart and its table for the year asked for (`rok`; default the latest year
    with readings)."""
    asked = request.GET.get("rok", "")[:4]
    years = sorted(
        {
            d.year
            for d in Reading.objects.filter(meter=meter, cancelled_at__isnull=True).dates(
                "read_on", "year"
            )
        },
        reverse=True,
    )
    try:
        year = int(asked)
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else today.year
    context = {"meter": meter, "years": years, "chart": consumption_chart(meter, year)}
    return render_to_string("portal/meters/_chart_section.html", context, request=request)


def readings_section(request, meter, form, readings, query) -> str:
    """The readings section: the filter `form`, the table and its pagination (or the note
    that none match) and the download links. The form shows only what the query string
    holds (a GET form, no CSRF token), and the pagination and download links repeat it."""
    page = page_of(request, readings, READINGS_PAGE_SIZE)
    context = {"meter": meter, "form": form, "page": page, "query": query}
    return render_to_string("portal/meters/_readings.html", context, request=request)


@lru_cache(maxsize=1)
def _meter_sql() -> str:
    # Table names come from the models; every value is a query parameter.
    meters, summaries = Meter._meta.db_table, AccountSummary._meta.db_table
    stamp = f'SELECT s.stamp FROM "{summaries}" s WHERE s.customer_id = m.customer_id'  # noqa: S608
    return (
        f'SELECT m.serial_number, ({stamp}) FROM "{meters}" m'  # noqa: S608
        " WHERE m.id = %s AND m.customer_id = %s AND m.cancelled_at IS NULL"
    )


def _owned_meter(customer, pk) -> tuple[str, str | None]:
    """(serial number, the customer's billing stamp or None without a summary row) of the
    customer's meter `pk`, in one prepared statement; 404 if the meter is not the
    customer's or is cancelled."""
    with connection.cursor() as cursor:
        cursor.execute(_meter_sql(), [key_or_404(pk), customer.pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return row


@require_GET
@customer_required
def meter(request, pk):
    """One meter: its data, the consumption chart, the season forecast of its site and
    its readings. Everything below the title is rendered once per meter, query string
    (filter, chart year), page, day and language, the customer's billing stamp (imports
    and ORM saves of sites, contracts, meters and readings renew it) and the insight stamp
    (the forecast: the last import, the degree-day base, the day). The meter is checked
    to be the customer's own and not cancelled at every request (with the stamp, one
    query), so a cached page never shows a meter the customer no longer has."""
    customer = request.customer
    today = timezone.localdate()
    serial, stamp = _owned_meter(customer, pk)
    query = query_without_page(request)

    def render_body():
        meter = owned_or_404(
            Meter.objects.select_related("site", "contract"),
            customer,
            pk=pk,
            cancelled_at__isnull=True,
        )
        form, readings = readings_for(request, meter)
        context = {
            "meter": meter,
            "today": today,
            "chart_section": chart_section(request, meter, today),
            "readings_section": readings_section(request, meter, form, readings, query),
            # Heat insight: the season forecast of the meter's site (cached).
            "insight": site_insight(customer, meter.site_id, today),
        }
        return render_to_string("portal/meters/_meter_body.html", context, request=request)

    asked_page = page_key(request)
    if asked_page is None:
        body = render_body()
    else:
        if stamp is None:
            stamp = get_account_summary(customer, today).stamp
        body = cached_fragment(
            "meter-page",
            customer.pk,
            f"{stamp}:{overview_stamp(customer.pk, today)}",
            (pk, query, asked_page, request.GET.get("rok", "")[:4], today),
            render_body,
        )
    title = f"{_('Podgląd licznika')} {serial}"
    return render_page(request, "portal/cached_page.html", {"title": title, "body": body})


@lru_cache(maxsize=1)
def _reading_sql() -> str:
    # Table names come from the models; every value is a query parameter.
    readings, meters = Reading._meta.db_table, Meter._meta.db_table
    sites = Site._meta.db_table
    return (
        "SELECT r.id, r.read_on, r.value, r.consumption, r.source, r.meter_id,"  # noqa: S608
        " m.serial_number AS meter_serial_number, m.meter_type AS meter_type,"
        " m.unit AS meter_unit, s.street AS site_street, s.city AS site_city"
        f' FROM "{readings}" r JOIN "{meters}" m ON m.id = r.meter_id'
        f' JOIN "{sites}" s ON s.id = m.site_id'
        " WHERE r.id = %s AND m.customer_id = %s AND r.cancelled_at IS NULL"
    )


@require_GET
@customer_required
def reading(request, pk):
    """One reading of the customer's (404 otherwise, or when cancelled), with the meter
    and site columns the page shows, in one prepared statement (building the ORM query
    with its two joins cost more than running it)."""
    found = list(Reading.objects.raw(_reading_sql(), [key_or_404(pk), request.customer.pk]))
    if not found:
        raise Http404
    reading = found[0]
    meter = SimpleNamespace(
        pk=reading.meter_id,
        serial_number=reading.meter_serial_number,
        meter_type=reading.meter_type,
        unit=reading.meter_unit,
        site=SimpleNamespace(street=reading.site_street, city=reading.site_city),
    )
    body = jinja.render("portal/reading_body.html", {"reading": reading, "meter": meter})
    # Jinja2's output, autoescaped when rendered.
    context = {"title": _("Podgląd odczytu"), "body": mark_safe(body)}  # noqa: S308
    return render_page(request, "portal/cached_page.html", context)
