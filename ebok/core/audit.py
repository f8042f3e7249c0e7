"""The audit log: every back-office action and every access to personal data."""

from ebok.core.clientip import client_address
from ebok.core.models import AuditLogEntry


def client_ip(request) -> str | None:
    """The client's address (ebok.core.clientip: X-Forwarded-For only from EBOK_TRUSTED_PROXIES).

    Kept under this name because throttles, axes (AXES_CLIENT_IP_CALLABLE) and the login
    history import it from here."""
    return client_address(request)


def log_action(action: str, *, request=None, user=None, obj=None, data=None) -> AuditLogEntry:
    """Record `action` (dotted, e.g. ``letters.letter.answered``)."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AuditLogEntry.objects.create(
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        ip=client_ip(request),
        data=data or {},
    )
