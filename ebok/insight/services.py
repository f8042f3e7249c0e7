"""Heat insight arithmetic: degree days, the weather model of a site, normalisation,
the season forecast, the tariff group's distribution and the ordered-capacity advice.

Public functions (stable; the annual information letter builds on them):

- `monthly_degree_days(start, end)` and `normal_degree_days()` — weather;
- `site_monthly_consumption(site_ids, start, end)` — GJ per site and month;
- `fit_site_model(site)` → `Fit | None` — consumption = base + slope × HDD;
- `monthly_comparison(site)` → `Comparison` — actual vs expected per month, seasons
  normalised year over year;
- `season_forecast(site, today)` → `Forecast | None` — cost of the rest of the season;
- `group_distribution(tariff_group)` → `GroupStatistic | None` and `group_position(site)`;
- `capacity_advice(site)` → `CapacityAdvice | None`;
- `customer_overview(customer, today)` and `site_insight(customer, site_id, today)` — all
  of it for every site of a customer, computed together and cached under the customer and
  the last billing import, so pages never fit models per request.

Months are calendar months; a reading's consumption belongs to the month of its reading
date (billing reads meters at the end of the month). Method: docs/insight.md.
"""

from __future__ import annotations

import calendar
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, Subquery, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from ebok.billing.models import Invoice, InvoiceLine
from ebok.contracts.models import Contract, Reading, Site
from ebok.core.models import CompanySettings
from ebok.insight.models import DailyTemperature, GroupStatistic, HeatedArea, HourlyConsumption

Month = tuple[int, int]  # (year, month)

#: fewer monthly points than this and no model is fitted ("too few points")
MIN_POINTS = 12
#: the regression uses at most this many of the latest months
FIT_MONTHS = 24
#: heating season months (October–April)
SEASON_MONTHS = (10, 11, 12, 1, 2, 3, 4)
#: the forecast's range: a mild and a cold winter, as a share of the normal degree days
MILD_FACTOR = Decimal("0.85")
COLD_FACTOR = Decimal("1.15")
#: tariff groups with fewer customers are never shown (nobody's data can be inferred)
MIN_GROUP_CUSTOMERS = 10
#: a norm from the company's own series needs this many complete years of every month
NORM_MIN_YEARS = 5
#: capacity advice: safety margin over the estimated peak, and the smallest margin
#: between ordered and recommended capacity worth advising
PEAK_SAFETY = Decimal("1.10")
ADVICE_MIN_MARGIN = Decimal("0.15")
GJ_PER_MWH = Decimal("3.6")

# Standard-year heating degree days per month for base 15 °C, a Bydgoszcz-like climate
# (the long-term means of the city's station, rounded). Used until the company's own
# series holds NORM_MIN_YEARS complete years.
STANDARD_HDD_15 = {
    1: Decimal(530),
    2: Decimal(470),
    3: Decimal(410),
    4: Decimal(240),
    5: Decimal(90),
    6: Decimal(20),
    7: Decimal(5),
    8: Decimal(5),
    9: Decimal(70),
    10: Decimal(230),
    11: Decimal(370),
    12: Decimal(480),
}

FIXED_COMPONENTS = (
    InvoiceLine.Component.CAPACITY,
    InvoiceLine.Component.TRANSMISSION_FIXED,
)
VARIABLE_COMPONENTS = (
    InvoiceLine.Component.HEAT,
    InvoiceLine.Component.TRANSMISSION_VARIABLE,
)


# --- months -------------------------------------------------------------------------------


def add_months(month: Month, n: int) -> Month:
    index = month[0] * 12 + month[1] - 1 + n
    return index // 12, index % 12 + 1


def month_range(first: Month, last: Month) -> list[Month]:
    result = []
    while first <= last:
        result.append(first)
        first = add_months(first, 1)
    return result


def days_in(month: Month) -> int:
    return calendar.monthrange(*month)[1]


def season_of(month: Month) -> int | None:
    """The heating season a month belongs to, named by the year it starts (Oct 2025 –
    Apr 2026 is season 2025); None for May–September."""
    year, m = month
    if m >= 10:
        return year
    if m <= 4:
        return year - 1
    return None


def season_months(season: int) -> list[Month]:
    return [(season, 10), (season, 11), (season, 12)] + [(season + 1, m) for m in (1, 2, 3, 4)]


def _q(value, places="0.001") -> Decimal:
    return Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


# --- degree days ----------------------------------------------------------------------------


def hdd_base() -> Decimal:
    return Decimal(str(getattr(settings, "EBOK_HDD_BASE", 15)))


def degree_days_of(mean_temperature: Decimal, base: Decimal | None = None) -> Decimal:
    """Heating degree days of one day: max(0, base − mean temperature)."""
    base = hdd_base() if base is None else base
    return max(Decimal(0), base - Decimal(mean_temperature))


@dataclass(frozen=True)
class MonthDegreeDays:
    month: Month
    hdd: Decimal
    days: int  # days with a temperature
    mean_temperature: Decimal | None

    @property
    def complete(self) -> bool:
        return self.days == days_in(self.month)


