"""The daily alerts and the tariff groups' distribution job."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command

from ebok.core.models import OutgoingEmail
from ebok.insight.alerts import send_insight_alerts
from ebok.insight.models import (
    CustomerInsightSettings,
    DailyTemperature,
    GroupStatistic,
    InsightAlert,
    InsightPreference,
)
from ebok.insight.services import compute_group_statistics
from tests import factories
from tests.insight import fixture

TODAY = date(2026, 2, 10)


@pytest.fixture
def cold_january(customer):
    """The paper site plus January 2026: 530 degree days and 600 GJ, far above the
    roughly 20 + 0.5 × 530 = 285 GJ the weather explains."""
    cache.clear()
    fixture.load_weather()
    DailyTemperature.objects.bulk_create(
        DailyTemperature(external_id=f"T{d}", day=d, mean_temperature=t, version=1)
        for d, t in fixture.daily_temperatures((2026, 1), 530)
    )
    site, _contract, meter = fixture.make_site(customer)
    factories.make_reading(
        meter, read_on=date(2026, 1, 31), value=Decimal(5000), consumption=Decimal(600)
    )
    return site, meter


def test_a_month_far_above_the_weather_is_noticed_and_mailed_once(
    customer, customer_user, cold_january
):
    counts = send_insight_alerts(TODAY)
    assert counts["high_consumption"] == 1
    alert = InsightAlert.objects.get(kind="high_consumption")
    assert (alert.user, alert.customer, alert.period) == (customer_user, customer, "2026-01")
    assert Decimal(alert.data["percent"]) > 20
    assert alert.data["actual"] == "600.0"
    mail = OutgoingEmail.objects.get()
    assert mail.to == [customer_user.email]
    assert "2026-01" in mail.subject
    # The next day's run repeats nothing.
    assert send_insight_alerts(TODAY + timedelta(days=1))["high_consumption"] == 0
    assert OutgoingEmail.objects.count() == 1


def test_a_higher_threshold_of_the_customer_silences_the_alert(
    customer, customer_user, cold_january
):
    CustomerInsightSettings.objects.create(customer=customer, alert_threshold_percent=200)
    assert send_insight_alerts(TODAY)["high_consumption"] == 0


def test_an_opted_out_user_gets_the_notice_but_no_mail(customer, customer_user, cold_january):
    InsightPreference.objects.create(user=customer_user, consumption_alerts=False)
    send_insight_alerts(TODAY)
    assert InsightAlert.objects.filter(user=customer_user, emailed=False).count() == 1
    assert OutgoingEmail.objects.count() == 0


def test_legalisation_ending_within_90_days_is_noticed(customer, customer_user):
    soon = factories.make_meter(customer, legalisation_valid_until=TODAY + timedelta(days=90))
    factories.make_meter(customer, legalisation_valid_until=TODAY + timedelta(days=91))
    factories.make_meter(customer, legalisation_valid_until=TODAY - timedelta(days=1))
    assert send_insight_alerts(TODAY)["legalisation"] == 1
    alert = InsightAlert.objects.get(kind="legalisation")
    assert alert.subject == f"meter:{soon.pk}"
    assert alert.data["until"] == "11-05-2026"  # 10 Feb + 90 days
    assert send_insight_alerts(TODAY)["legalisation"] == 0


def test_the_dry_run_records_nothing(customer, customer_user, cold_january):
    call_command("send_insight_alerts", "--dry-run", "--date", TODAY.isoformat())
    assert not InsightAlert.objects.exists()


def test_the_portal_shows_the_alert(customer_client, customer, customer_user, cold_january):
    send_insight_alerts(TODAY)
    page = customer_client.get("/analiza/").content.decode()
    percent = InsightAlert.objects.get().data["percent"].replace(".", ",")  # Polish decimal comma
    assert f"o {percent} % więcej niż oczekiwane wg pogody" in page


def _group_member(group, gj, start=date(2020, 1, 1)):
    customer = factories.make_customer()
    site = factories.make_site(customer)
    factories.make_contract(
        customer, site=site, tariff_group=group, ordered_capacity_mw=Decimal(1), start_date=start
    )
    meter = factories.make_meter(customer, site=site)
    factories.make_reading(meter, read_on=date(2025, 6, 30), consumption=Decimal(gj))
    # Outside the twelve months (2025-01-01 … 2025-12-31): ignored.
    factories.make_reading(meter, read_on=date(2024, 12, 31), consumption=Decimal(99999))
    return customer


@pytest.mark.django_db
def test_group_quartiles_are_stored_and_small_groups_hidden():
    for i in range(1, 11):
        _group_member("A1", 100 * i)
    for i in range(1, 10):
        _group_member("B1", 100 * i)
    # A contract that started during the year does not count.
    _group_member("A1", 5000, start=date(2025, 3, 1))
    stats = compute_group_statistics(date(2026, 1, 10))
    assert [s.tariff_group for s in stats] == ["A1"]
    stat = GroupStatistic.objects.get()
    # 100…1000 GJ/MW: Q1 at rank 3.25 → 325, median 550, Q3 at rank 7.75 → 775.
    assert (stat.minimum, stat.lower_quartile, stat.median, stat.upper_quartile, stat.maximum) == (
        100,
        325,
        550,
        775,
        1000,
    )
    assert (stat.customers, stat.sites, stat.mean) == (10, 10, 550)
    assert (stat.period_start, stat.period_end) == (date(2025, 1, 1), date(2025, 12, 31))
    # Rerunning updates the same row.
    call_command("compute_group_statistics", "--date", "2026-01-10")
    assert GroupStatistic.objects.count() == 1


@pytest.mark.django_db
def test_per_square_metre_only_over_the_sites_with_a_heated_area():
    from ebok.insight.models import HeatedArea

    customers = [_group_member("A1", 100 * i) for i in range(1, 12)]
    # Ten of the eleven sites have an area of 1 000 m²: 0.1 … 1.0 GJ/m².
    for customer in customers[:10]:
        HeatedArea.objects.create(
            external_id=f"A{customer.pk}", site=customer.sites.get(), area_m2=Decimal(1000)
        )
    stats = {s.metric: s for s in compute_group_statistics(date(2026, 1, 10))}
    m2 = stats["gj_per_m2"]
    assert (m2.customers, m2.sites) == (10, 10)
    # 0.1…1.0: Q1 0.325, median 0.55, Q3 0.775 (the 100…1000 example divided by 1000).
    assert (m2.lower_quartile, m2.median, m2.upper_quartile) == (
        Decimal("0.3250"),
        Decimal("0.5500"),
        Decimal("0.7750"),
    )
    assert stats["gj_per_mw"].customers == 11
    # One site fewer with an area: the m² distribution is hidden.
    HeatedArea.objects.filter(site=customers[0].sites.get()).delete()
    assert "gj_per_m2" not in {s.metric for s in compute_group_statistics(date(2026, 1, 10))}
