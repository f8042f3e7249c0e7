"""A Bydgoszcz-like outdoor climate for the demo: daily mean temperatures that follow the
seasons (about −2.5 °C in January, 18.5 °C in July), with a random anomaly per winter (so
some winters are cold and some mild) and day-to-day weather that persists for a few
days. Deterministic: the same seed and dates give the same series, and drawing it never
touches the generator's main random sequence."""

import math
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

ANNUAL_MEAN = 8.0  # °C
AMPLITUDE = 10.6  # °C; the coldest day of a normal year is about 16 January
COLDEST_DAY = 16
WINTER_ANOMALY_SD = 1.8  # °C; one per heating season
DAILY_PERSISTENCE = 0.8  # AR(1) coefficient of the day-to-day anomaly
DAILY_SD = 2.6  # °C; standard deviation of the day-to-day anomaly


def daily_temperatures(seed: int, first: date, last: date) -> dict[date, Decimal]:
    """{day: mean temperature rounded to 0.1 °C} for every day from `first` to `last`."""
    rng = random.Random(f"climate-{seed}")
    anomalies: dict[int, float] = {}
    result = {}
    weather = 0.0
    innovation = DAILY_SD * math.sqrt(1 - DAILY_PERSISTENCE**2)
    day = first
    while day <= last:
        season = day.year if day.month >= 7 else day.year - 1
        if season not in anomalies:
            anomalies[season] = rng.gauss(0, WINTER_ANOMALY_SD)
        # The winter anomaly matters in the heating season only (weighted by coldness).
        phase = 2 * math.pi * (day.timetuple().tm_yday - COLDEST_DAY) / 365.25
        seasonal = ANNUAL_MEAN - AMPLITUDE * math.cos(phase)
        winter_weight = max(0.0, math.cos(phase))
        weather = DAILY_PERSISTENCE * weather + rng.gauss(0, innovation)
        t = seasonal + anomalies[season] * winter_weight + weather
        result[day] = Decimal(f"{t:.1f}")
        day += timedelta(days=1)
    return result


def monthly_degree_days(temperatures: dict[date, Decimal], base: Decimal) -> dict:
    """{(year, month): heating degree days} of the series."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for day, t in temperatures.items():
        totals[(day.year, day.month)] += max(Decimal(0), base - t)
    return dict(totals)
