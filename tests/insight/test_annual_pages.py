"""The annual information letter in the portal (/informacja-roczna/) and in the back
office (the operator's list, PDF and reissue)."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from ebok.core.models import AuditLogEntry
from ebok.insight import annual
from ebok.insight.models import AnnualInformation
from tests import factories
from tests.insight import fixture
from tests.insight.test_annual_information import make_fuel_mix, make_group_statistic
from tests.pdf import pdf_text


@pytest.fixture(autouse=True)
def _clean_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued(db, customer):
    fixture.load_weather()
    fixture.make_site(customer)
    make_fuel_mix()
    make_group_statistic()
    return annual.issue(customer, 2025)


def test_the_customer_sees_the_years_and_the_letter(customer_client, issued):
    listing = customer_client.get("/informacja-roczna/")
    assert listing.status_code == 200
    assert 'href="/informacja-roczna/2025/"' in listing.content.decode()
    response = customer_client.get("/informacja-roczna/2025/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Informacja o zużyciu ciepła za rok 2025</h1>" in body
    assert "1 550" in body or "1\xa0550" in body
    assert "www.mpec.example/srednie-zuzycie i w BOK" in body
    assert "sprawdź izolację" in body
    assert "600,0 → 570,0 GJ" in body
    assert "146" in body  # 146 630 kg CO₂
    assert "01-01-2025 – 31-12-2025, odbiorców: 12" in body


def test_the_page_reads_the_snapshot_in_constant_queries(
    customer_client, issued, django_assert_max_num_queries
):
    customer_client.get("/informacja-roczna/2025/")
    with django_assert_max_num_queries(8):
        customer_client.get("/informacja-roczna/2025/")


def test_the_english_page_is_translated_from_the_same_data(customer_client, issued):
    customer_client.cookies["django_language"] = "en"
    response = customer_client.get("/informacja-roczna/2025/")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_the_pdf_download_is_the_stored_polish_document(customer_client, issued):
    response = customer_client.get("/informacja-roczna/2025/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "informacja-roczna-2025-" in response["Content-Disposition"]
    assert "Informacja o zużyciu ciepła za rok 2025" in pdf_text(response.content)


def test_another_customers_letter_is_a_404(client, issued, other_customer):
    stranger = factories.make_user(customers=[other_customer])
    client.force_login(stranger)
    assert client.get("/informacja-roczna/2025/").status_code == 404
    assert client.get("/informacja-roczna/2025/pdf/").status_code == 404
    assert "2025" not in client.get("/informacja-roczna/").content.decode().split("<main")[-1]


def test_a_year_without_a_letter_is_a_404(customer_client, issued):
    assert customer_client.get("/informacja-roczna/2024/").status_code == 404


# --- back office --------------------------------------------------------------------------


def test_the_operator_sees_the_years_with_a_fuel_mix(operator_client, issued, customer):
    make_fuel_mix(year=2024)
    response = operator_client.get(f"/obsluga/kontrahenci/{customer.pk}/informacja-roczna/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Wystaw ponownie za rok 2025" in body
    assert "Wystaw za rok 2024" in body
    pdf = operator_client.get(f"/obsluga/kontrahenci/{customer.pk}/informacja-roczna/2025/pdf/")
    assert pdf.status_code == 200
    assert AuditLogEntry.objects.filter(action="insight.annual_information.pdf_downloaded").exists()


def test_the_customer_page_links_to_the_letters(operator_client, customer):
    body = operator_client.get(f"/obsluga/kontrahenci/{customer.pk}/").content.decode()
    assert f"/obsluga/kontrahenci/{customer.pk}/informacja-roczna/" in body


def test_the_operator_reissues_a_letter_and_it_is_audited(
    operator_client, operator, issued, customer
):
    mix = issued.data["fuel_mix"]
    assert mix["factors"]["co2_kg_per_gj"] == "94.6000"
    from ebok.insight.models import FuelMix

    FuelMix.objects.filter(year=2025).update(co2_kg_per_gj=Decimal("90"))
    response = operator_client.post(
        f"/obsluga/kontrahenci/{customer.pk}/informacja-roczna/2025/wystaw/"
    )
    assert response.status_code == 302
    info = AnnualInformation.objects.get(customer=customer, year=2025)
    assert info.version == 2
    assert info.issued_by == operator
    assert info.data["emissions"]["co2"] == "139500.0"  # 1 550 GJ × 90 kg/GJ
    entry = AuditLogEntry.objects.get(action="insight.annual_information.reissued")
    assert entry.user == operator
    assert entry.data == {"customer": customer.payer_code, "year": 2025, "version": 2}
    # The customer downloads the new version.
    text = pdf_text(annual.pdf_bytes(info)[1])
    assert "wersja 2" in text


def test_reissuing_without_the_years_fuel_mix_says_why(operator_client, customer):
    response = operator_client.post(
        f"/obsluga/kontrahenci/{customer.pk}/informacja-roczna/2023/wystaw/", follow=True
    )
    assert "Brak struktury paliw za rok 2023" in response.content.decode()
    assert not AnnualInformation.objects.exists()


def test_issuing_for_a_customer_without_consumption_says_why(operator_client, customer):
    make_fuel_mix(year=2025)
    response = operator_client.post(
        f"/obsluga/kontrahenci/{customer.pk}/informacja-roczna/2025/wystaw/", follow=True
    )
    assert "nie pobierał ciepła w roku 2025" in response.content.decode()


def test_the_reissue_answers_post_only(operator_client, issued, customer):
    url = f"/obsluga/kontrahenci/{customer.pk}/informacja-roczna/2025/wystaw/"
    assert operator_client.get(url).status_code == 405


def test_a_customer_user_cannot_reissue(customer_client, issued, customer):
    url = f"/obsluga/kontrahenci/{customer.pk}/informacja-roczna/2025/wystaw/"
    assert customer_client.post(url).status_code == 403
    assert AnnualInformation.objects.get().version == 1


def test_the_cached_letter_page_shows_a_reissue_at_once_and_never_another_customers(
    client, customer_client, issued, customer, other_customer
):
    from ebok.insight.models import FuelMix

    assert "146" in customer_client.get("/informacja-roczna/2025/").content.decode()
    FuelMix.objects.filter(year=2025).update(co2_kg_per_gj=Decimal("90"))
    annual.issue(customer, 2025, reissue=True)  # version 2: 1 550 GJ × 90 kg/GJ
    body = customer_client.get("/informacja-roczna/2025/").content.decode()
    assert "139" in body and "146" not in body
    # The other customer has no letter for the year: a 404, cached page or not.
    client.force_login(factories.make_user(customers=[other_customer]))
    assert client.get("/informacja-roczna/2025/").status_code == 404
