"""The new import kinds: the company's daily temperatures and hourly consumption."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ebok.insight import services
from ebok.insight.models import DailyTemperature, HourlyConsumption
from ebok.integration import files
from ebok.integration.importer import import_records
from tests import factories

pytestmark = pytest.mark.django_db


def test_temperatures_import_and_become_degree_days():
    summary = import_records(
        "temperatures",
        [
            {
                "external_id": "T2026-01-01",
                "version": 1,
                "day": "2026-01-01",
                "mean_temperature": "-3.5",
            },
            {
                "external_id": "T2026-01-02",
                "version": 1,
                "day": "2026-01-02",
                "mean_temperature": "16.0",
            },
            {
                "external_id": "T2026-01-03",
                "version": 1,
                "day": "2026-01-03",
                "mean_temperature": "80",
            },
            {"external_id": "T2026-01-04", "version": 1, "day": "2026-01-04", "temperature": "1"},
        ],
    )
    assert summary.counts == {"created": 2, "updated": 0, "unchanged": 0, "error": 2}
    # 15 − (−3.5) = 18.5 degree days; 16 °C is above the base: 0.
    month = services.monthly_degree_days()[(2026, 1)]
    assert (month.hdd, month.days, month.complete) == (Decimal("18.5"), 2, False)


def test_a_newer_version_corrects_a_day():
    import_records(
        "temperatures",
        [{"external_id": "T1", "version": 1, "day": "2026-01-01", "mean_temperature": "2"}],
    )
    import_records(
        "temperatures",
        [{"external_id": "T1", "version": 2, "day": "2026-01-01", "mean_temperature": "-2"}],
    )
    assert DailyTemperature.objects.get().mean_temperature == Decimal("-2.0")


def test_temperatures_read_from_a_csv_file_with_decimal_commas(tmp_path):
    path = tmp_path / "temperatures-2026-01.csv"
    path.write_text(
        "external_id;version;day;mean_temperature\nT2026-01-05;1;2026-01-05;-7,2\n",
        encoding="utf-8",
    )
    assert files.guess_kind(path) == "temperatures"
    summary = import_records("temperatures", files.read_file(path, "temperatures", "csv"))
    assert summary.counts["created"] == 1
    assert DailyTemperature.objects.get().mean_temperature == Decimal("-7.2")


def test_hourly_consumption_imports_for_a_known_meter(customer):
    meter = factories.make_meter(customer, external_id="M-1")
    summary = import_records(
        "hourly_consumption",
        [
            {
                "external_id": "H1",
                "version": 1,
                "meter": "M-1",
                "hour_start": "2026-01-15T06:00:00+01:00",
                "consumption": "0.8280",
            },
            {
                "external_id": "H2",
                "version": 1,
                "meter": "M-2",
                "hour_start": "2026-01-15T07:00:00+01:00",
                "consumption": "0.5",
            },
            {
                "external_id": "H3",
                "version": 1,
                "meter": "M-1",
                "hour_start": "2026-01-15T07:00:00",
                "consumption": "0.5",
            },
            {
                "external_id": "H4",
                "version": 1,
                "meter": "M-1",
                "hour_start": "2026-01-15T08:00:00+01:00",
                "consumption": "-1",
            },
        ],
    )
    assert summary.counts["created"] == 1 and summary.counts["error"] == 3
    row = HourlyConsumption.objects.get()
    assert row.meter == meter
    assert row.hour_start == datetime(2026, 1, 15, 6, tzinfo=ZoneInfo("Europe/Warsaw"))


def test_the_hourly_peak_is_scaled_to_the_design_temperature(customer):
    site = factories.make_site(customer)
    meter = factories.make_meter(customer, site=site)
    warsaw = ZoneInfo("Europe/Warsaw")
    for i, gj in enumerate(["0.5", "0.828", "0.6"]):
        HourlyConsumption.objects.create(
            external_id=f"H{i}",
            meter=meter,
            hour_start=datetime(2026, 1, 15, 5 + i, tzinfo=warsaw),
            consumption=Decimal(gj),
        )
    DailyTemperature.objects.create(
        external_id="T", day=date(2026, 1, 15), mean_temperature=Decimal("-7")
    )
    # 0.828 GJ in an hour = 0.23 MW at −7 °C (22 degrees below the base);
    # at −18 °C (33 below): 0.23 × 33 / 22 = 0.345 MW.
    assert services.peak_from_hours([meter.pk]) == Decimal("0.3450")


def test_a_heated_area_imports_for_a_known_site_and_must_be_positive(customer):
    from ebok.insight.models import HeatedArea

    factories.make_site(customer, external_id="S-1")
    summary = import_records(
        "heated_areas",
        [
            {"external_id": "A1", "version": 1, "site": "S-1", "area_m2": "2450.50"},
            {"external_id": "A2", "version": 1, "site": "S-1", "area_m2": "0"},
            {"external_id": "A3", "version": 1, "site": "S-9", "area_m2": "100"},
        ],
    )
    assert (summary.counts["created"], summary.counts["error"]) == (1, 2)
    assert HeatedArea.objects.get().area_m2 == Decimal("2450.50")