def monthly_degree_days(start: date | None = None, end: date | None = None) -> dict:
    """{(year, month): MonthDegreeDays} from the daily temperatures between `start` and
    `end` (inclusive; default: everything)."""
    qs = DailyTemperature.objects.filter(cancelled_at__isnull=True)
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    base = hdd_base()
    sums: dict[Month, list] = defaultdict(lambda: [Decimal(0), 0, Decimal(0)])
    for day, t in qs.order_by().values_list("day", "mean_temperature").iterator(chunk_size=5000):
        acc = sums[(day.year, day.month)]
        acc[0] += degree_days_of(t, base)
        acc[1] += 1
        acc[2] += Decimal(t)
    return {
        m: MonthDegreeDays(m, hdd, days, _q(total / days, "0.1") if days else None)
        for m, (hdd, days, total) in sorted(sums.items())
    }


def all_monthly_degree_days() -> dict:
    """`monthly_degree_days()` of the whole series, cached until the next import (an
    import of temperatures sets the billing sync time like any other)."""
    key = f"insight:hdd:{hdd_base()}:{_sync_stamp()}"
    value = cache.get(key)
    if value is None:
        value = monthly_degree_days()
        cache.set(key, value, 24 * 3600)
    return value


def normal_degree_days(months: dict | None = None) -> dict[int, Decimal]:
    """The standard-year norm per calendar month {1: HDD, …, 12: HDD}.

    The mean of the company's own complete months when the series holds at least
    NORM_MIN_YEARS of each month; otherwise the built-in standard year (base 15 °C),
    shifted by (base − 15) × days for the heating-season months when another base is set.
    """
    months = all_monthly_degree_days() if months is None else months
    per_month: dict[int, list[Decimal]] = defaultdict(list)
    for md in months.values():
        if md.complete:
            per_month[md.month[1]].append(md.hdd)
    if all(len(per_month[m]) >= NORM_MIN_YEARS for m in range(1, 13)):
        return {m: _q(sum(v) / len(v), "0.1") for m, v in per_month.items()}
    shift = hdd_base() - 15
    result = {}
    for m, hdd in STANDARD_HDD_15.items():
        if shift and m in SEASON_MONTHS:
            hdd = max(Decimal(0), hdd + shift * days_in((2001, m)))
        result[m] = hdd
    return result


# --- consumption ----------------------------------------------------------------------------


def site_monthly_consumption(
    site_ids, start: date, end: date, *, meter_ids=None
) -> dict[int, dict[Month, Decimal]]:
    """{site_id: {(year, month): GJ}} of the sites' meters (or only `meter_ids`), by the
    month of the reading date, one query."""
    qs = Reading.objects.filter(
        cancelled_at__isnull=True,
        meter__cancelled_at__isnull=True,
        read_on__gte=start,
        read_on__lte=end,
    )
    qs = qs.filter(meter_id__in=meter_ids) if meter_ids is not None else qs
    qs = qs.filter(meter__site_id__in=site_ids)
    rows = (
        qs.annotate(y=ExtractYear("read_on"), m=ExtractMonth("read_on"))
        .values("meter__site_id", "y", "m")
        .annotate(total=Sum("consumption"))
        .order_by()
    )
    result: dict[int, dict[Month, Decimal]] = defaultdict(dict)
    for row in rows:
        result[row["meter__site_id"]][(row["y"], row["m"])] = Decimal(row["total"])
    return result


# --- the weather model ----------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """consumption [GJ/month] = base + slope × HDD, fitted by least squares."""

    base: Decimal  # GJ per month independent of the weather (hot water, losses)
    slope: Decimal  # GJ per degree day
    points: int
    r_squared: Decimal
    first: Month
    last: Month

    def expected(self, hdd) -> Decimal:
        return self.base + self.slope * Decimal(hdd)


