"""Limits hold whichever worker answers: gunicorn with two worker processes, the remark
limit EBOK_REMARK_RATE_PER_HOUR=5, remarks from one client address behind the trusted
proxy. The 6th is refused, another client is not; first with the embedded default (the
database cache in an SQLite file), then with Redis."""

import json

import pytest
import redis
import requests

from tests.deploy.procs import (
    Browser,
    gunicorn,
    prepared_copy,
    send_remark,
    sqlite_pass_only,
    worker_pids,
)

pytestmark = [pytest.mark.deploy, sqlite_pass_only]

REDIS_URL = "redis://127.0.0.1:6379/2"


def redis_or_skip():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (apt-get install redis-server)")
    return client


def six_remarks_then_another_client(base: str, access_log) -> str:
    """Returns the request id of the refused 6th remark."""
    alice = Browser(base, "192.0.2.77")
    responses = [send_remark(alice, f"Uwaga numer {n}") for n in range(1, 7)]
    # Five remarks go through (redirect to the confirmation), the 6th is refused.
    assert [r.status_code for r in responses] == [302, 302, 302, 302, 302, 429]
    # Another client behind the same proxy is not affected.
    assert send_remark(Browser(base, "192.0.2.78"), "Inna osoba").status_code == 302
    # And Alice stays refused, whichever worker answers now.
    for _ in range(4):
        assert send_remark(alice, "Jeszcze raz").status_code == 429
    # Both worker processes answered during the test.
    for _ in range(40):
        if len(worker_pids(access_log)) >= 2:
            break
        Browser(base, "192.0.2.79").get("/zdrowie/")
    assert len(worker_pids(access_log)) == 2
    return responses[-1].headers["X-Request-ID"]


def test_the_sixth_remark_is_refused_whichever_worker_answers_with_the_default_cache(
    prepared_site, tmp_path
):
    env = prepared_copy(
        prepared_site, tmp_path, EBOK_REMARK_RATE_PER_HOUR=5, EBOK_LOG_FORMAT="json"
    )
    with gunicorn(env, tmp_path, workers=2) as (base, access_log, _proc):
        refused_id = six_remarks_then_another_client(base, access_log)
    # EBOK_LOG_FORMAT=json: Django's warning about the 429 is one JSON line with the request id
    # the response carried.
    lines = [
        json.loads(line)
        for line in (tmp_path / "gunicorn.log").read_text().splitlines()
        if line.startswith("{")
    ]
    refused = [e for e in lines if e["request_id"] == refused_id]
    assert [(e["logger"], e["level"]) for e in refused] == [("django.request", "WARNING")]
    assert refused[0]["message"] == "Too Many Requests: /uwagi/nowa/"


def test_the_sixth_remark_is_refused_whichever_worker_answers_with_redis(prepared_site, tmp_path):
    client = redis_or_skip()
    client.flushdb()
    try:
        metrics_dir = tmp_path / "prometheus"
        metrics_dir.mkdir()
        env = prepared_copy(
            prepared_site,
            tmp_path,
            EBOK_REMARK_RATE_PER_HOUR=5,
            CACHE_URL=REDIS_URL,
            PROMETHEUS_MULTIPROC_DIR=metrics_dir,
        )
        with gunicorn(env, tmp_path, workers=2) as (base, access_log, _proc):
            six_remarks_then_another_client(base, access_log)
            # Metrics add up both workers' counts: the 6th remark and 4 retries were
            # refused, 6 accepted; whichever worker answers the scrape.
            for _ in range(3):
                text = requests.get(base + "/metryki/", timeout=30).text
                assert (
                    'ebok_http_requests_total{method="POST",status="429",view="portal:remark_new"} 5.0'
                    in text
                )
                assert (
                    'ebok_http_requests_total{method="POST",status="302",view="portal:remark_new"} 6.0'
                    in text
                )
            # A visitor coming through the proxy is not "local".
            refused = Browser(base, "192.0.2.80").get("/metryki/")
            assert refused.status_code == 403
        assert any(b"remarks" in key for key in client.keys("*"))
    finally:
        client.flushdb()
