"""The customer's analysis pages: numbers from the paper fixture, scoping, constant
queries, downloads, the threshold form and the pre-filled capacity request."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from ebok.insight.models import CustomerInsightSettings, InsightPreference
from tests import factories
from tests.insight import fixture


@pytest.fixture
def today(monkeypatch):
    """The pages' "today" is 10 January 2026, the fixture's."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: fixture.TODAY)
    return fixture.TODAY


@pytest.fixture
def site(customer, today):
    cache.clear()
    fixture.load_weather()
    site, _contract, _meter = fixture.make_site(customer)
    return site


def test_the_overview_shows_the_season_forecast_and_the_site(customer_client, site):
    page = customer_client.get(reverse("portal:insight")).content.decode()
    assert "Analiza zużycia ciepła" in page
    # 150 336,75 zł: 905 GJ × 105 zł + 4 × 6 800 zł, with 23 % VAT (test_weather_model).
    assert "150" in page and "336,75" in page
    assert "-5,0%" in page  # normalised change
    assert "do sprawdzenia" in page  # 0.4 MW ordered, 0.233 MW recommended


def test_the_site_page_says_how_much_colder_and_how_much_less_normalised(customer_client, site):
    page = customer_client.get(reverse("portal:insight_site", args=[site.pk])).content.decode()
    assert "była o 12,5 % chłodniejsza" in page
    assert "zużyliście o 5,0 % mniej" in page
    # The chart's table: January 2025, 500 HDD, 287.5 GJ actual, 270 expected, +6.5 %.
    assert "+6,5%" in page
    assert "<svg" in page and "chart__line--expected" in page
    assert "0,233 MW" in page
    assert "34" in page and "068,00" in page  # yearly saving of the capacity charge


def test_the_capacity_button_opens_the_request_pre_filled(customer_client, site):
    page = customer_client.get(reverse("portal:insight_site", args=[site.pk])).content.decode()
    contract = site.contracts.get()
    link = (
        reverse("portal:request_new", args=["zmiana-mocy"])
        + f"?contract={contract.pk}&amp;new_capacity_mw=0.233&amp;effective_from=2026-02-01"
    )
    assert link in page
    form = customer_client.get(link.replace("&amp;", "&")).context["form"]
    assert form.initial["contract"] == contract
    assert form.initial["new_capacity_mw"] == Decimal("0.233")
    assert form.initial["effective_from"] == date(2026, 2, 1)


def test_a_foreign_contract_or_nonsense_in_the_link_is_not_pre_filled(
    customer_client, site, other_customer
):
    foreign = factories.make_contract(other_customer)
    url = reverse("portal:request_new", args=["zmiana-mocy"])
    form = customer_client.get(
        url, {"contract": foreign.pk, "new_capacity_mw": "dużo", "effective_from": "jutro"}
    ).context["form"]
    assert "contract" not in form.initial
    assert "new_capacity_mw" not in form.initial
    assert "effective_from" not in form.initial


def test_another_customers_site_is_404(customer_client, site, other_customer):
    foreign = factories.make_site(other_customer)
    assert customer_client.get(reverse("portal:insight_site", args=[foreign.pk])).status_code == 404
    url = reverse("portal:insight_site_export", args=[foreign.pk, "csv"])
    assert customer_client.get(url).status_code == 404


def test_a_meter_of_another_site_is_404(customer_client, site, customer):
    other_meter = factories.make_meter(customer)
    url = reverse("portal:insight_site", args=[site.pk])
    assert customer_client.get(url, {"licznik": other_meter.pk}).status_code == 404


def test_pages_need_a_login(client, site):
    for url in [reverse("portal:insight"), reverse("portal:insight_site", args=[site.pk])]:
        assert client.get(url).status_code == 302


def test_the_overview_takes_the_same_queries_for_one_site_and_for_twelve(
    customer_client, customer, site, django_assert_max_num_queries
):
    url = reverse("portal:insight")
    cache.clear()
    with django_assert_max_num_queries(40) as one:
        customer_client.get(url)
    for _ in range(11):
        fixture.make_site(customer)
    cache.clear()
    with django_assert_max_num_queries(len(one.captured_queries)):
        customer_client.get(url)
    # Cached: the overview is not computed again.
    with django_assert_max_num_queries(len(one.captured_queries) - 6):
        customer_client.get(url)


