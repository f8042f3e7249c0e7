"""Request ids: in the response header, in every log line of the request (JSON logs),
and in the log lines of a task the request enqueued."""

import json
import logging

import pytest
from django.test import override_settings
from django.urls import path
from django_tasks import task

from ebok.core import requestid
from ebok.core.requestid import JsonFormatter, RequestIdFilter

logger = logging.getLogger("ebok.test.requestid")


@task()
def logging_task(text):
    logger.warning("task says %s", text)


def view_that_logs_and_enqueues(request):
    from django.http import HttpResponse

    logger.warning("view says hello")
    logging_task.enqueue("hi")
    return HttpResponse("ok")


urlpatterns = [path("log/", view_that_logs_and_enqueues)]


@pytest.fixture
def json_lines():
    """Capture ebok.test.requestid's records formatted as the production JSON handler."""
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(self.format(record)))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_every_response_has_a_generated_request_id(client, db):
    first = client.get("/zdrowie/")["X-Request-ID"]
    second = client.get("/zdrowie/")["X-Request-ID"]
    assert len(first) == 32 and first != second


@override_settings(EBOK_TRUSTED_PROXIES=["10.0.0.2"])
def test_the_proxys_request_id_is_kept(client, db):
    response = client.get("/zdrowie/", REMOTE_ADDR="10.0.0.2", HTTP_X_REQUEST_ID="nginx-abc12345")
    assert response["X-Request-ID"] == "nginx-abc12345"


@override_settings(EBOK_TRUSTED_PROXIES=["10.0.0.2"])
@pytest.mark.parametrize(
    "peer, given",
    [
        ("203.0.113.9", "attacker-chosen-id"),  # not from the proxy
        ("10.0.0.2", "bad id with spaces\nand a newline"),  # from the proxy but malformed
        ("10.0.0.2", "x" * 65),
    ],
)
def test_a_request_id_from_elsewhere_or_malformed_is_replaced(client, db, peer, given):
    response = client.get("/zdrowie/", REMOTE_ADDR=peer, HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] != given
    assert len(response["X-Request-ID"]) == 32


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.django_db(transaction=True)  # the worker closes connections (run_tasks)
def test_the_request_id_is_in_the_views_and_the_tasks_log_lines(client, json_lines, run_tasks):
    response = client.get("/log/")
    request_id = response["X-Request-ID"]
    assert json_lines[0]["message"] == "view says hello"
    assert json_lines[0]["request_id"] == request_id
    assert json_lines[0]["level"] == "WARNING"
    assert json_lines[0]["logger"] == "ebok.test.requestid"
    run_tasks()
    task_line = json_lines[-1]
    assert task_line["message"] == "task says hi"
    assert task_line["request_id"] == request_id
    assert requestid.current.get() is None  # nothing leaks out of the task


def test_djangos_log_line_about_a_4xx_answer_carries_the_request_id(client, db):
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect()
    handler.addFilter(RequestIdFilter())
    django_request = logging.getLogger("django.request")
    django_request.addHandler(handler)
    try:
        response = client.get("/no-such-page/")
    finally:
        django_request.removeHandler(handler)
    assert response.status_code == 404
    assert [r.request_id for r in records] == [response["X-Request-ID"]]
    assert requestid.current.get() is None  # cleared when the response was closed


def test_outside_a_request_the_id_is_a_dash(json_lines):
    logger.warning("from a command")
    assert json_lines[0]["request_id"] == "-"


def test_json_lines_carry_the_traceback(json_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed")
    assert "ValueError: boom" in json_lines[0]["exception"]
