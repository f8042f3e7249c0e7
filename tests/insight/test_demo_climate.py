"""The demo's weather: deterministic, with cold and mild winters, and readings that
follow it (so the demo customer's analysis shows realistic numbers)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from ebok.customers.models import Customer
from ebok.demo import climate
from ebok.demo.generator import DemoDataGenerator
from ebok.insight import services
from ebok.insight.models import DailyTemperature

TODAY = date(2026, 11, 23)


def test_the_same_seed_gives_the_same_weather_and_winters_differ():
    first = climate.daily_temperatures(3, date(2020, 7, 1), date(2026, 6, 30))
    assert first == climate.daily_temperatures(3, date(2020, 7, 1), date(2026, 6, 30))
    assert first != climate.daily_temperatures(4, date(2020, 7, 1), date(2026, 6, 30))
    hdd = climate.monthly_degree_days(first, Decimal(15))
    winters = [sum(hdd[(y, m)] for m in (1, 2)) + hdd[(y - 1, 12)] for y in range(2021, 2027)]
    # The coldest December–February has clearly more degree days than the mildest.
    assert max(winters) > min(winters) * Decimal("1.15")
    januaries = [hdd[(y, 1)] for y in range(2021, 2027)]
    julys = [hdd[(y, 7)] for y in range(2021, 2026)]
    assert min(januaries) > 350 and max(julys) < 40


@pytest.mark.django_db(transaction=True)
def test_demo_readings_follow_base_plus_slope_times_degree_days():
    cache.clear()
    DemoDataGenerator(seed=5, customers=8, months=24, today=TODAY, threaded=False).generate()
    assert DailyTemperature.objects.filter(day=date(2026, 11, 22)).exists()
    demo = Customer.objects.order_by("pk").first()
    overview, details = services.compute_customer_insight(demo, TODAY)
    for site in details.values():
        fit = site.comparison.fit
        assert fit is not None and fit.points == 24
        assert fit.slope > 0 and fit.base > 0
        assert fit.r_squared >= Decimal("0.9")  # ±10 % noise around the weather model
        assert site.forecast is not None and site.advice is not None
    assert overview.forecast_gross > 0
