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
