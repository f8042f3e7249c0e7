from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def health(request):
    """200 when the database and the task queue answer, 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.filter(status="READY")
        checks["task_queue"] = "ok"
        checks["tasks_waiting"] = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        checks["oldest_waiting_seconds"] = (
            round((timezone.now() - oldest).total_seconds()) if oldest else 0
        )
    except Exception as exc:  # noqa: BLE001
        checks["task_queue"] = f"error: {exc.__class__.__name__}"
    healthy = checks["database"] == "ok" and checks["task_queue"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def bench_floor(request):
    """The framework floor for `make bench`: a ~2 kB template with 20 rows from the
    database. Routed only when EBOK_BENCH is set."""
    from django.shortcuts import render

    from ebok.core.models import AuditLogEntry

    rows = list(AuditLogEntry.objects.order_by("id")[:20])
    return render(request, "core/bench_floor.html", {"rows": rows})
