"""Values read once per request: what several parts of one page ask the shared cache for
(the company settings, the interruptions' cache version) is read from it once and kept
until the response is sent. Nothing outlives the request, so every worker and node still
sees a change at its next request; outside a request (commands, tasks) nothing is kept."""

import contextvars

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "ebok_request_memo", default=None
)


def current() -> dict | None:
    """The request's memo, or None outside a request."""
    return _memo.get()


def forget(key) -> None:
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


def start():
    return _memo.set({})


def end(token) -> None:
    _memo.reset(token)
