"""/metryki/: Prometheus text for localhost, trusted proxies and the bearer token only."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_localhost_reads_the_metrics(client):
    client.get("/zdrowie/")
    response = client.get("/metryki/", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'ebok_http_requests_total{method="GET",status="200",view="health"}' in text
    assert "ebok_tasks_waiting 0.0" in text
    assert 'ebok_outgoing_emails{status="queued"}' in text or "ebok_outgoing_emails{" in text


def test_a_visitor_from_the_internet_is_refused(client):
    response = client.get("/metryki/", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert b"ebok_http_requests_total" not in response.content


@override_settings(EBOK_TRUSTED_PROXIES=["10.0.0.2"])
def test_a_visitor_coming_through_the_proxy_is_refused_even_though_the_peer_is_trusted(client):
    response = client.get("/metryki/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 403


@override_settings(EBOK_TRUSTED_PROXIES=["10.0.0.2"])
def test_the_proxy_itself_reads_the_metrics(client):
    assert client.get("/metryki/", REMOTE_ADDR="10.0.0.2").status_code == 200


@override_settings(EBOK_METRICS_TOKEN="s3cret-token-for-prometheus")
def test_the_bearer_token_opens_the_metrics_from_anywhere(client):
    response = client.get(
        "/metryki/",
        REMOTE_ADDR="203.0.113.9",
        HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus",
    )
    assert response.status_code == 200


@override_settings(EBOK_METRICS_TOKEN="s3cret-token-for-prometheus")
def test_a_wrong_token_is_refused(client):
    response = client.get("/metryki/", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer guess")
    assert response.status_code == 403


def test_without_a_configured_token_no_token_is_accepted(client):
    response = client.get("/metryki/", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 403
