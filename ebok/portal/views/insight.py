"""Analiza zużycia: consumption against the weather, the season forecast, the tariff
group comparison, the ordered-capacity advice and the customer's alert threshold.

Everything is read from `insight.services.customer_overview`, cached per customer and
billing import, so a page never fits models for many sites per request.
"""

from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ebok.billing import exports
from ebok.billing.documents import download_response
from ebok.billing.models import AccountSummary
from ebok.contracts.models import Meter, Site
from ebok.core import jinja
from ebok.core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from ebok.core.fragments import cached_fragment, fragment_key
from ebok.core.pages import render_page
from ebok.core.paging import page_of
from ebok.core.rows import key_or_404
from ebok.insight import services
from ebok.insight.models import CustomerInsightSettings, InsightAlert
from ebok.portal import charts
from ebok.portal.pagekey import page_key
from ebok.portal.scoping import customer_required, owned_or_404

SITES_PAGE_SIZE = 25
ALERTS_SHOWN = 10


def month_label(month) -> str:
    return f"{MONTHS_3[month[1]]} {month[0]}"


def comparison_chart(comparison: services.Comparison) -> dict:
    """Bars of actual consumption per month and the weather expectation as a line."""
    rows = comparison.rows
    values = [r.actual for r in rows] + [r.expected for r in rows if r.expected is not None]
    top = charts.nice_max(max(values, default=Decimal(0)))
    plot_w, plot_h, bottom = charts.PLOT_W, charts.PLOT_H, charts.BOTTOM
    n = max(len(rows), 1)
    group_w = Decimal(plot_w) / n
    bar_w = group_w * Decimal("0.6")
    months, points = [], []
    for i, r in enumerate(rows):
        x0 = charts.PAD_L + group_w * i + group_w * Decimal("0.2")
        h = Decimal(r.actual) / top * plot_h if r.actual > 0 else Decimal(0)
        centre = charts.PAD_L + group_w * i + group_w / 2
        item = {
            "row": r,
            "label": month_label(r.month),
            "bar": {
                "x": f"{x0:.1f}",
                "y": f"{bottom - h:.1f}",
                "w": f"{bar_w:.1f}",
                "h": f"{h:.1f}",
            },
            "label_x": f"{centre:.1f}",
            # Every label on a phone-width chart would overlap: January and July only.
            "show_label": r.month[1] in (1, 7) or n <= 12,
        }
        if r.expected is not None:
            y = bottom - Decimal(r.expected) / top * plot_h
            item["point"] = {"x": f"{centre:.1f}", "y": f"{y:.1f}"}
            points.append(f"{centre:.1f},{y:.1f}")
        months.append(item)
    return {**charts.frame(top), "months": months, "polyline": " ".join(points)}


def _today():
    return timezone.localdate()


@lru_cache(maxsize=1)
def _alerts_and_threshold_sql() -> str:
    # Table names come from the models; every value is a query parameter.
    alerts, config = InsightAlert._meta.db_table, CustomerInsightSettings._meta.db_table
    latest = (
        f'SELECT * FROM "{alerts}" WHERE user_id = %s AND customer_id = %s'  # noqa: S608
        f" ORDER BY created_at DESC, id DESC LIMIT {ALERTS_SHOWN:d}"
    )
    threshold = f'SELECT alert_threshold_percent FROM "{config}" WHERE customer_id = %s'  # noqa: S608
    return (
        f"SELECT a.*, ({threshold}) AS threshold_percent FROM (SELECT 1 AS one) o"  # noqa: S608
        f" LEFT JOIN ({latest}) a ON 1 = 1 ORDER BY a.created_at DESC, a.id DESC"
    )


