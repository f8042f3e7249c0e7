from unittest import mock

from django.db.utils import OperationalError


def test_health_is_ok_when_database_and_queue_answer(client, db):
    response = client.get("/zdrowie/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["task_queue"] == "ok"
    assert body["tasks_waiting"] == 0


def test_health_is_503_when_the_database_fails(client, db):
    with mock.patch("ebok.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/zdrowie/")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")


def test_health_checks_that_the_cache_takes_writes(client, db):
    assert client.get("/zdrowie/").json()["cache"] == "ok"
    with mock.patch("ebok.core.views.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/zdrowie/")
    assert response.status_code == 503
    assert response.json()["cache"] == "error: ConnectionError"


def test_health_does_not_probe_a_local_disk_storage(client, db):
    assert "storage" not in client.get("/zdrowie/").json()


def test_health_is_503_when_the_external_storage_fails(client, db):
    with (
        mock.patch("ebok.core.views._storage_is_external", return_value=True),
        mock.patch("ebok.core.views.default_storage.exists", side_effect=OSError("no bucket")),
    ):
        response = client.get("/zdrowie/")
    assert response.status_code == 503
    assert response.json()["storage"] == "error: OSError"


def test_health_is_answered_over_plain_http_in_production(client, db, settings):
    # The load balancer asks http://node:8000/zdrowie/ without X-Forwarded-Proto.
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^zdrowie/$", r"^metryki/$"]
    assert client.get("/zdrowie/").status_code == 200
