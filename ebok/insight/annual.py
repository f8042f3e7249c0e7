"""The annual information letter (Prawo energetyczne art. 5 ust. 6c): for each customer
and calendar year, the consumption of every site, the tariff group's average and where
it is published, the weather-normalised change against the year before, efficiency
advice chosen by the data, and the company's fuel mix and emissions applied to the
customer's consumption.

The content is computed once into `AnnualInformation.data` (a snapshot; the page and the
PDF are rendered from it) and the PDF is stored. `issue()` is idempotent: one letter per
customer and year; `reissue=True` (an operator's action) recomputes both.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ebok.contracts.models import Reading, Site
from ebok.customers.models import Customer
from ebok.insight import services
from ebok.insight.models import AnnualInformation, FuelMix, GroupStatistic

logger = logging.getLogger(__name__)

#: summer (June–August) monthly consumption above this share of the winter months'
#: (December, January, February) → advice on hot-water circulation losses
SUMMER_SHARE_ADVICE = Decimal(25)
#: weather-normalised increase above this → advice on the heat substation's settings
NORMALISED_INCREASE_ADVICE = Decimal(5)
#: customers per task when letters are generated for everyone
BATCH = 200

ADVICE_CIRCULATION = "circulation"
ADVICE_INSULATION = "insulation"
ADVICE_SUBSTATION = "substation"
ADVICE_GENERAL = "general"


class NoFuelMix(Exception):
    """The fuel mix of the year has not been entered: no letter can be issued."""


def _q(value, places="0.001") -> Decimal:
    return Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _s(value) -> str | None:
    return None if value is None else str(value)


def _percent(new, old) -> Decimal | None:
    if not old:
        return None
    return _q((Decimal(new) - Decimal(old)) / Decimal(old) * 100, "0.1")


def normalised_year_change(
    consumption: dict, degree_days: dict, normal: dict, fit, year: int
) -> dict | None:
    """The calendar year against the year before, over the months known in both with
    complete temperatures: actual GJ, degree days, and weather-normalised GJ
    (actual − slope × (degree days − normal degree days)). None without a model."""
    if fit is None:
        return None
    months = [
        m
        for m in range(1, 13)
        if (year, m) in consumption
        and (year - 1, m) in consumption
        and degree_days.get((year, m)) is not None
        and degree_days[(year, m)].complete
        and degree_days.get((year - 1, m)) is not None
        and degree_days[(year - 1, m)].complete
    ]
    if not months:
        return None

    def side(y):
        actual = sum((consumption[(y, m)] for m in months), Decimal(0))
        hdd = sum((degree_days[(y, m)].hdd for m in months), Decimal(0))
        normal_hdd = sum((normal[m] for m in months), Decimal(0))
        return _q(actual), _q(hdd, "0.1"), _q(actual - fit.slope * (hdd - normal_hdd))

    prev_actual, prev_hdd, prev_norm = side(year - 1)
    cur_actual, cur_hdd, cur_norm = side(year)
    return {
        "months": len(months),
        "previous_actual": _s(prev_actual),
        "current_actual": _s(cur_actual),
        "previous_hdd": _s(prev_hdd),
        "current_hdd": _s(cur_hdd),
        "hdd_change_percent": _s(_percent(cur_hdd, prev_hdd)),
        "previous_normalised": _s(prev_norm),
        "current_normalised": _s(cur_norm),
        "change_percent": _s(_percent(cur_norm, prev_norm)),
        "slope": _s(fit.slope),
        "base": _s(fit.base),
    }


def summer_share(consumption: dict, year: int) -> Decimal | None:
    """Mean June–August consumption as a percentage of the mean of December, January and
    February of the same year; None when a month is missing or winter is zero."""
    summer = [consumption.get((year, m)) for m in (6, 7, 8)]
    winter = [consumption.get((year, m)) for m in (1, 2, 12)]
    if None in summer or None in winter:
        return None
    winter_mean = sum(winter) / 3
    if not winter_mean:
        return None
    return _q(sum(summer) / 3 / winter_mean * 100, "0.1")


def choose_advice(*, summer_share_percent, gj_per_mw, group, normalised_change) -> list[str]:
    advice = []
    if summer_share_percent is not None and summer_share_percent > SUMMER_SHARE_ADVICE:
        advice.append(ADVICE_CIRCULATION)
    if group is not None and gj_per_mw is not None and gj_per_mw > Decimal(group["q3"]):
        advice.append(ADVICE_INSULATION)
    if normalised_change is not None and normalised_change > NORMALISED_INCREASE_ADVICE:
        advice.append(ADVICE_SUBSTATION)
    return advice or [ADVICE_GENERAL]


def _group_statistic(tariff_group: str, year: int) -> GroupStatistic | None:
    """The group's distribution over exactly the letter's year when the job computed it,
    else the latest one (its period is printed)."""
    exact = GroupStatistic.objects.filter(
        tariff_group=tariff_group,
        metric=GroupStatistic.Metric.GJ_PER_MW,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        customers__gte=services.MIN_GROUP_CUSTOMERS,
    ).first()
    return exact or services.group_distribution(tariff_group)


def emissions(total_gj: Decimal, fuel_mix: FuelMix) -> dict:
    """kg of each pollutant for `total_gj` (GJ × kg/GJ) and the GJ from renewables."""
    out = {
        name.removesuffix("_kg_per_gj"): _s(_q(total_gj * getattr(fuel_mix, name), "0.1"))
        for name, _label in FuelMix.EMISSIONS
    }
    out["renewable_gj"] = _s(_q(total_gj * fuel_mix.renewable_percent / 100, "0.001"))
    return out


def compute(customer: Customer, year: int, fuel_mix: FuelMix) -> dict:
    """The letter's content for `customer` and `year` as JSON-ready data."""
    end = date(year, 12, 31)
    sites = list(Site.objects.filter(customer=customer, cancelled_at__isnull=True).order_by("code"))
    site_ids = [s.pk for s in sites]
    consumption = services.site_monthly_consumption(site_ids, date(year - 1, 1, 1), end)
    degree_days = services.all_monthly_degree_days()
    normal = services.normal_degree_days(degree_days)
    rows = []
    total = Decimal(0)
    for site in sites:
        months = consumption.get(site.pk, {})
        current = [v for (y, _m), v in months.items() if y == year]
        if not current:
            continue
        gj = sum(current, Decimal(0))
        previous = [v for (y, _m), v in months.items() if y == year - 1]
        gj_previous = sum(previous, Decimal(0)) if previous else None
        total += gj
        contract = services.active_contract(site, end)
        mw = Decimal(contract.ordered_capacity_mw) if contract else None
        gj_per_mw = _q(gj / mw) if mw else None
        group = None
        if contract is not None:
            stat = _group_statistic(contract.tariff_group, year)
            if stat is not None:
                group = {
                    "mean": _s(stat.mean),
                    "median": _s(stat.median),
                    "q1": _s(stat.lower_quartile),
                    "q3": _s(stat.upper_quartile),
                    "minimum": _s(stat.minimum),
                    "maximum": _s(stat.maximum),
                    "customers": stat.customers,
                    "period_start": stat.period_start.isoformat(),
                    "period_end": stat.period_end.isoformat(),
                }
        fit, _points = services.fit_months(months, degree_days)
        normalised = normalised_year_change(months, degree_days, normal, fit, year)
        share = summer_share(months, year)
        change = (
            Decimal(normalised["change_percent"])
            if normalised and normalised["change_percent"]
            else None
        )
        rows.append(
            {
                "code": site.code,
                "name": site.name,
                "address": f"{site.street}, {site.postal_code} {site.city}",
                "tariff_group": contract.tariff_group if contract else "",
                "ordered_mw": _s(mw),
                "gj": _s(_q(gj)),
                "gj_previous": _s(_q(gj_previous)) if gj_previous is not None else None,
                # Only when both years have readings in as many months (a site that
                # started mid-year would show a meaningless jump).
                "change_percent": (
                    _s(_percent(gj, gj_previous))
                    if gj_previous and len(previous) == len(current)
                    else None
                ),
                "gj_per_mw": _s(gj_per_mw),
                "group": group,
                "model_points": _points,
                "normalised": normalised,
                "summer_share_percent": _s(share),
                "advice": choose_advice(
                    summer_share_percent=share,
                    gj_per_mw=gj_per_mw,
                    group=group,
                    normalised_change=change,
                ),
            }
        )
    return {
        "year": year,
        "customer": {
            "payer_code": customer.payer_code,
            "name": customer.name,
            "address": customer.mailing_address,
        },
        "sites": rows,
        "total_gj": _s(_q(total)),
        "fuel_mix": {
            "shares": {name: _s(getattr(fuel_mix, name)) for name, _l in FuelMix.FUELS},
            "renewable_percent": _s(fuel_mix.renewable_percent),
            "factors": {name: _s(getattr(fuel_mix, name)) for name, _l in FuelMix.EMISSIONS},
        },
        "emissions": emissions(total, fuel_mix),
        "group_averages_published_at": fuel_mix.group_averages_published_at,
        "hdd_base": _s(services.hdd_base()),
    }