def least_squares(points: list[tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal, Decimal]:
    """(base, slope, r²) of y = base + slope·x over (x, y) points (ordinary least squares)."""
    n = len(points)
    xs = [Decimal(x) for x, _y in points]
    ys = [Decimal(y) for _x, y in points]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    base = mean_y - slope * mean_x
    ss_tot = sum((y - mean_y) ** 2 for y in ys)
    ss_res = sum((y - base - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    r2 = Decimal(1) - ss_res / ss_tot if ss_tot else Decimal(1)
    return base, slope, r2


def fit_months(consumption: dict[Month, Decimal], degree_days: dict) -> tuple[Fit | None, int]:
    """The model over the latest FIT_MONTHS months that have both a consumption and a
    complete month of temperatures; (None, points) when fewer than MIN_POINTS."""
    usable = sorted(m for m in consumption if m in degree_days and degree_days[m].complete)[
        -FIT_MONTHS:
    ]
    points = [(degree_days[m].hdd, consumption[m]) for m in usable]
    if len(points) < MIN_POINTS or len({x for x, _y in points}) < 2:
        return None, len(points)
    base, slope, r2 = least_squares(points)
    return Fit(_q(base), _q(slope, "0.0001"), len(points), _q(r2, "0.01"), usable[0], usable[-1]), (
        len(points)
    )


def _window(today: date) -> tuple[date, date]:
    """Readings considered: the last 36 months (24 fitted, plus a season before)."""
    first = add_months((today.year, today.month), -36)
    return date(*first, 1), today


def fit_site_model(site: Site, *, today: date | None = None, meter_ids=None) -> Fit | None:
    """The site's weather model, or None when fewer than MIN_POINTS months are known."""
    today = today or date.today()
    start, end = _window(today)
    consumption = site_monthly_consumption([site.pk], start, end, meter_ids=meter_ids).get(
        site.pk, {}
    )
    return fit_months(consumption, all_monthly_degree_days())[0]


# --- actual vs expected, normalised ---------------------------------------------------------


@dataclass
class MonthRow:
    month: Month
    actual: Decimal
    hdd: Decimal | None
    normal_hdd: Decimal
    expected: Decimal | None
    deviation_percent: Decimal | None  # (actual − expected) / expected × 100

    @property
    def first_day(self) -> date:
        return date(*self.month, 1)


@dataclass
class SeasonRow:
    season: int  # starting year
    months: list[Month]
    actual: Decimal
    hdd: Decimal
    normal_hdd: Decimal
    normalised: Decimal | None  # actual − slope × (hdd − normal hdd)


@dataclass
class SeasonChange:
    """This season against the same months of the season before."""

    current: SeasonRow
    previous: SeasonRow
    hdd_change_percent: Decimal  # + colder, − milder
    actual_change_percent: Decimal | None
    normalised_change_percent: Decimal | None

    @property
    def hdd_change_size(self) -> Decimal:
        return abs(self.hdd_change_percent)

    @property
    def normalised_change_size(self) -> Decimal | None:
        p = self.normalised_change_percent
        return None if p is None else abs(p)


@dataclass
class Comparison:
    fit: Fit | None
    points: int
    rows: list[MonthRow]
    seasons: list[SeasonRow]
    change: SeasonChange | None
    normal: dict[int, Decimal] = field(default_factory=dict)

    @property
    def too_few_points(self) -> bool:
        return self.fit is None


def _percent(new: Decimal, old: Decimal) -> Decimal | None:
    if not old:
        return None
    return _q((new - old) / old * 100, "0.1")


def compare_months(
    consumption: dict[Month, Decimal], degree_days: dict, normal: dict
) -> Comparison:
    """The comparison for one series of monthly consumption (pure arithmetic)."""
    fit, points = fit_months(consumption, degree_days)
    shown = sorted(consumption)[-FIT_MONTHS:]
    rows = []
    for m in shown:
        md = degree_days.get(m)
        hdd = md.hdd if md and md.complete else None
        expected = _q(fit.expected(hdd)) if fit and hdd is not None else None
        if expected is not None and expected < 0:
            expected = Decimal("0.000")
        rows.append(
            MonthRow(
                month=m,
                actual=consumption[m],
                hdd=hdd,
                normal_hdd=normal[m[1]],
                expected=expected,
                deviation_percent=_percent(consumption[m], expected) if expected else None,
            )
        )
    seasons = []
    by_season: dict[int, list[Month]] = defaultdict(list)
    for m in sorted(consumption):
        s = season_of(m)
        md = degree_days.get(m)
        if s is not None and md and md.complete:
            by_season[s].append(m)
    for s, months in sorted(by_season.items()):
        seasons.append(_season_row(s, months, consumption, degree_days, normal, fit))
    change = None
    if len(seasons) >= 2 and seasons[-2].season == seasons[-1].season - 1:
        current = seasons[-1]
        # The same calendar months in both seasons, so a half-finished season is fair.
        same = [(y - 1, m) for y, m in current.months]
        prev_months = [m for m in same if m in by_season[current.season - 1]]
        if prev_months:
            cur_months = [(y + 1, m) for y, m in prev_months]
            current = _season_row(current.season, cur_months, consumption, degree_days, normal, fit)
            previous = _season_row(
                current.season - 1, prev_months, consumption, degree_days, normal, fit
            )
            change = SeasonChange(
                current=current,
                previous=previous,
                hdd_change_percent=_percent(current.hdd, previous.hdd) or Decimal(0),
                actual_change_percent=_percent(current.actual, previous.actual),
                normalised_change_percent=(
                    _percent(current.normalised, previous.normalised) if fit else None
                ),
            )
    return Comparison(fit, points, rows, seasons, change, normal)


def _season_row(season, months, consumption, degree_days, normal, fit) -> SeasonRow:
    actual = sum((consumption[m] for m in months), Decimal(0))
    hdd = sum((degree_days[m].hdd for m in months), Decimal(0))
    normal_hdd = sum((normal[m[1]] for m in months), Decimal(0))
    normalised = _q(actual - fit.slope * (hdd - normal_hdd)) if fit else None
    return SeasonRow(season, list(months), _q(actual), hdd, normal_hdd, normalised)


def monthly_comparison(site: Site, *, today: date | None = None, meter_ids=None) -> Comparison:
    """Actual vs weather-expected consumption per month (latest 24) and per heating
    season, with this season's weather-normalised change against the season before."""
    today = today or date.today()
    start, end = _window(today)
    consumption = site_monthly_consumption([site.pk], start, end, meter_ids=meter_ids).get(
        site.pk, {}
    )
    degree_days = all_monthly_degree_days()
    return compare_months(consumption, degree_days, normal_degree_days(degree_days))


# --- prices and the forecast ----------------------------------------------------------------


@dataclass(frozen=True)
class Prices:
    """Current net prices of a contract, from its latest invoice's lines."""

    fixed_per_month: Decimal  # zł per month (capacity + transmission fixed)
    per_gj: Decimal  # zł per GJ (heat + transmission variable)
    capacity_per_mw_month: Decimal  # zł per MW per month (capacity + transmission fixed)
    vat_percent: Decimal
    invoice_number: str


def current_prices(contract_ids) -> dict[int, Prices]:
    """{contract_id: Prices} from each contract's latest VAT invoice with lines (two
    queries: the latest invoice per contract, then those invoices' lines)."""
    latest_invoice = (
        Invoice.objects.filter(
            contract_id=OuterRef("pk"), kind=Invoice.Kind.VAT, cancelled_at__isnull=True
        )
        .filter(Exists(InvoiceLine.objects.filter(invoice_id=OuterRef("pk"))))
        .order_by("-issue_date", "-id")
        .values("id")[:1]
    )
    invoice_ids = [
        i
        for i in Contract.objects.filter(pk__in=list(contract_ids))
        .annotate(last_invoice=Subquery(latest_invoice))
        .values_list("last_invoice", flat=True)
        if i is not None
    ]
    lines = (
        InvoiceLine.objects.filter(invoice_id__in=invoice_ids)
        .order_by("invoice__contract_id", "invoice_id", "position")
        .values_list(
            "invoice__contract_id",
            "invoice_id",
            "invoice__number",
            "component",
            "quantity",
            "unit_price",
            "vat_rate",
        )
    )
    latest: dict[int, int] = {}
    parts: dict[int, dict] = {}
    for contract_id, invoice_id, number, component, qty, price, vat in lines:
        if latest.setdefault(contract_id, invoice_id) != invoice_id:
            continue
        p = parts.setdefault(
            contract_id,
            {"fixed": Decimal(0), "gj": Decimal(0), "mw": Decimal(0), "vat": vat, "no": number},
        )
        if component in FIXED_COMPONENTS:
            p["fixed"] += Decimal(qty) * Decimal(price)
            p["mw"] += Decimal(price)
        elif component in VARIABLE_COMPONENTS:
            p["gj"] += Decimal(price)
    return {
        cid: Prices(_q(p["fixed"], "0.01"), p["gj"], p["mw"], Decimal(p["vat"]), p["no"])
        for cid, p in parts.items()
    }


@dataclass
class ForecastMonth:
    month: Month
    normal_hdd: Decimal
    expected: Decimal


@dataclass
class Forecast:
    """Cost of the rest of the heating season: normal, mild and cold winter."""

    season: int
    months: list[ForecastMonth]
    gj: Decimal
    gj_mild: Decimal
    gj_cold: Decimal
    net: Decimal
    net_mild: Decimal
    net_cold: Decimal
    gross: Decimal
    gross_mild: Decimal
    gross_cold: Decimal
    prices: Prices

    @property
    def first(self) -> Month:
        return self.months[0].month

    @property
    def last(self) -> Month:
        return self.months[-1].month


def remaining_season(today: date, last_read: Month | None) -> tuple[int, list[Month]]:
    """The season still to come: this season's months not yet read (from this month on),
    or, between May and September, the whole next season."""
    month = (today.year, today.month)
    season = season_of(month)
    if season is None:
        season = today.year
    months = [m for m in season_months(season) if m >= month]
    if last_read is not None:
        months = [m for m in months if m > last_read]
    return season, months


def forecast_cost(fit: Fit, months: list[Month], normal: dict, prices: Prices, season: int):
    """The forecast for the given months (pure arithmetic): GJ = Σ (base + slope × normal
    HDD × factor), cost = GJ × price per GJ + months × fixed monthly charges."""
    rows = [
        ForecastMonth(m, normal[m[1]], _q(max(Decimal(0), fit.expected(normal[m[1]]))))
        for m in months
    ]

    def gj(factor):
        return _q(
            sum(
                (max(Decimal(0), fit.expected(normal[m[1]] * factor)) for m in months),
                Decimal(0),
            )
        )

    def net(quantity):
        return _q(quantity * prices.per_gj + prices.fixed_per_month * len(months), "0.01")

    def gross(amount):
        return _q(amount * (1 + prices.vat_percent / 100), "0.01")

    g, g_mild, g_cold = gj(Decimal(1)), gj(MILD_FACTOR), gj(COLD_FACTOR)
    n, n_mild, n_cold = net(g), net(g_mild), net(g_cold)
    return Forecast(
        season,
        rows,
        g,
        g_mild,
        g_cold,
        n,
        n_mild,
        n_cold,
        gross(n),
        gross(n_mild),
        gross(n_cold),
        prices,
    )


def active_contract(site: Site, today: date) -> Contract | None:
    return (
        Contract.objects.filter(site=site, cancelled_at__isnull=True, start_date__lte=today)
        .exclude(end_date__lt=today)
        .order_by("-start_date")
        .first()
    )


def season_forecast(site: Site, today: date | None = None, *, meter_ids=None) -> Forecast | None:
    """Cost of the rest of the heating season for a site, or None without a model, an
    active contract with an invoice to price it, or months left."""
    today = today or date.today()
    fit = fit_site_model(site, today=today, meter_ids=meter_ids)
    contract = active_contract(site, today)
    if fit is None or contract is None:
        return None
    prices = current_prices([contract.pk]).get(contract.pk)
    last = (
        Reading.objects.filter(meter__site=site, cancelled_at__isnull=True, read_on__lte=today)
        .order_by("-read_on")
        .values_list("read_on", flat=True)
        .first()
    )
    season, months = remaining_season(today, (last.year, last.month) if last else None)
    if prices is None or not months:
        return None
    return forecast_cost(fit, months, normal_degree_days(), prices, season)


# --- the tariff group -----------------------------------------------------------------------


def quartiles(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """(Q1, median, Q3) by linear interpolation between ranks, like a spreadsheet's
    QUARTILE.INC: the q-quantile of sorted x1…xn is at rank 1 + q·(n − 1)."""
    q1, med, q3 = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return q1, med, q3


def previous_full_year(today: date) -> tuple[date, date]:
    """The twelve full months before `today`'s month."""
    last = add_months((today.year, today.month), -1)
    first = add_months(last, -11)
    return date(*first, 1), date(*last, days_in(last))


def site_intensities(period_start: date, period_end: date) -> list[dict]:
    """GJ per MW ordered (and per m² where billing sent the heated area) over the period
    for every site with a contract in force for the whole period:
    [{site, customer, tariff_group, mw, gj, value, m2, value_m2}]."""
    contracts = (
        Contract.objects.filter(
            cancelled_at__isnull=True,
            start_date__lte=period_start,
            ordered_capacity_mw__gt=0,
        )
        .exclude(end_date__lt=period_end)
        .order_by("site_id", "-start_date")
        .values_list("site_id", "customer_id", "tariff_group", "ordered_capacity_mw")
    )
    by_site: dict[int, tuple] = {}
    for site_id, customer_id, group, mw in contracts.iterator(chunk_size=10000):
        by_site.setdefault(site_id, (customer_id, group, Decimal(mw)))
    totals = (
        Reading.objects.filter(
            cancelled_at__isnull=True,
            meter__cancelled_at__isnull=True,
            read_on__gte=period_start,
            read_on__lte=period_end,
        )
        .values("meter__site_id")
        .annotate(total=Sum("consumption"))
        .order_by()
        .values_list("meter__site_id", "total")
    )
    areas = dict(
        HeatedArea.objects.filter(cancelled_at__isnull=True).values_list("site_id", "area_m2")
    )
    result = []
    for site_id, total in totals.iterator(chunk_size=10000):
        if site_id not in by_site or total is None:
            continue
        customer_id, group, mw = by_site[site_id]
        gj = Decimal(total)
        m2 = areas.get(site_id)
        result.append(
            {
                "site": site_id,
                "customer": customer_id,
                "tariff_group": group,
                "mw": mw,
                "gj": gj,
                "value": _q(gj / mw),
                "m2": m2,
                "value_m2": _q(gj / Decimal(m2), "0.0001") if m2 else None,
            }
        )
    return result


METRIC_VALUE = {
    GroupStatistic.Metric.GJ_PER_MW: ("value", "0.001"),
    GroupStatistic.Metric.GJ_PER_M2: ("value_m2", "0.0001"),
}


def compute_group_statistics(today: date | None = None, *, dry_run: bool = False) -> list:
    """Compute and store every tariff group's distribution of GJ per MW (and GJ per m²
    over the sites with a heated area) over the twelve full months before `today`.
    Groups with fewer than MIN_GROUP_CUSTOMERS customers are not stored. Returns the
    statistics (unsaved when `dry_run`)."""
    today = today or date.today()
    start, end = previous_full_year(today)
    per_group: dict[tuple, list[dict]] = defaultdict(list)
    for item in site_intensities(start, end):
        for metric, (key, _places) in METRIC_VALUE.items():
            if item[key] is not None:
                per_group[(item["tariff_group"], metric)].append(item)
    stats = []
    for (group, metric), items in sorted(per_group.items()):
        customers = len({i["customer"] for i in items})
        if customers < MIN_GROUP_CUSTOMERS:
            continue
        key, places = METRIC_VALUE[metric]
        values = [i[key] for i in items]
        q1, med, q3 = quartiles(values)
        stat = GroupStatistic(
            tariff_group=group,
            metric=metric,
            period_start=start,
            period_end=end,
            customers=customers,
            sites=len(items),
            minimum=min(values),
            lower_quartile=_q(q1, places),
            median=_q(med, places),
            upper_quartile=_q(q3, places),
            maximum=max(values),
            mean=_q(sum(values) / len(values), places),
        )
        stats.append(stat)
        if not dry_run:
            GroupStatistic.objects.update_or_create(
                tariff_group=group,
                metric=stat.metric,
                period_end=end,
                defaults={
                    f.name: getattr(stat, f.name)
                    for f in GroupStatistic._meta.concrete_fields
                    if f.name not in ("id", "tariff_group", "metric", "period_end", "computed_at")
                },
            )
    return stats


def group_distribution(
    tariff_group: str, metric: str = GroupStatistic.Metric.GJ_PER_MW
) -> GroupStatistic | None:
    """The latest stored distribution of a tariff group (None if hidden or not computed)."""
    return (
        GroupStatistic.objects.filter(
            tariff_group=tariff_group,
            metric=metric,
            customers__gte=MIN_GROUP_CUSTOMERS,
        )
        .order_by("-period_end")
        .first()
    )


@dataclass
class GroupPosition:
    statistic: GroupStatistic
    value: Decimal  # the site's GJ per MW (or per m²) over the statistic's period
    gj: Decimal
    divisor: Decimal  # the MW ordered (or the m² heated)

    @property
    def band(self) -> str:
        """Where the site falls: "q1" (lowest quarter) … "q4" (highest quarter)."""
        s = self.statistic
        if self.value <= s.lower_quartile:
            return "q1"
        if self.value <= s.median:
            return "q2"
        if self.value <= s.upper_quartile:
            return "q3"
        return "q4"

    def scale(self, width: int = 100) -> dict:
        """Positions (0–width) of the statistic's points and the site, for a bar."""
        s = self.statistic
        lo, hi = min(s.minimum, self.value), max(s.maximum, self.value)
        span = (hi - lo) or Decimal(1)

        def at(v):
            return f"{(Decimal(v) - lo) / span * width:.1f}"

        return {
            "min": at(s.minimum),
            "q1": at(s.lower_quartile),
            "median": at(s.median),
            "q3": at(s.upper_quartile),
            "max": at(s.maximum),
            "site": at(self.value),
        }


def group_position(site: Site, today: date | None = None, *, statistics_by_group=None):
    """The site against its tariff group's latest distribution, or None."""
    today = today or date.today()
    contract = active_contract(site, today)
    if contract is None or not contract.ordered_capacity_mw:
        return None
    stat = (
        statistics_by_group.get(contract.tariff_group)
        if statistics_by_group is not None
        else group_distribution(contract.tariff_group)
    )
    if stat is None:
        return None
    total = Reading.objects.filter(
        meter__site=site,
        cancelled_at__isnull=True,
        meter__cancelled_at__isnull=True,
        read_on__gte=stat.period_start,
        read_on__lte=stat.period_end,
    ).aggregate(total=Sum("consumption"))["total"]
    if total is None:
        return None
    mw = Decimal(contract.ordered_capacity_mw)
    return GroupPosition(stat, _q(Decimal(total) / mw), _q(total), mw)


# --- ordered capacity -----------------------------------------------------------------------


def design_temperature() -> Decimal:
    return Decimal(str(getattr(settings, "EBOK_DESIGN_TEMPERATURE", -18)))


@dataclass
class CapacityAdvice:
    ordered_mw: Decimal
    peak_mw: Decimal
    recommended_mw: Decimal
    method: str  # "monthly" or "hourly"
    coldest: Month | None
    yearly_saving_net: Decimal | None
    contract_id: int
    show: bool  # the margin is large enough to advise a change

    @property
    def margin_percent(self) -> Decimal:
        return _q((self.ordered_mw - self.peak_mw) / self.ordered_mw * 100, "0.1")


def peak_from_months(
    consumption: dict[Month, Decimal], degree_days: dict, fit: Fit | None
) -> tuple[Decimal, Month] | None:
    """Peak demand [MW] at the design temperature from the coldest month (most degree
    days): its mean power, the weather-dependent part scaled by (base − design
    temperature) / (that month's mean degree days per day)."""
    months = [m for m in consumption if m in degree_days and degree_days[m].complete]
    if not months:
        return None
    coldest = max(months, key=lambda m: degree_days[m].hdd)
    md = degree_days[coldest]
    if md.hdd <= 0:
        return None
    hours = Decimal(days_in(coldest) * 24)
    energy = consumption[coldest]
    base_part = min(max(fit.base, Decimal(0)), energy) if fit else Decimal(0)
    ratio = (hdd_base() - design_temperature()) / (md.hdd / md.days)
    peak = (base_part + (energy - base_part) * ratio) / GJ_PER_MWH / hours
    return _q(peak, "0.0001"), coldest


def peak_from_hours(meter_ids) -> Decimal | None:
    """Peak demand [MW] from hourly data: the largest hourly consumption, scaled to the
    design temperature by that day's mean temperature."""
    top = (
        HourlyConsumption.objects.filter(meter_id__in=meter_ids, cancelled_at__isnull=True)
        .values("hour_start")
        .annotate(total=Sum("consumption"))
        .order_by("-total")
        .first()
    )
    if top is None or not top["total"]:
        return None
    power = Decimal(top["total"]) / GJ_PER_MWH  # GJ in one hour → MW
    day = timezone.localtime(top["hour_start"]).date()
    t = (
        DailyTemperature.objects.filter(day=day, cancelled_at__isnull=True)
        .values_list("mean_temperature", flat=True)
        .first()
    )
    base = hdd_base()
    if t is not None and base - Decimal(t) >= 1:
        power = power * max(Decimal(1), (base - design_temperature()) / (base - Decimal(t)))
    return _q(power, "0.0001")


def recommend(peak: Decimal) -> Decimal:
    """Peak with the safety margin, rounded up to a whole kW."""
    return (peak * PEAK_SAFETY).quantize(Decimal("0.001"), rounding=ROUND_CEILING)


def make_advice(
    contract_id, ordered, peak, method, coldest, prices: Prices | None
) -> CapacityAdvice:
    ordered = Decimal(ordered)
    recommended = recommend(peak)
    show = ordered > 0 and (ordered - recommended) / ordered >= ADVICE_MIN_MARGIN
    saving = None
    if prices is not None and recommended < ordered:
        saving = _q((ordered - recommended) * prices.capacity_per_mw_month * 12, "0.01")
    return CapacityAdvice(ordered, peak, recommended, method, coldest, saving, contract_id, show)


def capacity_advice(site: Site, today: date | None = None) -> CapacityAdvice | None:
    """The site's estimated peak demand against its ordered capacity (None without an
    active contract or enough data)."""
    today = today or date.today()
    contract = active_contract(site, today)
    if contract is None or not contract.ordered_capacity_mw:
        return None
    meter_ids = list(site.meters.filter(cancelled_at__isnull=True).values_list("pk", flat=True))
    prices = current_prices([contract.pk]).get(contract.pk)
    hourly = peak_from_hours(meter_ids)
    if hourly is not None:
        return make_advice(
            contract.pk, contract.ordered_capacity_mw, hourly, "hourly", None, prices
        )
    start, end = _window(today)
    consumption = site_monthly_consumption([site.pk], start, end).get(site.pk, {})
    degree_days = all_monthly_degree_days()
    fit = fit_months(consumption, degree_days)[0]
    found = peak_from_months(consumption, degree_days, fit)
    if found is None:
        return None
    return make_advice(
        contract.pk, contract.ordered_capacity_mw, found[0], "monthly", found[1], prices
    )


# --- a customer's overview (cached) ---------------------------------------------------------


@dataclass
class SiteInsight:
    site_id: int
    label: str
    contract_id: int | None
    tariff_group: str
    last_12_gj: Decimal
    comparison: Comparison
    forecast: Forecast | None
    advice: CapacityAdvice | None
    group: GroupPosition | None
    group_m2: GroupPosition | None = None


@dataclass(frozen=True)
class SiteSummary:
    """What the overview's table shows of one site (small: the cached overview of a
    customer with 300 sites must load fast; the details are cached per site)."""

    site_id: int
    label: str
    last_12_gj: Decimal
    too_few_points: bool
    normalised_change_percent: Decimal | None
    forecast_gross: Decimal | None
    advice_show: bool | None  # None: no advice could be made
    group_band: str | None

    @classmethod
    def of(cls, s: SiteInsight) -> SiteSummary:
        change = s.comparison.change
        return cls(
            s.site_id,
            s.label,
            s.last_12_gj,
            s.comparison.too_few_points,
            change.normalised_change_percent if change else None,
            s.forecast.gross if s.forecast else None,
            s.advice.show if s.advice else None,
            s.group.band if s.group else None,
        )


@dataclass
class CustomerOverview:
    sites: list[SiteSummary]
    forecast_gross: Decimal | None
    forecast_gross_mild: Decimal | None
    forecast_gross_cold: Decimal | None
    forecast_months: list[Month]


def _sync_stamp() -> str:
    synced = CompanySettings.get().last_billing_sync
    return synced.isoformat() if synced else "never"


def _stamp(customer_id: int, today: date) -> str:
    return f"{customer_id}:{_sync_stamp()}:{hdd_base()}:{today}"


def overview_stamp(customer_id: int, today: date) -> str:
    """What the customer's insight depends on besides the customer: the last import
    (readings, contracts, prices, temperatures, group statistics), the degree-day base and
    the day. A fragment showing the insight is keyed on it, like the cached data."""
    return _stamp(customer_id, today)


def overview_cache_key(customer_id: int, today: date) -> str:
    return f"insight:overview:v2:{_stamp(customer_id, today)}"


def site_cache_key(customer_id: int, site_id: int, today: date) -> str:
    return f"insight:site:v2:{site_id}:{_stamp(customer_id, today)}"


CACHE_SECONDS = 24 * 3600


def compute_customer_insight(customer, today: date | None = None):
    """(overview, {site_id: SiteInsight}) computed now with a fixed number of queries;
    the overview is cached (one key per customer). Sites' details are cached only when a
    page asks for one (`site_insight`), so a customer with 300 sites does not fill the
    cache with 300 entries nobody reads."""
    today = today or date.today()
    overview, details = _compute_overview(customer, today)
    cache.set(overview_cache_key(customer.pk, today), overview, CACHE_SECONDS)
    return overview, details


def customer_overview(customer, today: date | None = None) -> CustomerOverview:
    """The customer's sites in short and the season forecast totals, cached until the
    next billing import or the next day."""
    today = today or date.today()
    value = cache.get(overview_cache_key(customer.pk, today))
    if value is None:
        value = compute_customer_insight(customer, today)[0]
    return value


def site_insight(customer, site_id: int, today: date | None = None) -> SiteInsight | None:
    """One site's comparison, forecast, advice and group position (cached), or None when
    the site is not the customer's (or cancelled)."""
    today = today or date.today()
    key = site_cache_key(customer.pk, site_id, today)
    value = cache.get(key)
    if value is None:
        # The same computation restricted to this one site: a few queries, milliseconds.
        value = _compute_overview(customer, today, only_site=site_id)[1].get(site_id)
        if value is not None:
            cache.set(key, value, CACHE_SECONDS)
    return value


def _compute_overview(customer, today: date, only_site=None) -> tuple[CustomerOverview, dict]:
    sites = Site.objects.filter(customer=customer, cancelled_at__isnull=True)
    sites = list(sites.filter(pk=only_site) if only_site is not None else sites)
    site_ids = [s.pk for s in sites]
    start, end = _window(today)
    consumption = site_monthly_consumption(site_ids, start, end)
    degree_days = all_monthly_degree_days()
    normal = normal_degree_days(degree_days)
    contracts: dict[int, Contract] = {}
    for c in (
        Contract.objects.filter(
            site_id__in=site_ids, cancelled_at__isnull=True, start_date__lte=today
        )
        .exclude(end_date__lt=today)
        .order_by("site_id", "-start_date")
    ):
        contracts.setdefault(c.site_id, c)
    prices = current_prices([c.pk for c in contracts.values()])
    last_read = {
        row["meter__site_id"]: row["last"]
        for row in Reading.objects.filter(
            meter__site_id__in=site_ids, cancelled_at__isnull=True, read_on__lte=today
        )
        .values("meter__site_id")
        .annotate(last=Max("read_on"))
        .order_by()
    }
    # The latest of each group and metric (ordered so the latest wins).
    stats = {
        (s.tariff_group, s.metric): s
        for s in GroupStatistic.objects.filter(customers__gte=MIN_GROUP_CUSTOMERS).order_by(
            "tariff_group", "metric", "period_end"
        )
    }
    areas = dict(
        HeatedArea.objects.filter(site_id__in=site_ids, cancelled_at__isnull=True).values_list(
            "site_id", "area_m2"
        )
    )
    hourly_peaks = _hourly_peaks(site_ids)
    year_start, year_end = previous_full_year(today)
    result = []
    for site in sites:
        series = consumption.get(site.pk, {})
        comparison = compare_months(series, degree_days, normal)
        contract = contracts.get(site.pk)
        price = prices.get(contract.pk) if contract else None
        forecast = advice = group = group_m2 = None
        if comparison.fit and price:
            last = last_read.get(site.pk)
            season, months = remaining_season(today, (last.year, last.month) if last else None)
            if months:
                forecast = forecast_cost(comparison.fit, months, normal, price, season)
        if contract and contract.ordered_capacity_mw:
            if site.pk in hourly_peaks:
                advice = make_advice(
                    contract.pk,
                    contract.ordered_capacity_mw,
                    hourly_peaks[site.pk],
                    "hourly",
                    None,
                    price,
                )
            else:
                found = peak_from_months(series, degree_days, comparison.fit)
                if found:
                    advice = make_advice(
                        contract.pk,
                        contract.ordered_capacity_mw,
                        found[0],
                        "monthly",
                        found[1],
                        price,
                    )
            group = _position(
                stats.get((contract.tariff_group, GroupStatistic.Metric.GJ_PER_MW)),
                series,
                Decimal(contract.ordered_capacity_mw),
                "0.001",
            )
            if site.pk in areas:
                group_m2 = _position(
                    stats.get((contract.tariff_group, GroupStatistic.Metric.GJ_PER_M2)),
                    series,
                    Decimal(areas[site.pk]),
                    "0.0001",
                )
        last_12 = sum(
            (v for m, v in series.items() if year_start <= date(*m, 1) <= year_end), Decimal(0)
        )
        result.append(
            SiteInsight(
                site.pk,
                site.name or str(site),
                contract.pk if contract else None,
                contract.tariff_group if contract else "",
                _q(last_12),
                comparison,
                forecast,
                advice,
                group,
                group_m2,
            )
        )
    forecasts = [s.forecast for s in result if s.forecast]
    overview = CustomerOverview(
        [SiteSummary.of(s) for s in result],
        sum((f.gross for f in forecasts), Decimal(0)) if forecasts else None,
        sum((f.gross_mild for f in forecasts), Decimal(0)) if forecasts else None,
        sum((f.gross_cold for f in forecasts), Decimal(0)) if forecasts else None,
        sorted({fm.month for f in forecasts for fm in f.months}),
    )
    return overview, {s.site_id: s for s in result}


def _position(stat, series, divisor: Decimal, places: str) -> GroupPosition | None:
    """The site's consumption over the statistic's period per unit, against it."""
    if stat is None or not divisor:
        return None
    total = sum(
        (v for m, v in series.items() if stat.period_start <= date(*m, 1) <= stat.period_end),
        Decimal(0),
    )
    if not total:
        return None
    return GroupPosition(stat, _q(total / divisor, places), _q(total), divisor)


def _hourly_peaks(site_ids) -> dict[int, Decimal]:
    """{site_id: peak MW} for the sites with hourly data (two queries whatever the count)."""
    rows = (
        HourlyConsumption.objects.filter(meter__site_id__in=site_ids, cancelled_at__isnull=True)
        .values("meter__site_id", "hour_start")
        .annotate(total=Sum("consumption"))
        .order_by()
    )
    top: dict[int, tuple] = {}
    for row in rows:
        site_id = row["meter__site_id"]
        if site_id not in top or row["total"] > top[site_id][1]:
            top[site_id] = (row["hour_start"], row["total"])
    if not top:
        return {}
    days = {timezone.localtime(hs).date() for hs, _t in top.values()}
    temps = dict(
        DailyTemperature.objects.filter(day__in=days, cancelled_at__isnull=True).values_list(
            "day", "mean_temperature"
        )
    )
    base = hdd_base()
    result = {}
    for site_id, (hour_start, total) in top.items():
        power = Decimal(total) / GJ_PER_MWH
        t = temps.get(timezone.localtime(hour_start).date())
        if t is not None and base - Decimal(t) >= 1:
            power = power * max(Decimal(1), (base - design_temperature()) / (base - Decimal(t)))
        result[site_id] = _q(power, "0.0001")
    return result
