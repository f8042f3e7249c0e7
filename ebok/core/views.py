import secrets

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def health(request):
    """200 when the database, the task queue, the cache and (when it is S3) the file
    storage answer; 503 otherwise, naming what failed."""
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
    checks["cache"] = _check_cache()
    if _storage_is_external():
        checks["storage"] = _check_storage()
    healthy = all(
        checks.get(name, "ok") == "ok" for name in ("database", "task_queue", "cache", "storage")
    )
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _check_cache() -> str:
    """Write and read back a short-lived key: proves the shared cache (database table or
    Redis) accepts writes, which every rate limit and session needs."""
    key = f"ebok:health:{secrets.token_hex(8)}"
    try:
        cache.set(key, "ok", 10)
        value = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok" if value == "ok" else "error: value not read back"


def _storage_is_external() -> bool:
    # default_storage is a lazy proxy; isinstance sees the configured class.
    return not isinstance(default_storage, FileSystemStorage)


def _check_storage() -> str:
    """One request to the bucket (does a probe name exist?): an answer either way means
    the storage is reachable and the credentials are accepted."""
    try:
        default_storage.exists("health/probe")
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"
