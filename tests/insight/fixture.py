"""A small site whose numbers can be checked on paper (tests/insight/*).

Fifteen months, October 2024 – December 2025. Each month's degree days (HDD, base 15 °C)
and consumption [GJ]. All points lie on consumption = 20 + 0.5 × HDD except five, whose
residuals r sum to zero and are orthogonal to HDD (Σr = 17.5 + 12.5 − 3 × 10 = 0;
Σr·HDD = 17.5·500 + 12.5·20 − 10·(200 + 300 + 400) = 8750 + 250 − 9000 = 0), so least
squares gives exactly base = 20 GJ/month and slope = 0.5 GJ per degree day.

The season comparison (October–December of each season):
  2024: HDD 180 + 270 + 350 = 800, consumption 110 + 155 + 195 = 460
  2025: HDD 200 + 300 + 400 = 900, consumption 110 + 160 + 210 = 480
  → 900 / 800 − 1 = 12.5 % colder; actual 480 / 460 − 1 = +4.3 %
  Standard year Oct + Nov + Dec = 230 + 370 + 480 = 1080 HDD.
  Normalised = actual − slope × (HDD − normal):
  2024: 460 − 0.5 × (800 − 1080) = 600;  2025: 480 − 0.5 × (900 − 1080) = 570
  → 570 / 600 − 1 = −5.0 %: "this winter was 12.5 % colder; normalised, you used 5 % less".
"""

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from ebok.insight.models import DailyTemperature
from ebok.insight.services import MonthDegreeDays, days_in
from tests import factories

# (year, month): (HDD, consumption GJ)
SERIES = {
    (2024, 10): (180, "110"),
    (2024, 11): (270, "155"),
    (2024, 12): (350, "195"),
    (2025, 1): (500, "287.5"),  # 270 + 17.5
    (2025, 2): (450, "245"),
    (2025, 3): (380, "210"),
    (2025, 4): (220, "130"),
    (2025, 5): (80, "60"),
    (2025, 6): (20, "42.5"),  # 30 + 12.5
    (2025, 7): (5, "22.5"),
    (2025, 8): (5, "22.5"),
    (2025, 9): (60, "50"),
    (2025, 10): (200, "110"),  # 120 − 10
    (2025, 11): (300, "160"),  # 170 − 10
    (2025, 12): (400, "210"),  # 220 − 10
}
TODAY = date(2026, 1, 10)


def degree_days() -> dict:
    return {
        m: MonthDegreeDays(m, Decimal(hdd), days_in(m), None) for m, (hdd, _gj) in SERIES.items()
    }


def consumption() -> dict:
    return {m: Decimal(gj) for m, (_hdd, gj) in SERIES.items()}


def daily_temperatures(month, hdd: int) -> list[tuple[date, Decimal]]:
    """Days of `month` whose degree days add up to `hdd`: every day but the last at
    15 − (hdd / days rounded down to 0.1) °C, the last day takes the remainder."""
    days = days_in(month)
    each = (Decimal(hdd) / days).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    last = Decimal(hdd) - each * (days - 1)
    first = date(*month, 1)
    temps = [(first + timedelta(days=i), Decimal(15) - each) for i in range(days - 1)]
    temps.append((first + timedelta(days=days - 1), Decimal(15) - last))
    return temps


def load_weather():
    rows = []
    for month, (hdd, _gj) in SERIES.items():
        for day, t in daily_temperatures(month, hdd):
            rows.append(
                DailyTemperature(external_id=f"T{day}", day=day, mean_temperature=t, version=1)
            )
    DailyTemperature.objects.bulk_create(rows)


# Prices of the latest invoice: capacity 12 000 zł/MW/month and transmission fixed
# 5 000 zł/MW/month on 0.4 MW → 6 800 zł a month; heat 80 zł/GJ + transmission
# variable 25 zł/GJ → 105 zł/GJ; VAT 23 %.
ORDERED_MW = Decimal("0.4000")


def make_site(customer):
    """The site with one meter read at every month's end, a contract of 0.4 MW in tariff
    group A1 and its December 2025 invoice."""
    site = factories.make_site(customer, name="Budynek ul. Testowa 1")
    contract = factories.make_contract(
        customer, site=site, ordered_capacity_mw=ORDERED_MW, tariff_group="A1"
    )
    meter = factories.make_meter(customer, site=site, contract=contract)
    value = Decimal(1000)
    for (year, month), (_hdd, gj) in SERIES.items():
        value += Decimal(gj)
        factories.make_reading(
            meter,
            read_on=date(year, month, days_in((year, month))),
            value=value,
            consumption=Decimal(gj),
        )
    line = {"vat_rate": Decimal("23.00")}
    factories.make_invoice(
        customer,
        contract=contract,
        issue_date=date(2026, 1, 3),
        sale_date=date(2025, 12, 31),
        due_date=date(2026, 1, 17),
        lines=[
            {
                **line,
                "component": "capacity",
                "description": "Moc",
                "quantity": ORDERED_MW,
                "unit": "MW",
                "unit_price": Decimal("12000"),
            },
            {
                **line,
                "component": "heat",
                "description": "Ciepło",
                "quantity": Decimal("210"),
                "unit": "GJ",
                "unit_price": Decimal("80"),
            },
            {
                **line,
                "component": "transmission_fixed",
                "description": "Przesył stały",
                "quantity": ORDERED_MW,
                "unit": "MW",
                "unit_price": Decimal("5000"),
            },
            {
                **line,
                "component": "transmission_variable",
                "description": "Przesył zmienny",
                "quantity": Decimal("210"),
                "unit": "GJ",
                "unit_price": Decimal("25"),
            },
        ],
    )
    return site, contract, meter
