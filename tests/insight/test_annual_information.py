"""The annual information letter (Prawo energetyczne art. 5 ust. 6c), checked on paper
with the small site of tests/insight/fixture.py (year 2025).

Consumption 2025: 287.5 + 245 + 210 + 130 + 60 + 42.5 + 22.5 + 22.5 + 50 + 110 + 160 + 210
= 1 550 GJ; 2024 has only October–December (460 GJ), so no year-on-year percentage.
Ordered capacity 0.4 MW → 1 550 / 0.4 = 3 875 GJ/MW, above the group's Q3 (3 500).
Weather (Oct–Dec, the months known in both years): 800 → 900 HDD (+12.5 %), actual
460 → 480 GJ, normalised 600 → 570 GJ (−5.0 %) with the fitted slope 0.5 GJ/HDD.
Summer share: (42.5 + 22.5 + 22.5) / 3 = 29.17 against (287.5 + 245 + 210) / 3 = 247.5
→ 11.8 %, under 25 %: no circulation advice.
Emissions: 1 550 GJ × 94.6 kg CO₂/GJ = 146 630.0 kg; × 0.12 SO₂ = 186.0; × 0.15 NOx
= 232.5; × 0.01 dust = 15.5; renewables 12.5 % → 193.750 GJ.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command

from ebok.insight import annual
from ebok.insight.models import AnnualInformation, FuelMix, GroupStatistic
from ebok.insight.services import Fit
from tests import factories
from tests.insight import fixture
from tests.pdf import pdf_text


@pytest.fixture(autouse=True)
def _clean_cache(db):
    cache.clear()
    yield
    cache.clear()


def make_fuel_mix(year=2025, **kw):
    defaults = {
        "year": year,
        "coal_percent": Decimal("70.00"),
        "gas_percent": Decimal("17.50"),
        "biomass_percent": Decimal("12.50"),
        "renewable_percent": Decimal("12.50"),
        "co2_kg_per_gj": Decimal("94.6"),
        "so2_kg_per_gj": Decimal("0.12"),
        "nox_kg_per_gj": Decimal("0.15"),
        "dust_kg_per_gj": Decimal("0.01"),
        "group_averages_published_at": "www.mpec.example/srednie-zuzycie i w BOK",
    }
    defaults.update(kw)
    return FuelMix.objects.create(**defaults)


def make_group_statistic(**kw):
    defaults = {
        "tariff_group": "A1",
        "metric": GroupStatistic.Metric.GJ_PER_MW,
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 12, 31),
        "customers": 12,
        "sites": 14,
        "minimum": Decimal("1800"),
        "lower_quartile": Decimal("2500"),
        "median": Decimal("2900"),
        "upper_quartile": Decimal("3500"),
        "maximum": Decimal("5200"),
        "mean": Decimal("3000"),
    }
    defaults.update(kw)
    return GroupStatistic.objects.create(**defaults)


@pytest.fixture
def letter_site(db):
    customer = factories.make_customer(payer_code="510001", name="Wspólnota Testowa 1")
    fixture.load_weather()
    site, contract, meter = fixture.make_site(customer)
    return customer, site


# --- pure arithmetic --------------------------------------------------------------------------


def test_emissions_are_consumption_times_the_factors(db):
    mix = FuelMix(
        year=2025,
        renewable_percent=Decimal("12.5"),
        co2_kg_per_gj=Decimal("94.6"),
        so2_kg_per_gj=Decimal("0.12"),
        nox_kg_per_gj=Decimal("0.15"),
        dust_kg_per_gj=Decimal("0.01"),
    )
    # 120 GJ × 94.6 = 11 352 kg; × 0.12 = 14.4; × 0.15 = 18.0; × 0.01 = 1.2; 12.5 % = 15 GJ
    assert annual.emissions(Decimal(120), mix) == {
        "co2": "11352.0",
        "so2": "14.4",
        "nox": "18.0",
        "dust": "1.2",
        "renewable_gj": "15.000",
    }


def test_normalised_year_change_uses_the_months_known_in_both_years():
    fit = Fit(Decimal(0), Decimal("0.1"), 24, Decimal(1), (2024, 1), (2025, 12))
    # January: 2024 HDD 500, 60 GJ; 2025 HDD 400, 55 GJ; March only in 2025 (ignored).
    consumption = {(2024, 1): Decimal(60), (2025, 1): Decimal(55), (2025, 3): Decimal(40)}
    degree_days = {
        m: fixture.MonthDegreeDays(m, Decimal(hdd), fixture.days_in(m), None)
        for m, hdd in {(2024, 1): 500, (2025, 1): 400, (2025, 3): 300}.items()
    }
    normal = {m: Decimal(0) for m in range(1, 13)} | {1: Decimal(530)}
    result = annual.normalised_year_change(consumption, degree_days, normal, fit, 2025)
    # 2024: 60 − 0.1 × (500 − 530) = 63; 2025: 55 − 0.1 × (400 − 530) = 68 → +7.9 %
    assert result["months"] == 1
    assert result["previous_normalised"] == "63.000"
    assert result["current_normalised"] == "68.000"
    assert result["change_percent"] == "7.9"
    assert result["hdd_change_percent"] == "-20.0"  # 400 / 500 − 1


def test_without_a_model_there_is_no_normalised_change():
    assert annual.normalised_year_change({}, {}, {}, None, 2025) is None


def test_summer_share_compares_summer_with_winter_months():
    consumption = {(2025, m): Decimal(40) for m in (1, 2, 12)}
    consumption |= {(2025, m): Decimal(12) for m in (6, 7, 8)}
    assert annual.summer_share(consumption, 2025) == Decimal("30.0")  # 12 / 40
    del consumption[(2025, 7)]
    assert annual.summer_share(consumption, 2025) is None


@pytest.mark.parametrize(
    ("share", "gj_per_mw", "change", "expected"),
    [
        (Decimal("30"), Decimal("3000"), Decimal("0"), ["circulation"]),
        (Decimal("25"), Decimal("3600"), None, ["insulation"]),
        (None, Decimal("3400"), Decimal("5.1"), ["substation"]),
        (Decimal("26"), Decimal("3501"), Decimal("6"), ["circulation", "insulation", "substation"]),
        (Decimal("10"), Decimal("3500"), Decimal("5"), ["general"]),
    ],
)
def test_advice_is_chosen_by_the_data(share, gj_per_mw, change, expected):
    group = {"q3": "3500"}
    assert (
        annual.choose_advice(
            summer_share_percent=share, gj_per_mw=gj_per_mw, group=group, normalised_change=change
        )
        == expected
    )


def test_without_a_group_statistic_there_is_no_insulation_advice():
    advice = annual.choose_advice(
        summer_share_percent=None, gj_per_mw=Decimal(9999), group=None, normalised_change=None
    )
    assert advice == ["general"]


# --- the letter -------------------------------------------------------------------------------


def test_the_letter_holds_the_hand_computed_numbers(letter_site):
    customer, site = letter_site
    make_fuel_mix()
    make_group_statistic()
    info = annual.issue(customer, 2025)
    d = info.data
    assert d["total_gj"] == "1550.000"
    [row] = d["sites"]
    assert row["code"] == site.code
    assert row["gj"] == "1550.000"
    assert row["gj_previous"] == "460.000"
    assert row["change_percent"] is None  # 2024 has 3 months, 2025 has 12
    assert row["ordered_mw"] == "0.4000"
    assert row["gj_per_mw"] == "3875.000"
    assert row["group"]["mean"] == "3000.000"
    assert row["group"]["q3"] == "3500.000"
    assert row["summer_share_percent"] == "11.8"
    n = row["normalised"]
    assert (n["previous_actual"], n["current_actual"]) == ("460.000", "480.000")
    assert (n["previous_hdd"], n["current_hdd"], n["hdd_change_percent"]) == (
        "800.0",
        "900.0",
        "12.5",
    )
    assert (n["previous_normalised"], n["current_normalised"]) == ("600.000", "570.000")
    assert n["change_percent"] == "-5.0"
    assert row["advice"] == ["insulation"]
    assert d["emissions"] == {
        "co2": "146630.0",
        "so2": "186.0",
        "nox": "232.5",
        "dust": "15.5",
        "renewable_gj": "193.750",
    }


def test_the_pdf_is_stored_and_in_polish(letter_site, settings):
    customer, site = letter_site
    make_fuel_mix()
    make_group_statistic()
    settings.LANGUAGE_CODE = "pl"
    from django.utils import translation

    with translation.override("en"):
        info = annual.issue(customer, 2025)
    assert info.pdf.name.endswith(".pdf")
    _name, content = annual.pdf_bytes(info)
    text = pdf_text(content)
    assert "Informacja o zużyciu ciepła za rok 2025" in text
    assert "art. 5 ust. 6c" in text
    assert "Kod płatnika: 510001" in text
    assert "1\xa0550,000" in text or "1 550,000" in text
    assert "146\xa0630,0" in text or "146 630,0" in text
    assert "3\xa0875,0" in text or "3 875,0" in text
    assert "www.mpec.example/srednie-zuzycie i w BOK" in text
    assert "sprawdź izolację" in text
    assert "12,5% chłodniej" in text
    assert "600,0 → 570,0 GJ" in text
    assert "biomasa" in text


def test_issuing_twice_keeps_one_letter(letter_site):
    customer, _site = letter_site
    make_fuel_mix()
    first = annual.issue(customer, 2025)
    second = annual.issue(customer, 2025)
    assert first.pk == second.pk
    assert second.version == 1
    assert AnnualInformation.objects.count() == 1


def test_a_reissue_recomputes_and_raises_the_version(letter_site):
    customer, _site = letter_site
    mix = make_fuel_mix()
    info = annual.issue(customer, 2025)
    old_pdf = info.pdf.name
    mix.co2_kg_per_gj = Decimal("100")
    mix.save()
    again = annual.issue(customer, 2025, reissue=True)
    assert again.pk == info.pk
    assert again.version == 2
    assert again.data["emissions"]["co2"] == "155000.0"  # 1 550 × 100
    assert again.pdf.name != old_pdf


def test_no_letter_without_the_years_fuel_mix(letter_site):
    customer, _site = letter_site
    make_fuel_mix(year=2024)
    with pytest.raises(annual.NoFuelMix):
        annual.issue(customer, 2025)


def test_no_letter_for_a_customer_without_consumption_that_year(letter_site):
    make_fuel_mix()
    idle = factories.make_customer(payer_code="510099")
    assert annual.issue(idle, 2025) is None
    assert not AnnualInformation.objects.filter(customer=idle).exists()


def test_a_small_group_shows_no_average(letter_site):
    customer, _site = letter_site
    make_fuel_mix()
    make_group_statistic(customers=9)
    [row] = annual.issue(customer, 2025).data["sites"]
    assert row["group"] is None
    assert row["advice"] == ["general"]


# --- everyone, by task and command --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_command_enqueues_and_the_worker_issues_one_letter_each(
    needs_pdf_fonts, letter_site, run_tasks
):
    customer, _site = letter_site
    other = factories.make_customer(payer_code="510002")
    meter = factories.make_meter(other)
    factories.make_reading(meter, read_on=date(2025, 5, 31), consumption=Decimal("10"))
    idle = factories.make_customer(payer_code="510003")
    make_fuel_mix()
    call_command("generate_annual_information", "--year", "2025", verbosity=0)
    run_tasks()
    assert sorted(AnnualInformation.objects.values_list("customer__payer_code", flat=True)) == [
        "510001",
        "510002",
    ]
    assert not AnnualInformation.objects.filter(customer=idle).exists()
    # Idempotent: a second run enqueues nobody and changes nothing.
    call_command("generate_annual_information", "--year", "2025", verbosity=0)
    run_tasks()
    assert AnnualInformation.objects.count() == 2
    assert set(AnnualInformation.objects.values_list("version", flat=True)) == {1}


def test_the_command_refuses_a_year_without_fuel_mix(letter_site):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2025"):
        call_command("generate_annual_information", "--year", "2025", verbosity=0)


def test_the_command_dry_run_changes_nothing(letter_site, capsys):
    make_fuel_mix()
    call_command("generate_annual_information", "--year", "2025", "--dry-run")
    assert "1" in capsys.readouterr().out
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.exists()


def test_the_demo_gets_last_years_fuel_mix_and_letters(letter_site):
    customer, _site = letter_site
    assert annual.seed_demo(date(2026, 1, 10), [customer.pk]) == 1
    mix = FuelMix.objects.get(year=2025)
    shares = sum((getattr(mix, name) for name, _label in FuelMix.FUELS), Decimal(0))
    assert shares == Decimal(100)
    info = AnnualInformation.objects.get(customer=customer, year=2025)
    assert info.data["emissions"]["co2"] == "157015.0"  # 1 550 GJ × 101.3 kg/GJ


def test_one_failing_letter_does_not_stop_the_batch(
    needs_pdf_fonts, letter_site, monkeypatch, caplog
):
    customer, _site = letter_site
    other = factories.make_customer(payer_code="510004")
    meter = factories.make_meter(other)
    factories.make_reading(meter, read_on=date(2025, 5, 31), consumption=Decimal("10"))
    make_fuel_mix()
    real_compute = annual.compute

    def compute(c, year, mix):
        if c.pk == customer.pk:
            raise RuntimeError("broken data")
        return real_compute(c, year, mix)

    monkeypatch.setattr(annual, "compute", compute)
    result = annual.generate_annual_information_batch.call(2025, [customer.pk, other.pk])
    assert result == "1 created, 1 failed"
    assert list(AnnualInformation.objects.values_list("customer__payer_code", flat=True)) == [
        "510004"
    ]
    assert "failed" in caplog.text


def test_users_of_the_customer_are_told_once_by_mail(letter_site):
    from ebok.core.models import OutgoingEmail

    customer, _site = letter_site
    factories.make_user(customers=[customer], username="zarzad", email="zarzad@example.com")
    factories.make_user(
        customers=[customer], username="anna", email="anna@example.com", preferred_language="en"
    )
    factories.make_user(customers=[customer], username="bez-maila", email="")
    make_fuel_mix()
    annual.issue(customer, 2025)
    mails = {tuple(m.to): m for m in OutgoingEmail.objects.all()}
    assert set(mails) == {("zarzad@example.com",), ("anna@example.com",)}
    polish = mails[("zarzad@example.com",)]
    assert polish.subject == "Informacja o zużyciu ciepła za rok 2025"
    assert "Wspólnota Testowa 1" in polish.body
    assert "/informacja-roczna/2025/" in polish.body
    # A reissue is announced by the operator, not mailed again.
    annual.issue(customer, 2025, reissue=True)
    assert OutgoingEmail.objects.count() == 2
