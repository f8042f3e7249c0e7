"""Request ids and JSON logs.

Every request gets an id: the proxy's `X-Request-ID` when the request comes from a
trusted proxy (EBOK_TRUSTED_PROXIES) and the value looks like an id, a new random one
otherwise. It is in every log line written while the request is handled, in the
`X-Request-ID` response header, and in the log lines of the tasks the request enqueued:
the task's id is mapped to the request id in the shared cache when the task is enqueued,
and the worker picks it up when the task starts.

EBOK_LOG_FORMAT=json makes every line one JSON object (`JsonFormatter`).
"""

import contextlib
import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from ebok.core.clientip import is_trusted, parse_address

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_TASK_KEY = "ebok:task-request-id:{}"
_TASK_KEY_SECONDS = 7 * 24 * 60 * 60

current: ContextVar[str | None] = ContextVar("ebok_request_id", default=None)


def new_id() -> str:
    return uuid.uuid4().hex


def from_request(request) -> str:
    """The proxy's id when the peer is a trusted proxy and the id is well formed."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if given and _VALID.match(given) and is_trusted(parse_address(request.META.get("REMOTE_ADDR"))):
        return given
    return new_id()


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every later log line of the request carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = from_request(request)
        request.request_id = request_id
        # Not reset on the way out: Django logs a 4xx/5xx answer after the middleware
        # returns; `clear` runs on request_finished, when the response is closed.
        current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def clear(**kwargs):
    """request_finished: the next log line outside a request carries no request's id."""
    current.set(None)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` ("-" outside a request or task) to every record."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, and the
    exception's traceback when there is one."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current.get() or "-",
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# --- carrying the id into tasks -------------------------------------------------------


def remember_for_task(sender, task_result, **kwargs):
    """task_enqueued: remember which request enqueued the task (best effort: a lost
    mapping only costs the correlation, never the task)."""
    request_id = current.get()
    if not request_id:
        return
    from django.core.cache import cache

    # Logging context must never fail a request.
    with contextlib.suppress(Exception):
        cache.set(_TASK_KEY.format(task_result.id), request_id, _TASK_KEY_SECONDS)


_task_tokens: dict = {}


def adopt_for_task(sender, task_result, **kwargs):
    """task_started (in the worker): log the task under the request's id."""
    from django.core.cache import cache

    try:
        request_id = cache.get(_TASK_KEY.format(task_result.id))
    except Exception:  # noqa: BLE001
        request_id = None
    _task_tokens[task_result.id] = current.set(request_id or f"task-{task_result.id}")


def forget_for_task(sender, task_result, **kwargs):
    token = _task_tokens.pop(task_result.id, None)
    if token is not None:
        try:
            current.reset(token)
        except ValueError:  # set in another context
            current.set(None)
