"""The weather model, normalisation, forecast and capacity advice on the paper fixture."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from ebok.insight import services
from tests.insight import fixture


def test_least_squares_of_four_points_matches_the_hand_computation():
    # x̄ = 1.5, ȳ = 2.5; Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5;
    # Sxy = 2.25 − 0.25 − 0.25 + 2.25 = 4 → slope 0.8, base 2.5 − 0.8 × 1.5 = 1.3;
    # residuals −0.3, 0.9, −0.9, 0.3 → SSres 1.8, SStot 5 → r² = 1 − 1.8 / 5 = 0.64.
    base, slope, r2 = services.least_squares([(0, 1), (1, 3), (2, 2), (3, 4)])
    assert (base, slope, r2) == (Decimal("1.3"), Decimal("0.8"), Decimal("0.64"))


def test_the_fixture_fits_base_20_and_slope_half_a_gj_per_degree_day():
    fit, points = services.fit_months(fixture.consumption(), fixture.degree_days())
    assert points == 15
    assert (fit.base, fit.slope) == (Decimal("20.000"), Decimal("0.5000"))
    assert (fit.first, fit.last) == ((2024, 10), (2025, 12))


def test_fewer_than_twelve_months_fit_no_model_and_say_how_many():
    eleven = dict(list(fixture.consumption().items())[:11])
    fit, points = services.fit_months(eleven, fixture.degree_days())
    assert fit is None
    assert points == 11


def test_only_the_latest_24_months_are_fitted():
    dd, gj = {}, {}
    for i in range(30):
        month = services.add_months((2023, 1), i)
        dd[month] = services.MonthDegreeDays(month, Decimal(10 * i), services.days_in(month), None)
        # The first six months lie far off the line and must be ignored.
        gj[month] = Decimal(1000) if i < 6 else Decimal(20) + Decimal(i)
    fit, points = services.fit_months(gj, dd)
    # Months 6…29: consumption 20 + i at HDD 10·i → slope 0.1, base 20.
    assert points == 24
    assert (fit.base, fit.slope) == (Decimal("20.000"), Decimal("0.1000"))


def test_this_winter_was_12_5_percent_colder_and_normalised_5_percent_less():
    normal = services.normal_degree_days({})  # the standard year: too few own years
    comparison = services.compare_months(fixture.consumption(), fixture.degree_days(), normal)
    change = comparison.change
    assert change.current.months == [(2025, 10), (2025, 11), (2025, 12)]
    assert change.previous.months == [(2024, 10), (2024, 11), (2024, 12)]
    assert (change.previous.hdd, change.current.hdd) == (800, 900)
    assert change.current.normal_hdd == 1080
    assert change.hdd_change_percent == Decimal("12.5")
    assert change.actual_change_percent == Decimal("4.3")  # 480 / 460 − 1
    assert (change.previous.normalised, change.current.normalised) == (600, 570)
    assert change.normalised_change_percent == Decimal("-5.0")


def test_months_show_actual_expected_and_deviation():
    normal = services.normal_degree_days({})
    rows = {
        r.month: r
        for r in services.compare_months(fixture.consumption(), fixture.degree_days(), normal).rows
    }
    jan = rows[(2025, 1)]
    # expected 20 + 0.5 × 500 = 270; 287.5 / 270 − 1 = +6.5 %
    assert (jan.actual, jan.expected, jan.deviation_percent) == (
        Decimal("287.5"),
        Decimal("270.000"),
        Decimal("6.5"),
    )
    dec = rows[(2025, 12)]
    # expected 220; 210 / 220 − 1 = −4.5 %
    assert (dec.expected, dec.deviation_percent) == (Decimal("220.000"), Decimal("-4.5"))


def test_forecast_of_january_to_april_at_normal_mild_and_cold_weather():
    fit = services.Fit(Decimal(20), Decimal("0.5"), 15, Decimal(1), (2024, 10), (2025, 12))
    prices = services.Prices(
        fixed_per_month=Decimal("6800.00"),
        per_gj=Decimal(105),
        capacity_per_mw_month=Decimal(17000),
        vat_percent=Decimal(23),
        invoice_number="FV",
    )
    season, months = services.remaining_season(fixture.TODAY, (2025, 12))
    assert season == 2025
    assert months == [(2026, 1), (2026, 2), (2026, 3), (2026, 4)]
    f = services.forecast_cost(fit, months, services.normal_degree_days({}), prices, season)
    # Normal HDD Jan–Apr: 530 + 470 + 410 + 240 = 1650.
    # GJ: 4 × 20 + 0.5 × 1650 = 905; mild 80 + 0.5 × 0.85 × 1650 = 781.25;
    # cold 80 + 0.5 × 1.15 × 1650 = 1028.75.
    assert (f.gj, f.gj_mild, f.gj_cold) == (Decimal("905"), Decimal("781.25"), Decimal("1028.75"))
    # Net: 905 × 105 + 4 × 6800 = 95 025 + 27 200 = 122 225.00; gross × 1.23 = 150 336.75.
    assert (f.net, f.gross) == (Decimal("122225.00"), Decimal("150336.75"))
    # Mild: 781.25 × 105 = 82 031.25 + 27 200 = 109 231.25 → × 1.23 = 134 354.44.
    # Cold: 1028.75 × 105 = 108 018.75 + 27 200 = 135 218.75 → × 1.23 = 166 319.06.
    assert (f.gross_mild, f.gross_cold) == (Decimal("134354.44"), Decimal("166319.06"))


def test_in_summer_the_forecast_covers_the_whole_next_season():
    season, months = services.remaining_season(date(2026, 6, 15), (2026, 5))
    assert season == 2026
    assert months[0] == (2026, 10) and months[-1] == (2027, 4) and len(months) == 7


def test_peak_from_the_coldest_month_scaled_to_the_design_temperature():
    fit = services.Fit(Decimal(20), Decimal("0.5"), 15, Decimal(1), (2024, 10), (2025, 12))
    peak, month = services.peak_from_months(fixture.consumption(), fixture.degree_days(), fit)
    # Coldest: January 2025, 500 HDD over 31 days, 287.5 GJ, 744 hours.
    # ratio (15 − (−18)) / (500 / 31) = 33 × 31 / 500 = 2.046;
    # (20 + 267.5 × 2.046) / 3.6 / 744 = 567.305 / 2678.4 = 0.2118 MW.
    assert (peak, month) == (Decimal("0.2118"), (2025, 1))
    advice = services.make_advice(
        1,
        Decimal("0.4"),
        peak,
        "monthly",
        month,
        services.Prices(Decimal(0), Decimal(0), Decimal(17000), Decimal(23), "FV"),
    )
    # 0.2118 × 1.1 = 0.23298 → 0.233 MW; margin (0.4 − 0.233) / 0.4 = 41.75 % ≥ 15 %;
    # saving 0.167 MW × 17 000 zł × 12 = 34 068.00 zł a year (net).
    assert advice.recommended_mw == Decimal("0.233")
    assert advice.show
    assert advice.yearly_saving_net == Decimal("34068.00")


def test_quartiles_interpolate_between_ranks():
    # Ten values 100…1000: Q1 at rank 1 + 0.25 × 9 = 3.25 → 300 + 0.25 × 100 = 325;
    # median at 5.5 → 550; Q3 at 7.75 → 775.
    values = [Decimal(100 * i) for i in range(1, 11)]
    assert services.quartiles(values) == (Decimal(325), Decimal(550), Decimal(775))


@pytest.mark.django_db
def test_the_site_in_the_database_gives_the_same_model_and_forecast(customer):
    cache.clear()
    fixture.load_weather()
    site, _contract, _meter = fixture.make_site(customer)
    degree_days = services.monthly_degree_days()
    assert degree_days[(2025, 1)].hdd == 500
    assert degree_days[(2025, 2)].hdd == 450
    fit = services.fit_site_model(site, today=fixture.TODAY)
    assert (fit.base, fit.slope) == (Decimal("20.000"), Decimal("0.5000"))
    forecast = services.season_forecast(site, fixture.TODAY)
    assert (forecast.gj, forecast.gross) == (Decimal("905"), Decimal("150336.75"))
    advice = services.capacity_advice(site, fixture.TODAY)
    assert (advice.peak_mw, advice.recommended_mw, advice.yearly_saving_net) == (
        Decimal("0.2118"),
        Decimal("0.233"),
        Decimal("34068.00"),
    )
