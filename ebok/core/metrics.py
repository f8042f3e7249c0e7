"""Prometheus metrics at /metryki/ (prometheus_client).

Readable only by a client on this machine or one of EBOK_TRUSTED_PROXIES (the client address
of ebok.core.clientip, so a visitor coming through nginx is not "local"), or by anyone
sending `Authorization: Bearer <EBOK_METRICS_TOKEN>`. Anything else gets 403.

Under gunicorn with several workers set PROMETHEUS_MULTIPROC_DIR to an empty directory
writable by the app (docs/operations.md): each worker then writes its counters there and
any worker answers the scrape with the sum.
"""

import hmac
import os
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from ebok.core.clientip import client_address, is_trusted, parse_address

# Not in prometheus_client's global registry: /metryki/ builds its own per scrape.
REQUESTS = Counter(
    "ebok_http_requests_total",
    "HTTP requests answered",
    ["method", "status", "view"],
    registry=None,
)
LATENCY = Histogram(
    "ebok_http_request_duration_seconds",
    "Time to answer a request",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=None,
)


class MetricsMiddleware:
    """Counts requests by method, status and URL name (bounded: the names in urls.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        REQUESTS.labels(request.method[:10], str(response.status_code), view).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response


class QueueCollector:
    """Read at scrape time from the database: the task queue and the mail outbox."""

    def collect(self):
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        from ebok.core.models import OutgoingEmail

        ready = DBTaskResult.objects.filter(status="READY")
        waiting = GaugeMetricFamily("ebok_tasks_waiting", "Tasks waiting in the queue")
        waiting.add_metric([], ready.count())
        yield waiting
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        age = GaugeMetricFamily(
            "ebok_tasks_oldest_waiting_seconds", "Age of the oldest waiting task"
        )
        age.add_metric([], (timezone.now() - oldest).total_seconds() if oldest else 0)
        yield age
        mail = GaugeMetricFamily("ebok_outgoing_emails", "Outbox messages", labels=["status"])
        for status in OutgoingEmail.Status.values:
            mail.add_metric([status], OutgoingEmail.objects.filter(status=status).count())
        yield mail


def may_read(request) -> bool:
    token = getattr(settings, "EBOK_METRICS_TOKEN", "")
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given[7:].strip().encode(), token.encode())
    address = parse_address(client_address(request))
    return address is not None and (address.is_loopback or is_trusted(address))


@require_GET
@never_cache
def metrics(request):
    if not may_read(request):
        return HttpResponseForbidden(
            "Metrics are readable from localhost, EBOK_TRUSTED_PROXIES or with EBOK_METRICS_TOKEN.\n",
            content_type="text/plain; charset=utf-8",
        )
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(QueueCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
