"""Wykaz umów i liczników: contracts with meters, a meter with readings and chart, a reading."""

from datetime import date, timedelta
from decimal import Decimal

from tests import factories
from tests.portal.test_invoices import count_queries


def readings_every_month(meter, start: date, months: int, consumption="10.000"):
    value = Decimal("1000.000")
    day = start
    for _ in range(months):
        value += Decimal(consumption)
        factories.make_reading(meter, read_on=day, value=value, consumption=Decimal(consumption))
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=min(start.day, 28))


def test_contracts_page_lists_contracts_sites_and_meters(customer_client, customer):
    site = factories.make_site(customer, street="ul. Gdańska 12")
    contract = factories.make_contract(customer, site=site, number="UM/00012/2020")
    meter = factories.make_meter(customer, site=site, contract=contract, serial_number="65215917")
    factories.make_reading(meter, read_on=date(2026, 10, 31), value=Decimal("1234.5"))

    html = customer_client.get("/umowy/").content.decode()

    assert "UM/00012/2020" in html
    assert "ul. Gdańska 12" in html
    assert "65215917" in html
    assert "31-10-2026" in html
    assert f"/liczniki/{meter.pk}/" in html


def test_meters_without_a_contract_are_listed_too(customer_client, customer):
    factories.make_meter(customer, serial_number="SOLO-1")
    assert "SOLO-1" in customer_client.get("/umowy/").content.decode()


def test_meter_page_shows_data_readings_and_a_year_over_year_chart(customer_client, customer):
    meter = factories.make_meter(
        customer,
        serial_number="65215917",
        location="węzeł w piwnicy",
        installed_on=date(2019, 6, 1),
        legalisation_valid_until=date(2029, 6, 1),
    )
    factories.make_reading(meter, read_on=date(2025, 1, 31), consumption=Decimal("50.000"))
    factories.make_reading(meter, read_on=date(2026, 1, 31), consumption=Decimal("40.000"))

    html = customer_client.get(f"/liczniki/{meter.pk}/").content.decode()

    assert "Nr fabr." in html and "65215917" in html
    assert "węzeł w piwnicy" in html
    assert "01-06-2019" in html and "01-06-2029" in html
    assert "2026 w porównaniu z 2025" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "chart__bar--current" in html and "chart__bar--previous" in html
    assert "-20,0%" in html or "-20.0%" in html  # January: 40 vs 50
    assert "style=" not in html
    assert "<script" not in html
    assert f'href="/liczniki/{meter.pk}/eksport.csv"' in html
    assert 'href="/umowy/"' in html  # Wstecz


def test_meter_page_filters_readings_by_date_and_pages_them(customer_client, customer):
    meter = factories.make_meter(customer)
    readings_every_month(meter, date(2022, 1, 28), 48)

    html = customer_client.get(f"/liczniki/{meter.pk}/").content.decode()
    assert "Strona 1 z 2" in html

    html = customer_client.get(
        f"/liczniki/{meter.pk}/", {"od": "2025-01-01", "do": "2025-12-31"}
    ).content.decode()
    assert "28-06-2025" in html
    assert "28-06-2024" not in html
    assert 'value="2025-01-01"' in html and 'value="2025-12-31"' in html


def test_the_readings_filter_is_kept_by_the_pages_and_the_downloads(customer_client, customer):
    meter = factories.make_meter(customer)
    readings_every_month(meter, date(2022, 1, 28), 48)
    # 2022-2024: 36 readings, 24 a page -> 2 pages.
    html = customer_client.get(
        f"/liczniki/{meter.pk}/", {"od": "2022-01-01", "do": "2024-12-31"}
    ).content.decode()
    assert "Strona 1 z 2" in html
    assert 'href="?od=2022-01-01&amp;do=2024-12-31&amp;strona=2"' in html
    assert f'href="/liczniki/{meter.pk}/eksport.csv?od=2022-01-01&amp;do=2024-12-31"' in html
    csv = customer_client.get(
        f"/liczniki/{meter.pk}/eksport.csv", {"od": "2022-01-01", "do": "2024-12-31"}
    ).content.decode("utf-8-sig")
    assert "2024-12-28" in csv and "2025-01-28" not in csv and "2021" not in csv