def test_the_site_series_downloads_as_csv_and_xlsx(customer_client, site):
    url = reverse("portal:insight_site_export", args=[site.pk, "csv"])
    response = customer_client.get(url)
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Miesiąc"
    january = next(r for r in rows if r[0] == "2025-01")
    assert january[1:] == ["500", "530", "287,5", "270", "6,5"]
    xlsx = customer_client.get(reverse("portal:insight_site_export", args=[site.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 16  # header + 15 months
    assert (
        customer_client.get(
            reverse("portal:insight_site_export", args=[site.pk, "pdf"])
        ).status_code
        == 404
    )


def test_degree_days_download_with_the_standard_year(customer_client, site):
    response = customer_client.get(reverse("portal:insight_degree_days_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    january = next(r for r in rows if r[0] == "2025-01")
    assert january[2:] == ["31", "500", "530"]


def test_the_threshold_is_validated_and_kept(customer_client, customer, site):
    url = reverse("portal:insight_settings")
    response = customer_client.post(url, {"alert_threshold_percent": "2"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Podaj co najmniej 5 procent." in page
    assert 'value="2"' in page
    response = customer_client.post(url, {"alert_threshold_percent": "35"})
    assert response.status_code == 302
    assert CustomerInsightSettings.objects.get(customer=customer).alert_threshold_percent == 35


def test_insight_emails_are_switched_off_in_the_notification_settings(
    customer_client, customer_user
):
    page = customer_client.get(reverse("portal:notifications")).content.decode()
    assert "gdy legalizacja licznika kończy się w ciągu 90 dni" in page
    # Only the consumption alerts left on.
    response = customer_client.post(
        reverse("portal:notifications"), {"analiza-consumption_alerts": "on"}
    )
    assert response.status_code == 302
    pref = InsightPreference.objects.get(user=customer_user)
    assert (pref.consumption_alerts, pref.legalisation_alerts) == (True, False)


def test_with_too_few_months_the_page_says_so(customer_client, customer, today):
    cache.clear()
    site = factories.make_site(customer)
    meter = factories.make_meter(customer, site=site)
    factories.make_reading(meter, read_on=date(2025, 12, 31))
    page = customer_client.get(reverse("portal:insight_site", args=[site.pk])).content.decode()
    assert "Za mało danych" in page
    assert "mamy 0 z co najmniej 12 miesięcy" in page


def test_the_start_page_and_the_meter_page_show_the_forecast(customer_client, site):
    page = customer_client.get(reverse("portal:home")).content.decode()
    assert "Prognozowany koszt ciepła do końca sezonu" in page
    meter = site.meters.get()
    page = customer_client.get(reverse("portal:meter", args=[meter.pk])).content.decode()
    assert "Prognoza do końca sezonu grzewczego" in page
    assert "336,75" in page


def test_hourly_data_replaces_the_monthly_peak_estimate(customer_client, site):
    from zoneinfo import ZoneInfo

    from ebok.insight.models import HourlyConsumption

    meter = site.meters.get()
    # 1.656 GJ in the hour = 0.46 MW on a day at 15 − 500/31 °C (the January 2025 days
    # are at −1.1 °C: 16.1 degrees below the base); at −18 °C: 0.46 × 33 / 16.1 = 0.9429 MW.
    HourlyConsumption.objects.create(
        external_id="H1",
        meter=meter,
        hour_start=datetime(2025, 1, 10, 7, tzinfo=ZoneInfo("Europe/Warsaw")),
        consumption=Decimal("1.656"),
    )
    cache.clear()
    page = customer_client.get(reverse("portal:insight_site", args=[site.pk])).content.decode()
    assert "Szczyt wyznaczony z godzinowych odczytów zdalnych" in page
    assert "0,9429 MW" in page
    # Above the 0.4 MW ordered: no advice to lower it.
    assert "Złóż wniosek o zmianę mocy zamówionej" not in page


def test_the_site_page_takes_the_same_queries_with_one_meter_and_with_four(
    customer_client, customer, site
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("portal:insight_site", args=[site.pk])

    def queries():
        customer_client.get(url)  # fills the cache
        with CaptureQueriesContext(connection) as ctx:
            assert customer_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for _ in range(3):
        factories.make_meter(customer, site=site)
    cache.clear()
    assert queries() == one
    assert one <= 15


def test_the_table_of_all_sites_downloads(customer_client, site):
    response = customer_client.get(reverse("portal:insight_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    # 2025: 1 550 GJ (test_weather_model's months Jan–Dec); −5.0 %; 150 336.75 zł; advice.
    assert rows[1] == ["Budynek ul. Testowa 1", "1550", "-5", "150336,75", "", "tak"]


def test_the_site_page_compares_per_square_metre_when_billing_sent_the_area(
    customer_client, customer, site
):
    from ebok.insight.models import GroupStatistic, HeatedArea
    from ebok.insight.services import compute_group_statistics

    HeatedArea.objects.create(external_id="A1", site=site, area_m2=Decimal(2000))
    for i in range(1, 10):  # nine more customers of A1 with 1 MW and 1 000 m² each
        other = factories.make_customer()
        other_site = factories.make_site(other)
        factories.make_contract(
            other, site=other_site, tariff_group="A1", ordered_capacity_mw=Decimal(1)
        )
        meter = factories.make_meter(other, site=other_site)
        factories.make_reading(meter, read_on=date(2025, 6, 30), consumption=Decimal(100 * i))
        HeatedArea.objects.create(external_id=f"A{i + 1}", site=other_site, area_m2=1000)
    compute_group_statistics(fixture.TODAY)
    assert GroupStatistic.objects.filter(metric="gj_per_m2").exists()
    cache.clear()
    page = customer_client.get(reverse("portal:insight_site", args=[site.pk])).content.decode()
    # 2025: 1 550 GJ over 2 000 m² = 0.775 GJ/m²; over 0.4 MW = 3 875 GJ/MW.
    assert "obiekt zużył 0,775 GJ" in page
    assert "3875" in page
