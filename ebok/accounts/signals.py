"""Login history and the per-IP failure counter, fed by Django's auth signals."""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

from ebok.accounts.models import LoginEvent, User
from ebok.core.audit import client_ip

LOGIN_AT = "ebok_login_at"
LAST_SEEN = "ebok_last_seen"
IP_FAILURES_WINDOW = 15 * 60


def ip_failures_key(ip) -> str:
    return f"ebok:login-failures:{ip}"


def ip_is_blocked(request) -> bool:
    return cache.get(ip_failures_key(client_ip(request)), 0) >= settings.EBOK_LOGIN_IP_FAILURE_LIMIT


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
    key = ip_failures_key(ip)
    cache.add(key, 0, IP_FAILURES_WINDOW)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, IP_FAILURES_WINDOW)