def has_consumption(customer: Customer, year: int) -> bool:
    return Reading.objects.filter(
        meter__customer=customer,
        meter__cancelled_at__isnull=True,
        cancelled_at__isnull=True,
        read_on__year=year,
    ).exists()


def issue(customer: Customer, year: int, *, reissue=False, user=None) -> AnnualInformation | None:
    """The customer's letter for `year`, created (or with `reissue`, recomputed) and its
    PDF stored. None when the customer used no heat that year. Raises NoFuelMix."""
    from ebok.insight.annual_pdf import AnnualInformationPdfRenderer

    fuel_mix = FuelMix.objects.filter(year=year).first()
    if fuel_mix is None:
        raise NoFuelMix(year)
    with transaction.atomic():
        # Lock the customer: two workers (or a worker and an operator) write one letter.
        Customer.objects.select_for_update().filter(pk=customer.pk).first()
        existing = AnnualInformation.objects.filter(customer=customer, year=year).first()
        if existing is not None and not reissue:
            return existing
        if not has_consumption(customer, year):
            return existing
        data = compute(customer, year, fuel_mix)
        info = existing or AnnualInformation(customer=customer, year=year)
        if existing is not None:
            info.version += 1
        info.data = data
        info.issued_at = timezone.now()
        info.issued_by = user
        filename, _mimetype, content = AnnualInformationPdfRenderer().generate(info)
        old = info.pdf.name if existing is not None else ""
        info.pdf.save(filename, ContentFile(content), save=False)
        info.save()
        if existing is None:
            _notify(info)
        if old and old != info.pdf.name:
            transaction.on_commit(lambda: info.pdf.storage.delete(old))
    return info


