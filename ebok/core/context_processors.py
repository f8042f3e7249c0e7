import time

from ebok.core.models import CompanySettings


class _ElapsedMs:
    """Milliseconds since the request started, read when the template prints it."""

    def __init__(self, started):
        self.started = started

    def __str__(self):
        if self.started is None:
            return "0"
        return str(round((time.perf_counter() - self.started) * 1000))


def site(request):
    return {
        "company_settings": CompanySettings.get(),
        "page_generation_ms": _ElapsedMs(getattr(request, "ebok_started", None)),
    }