def _alerts_and_threshold(request) -> tuple[list, int]:
    """The user's latest ALERTS_SHOWN alerts for the customer and the customer's
    threshold in one query (the overview runs on every visit; building two
    ORM queries cost more than running them). The alerts come back as model instances;
    with no alert, the one row holds only the threshold."""
    customer_id = request.customer.pk
    rows = list(
        InsightAlert.objects.raw(
            _alerts_and_threshold_sql(), [customer_id, request.user.pk, customer_id]
        )
    )
    threshold = rows[0].threshold_percent if rows else None
    if threshold is None:
        threshold = CustomerInsightSettings.DEFAULT_THRESHOLD
    return [a for a in rows if a.pk is not None], threshold


@require_GET
@customer_required
def overview(request):
    """The alerts and the threshold are read per request; the forecast and the sites
    table are rendered once per page asked for, language and insight stamp of the
    customer (the same key as the cached overview they show: a new import or a new day
    renders them anew), so a repeated page does not load the overview of 300 sites."""
    today = _today()
    customer = request.customer

    def render_sections():
        data = services.customer_overview(customer, today)
        context = {
            "overview": data,
            "page": page_of(request, data.sites, SITES_PAGE_SIZE),
            "query": "",
            "advice_count": sum(1 for s in data.sites if s.advice_show),
        }
        return render_to_string("portal/insight/_sections.html", context, request=request)

    asked = page_key(request)
    if asked is None:
        sections = render_sections()
    else:
        stamp = services.overview_stamp(customer.pk, today)
        sections = cached_fragment(
            "insight-overview", customer.pk, stamp, (asked,), render_sections
        )
    alerts, threshold = _alerts_and_threshold(request)
    body = jinja.render(
        "portal/insight_overview.html",
        {"sections": sections, "alerts": alerts, "threshold": threshold},
    )
    # Jinja2's output, autoescaped when rendered.
    context = {"title": _("Analiza zużycia"), "body": mark_safe(body)}  # noqa: S308
    return render_page(request, "portal/cached_page.html", context)


def _site_and_meter(request, pk):
    site = owned_or_404(Site.objects.all(), request.customer, pk=pk, cancelled_at__isnull=True)
    meters = list(
        Meter.objects.filter(site=site, customer=request.customer, cancelled_at__isnull=True)
    )
    meter = None
    raw = request.GET.get("licznik", "")
    if raw:
        meter = next((m for m in meters if str(m.pk) == raw), None)
        if meter is None:
            raise Http404
    return site, meters, meter


def _site_insight(request, site, meter, today):
    """The cached site insight; for one meter, its own comparison (one site, few rows)."""
    insight = services.site_insight(request.customer, site.pk, today)
    if insight is None:
        raise Http404
    if meter is None:
        return insight, insight.comparison
    return insight, services.monthly_comparison(site, today=today, meter_ids=[meter.pk])


@require_GET
@customer_required
def site_detail(request, pk):
    """One site's heat insight. The page below the layout (and its title) is rendered once
    per site, meter asked for, language, the customer's billing stamp, the insight stamp
    (the last import, the degree-day base, the day) and the customer's alert threshold;
    the site is checked to be the customer's and not cancelled at every request, in the
    statement that reads the stamp and the threshold."""
    today = _today()
    customer = request.customer
    stamp, threshold = _owned_site(customer, pk)
    raw_meter = request.GET.get("licznik", "")

    def render_site():
        site, meters, meter = _site_and_meter(request, pk)
        insight, comparison = _site_insight(request, site, meter, today)
        context = _site_context(site, meters, meter, insight, comparison, today, threshold)
        body = render_to_string("portal/insight/_site_body.html", context, request=request)
        return f"{_('Analiza zużycia')} — {insight.label}", body

    if stamp is None or len(raw_meter) > 20:
        title, body = render_site()
    else:
        key = fragment_key(
            "insight-site",
            customer.pk,
            f"{stamp}:{services.overview_stamp(customer.pk, today)}",
            pk,
            raw_meter,
            threshold,
        )
        cached = cache.get(key)
        if cached is None:
            cached = render_site()  # a meter that is not the site's: 404, nothing cached
            cache.set(key, cached, FRAGMENT_TIMEOUT)
        title, body = cached
    # The body is a Django template's output (autoescaped); the page escapes the title.
    return render_page(
        request,
        "portal/cached_page.html",
        {"title": title, "body": mark_safe(body)},  # noqa: S308
    )


