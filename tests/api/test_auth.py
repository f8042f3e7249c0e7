"""Only a valid key with the right scope, in the Authorization header, gets in."""

import pytest
from django.utils import timezone

from ebok.integration.models import ApiKey
from tests.integration import records as r

pytestmark = pytest.mark.django_db

URL = "/api/v1/import/customers"
BODY = {"records": [r.customer("C1")]}


def test_a_request_without_a_key_is_401(api):
    response = api.post(URL, BODY)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_wrong_key_is_401(api, import_key):
    assert api.post(URL, BODY, key=import_key + "x").status_code == 401


def test_a_key_in_the_query_string_is_401(api, import_key):
    for name in ("api_key", "key", "token", "Authorization"):
        assert api.post(f"{URL}?{name}={import_key}", BODY).status_code == 401


def test_a_key_in_another_header_is_401(api, client, import_key):
    response = client.post(
        URL, BODY, content_type="application/json", headers={"X-API-Key": import_key}
    )

    assert response.status_code == 401


def test_an_export_key_cannot_import(api, export_key):
    response = api.post(URL, BODY, key=export_key)

    assert response.status_code == 403
    assert not ApiKey.objects.filter(last_used_at__isnull=False).exists()


def test_an_import_key_cannot_read_the_export_feed(api, import_key):
    assert api.get("/api/v1/export/items", key=import_key).status_code == 403


def test_a_revoked_key_is_401(api, import_key):
    ApiKey.objects.update(revoked_at=timezone.now())

    assert api.post(URL, BODY, key=import_key).status_code == 401


def test_a_valid_import_key_imports_and_is_marked_used(api, import_key):
    response = api.post(URL, BODY, key=import_key)

    assert response.status_code == 200
    assert ApiKey.objects.get().last_used_at is not None


def test_keys_are_stored_only_as_a_hash(import_key):
    key = ApiKey.objects.get()

    assert import_key not in (key.key_hash, key.prefix)
    assert key.key_hash == ApiKey.digest(import_key)
    assert import_key.startswith(key.prefix)
