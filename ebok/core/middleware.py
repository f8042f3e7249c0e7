import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from ebok.core import request_memo


class PageTimingMiddleware:
    """Measures how long a request takes, and holds the request's memo (core/request_memo).

    The page footer shows the time spent until it was rendered ("czas generowania
    strony"); the whole request time goes out in the `Server-Timing` header, but only to
    operators (and in DEBUG): measured to a tenth of a millisecond without network noise,
    it would tell an anonymous prober which branch a form took (e.g. whether an account
    exists). The footer's rounded time stays for everyone. Operators get it on the back
    office's pages, whose permission check has already loaded their permissions: asking
    on every portal page would cost every logged-in customer two permission queries.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.ebok_started = time.perf_counter()
        memo = request_memo.start()
        try:
            response = self.get_response(request)
        finally:
            request_memo.end(memo)
        elapsed_ms = (time.perf_counter() - request.ebok_started) * 1000
        if settings.DEBUG or (request.path.startswith(BACK_OFFICE) and _is_staff(request)):
            response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response


BACK_OFFICE = "/obsluga/"


def _is_staff(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_operator)


class NoStoreForAuthenticatedMiddleware:
    """Pages seen by a logged-in user are never stored by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class RejectNulCharactersMiddleware:
    """A NUL character is never valid in a path, a query parameter or a form field, and
    PostgreSQL refuses it in any text query (DataError, a 500). Such a request gets a
    plain 400 before any view runs (JSON for the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "NUL characters are not allowed."}, status=400)
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    params = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        params.append(request.POST)
    for query in params:
        for key, values in query.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False
