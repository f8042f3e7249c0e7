"""Login history and the per-IP failure counter, fed by Django's auth signals."""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from ebok.accounts.models import LoginEvent, User
from ebok.core import ratelimit
from ebok.core.audit import client_ip

LOGIN_AT = "ebok_login_at"
LAST_SEEN = "ebok_last_seen"
IP_FAILURES_WINDOW = 15 * 60


def ip_is_blocked(request) -> bool:
    """Too many failed logins from this client address in the window (any login)."""
    return not ratelimit.peek(
        "login-failures",
        ratelimit.client(request),
        limit=settings.EBOK_LOGIN_IP_FAILURE_LIMIT,
        window=IP_FAILURES_WINDOW,
    ).allowed


def _agent(request) -> str:
    return (request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300]


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    LoginEvent.objects.create(
        user=user,
        username=user.get_username(),
        success=True,
        ip=client_ip(request),
        user_agent=_agent(request),
    )
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now


@receiver(user_login_failed)
def record_failure(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:150]
    user = User.objects.filter(username=username).first() if username else None
    ip = client_ip(request)
    LoginEvent.objects.create(
        user=user, username=username, success=False, ip=ip, user_agent=_agent(request)
    )
    if request is not None:
        ratelimit.hit(
            "login-failures",
            ratelimit.client(request),
            limit=settings.EBOK_LOGIN_IP_FAILURE_LIMIT,
            window=IP_FAILURES_WINDOW,
        )


@receiver(post_delete, sender=TOTPDevice)
def end_sessions_when_an_authenticator_goes(sender, instance, **kwargs):
    """Removing an authenticator (by its owner, an administrator or in the admin) ends
    every session of the user at once: a session verified with it stops being trusted.
    The view that removed it keeps its own session (update_session_auth_hash)."""
    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None:
        user.end_all_sessions()
