"""Finding 7 (API part): ids are strict integers, and the schema documents the error
answers (400/401/403/422) that the API gives."""

import pytest

from ebok.integration.models import ApiKey


@pytest.fixture
def export_key(db):
    _key, raw = ApiKey.generate("Obieg dokumentów", [ApiKey.Scope.EXPORT])
    return raw


def ack(client, key, body):
    return client.post(
        "/api/v1/export/ack",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


@pytest.mark.parametrize("ids", [[True], ["2"], [2.0], [2.5], [None], [{"id": 2}], "2", [2**63]])
def test_an_id_that_is_no_integer_is_a_422(client, export_key, ids):
    response = ack(client, export_key, {"ids": ids})
    assert response.status_code == 422, ids


def test_integer_ids_are_accepted(client, export_key):
    response = ack(client, export_key, {"ids": [1, 2]})
    assert response.status_code == 200
    assert response.json()["unknown"] == [1, 2]


def test_the_schema_documents_the_error_answers(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    ack_responses = schema["paths"]["/api/v1/export/ack"]["post"]["responses"]
    assert {"200", "400", "401", "403", "422"} <= set(ack_responses)
    ping = schema["paths"]["/api/v1/ping"]["get"]["responses"]
    assert "401" not in ping  # no key needed there
    item = schema["components"]["schemas"]["AckRequest"]["properties"]["ids"]["items"]
    assert item["type"] == "integer"


def test_a_body_too_large_to_read_is_a_json_400(client, export_key):
    response = ack(client, export_key, {"ids": [1] * 1_500_000})  # over 2 MB of JSON
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request could not be read."}