def _site_context(site, meters, meter, insight, comparison, today, threshold) -> dict:
    capacity_link = None
    advice = insight.advice
    if advice and advice.show:
        first = services.add_months((today.year, today.month), 1)
        capacity_link = (
            reverse("portal:request_new", args=["zmiana-mocy"])
            + "?"
            + urlencode(
                {
                    "contract": advice.contract_id,
                    "new_capacity_mw": f"{advice.recommended_mw:.3f}",
                    "effective_from": f"{first[0]:04d}-{first[1]:02d}-01",
                }
            )
        )
    return {
        "site": site,
        "meters": meters,
        "meter": meter,
        "insight": insight,
        "comparison": comparison,
        "chart": comparison_chart(comparison) if comparison.rows else None,
        "capacity_link": capacity_link,
        "query": urlencode({"licznik": meter.pk}) if meter else "",
        "min_points": services.MIN_POINTS,
        "hdd_base": services.hdd_base(),
        "design_temperature": services.design_temperature(),
        "threshold": threshold,
    }


@lru_cache(maxsize=1)
def _site_sql() -> str:
    # Table names come from the models; every value is a query parameter.
    sites, summaries = Site._meta.db_table, AccountSummary._meta.db_table
    config = CustomerInsightSettings._meta.db_table
    stamp = f'SELECT a.stamp FROM "{summaries}" a WHERE a.customer_id = s.customer_id'  # noqa: S608
    threshold = (
        f'SELECT c.alert_threshold_percent FROM "{config}" c'  # noqa: S608
        " WHERE c.customer_id = s.customer_id"
    )
    return (
        f'SELECT ({stamp}), ({threshold}) FROM "{sites}" s'  # noqa: S608
        " WHERE s.id = %s AND s.customer_id = %s AND s.cancelled_at IS NULL"
    )


