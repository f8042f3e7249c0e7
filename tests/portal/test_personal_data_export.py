"""The one-click export of a user's personal data (RODO art. 15/20) as a ZIP."""

import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from ebok.accounts.models import LoginEvent, PersonalAccessToken
from ebok.core.models import AuditLogEntry
from ebok.customers.models import CustomerAccess
from tests import factories


@pytest.fixture(autouse=True)
def _clean_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data(db):
    mine = factories.make_customer(payer_code="410001", name="Wspólnota Moja", pesel="85010112345")
    other = factories.make_customer(payer_code="410002", name="Spółdzielnia Obca")
    user = factories.make_user(customers=[mine], username="jan", email="jan@example.com")
    meter = factories.make_meter(mine, serial_number="65210001")
    factories.make_reading(meter, read_on=date(2026, 9, 30), consumption=Decimal("12.500"))
    factories.make_reading(meter, read_on=date(2026, 10, 31), consumption=Decimal("45.250"))
    factories.make_invoice(mine, number="FV/2026/10/00001")
    factories.make_payment(mine, amount=Decimal("984.00"))
    other_meter = factories.make_meter(other, serial_number="99990001")
    factories.make_reading(other_meter)
    factories.make_invoice(other, number="FV/2026/10/99999")
    LoginEvent.objects.create(user=user, username="jan", success=True, ip="192.0.2.1")
    PersonalAccessToken.generate(user, "Automatyka")
    return {"mine": mine, "other": other, "user": user}


def unzip(response) -> dict:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_the_page_explains_what_the_archive_holds(client, data):
    client.force_login(data["user"])
    response = client.get("/konto/moje-dane/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Moje dane osobowe</h1>" in body
    assert "Wspólnota Moja (410001)" in body
    assert "Obca" not in body


def test_the_anonymous_visitor_is_sent_to_login(client, db):
    assert client.post("/konto/moje-dane/").status_code == 302


def test_one_click_downloads_a_zip_of_the_users_data_only(client, data):
    client.force_login(data["user"])
    response = client.post("/konto/moje-dane/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="moje-dane-jan-')
    assert "no-store" in response["Cache-Control"]
    files = unzip(response)
    assert sorted(n for n in files if not n.startswith("kontrahenci/")) == [
        "CZYTAJ-MNIE.txt",
        "dostep-do-kontrahentow.json",
        "dziennik-zdarzen.json",
        "historia-logowan.json",
        "konto.json",
        "powiadomienia-o-zuzyciu.json",
        "rejestracje-i-zgody.json",
        "tokeny-dostepu.json",
    ]
    assert {n.split("/")[1] for n in files if n.startswith("kontrahenci/")} == {"410001"}
    everything = b"".join(files.values()).decode()
    assert "410002" not in everything
    assert "Obca" not in everything
    assert "99990001" not in everything
    assert "FV/2026/10/99999" not in everything

    account = json.loads(files["konto.json"])
    assert account["username"] == "jan"
    assert account["email"] == "jan@example.com"
    assert "password" not in account
    assert account["notification_preferences"] == {"new_invoices": True, "payment_reminders": True}
    assert account["insight_preferences"] == {
        "consumption_alerts": True,
        "legalisation_alerts": True,
    }

    readings = json.loads(files["kontrahenci/410001/odczyty.json"])
    assert [(r["read_on"], r["consumption"]) for r in readings] == [
        ("2026-09-30", "12.500"),
        ("2026-10-31", "45.250"),
    ]
    assert readings[0]["meter_serial_number"] == "65210001"
    invoices = json.loads(files["kontrahenci/410001/faktury.json"])
    assert invoices[0]["number"] == "FV/2026/10/00001"
    assert invoices[0]["gross_amount"] == "984.00"  # 10 GJ × 80,00 zł + 23 % VAT
    assert invoices[0]["lines"][0]["quantity"] == "10.0000"
    customer = json.loads(files["kontrahenci/410001/kontrahent.json"])
    assert customer["pesel"] == "*******2345"
    assert customer["insight_alert_threshold_percent"] == 20
    assert json.loads(files["kontrahenci/410001/informacje-roczne.json"]) == []

    tokens = json.loads(files["tokeny-dostepu.json"])
    assert tokens[0]["name"] == "Automatyka"
    assert "token_hash" not in tokens[0]
    logins = json.loads(files["historia-logowan.json"])
    assert logins[0]["ip"] == "192.0.2.1"
    readme = files["CZYTAJ-MNIE.txt"].decode()
    assert "art. 15 i 20 RODO" in readme


def test_the_export_is_audited(client, data):
    client.force_login(data["user"])
    client.post("/konto/moje-dane/")
    entry = AuditLogEntry.objects.get(action="accounts.personal_data.exported")
    assert entry.user == data["user"]
    assert entry.data["customers"] == ["410001"]


def test_a_manager_gets_every_customer_in_constant_queries(
    client, data, django_assert_max_num_queries
):
    user = data["user"]
    for i in range(4):
        customer = factories.make_customer(payer_code=f"42000{i}")
        CustomerAccess.objects.create(user=user, customer=customer)
        meter = factories.make_meter(customer)
        for month in range(1, 4):
            factories.make_reading(meter, read_on=date(2026, month, 28))
        factories.make_invoice(customer)
    client.force_login(user)
    client.get("/konto/moje-dane/")
    with django_assert_max_num_queries(30):
        response = client.post("/konto/moje-dane/")
    files = unzip(response)
    assert len({n.split("/")[1] for n in files if n.startswith("kontrahenci/")}) == 5


def test_the_sixth_export_in_an_hour_is_refused_politely(client, data):
    client.force_login(data["user"])
    for _ in range(5):
        assert client.post("/konto/moje-dane/").status_code == 200
    response = client.post("/konto/moje-dane/")
    assert response.status_code == 429
    assert "Spróbuj ponownie za" in response.content.decode()
