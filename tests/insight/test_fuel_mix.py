"""Fuel mix and emission factors per year, entered by administrators at
/obsluga/ustawienia/paliwa/."""

from decimal import Decimal

import pytest

from ebok.core.models import AuditLogEntry
from ebok.insight.models import FuelMix
from tests import factories

VALID = {
    "year": "2025",
    "coal_percent": "70",
    "gas_percent": "17,5",
    "oil_percent": "0",
    "biomass_percent": "12,5",
    "other_renewable_percent": "0",
    "other_percent": "0",
    "renewable_percent": "12,5",
    "co2_kg_per_gj": "94,6",
    "so2_kg_per_gj": "0,12",
    "nox_kg_per_gj": "0,15",
    "dust_kg_per_gj": "0,01",
    "group_averages_published_at": "www.mpec.example/srednie-zuzycie",
}


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.make_operator(role="Administrator", username="admin1"))
    return client


def test_the_administrator_enters_a_year(admin_client):
    response = admin_client.post("/obsluga/ustawienia/paliwa/nowy/", VALID)
    assert response.status_code == 302
    mix = FuelMix.objects.get(year=2025)
    assert mix.gas_percent == Decimal("17.50")
    assert mix.co2_kg_per_gj == Decimal("94.6000")
    entry = AuditLogEntry.objects.get(action="insight.fuel_mix.created")
    assert entry.data["changes"]["co2_kg_per_gj"] == [None, "94.6000"]
    listing = admin_client.get("/obsluga/ustawienia/paliwa/").content.decode()
    assert 'href="/obsluga/ustawienia/paliwa/2025/"' in listing
    assert "94,6000" in listing


def test_shares_must_add_up_to_100_and_what_was_typed_stays(admin_client):
    response = admin_client.post(
        "/obsluga/ustawienia/paliwa/nowy/", {**VALID, "coal_percent": "60"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    # 60 + 17.5 + 12.5 = 90
    assert "muszą sumować się do 100%; teraz suma wynosi 90,00%" in body
    assert 'value="60"' in body
    assert 'value="94,6"' in body
    assert not FuelMix.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("co2_kg_per_gj", "-1", "Wartość nie może być ujemna."),
        ("renewable_percent", "101", "Udział nie może przekraczać 100%."),
        ("co2_kg_per_gj", "dużo", "Podaj liczbę, np. 94,6."),
        ("so2_kg_per_gj", "", "Podaj emisję na 1 GJ (0, jeśli nie występuje)."),
        ("year", "1999", "2000"),
    ],
)
def test_bad_values_get_a_polish_message(admin_client, field, value, message):
    response = admin_client.post("/obsluga/ustawienia/paliwa/nowy/", {**VALID, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FuelMix.objects.exists()


def test_a_year_cannot_be_entered_twice(admin_client):
    admin_client.post("/obsluga/ustawienia/paliwa/nowy/", VALID)
    response = admin_client.post("/obsluga/ustawienia/paliwa/nowy/", VALID)
    assert response.status_code == 400
    assert "już istnieje" in response.content.decode()


def test_editing_keeps_the_year_and_logs_the_changes(admin_client):
    admin_client.post("/obsluga/ustawienia/paliwa/nowy/", VALID)
    response = admin_client.post(
        "/obsluga/ustawienia/paliwa/2025/", {**VALID, "year": "2030", "co2_kg_per_gj": "90"}
    )
    assert response.status_code == 302
    mix = FuelMix.objects.get()
    assert mix.year == 2025  # the year field is fixed once the row exists
    assert mix.co2_kg_per_gj == Decimal("90")
    entry = AuditLogEntry.objects.get(action="insight.fuel_mix.updated")
    assert entry.data["changes"] == {"co2_kg_per_gj": ["94.6000", "90.0000"]}


def test_an_unknown_year_is_a_404(admin_client):
    assert admin_client.get("/obsluga/ustawienia/paliwa/2031/").status_code == 404


def test_an_operator_without_the_configuration_permission_is_refused(operator_client):
    assert operator_client.get("/obsluga/ustawienia/paliwa/").status_code == 403
    assert operator_client.post("/obsluga/ustawienia/paliwa/nowy/", VALID).status_code == 403
    assert not FuelMix.objects.exists()


def test_a_customer_user_is_refused(customer_client):
    assert customer_client.get("/obsluga/ustawienia/paliwa/").status_code == 403


def test_the_list_takes_constant_queries(admin_client, django_assert_max_num_queries):
    for year in (2023, 2024, 2025):
        FuelMix.objects.create(
            year=year,
            coal_percent=100,
            co2_kg_per_gj=Decimal("94.6"),
            so2_kg_per_gj=0,
            nox_kg_per_gj=0,
            dust_kg_per_gj=0,
            updated_by=factories.make_user(),
        )
    admin_client.get("/obsluga/ustawienia/paliwa/")
    with django_assert_max_num_queries(12):
        assert admin_client.get("/obsluga/ustawienia/paliwa/").status_code == 200


def test_editing_a_year_with_letters_says_they_stay_as_issued(admin_client):
    from django.utils import timezone

    from ebok.insight.models import AnnualInformation

    admin_client.post("/obsluga/ustawienia/paliwa/nowy/", VALID)
    for _ in range(2):
        AnnualInformation.objects.create(
            customer=factories.make_customer(), year=2025, issued_at=timezone.now()
        )
    body = admin_client.get("/obsluga/ustawienia/paliwa/2025/").content.decode()
    assert "Liczba informacji rocznych już wystawionych za ten rok: 2." in body
