"""Importing through the API: per-record results, dry runs, limits, the schema."""

import pytest
from django.test import override_settings

from ebok.customers.models import Customer
from ebok.integration.models import ImportBatch
from tests.integration import records as r

pytestmark = pytest.mark.django_db


def test_each_record_gets_a_result(api, import_key):
    api.post("/api/v1/import/customers", {"records": [r.customer("C1")]}, key=import_key)
    body = {
        "records": [
            r.customer("C1"),
            r.customer("C2"),
            r.customer("C1", version=2, name="Nowa nazwa"),
            {"external_id": "C3", "version": 1, "unknown": 1},
        ]
    }

    response = api.post("/api/v1/import/customers", body, key=import_key)

    assert response.status_code == 200
    data = response.json()
    assert data["counts"] == {"created": 1, "updated": 1, "unchanged": 0, "error": 2}
    assert [(x["index"], x["status"]) for x in data["results"]] == [
        (0, "error"),
        (1, "created"),
        (2, "updated"),
        (3, "error"),
    ]
    assert data["batch_id"] == ImportBatch.objects.latest("id").pk
    assert Customer.objects.get(external_id="C1").name == "Nowa nazwa"


def test_a_dry_run_answers_without_writing(api, import_key):
    response = api.post(
        "/api/v1/import/customers?dry_run=true", {"records": [r.customer("C1")]}, key=import_key
    )

    assert response.json()["counts"]["created"] == 1
    assert response.json()["dry_run"] is True
    assert not Customer.objects.exists()


def test_unknown_top_level_fields_are_refused(api, import_key):
    response = api.post("/api/v1/import/customers", {"records": [], "extra": True}, key=import_key)

    assert response.status_code == 422


def test_a_non_json_body_is_refused(client, import_key):
    response = client.post(
        "/api/v1/import/customers",
        "not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {import_key}"},
    )

    assert response.status_code in (400, 422)


@override_settings(EBOK_API_IMPORT_MAX_RECORDS=2)
def test_too_many_records_in_one_call_are_refused(api, import_key):
    response = api.post(
        "/api/v1/import/customers",
        {"records": [r.customer(f"C{i}") for i in range(3)]},
        key=import_key,
    )

    assert response.status_code == 413
    assert not Customer.objects.exists()


def test_the_schema_documents_every_kind_strictly(client):
    schema = client.get("/api/v1/openapi.json").json()

    for kind in ("customers", "sites", "contracts", "meters", "readings", "invoices", "payments"):
        body = schema["paths"][f"/api/v1/import/{kind}"]["post"]["requestBody"]
        item = body["content"]["application/json"]["schema"]["properties"]["records"]["items"]
        assert item["additionalProperties"] is False
        assert "external_id" in item["required"]


def test_the_docs_page_loads_swagger_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # no inline script: the strict CSP stays as it is