def _notify(info: AnnualInformation) -> None:
    """Tell every user acting for the customer that the letter is in eBOK: one mail each,
    in their language, queued in the transaction that stores the letter (a reissue is
    announced by the operator who makes it)."""
    from django.conf import settings
    from django.urls import reverse

    from ebok.core.mail import queue_mail
    from ebok.customers.models import CustomerAccess

    link = settings.EBOK_BASE_URL + reverse("portal:annual_detail", args=[info.year])
    accesses = CustomerAccess.objects.filter(
        customer=info.customer, user__is_active=True
    ).select_related("user")
    for access in accesses:
        user = access.user
        if not user.email:
            continue
        queue_mail(
            "insight/email/annual_information",
            [user.email],
            {"year": info.year, "customer": info.customer, "link": link, "user": user},
            language=user.preferred_language or "pl",
        )


def pdf_bytes(info: AnnualInformation) -> tuple[str, bytes]:
    with info.pdf.open("rb") as fh:
        content = fh.read()
    return f"informacja-roczna-{info.year}-{info.customer.payer_code}.pdf", content


@task()
def generate_annual_information_batch(year: int, customer_ids: list[int]) -> str:
    """Issue the letters of `customer_ids`. One customer's failure is logged and does not
    stop the others; running the command again issues what is missing."""
    created = failed = 0
    for customer in Customer.objects.filter(pk__in=customer_ids).order_by("pk"):
        before = AnnualInformation.objects.filter(customer=customer, year=year).exists()
        try:
            info = issue(customer, year)
        except NoFuelMix:
            raise
        except Exception:  # noqa: BLE001 - logged; the rest of the batch goes on
            logger.exception("Annual information %s for customer %s failed", year, customer.pk)
            failed += 1
            continue
        created += int(info is not None and not before)
    return f"{created} created, {failed} failed"


