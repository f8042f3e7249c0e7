"""Error pages that depend on who asked: the API answers in JSON, as its schema
documents; everyone else gets the Polish HTML page."""

from django.http import JsonResponse
from django.views import defaults


def bad_request(request, exception):
    """400: e.g. a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many files or fields."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "The request could not be read."}, status=400)
    return defaults.bad_request(request, exception)
