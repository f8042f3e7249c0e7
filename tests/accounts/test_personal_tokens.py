"""Personal access tokens and the personal JSON feed (/api/v1/my/)."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from ebok.accounts.models import PersonalAccessToken
from ebok.core.models import AuditLogEntry
from tests import factories


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def two_customers(db):
    """User A (a manager of two customers) and user B with a customer of their own."""
    a1 = factories.make_customer(payer_code="300001", name="Wspólnota A1")
    a2 = factories.make_customer(payer_code="300002", name="Wspólnota A2")
    b = factories.make_customer(payer_code="300003", name="Spółdzielnia B")
    user_a = factories.make_user(customers=[a1, a2], username="zarzadca-a")
    user_b = factories.make_user(customers=[b], username="uzytkownik-b")
    meters = {}
    for customer in (a1, a2, b):
        meter = factories.make_meter(customer, serial_number=f"M-{customer.payer_code}")
        meters[customer.payer_code] = meter
        factories.make_reading(meter, read_on=date(2026, 10, 31), consumption=Decimal("45.250"))
        factories.make_invoice(customer, number=f"FV/2026/10/{customer.payer_code}")
    return {"a1": a1, "a2": a2, "b": b, "user_a": user_a, "user_b": user_b, "meters": meters}


def test_a_token_is_stored_only_as_its_sha256(two_customers):
    token, raw = PersonalAccessToken.generate(two_customers["user_a"], "Automatyka")
    assert raw.startswith("ebokp_")
    assert len(raw) > 40
    assert raw not in token.token_hash
    assert token.token_hash == PersonalAccessToken.digest(raw)
    assert token.prefix == raw[:12]


def test_the_customer_creates_a_token_and_sees_it_once(client, two_customers):
    client.force_login(two_customers["user_a"])
    response = client.post("/konto/tokeny/", {"name": "  Program   zarządcy "})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = PersonalAccessToken.objects.get(user=two_customers["user_a"])
    assert token.name == "Program zarządcy"
    raw = response.context["raw_token"]
    assert token.token_hash == PersonalAccessToken.digest(raw)
    assert raw in response.content.decode()
    assert AuditLogEntry.objects.filter(
        action="accounts.personal_token.created", object_id=str(token.pk)
    ).exists()
    listing = client.get("/konto/tokeny/").content.decode()
    assert "Program zarządcy" in listing
    assert raw not in listing
    assert token.prefix in listing


def test_an_empty_name_is_refused_with_a_polish_message(client, two_customers):
    client.force_login(two_customers["user_a"])
    response = client.post("/konto/tokeny/", {"name": "   "})
    assert response.status_code == 400
    assert "Podaj nazwę tokenu." in response.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_a_too_long_name_is_refused_and_kept(client, two_customers):
    client.force_login(two_customers["user_a"])
    response = client.post("/konto/tokeny/", {"name": "x" * 101})
    assert response.status_code == 400
    body = response.content.decode()
    assert "najwyżej 100 znaków" in body
    assert 'value="' + "x" * 101 + '"' in body


@override_settings(EBOK_PERSONAL_TOKENS_PER_USER=2)
def test_the_number_of_active_tokens_is_limited(client, two_customers):
    client.force_login(two_customers["user_a"])
    for name in ("Pierwszy", "Drugi"):
        assert client.post("/konto/tokeny/", {"name": name}).status_code == 200
    response = client.post("/konto/tokeny/", {"name": "Trzeci"})
    assert response.status_code == 400
    assert "najwyżej 2 aktywnych tokenów" in response.content.decode()
    assert PersonalAccessToken.objects.count() == 2


def test_the_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/konto/tokeny/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logowanie/")


def test_another_users_token_cannot_be_revoked(client, two_customers):
    token, _raw = PersonalAccessToken.generate(two_customers["user_b"], "Cudzy")
    client.force_login(two_customers["user_a"])
    assert client.post(f"/konto/tokeny/{token.pk}/uniewaznij/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_revoked_token_gets_401_at_once(client, api_client, two_customers):
    token, raw = PersonalAccessToken.generate(two_customers["user_a"], "Automatyka")
    assert api_client.get("/api/v1/my/customers", headers=bearer(raw)).status_code == 200
    client.force_login(two_customers["user_a"])
    response = client.post(f"/konto/tokeny/{token.pk}/uniewaznij/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditLogEntry.objects.filter(action="accounts.personal_token.revoked").count() == 1
    response = api_client.get("/api/v1/my/customers", headers=bearer(raw))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    # Revoking twice changes nothing and logs nothing.
    client.post(f"/konto/tokeny/{token.pk}/uniewaznij/")
    assert AuditLogEntry.objects.filter(action="accounts.personal_token.revoked").count() == 1


def test_the_feed_refuses_missing_unknown_and_query_string_tokens(api_client, two_customers):
    _token, raw = PersonalAccessToken.generate(two_customers["user_a"], "Automatyka")
    assert api_client.get("/api/v1/my/readings").status_code == 401
    assert api_client.get("/api/v1/my/readings", headers=bearer("ebokp_nope")).status_code == 401
    assert api_client.get(f"/api/v1/my/readings?token={raw}").status_code == 401
    assert api_client.get(f"/api/v1/my/readings?access_token={raw}").status_code == 401


def test_an_integration_api_key_does_not_open_the_personal_feed(api_client, db):
    from ebok.integration.models import ApiKey

    _key, raw = ApiKey.generate("System rozliczeń", [ApiKey.Scope.IMPORT, ApiKey.Scope.EXPORT])
    assert api_client.get("/api/v1/my/readings", headers=bearer(raw)).status_code == 401


def test_a_personal_token_does_not_open_the_integration_api(api_client, two_customers):
    _token, raw = PersonalAccessToken.generate(two_customers["user_a"], "Automatyka")
    assert api_client.get("/api/v1/export/items", headers=bearer(raw)).status_code == 401


def test_a_deactivated_users_token_stops_working(api_client, two_customers):
    _token, raw = PersonalAccessToken.generate(two_customers["user_a"], "Automatyka")
    two_customers["user_a"].is_active = False
    two_customers["user_a"].save()
    assert api_client.get("/api/v1/my/customers", headers=bearer(raw)).status_code == 401


def test_token_of_user_a_never_returns_b_data(api_client, two_customers):
    _token, raw = PersonalAccessToken.generate(two_customers["user_a"], "Automatyka")
    response = api_client.get("/api/v1/my/readings", headers=bearer(raw))
    assert response["Cache-Control"] == "private, no-store"
    customers = api_client.get("/api/v1/my/customers", headers=bearer(raw)).json()
    assert [c["payer_code"] for c in customers] == ["300001", "300002"]
    assert customers[0]["meters"][0]["serial_number"] == "M-300001"
    readings = api_client.get("/api/v1/my/readings", headers=bearer(raw)).json()
    assert sorted(r["customer"] for r in readings["items"]) == ["300001", "300002"]
    assert {r["meter_serial_number"] for r in readings["items"]} == {"M-300001", "M-300002"}
    invoices = api_client.get("/api/v1/my/invoices", headers=bearer(raw)).json()
    assert sorted(i["number"] for i in invoices["items"]) == [
        "FV/2026/10/300001",
        "FV/2026/10/300002",
    ]
    # Asking for B's payer code is a 404, like any unknown code.
    for path in ("/api/v1/my/readings", "/api/v1/my/invoices"):
        response = api_client.get(f"{path}?customer=300003", headers=bearer(raw))
        assert response.status_code == 404
        assert "300003" not in response.content.decode()


def test_losing_access_to_a_customer_removes_it_from_the_feed_at_once(api_client, two_customers):
    from ebok.customers.models import CustomerAccess

    _token, raw = PersonalAccessToken.generate(two_customers["user_a"], "Automatyka")
    CustomerAccess.objects.filter(customer=two_customers["a2"]).delete()
    readings = api_client.get("/api/v1/my/readings", headers=bearer(raw)).json()
    assert [r["customer"] for r in readings["items"]] == ["300001"]


def test_a_reading_carries_its_values_as_decimal_strings(api_client, two_customers):
    _token, raw = PersonalAccessToken.generate(two_customers["user_b"], "Automatyka")
    items = api_client.get("/api/v1/my/readings", headers=bearer(raw)).json()["items"]
    assert items == [
        {
            "id": items[0]["id"],
            "customer": "300003",
            "site_code": two_customers["meters"]["300003"].site.code,
            "meter_serial_number": "M-300003",
            "read_on": "2026-10-31",
            "value": "1234.500",
            "consumption": "45.250",
            "unit": "GJ",
            "source": "remote",
        }
    ]


def test_readings_page_by_cursor_and_filter_by_date(api_client, two_customers):
    meter = two_customers["meters"]["300003"]
    for month in (1, 2, 3):
        factories.make_reading(meter, read_on=date(2026, month, 28))
    _token, raw = PersonalAccessToken.generate(two_customers["user_b"], "Automatyka")
    first = api_client.get("/api/v1/my/readings?limit=3", headers=bearer(raw)).json()
    assert len(first["items"]) == 3
    assert first["has_more"] is True
    rest = api_client.get(
        f"/api/v1/my/readings?limit=3&cursor={first['next_cursor']}", headers=bearer(raw)
    ).json()
    assert len(rest["items"]) == 1  # 4 readings: 1 from the fixture + 3
    assert rest["has_more"] is False
    seen = [r["id"] for r in first["items"] + rest["items"]]
    assert seen == sorted(seen) and len(set(seen)) == 4
    # Nothing new: the cursor stays where it was.
    empty = api_client.get(
        f"/api/v1/my/readings?cursor={rest['next_cursor']}", headers=bearer(raw)
    ).json()
    assert empty == {"items": [], "next_cursor": rest["next_cursor"], "has_more": False}
    spring = api_client.get(
        "/api/v1/my/readings?date_from=2026-02-01&date_to=2026-03-31", headers=bearer(raw)
    ).json()
    assert [r["read_on"] for r in spring["items"]] == ["2026-02-28", "2026-03-28"]


def test_an_invoice_shows_the_amounts_and_what_remains(api_client, two_customers):
    invoice = two_customers["b"].invoices.get()
    invoice.paid_amount = Decimal("100.00")
    invoice.save()
    _token, raw = PersonalAccessToken.generate(two_customers["user_b"], "Automatyka")
    item = api_client.get("/api/v1/my/invoices", headers=bearer(raw)).json()["items"][0]
    # 10 GJ × 80,00 zł = 800,00 net; VAT 23 % = 184,00; gross 984,00; 984 − 100 = 884
    assert item["net_amount"] == "800.00"
    assert item["vat_amount"] == "184.00"
    assert item["gross_amount"] == "984.00"
    assert item["remaining_amount"] == "884.00"
    assert item["due_date"] == "2026-11-14"


def test_bad_query_values_are_a_422_not_a_500(api_client, two_customers):
    _token, raw = PersonalAccessToken.generate(two_customers["user_b"], "Automatyka")
    for query in ("date_from=yesterday", "limit=0", "limit=5000", "cursor=-1"):
        response = api_client.get(f"/api/v1/my/readings?{query}", headers=bearer(raw))
        assert response.status_code == 422, query


@override_settings(EBOK_PERSONAL_TOKEN_RATE_PER_MINUTE=3)
def test_the_fourth_request_in_a_minute_gets_429(api_client, two_customers):
    _token, raw = PersonalAccessToken.generate(two_customers["user_a"], "Automatyka")
    _other, other_raw = PersonalAccessToken.generate(two_customers["user_b"], "Inny")
    for _ in range(3):
        assert api_client.get("/api/v1/my/customers", headers=bearer(raw)).status_code == 200
    response = api_client.get("/api/v1/my/customers", headers=bearer(raw))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    # The limit is per token: another token is not affected.
    assert api_client.get("/api/v1/my/customers", headers=bearer(other_raw)).status_code == 200


def test_use_is_recorded_at_most_once_a_minute(
    api_client, two_customers, django_assert_num_queries
):
    token, raw = PersonalAccessToken.generate(two_customers["user_a"], "Automatyka")
    api_client.get("/api/v1/my/customers", headers=bearer(raw))
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    api_client.get("/api/v1/my/customers", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first_use


def test_the_feed_needs_constant_queries(api_client, two_customers, django_assert_max_num_queries):
    _token, raw = PersonalAccessToken.generate(two_customers["user_a"], "Automatyka")
    api_client.get("/api/v1/my/customers", headers=bearer(raw))  # records the use
    for month in range(1, 10):
        factories.make_reading(two_customers["meters"]["300001"], read_on=date(2026, month, 28))
        factories.make_invoice(two_customers["a1"], number=f"FV/2026/{month:02d}/X")
    for path in ("/api/v1/my/customers", "/api/v1/my/readings", "/api/v1/my/invoices"):
        with django_assert_max_num_queries(4):
            assert api_client.get(path, headers=bearer(raw)).status_code == 200


def test_the_feed_is_described_in_openapi(api_client, db):
    schema = api_client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/my/customers",
        "/api/v1/my/readings",
        "/api/v1/my/invoices",
        "/api/v1/my/degree-days",
    ):
        assert path in schema["paths"]
        assert schema["paths"][path]["get"]["security"]


@pytest.fixture
def api_client(db):
    from django.test import Client

    return Client()


def test_degree_days_come_by_month_with_the_norm_and_by_day(api_client, two_customers):
    from tests.insight import fixture

    fixture.load_weather()
    _token, raw = PersonalAccessToken.generate(two_customers["user_b"], "Automatyka")
    monthly = api_client.get(
        "/api/v1/my/degree-days?date_from=2025-01-01&date_to=2025-02-28", headers=bearer(raw)
    ).json()
    assert monthly["base_temperature"] == "15.0"
    # The fixture's January has 500 degree days, February 450; the standard year 530, 470.
    assert [(i["period"], i["degree_days"], i["normal_degree_days"]) for i in monthly["items"]] == [
        ("2025-01", "500.0", "530"),
        ("2025-02", "450.0", "470"),
    ]
    assert monthly["items"][0]["complete"] is True
    daily = api_client.get(
        "/api/v1/my/degree-days?date_from=2025-01-01&date_to=2025-01-31&granularity=day",
        headers=bearer(raw),
    ).json()
    assert len(daily["items"]) == 31
    # 500 / 31 = 16.1 (rounded down) a day: 15 − 16.1 = −1.1 °C; the last day takes the rest.
    assert daily["items"][0] == {
        "period": "2025-01-01",
        "degree_days": "16.1",
        "mean_temperature": "-1.1",
        "days_with_data": 1,
        "complete": True,
        "normal_degree_days": None,
    }
    total = sum(Decimal(i["degree_days"]) for i in daily["items"])
    assert total == Decimal("500.0")


def test_daily_degree_days_are_limited_to_a_year_per_call(api_client, two_customers):
    _token, raw = PersonalAccessToken.generate(two_customers["user_b"], "Automatyka")
    response = api_client.get(
        "/api/v1/my/degree-days?date_from=2024-01-01&date_to=2025-12-31&granularity=day",
        headers=bearer(raw),
    )
    assert response.status_code == 400
    assert "366" in response.json()["detail"]
    reversed_range = api_client.get(
        "/api/v1/my/degree-days?date_from=2025-02-01&date_to=2025-01-01", headers=bearer(raw)
    )
    assert reversed_range.status_code == 400