def customers_to_issue(year: int):
    """Customers with heat used in `year` and no letter for it yet."""
    with_readings = Reading.objects.filter(
        cancelled_at__isnull=True, meter__cancelled_at__isnull=True, read_on__year=year
    ).values("meter__customer_id")
    return (
        Customer.objects.filter(pk__in=with_readings)
        .exclude(annual_information__year=year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def enqueue_all(year: int) -> int:
    """Enqueue the letters of everyone without one for `year`, BATCH customers per task.
    Returns the number of customers enqueued."""
    if not FuelMix.objects.filter(year=year).exists():
        raise NoFuelMix(year)
    ids = list(customers_to_issue(year))
    with transaction.atomic():
        for i in range(0, len(ids), BATCH):
            generate_annual_information_batch.enqueue(year, ids[i : i + BATCH])
    return len(ids)


# --- presentation (the portal page, the back office and the PDF read the same) -------------


def _fmt(value, places=None) -> str:
    from ebok.billing.pdf import number

    return number(Decimal(value), places)


def advice_items(site: dict) -> list[tuple[str, str]]:
    """(title, text) of each advice chosen for a site row of the letter's data, in the
    active language."""
    from django.utils.translation import gettext as _

    items = []
    for code in site["advice"]:
        if code == ADVICE_CIRCULATION:
            items.append(
                (
                    _("Wysokie zużycie latem – sprawdź cyrkulację ciepłej wody"),
                    _(
                        "Latem obiekt zużywał średnio %(share)s%% tego, co w zimowych "
                        "miesiącach. Latem ciepło idzie głównie na ciepłą wodę, więc tak duży "
                        "udział wskazuje na straty w instalacji cyrkulacji: sprawdź izolację "
                        "przewodów cyrkulacyjnych, nastawy pompy cyrkulacyjnej i temperaturę "
                        "ciepłej wody."
                    )
                    % {"share": _fmt(site["summer_share_percent"], 1)},
                )
            )
        elif code == ADVICE_INSULATION:
            items.append(
                (
                    _("Zużycie wyższe niż w trzech czwartych obiektów grupy – sprawdź izolację"),
                    _(
                        "Obiekt zużył %(value)s GJ na MW mocy zamówionej, więcej niż 75%% "
                        "obiektów w grupie taryfowej (trzeci kwartyl: %(q3)s GJ/MW). Warto "
                        "sprawdzić docieplenie budynku i stan okien oraz regulację instalacji "
                        "grzewczej: zawory termostatyczne i równoważenie hydrauliczne."
                    )
                    % {"value": _fmt(site["gj_per_mw"], 1), "q3": _fmt(site["group"]["q3"], 1)},
                )
            )
        elif code == ADVICE_SUBSTATION:
            items.append(
                (
                    _("Po uwzględnieniu pogody zużycie wzrosło – sprawdź nastawy węzła"),
                    _(
                        "Po przeliczeniu na pogodę roku standardowego zużycie wzrosło o "
                        "%(change)s%%. Sprawdź nastawy węzła cieplnego: krzywą grzewczą, "
                        "obniżenia nocne i weekendowe oraz temperaturę ciepłej wody."
                    )
                    % {"change": _fmt(site["normalised"]["change_percent"], 1)},
                )
            )
        else:
            items.append(
                (
                    _("Jak oszczędzać ciepło"),
                    _(
                        "Obniżenie temperatury w pomieszczeniach o 1 °C zmniejsza zużycie "
                        "ciepła o około 6%. Nie zasłaniaj grzejników, wietrz krótko i "
                        "intensywnie, korzystaj z zaworów termostatycznych i dbaj o sprawną "
                        "automatykę węzła cieplnego."
                    ),
                )
            )
    return items


def fuel_rows(data: dict) -> list[tuple[str, str]]:
    """(fuel label, share %) of the letter's fuel mix, shares above zero."""
    labels = dict(FuelMix.FUELS)
    return [
        (str(labels[name]), value)
        for name, value in data["fuel_mix"]["shares"].items()
        if name in labels and Decimal(value)
    ]


def emission_rows(data: dict) -> list[tuple[str, str, str]]:
    """(pollutant, kg/GJ, kg for the customer's consumption)."""
    labels = dict(FuelMix.EMISSIONS)
    return [
        (str(labels[name]), factor, data["emissions"][name.removesuffix("_kg_per_gj")])
        for name, factor in data["fuel_mix"]["factors"].items()
        if name in labels
    ]


# --- demo data ----------------------------------------------------------------------------

#: A coal-based city system with some gas and biomass, as many Polish ones (demo only).
DEMO_FUEL_MIX = {
    "coal_percent": Decimal("64.30"),
    "gas_percent": Decimal("15.20"),
    "oil_percent": Decimal("0.80"),
    "biomass_percent": Decimal("13.40"),
    "other_renewable_percent": Decimal("2.10"),
    "other_percent": Decimal("4.20"),
    "renewable_percent": Decimal("15.50"),
    "co2_kg_per_gj": Decimal("101.3000"),
    "so2_kg_per_gj": Decimal("0.0850"),
    "nox_kg_per_gj": Decimal("0.0720"),
    "dust_kg_per_gj": Decimal("0.0060"),
    "group_averages_published_at": (
        "na stronie internetowej firmy w zakładce „Informacje dla odbiorców” "
        "oraz w Biurze Obsługi Klienta"
    ),
}


def seed_demo(today: date, customer_ids) -> int:
    """Demo data: last year's fuel mix and the letters of the given customers (the demo
    logins'), as the January run would leave them. Returns the letters issued."""
    year = today.year - 1
    FuelMix.objects.get_or_create(year=year, defaults=DEMO_FUEL_MIX)
    # The tariff groups' distributions over exactly that year, as the January run
    # of the statistics job leaves them.
    services.compute_group_statistics(date(year + 1, 1, 1))
    issued = 0
    for customer in Customer.objects.filter(pk__in=list(customer_ids)).order_by("pk"):
        issued += int(issue(customer, year) is not None)
    return issued