def test_an_old_bookmark_with_date_from_still_filters_and_links_use_od(customer_client, customer):
    meter = factories.make_meter(customer)
    readings_every_month(meter, date(2022, 1, 28), 48)
    html = customer_client.get(
        f"/liczniki/{meter.pk}/", {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    ).content.decode()
    assert "28-06-2025" in html and "28-06-2024" not in html
    assert 'eksport.csv?od=2025-01-01&amp;do=2025-12-31"' in html


def test_a_bad_readings_filter_is_a_polish_error_that_keeps_the_input(customer_client, customer):
    meter = factories.make_meter(customer)
    readings_every_month(meter, date(2025, 1, 28), 3)
    url = f"/liczniki/{meter.pk}/"
    for value in ("garbage", "2026-13-45"):
        response = customer_client.get(url, {"od": value})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Wpisz poprawną datę." in html
        assert f'value="{value}"' in html
        assert "28-03-2025" in html  # an invalid filter filters nothing
    html = customer_client.get(url, {"od": "2026-05-01", "do": "2026-01-01"}).content.decode()
    assert "Data „od” jest późniejsza niż data „do”." in html
    assert 'value="2026-05-01"' in html and 'value="2026-01-01"' in html
    response = customer_client.get(url, {"od": "2026-01-01" * 500, "do": "x" * 5000})
    assert response.status_code == 200 and "Wpisz poprawną datę." in response.content.decode()
    export = customer_client.get(f"{url}eksport.csv", {"od": "garbage"})
    assert export.status_code == 200


def test_chart_year_can_be_chosen(customer_client, customer):
    meter = factories.make_meter(customer)
    readings_every_month(meter, date(2022, 1, 28), 48)
    html = customer_client.get(f"/liczniki/{meter.pk}/", {"rok": "2023"}).content.decode()
    assert "2023 w porównaniu z 2022" in html


def test_meter_page_with_ten_years_of_readings_uses_a_constant_number_of_queries(
    customer_client, customer
):
    small = factories.make_meter(customer)
    readings_every_month(small, date(2025, 1, 28), 3)
    big = factories.make_meter(customer)
    readings_every_month(big, date(2016, 1, 28), 120)

    assert count_queries(customer_client, f"/liczniki/{small.pk}/") == count_queries(
        customer_client, f"/liczniki/{big.pk}/"
    )


def test_contracts_page_uses_a_constant_number_of_queries(customer_client, customer):
    meter = factories.make_meter(customer, contract=factories.make_contract(customer))
    factories.make_reading(meter)
    few = count_queries(customer_client, "/umowy/")
    for _ in range(10):
        contract = factories.make_contract(customer)
        factories.make_reading(
            factories.make_meter(customer, site=contract.site, contract=contract)
        )
    assert count_queries(customer_client, "/umowy/") == few


def test_reading_page_shows_the_reading_and_goes_back_to_its_meter(customer_client, customer):
    meter = factories.make_meter(customer, serial_number="65215917")
    reading = factories.make_reading(
        meter, read_on=date(2011, 9, 30), value=Decimal("1234.500"), consumption=Decimal("45.250")
    )

    html = customer_client.get(f"/odczyty/{reading.pk}/").content.decode()

    assert "Podgląd odczytu" in html
    assert "65215917" in html
    assert "30-09-2011" in html
    assert "1234,5" in html
    assert "45,25" in html
    assert f'href="/liczniki/{meter.pk}/"' in html
    assert "Wstecz" in html


def test_reading_page_is_a_404_for_a_cancelled_or_foreign_reading_and_escapes_its_meter(
    customer_client, customer, other_customer
):
    from django.utils import timezone

    meter = factories.make_meter(customer, meter_type="<b>Typ</b>", unit="GJ")
    mine = factories.make_reading(meter, read_on=date(2026, 1, 31), value=Decimal("7.000"))
    cancelled = factories.make_reading(meter, read_on=date(2026, 2, 28), value=Decimal("8.000"))
    type(cancelled).objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    theirs = factories.make_reading(factories.make_meter(other_customer), read_on=date(2026, 1, 31))

    html = customer_client.get(f"/odczyty/{mine.pk}/").content.decode()
    assert "&lt;b&gt;Typ&lt;/b&gt;" in html and "<b>Typ</b>" not in html
    assert "7 GJ" in html and meter.site.street in html
    assert customer_client.get(f"/odczyty/{cancelled.pk}/").status_code == 404
    assert customer_client.get(f"/odczyty/{theirs.pk}/").status_code == 404
