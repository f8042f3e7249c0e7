"""The temperatures and hourly consumption kinds over the integration API."""

from decimal import Decimal

import pytest

from ebok.insight.models import DailyTemperature
from tests.api.conftest import api, import_key  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_billing_posts_a_day_of_temperature_and_gets_a_result_per_record(api, import_key):  # noqa: F811
    response = api.post(
        "/api/v1/import/temperatures",
        {
            "records": [
                {
                    "external_id": "T2026-01-15",
                    "version": 1,
                    "day": "2026-01-15",
                    "mean_temperature": "-7.2",
                },
                {
                    "external_id": "T2026-01-16",
                    "version": 1,
                    "day": "2026-01-16",
                    "mean_temperature": "-7.25",
                },
            ]
        },
        key=import_key,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "error": 1}
    assert body["results"][1]["status"] == "error"  # two decimal places
    assert DailyTemperature.objects.get().mean_temperature == Decimal("-7.2")


def test_the_schema_documents_both_new_kinds(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/import/temperatures" in schema["paths"]
    assert "/api/v1/import/hourly_consumption" in schema["paths"]