def _owned_site(customer, pk) -> tuple[str | None, int]:
    """(the customer's billing stamp or None without a summary row, their alert
    threshold) if site `pk` is the customer's and not cancelled; 404 otherwise."""
    with connection.cursor() as cursor:
        cursor.execute(_site_sql(), [key_or_404(pk), customer.pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    stamp, threshold = row
    return stamp, threshold if threshold is not None else CustomerInsightSettings.DEFAULT_THRESHOLD


def _check(fmt):
    if fmt not in exports.FORMATS:
        raise Http404


@require_GET
@customer_required
def site_export(request, pk, fmt):
    _check(fmt)
    today = _today()
    site, _meters, meter = _site_and_meter(request, pk)
    _insight, comparison = _site_insight(request, site, meter, today)
    C = exports.Column
    columns = [
        C(_("Miesiąc")),
        C(_("Stopniodni"), "number"),
        C(_("Stopniodni w roku standardowym"), "number"),
        C(_("Zużycie [GJ]"), "number"),
        C(_("Oczekiwane wg pogody [GJ]"), "number"),
        C(_("Odchylenie [%]"), "number"),
    ]
    rows = (
        [
            f"{r.month[0]:04d}-{r.month[1]:02d}",
            r.hdd,
            r.normal_hdd,
            r.actual,
            r.expected,
            r.deviation_percent,
        ]
        for r in comparison.rows
    )
    suffix = f"-{meter.serial_number}" if meter else ""
    return download_response(
        *exports.export(
            fmt,
            columns,
            rows,
            basename=f"zuzycie-pogoda-{site.code}{suffix}-{exports.today_stamp(today)}",
            sheet_title=_("Zużycie a pogoda"),
        )
    )


BANDS = {
    "q1": gettext_lazy("w najniższej ćwiartce"),
    "q2": gettext_lazy("poniżej mediany"),
    "q3": gettext_lazy("powyżej mediany"),
    "q4": gettext_lazy("w najwyższej ćwiartce"),
}


@require_GET
@customer_required
def overview_export(request, fmt):
    """The overview's table for every site (not only the page shown): consumption,
    normalised change, season forecast, group position and capacity advice."""
    _check(fmt)
    today = _today()
    data = services.customer_overview(request.customer, today)
    yes, no = _("tak"), _("nie")
    C = exports.Column
    columns = [
        C(_("Obiekt")),
        C(_("Ostatnie 12 miesięcy [GJ]"), "number"),
        C(_("Zmiana znormalizowana [%]"), "number"),
        C(_("Prognoza sezonu (brutto) [zł]"), "money"),
        C(_("Na tle grupy")),
        C(_("Moc zamówiona do sprawdzenia")),
    ]
    rows = (
        [
            s.label,
            s.last_12_gj,
            s.normalised_change_percent,
            s.forecast_gross,
            str(BANDS[s.group_band]) if s.group_band else "",
            "" if s.advice_show is None else (yes if s.advice_show else no),
        ]
        for s in data.sites
    )
    return download_response(
        *exports.export(
            fmt,
            columns,
            rows,
            basename=f"analiza-{request.customer.payer_code}-{exports.today_stamp(today)}",
            sheet_title=_("Analiza zużycia"),
        )
    )


@require_GET
@customer_required
def degree_days_export(request, fmt):
    """The company's degree days per month with the standard year (not customer data,
    but offered to logged-in customers beside their own series)."""
    _check(fmt)
    months = services.all_monthly_degree_days()
    normal = services.normal_degree_days(months)
    C = exports.Column
    columns = [
        C(_("Miesiąc")),
        C(_("Średnia temperatura [°C]"), "number"),
        C(_("Dni z pomiarem")),
        C(_("Stopniodni"), "number"),
        C(_("Stopniodni w roku standardowym"), "number"),
    ]
    rows = (
        [f"{m[0]:04d}-{m[1]:02d}", md.mean_temperature, md.days, md.hdd, normal[m[1]]]
        for m, md in months.items()
    )
    return download_response(
        *exports.export(
            fmt,
            columns,
            rows,
            basename=f"stopniodni-{exports.today_stamp(_today())}",
            sheet_title=_("Stopniodni"),
        )
    )


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = CustomerInsightSettings
        fields = ["alert_threshold_percent"]
        labels = {
            "alert_threshold_percent": gettext_lazy(
                "Powiadamiaj, gdy zużycie w miesiącu przekroczy oczekiwane o [%]"
            )
        }
        help_texts = {
            "alert_threshold_percent": gettext_lazy("Liczba całkowita od 5 do 200. Domyślnie 20 %.")
        }
        error_messages = {
            "alert_threshold_percent": {
                "min_value": gettext_lazy("Podaj co najmniej 5 procent."),
                "max_value": gettext_lazy("Podaj najwyżej 200 procent."),
                "invalid": gettext_lazy("Podaj liczbę całkowitą, np. 20."),
                "required": gettext_lazy("Podaj próg w procentach."),
            }
        }


@customer_required
def alert_settings(request):
    """The customer's alert threshold, shared by everyone acting for it (each user's
    e-mail opt-outs are on /powiadomienia/)."""
    instance = CustomerInsightSettings.objects.filter(customer=request.customer).first()
    instance = instance or CustomerInsightSettings(customer=request.customer)
    form = ThresholdForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Zapisano próg powiadomień o zużyciu."))
        return redirect("portal:insight_settings")
    return render(request, "portal/insight/settings.html", {"form": form})


@require_GET
@customer_required
def method(request):
    return render(
        request,
        "portal/insight/method.html",
        {"hdd_base": services.hdd_base(), "design_temperature": services.design_temperature()},
    )
