"""The dispatch system's API: its own key scope, idempotent by external id."""

from datetime import datetime, timedelta

import pytest

from ebok.core.models import AuditLogEntry
from ebok.integration.models import ApiKey
from ebok.interruptions.models import Change, Interruption

URL = "/api/v1/interruptions/AW-2026-0042"


@pytest.fixture
def key(db):
    return ApiKey.generate("Dyspozytornia", ["interruptions"])[1]


def put(client, body, key, url=URL):
    return client.put(
        url, body, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
    )


def body(**kw):
    start = datetime.fromisoformat("2026-12-03T08:00:00+01:00")
    values = {
        "kind": "failure",
        "affects": "both",
        "starts_at": start.isoformat(),
        "expected_end_at": (start + timedelta(hours=6)).isoformat(),
        "description": "Awaria sieci.",
        "addresses": [
            {"street": "ul. Gdańska", "number_from": "10", "number_to": "20", "parity": "even"}
        ],
    }
    values.update(kw)
    return values


def test_the_same_push_twice_creates_one_interruption(client, key, street):
    first = put(client, body(), key)
    assert first.status_code == 201
    assert first.json()["result"] == "created"
    assert first.json()["matched_sites"] == 2
    second = put(client, body(), key)
    assert second.status_code == 200
    assert second.json()["result"] == "unchanged"
    assert Interruption.objects.count() == 1
    assert Change.objects.count() == 1
    assert AuditLogEntry.objects.filter(action="interruptions.interruption.created").count() == 1


def test_a_later_end_extends_and_the_end_status_ends(client, key, street):
    put(client, body(), key)
    later = body(expected_end_at="2026-12-03T18:00:00+01:00", status="in_progress")
    response = put(client, later, key)
    assert response.json()["result"] == "extended"
    interruption = Interruption.objects.get()
    assert interruption.expected_end_at.hour == 17  # 18:00 in Warsaw is 17:00 UTC
    assert list(interruption.changes.values_list("verb", flat=True)) == [
        "announced",
        "extended",
    ]
    ended = put(client, {**later, "status": "ended", "ended_at": "2026-12-03T16:30:00+01:00"}, key)
    assert ended.json()["result"] == "ended"
    assert ended.json()["status"] == "ended"
    # Repeating the end changes nothing; reopening a finished one is refused.
    again = put(client, {**later, "status": "ended", "ended_at": "2026-12-03T16:30:00+01:00"}, key)
    assert again.json()["result"] == "unchanged"
    assert put(client, body(), key).status_code == 409


def test_bad_pushes_are_refused_with_a_reason(client, key, street):
    response = put(client, body(expected_end_at="2026-12-03T07:00:00+01:00"), key)
    assert response.status_code == 422
    assert "później" in response.json()["detail"]
    response = put(client, body(starts_at="2026-12-03T08:00:00"), key)
    assert response.status_code == 422
    response = put(client, body(addresses=[], sites=[]), key)
    assert response.status_code == 422
    response = put(client, body(unknown="x"), key)
    assert response.status_code == 422
    assert not Interruption.objects.exists()


def test_the_get_returns_what_ebok_holds(client, key, street):
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get(URL, headers=headers).status_code == 404
    put(client, body(sites=[street["site_c"].code]), key)
    data = client.get(URL, headers=headers).json()
    assert data["external_id"] == "AW-2026-0042"
    assert data["matched_sites"] == 3


def test_keys_without_the_scope_get_403_and_no_key_401(client, street):
    other = ApiKey.generate("System rozliczeniowy", ["import"])[1]
    assert put(client, body(), other).status_code == 403
    assert client.put(URL, body(), content_type="application/json").status_code == 401
    assert not Interruption.objects.exists()
