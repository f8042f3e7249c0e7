"""Fixed-window rate limits kept in the shared cache (Redis in a cluster), so every
process and node counts the same requests.

The one module for every throttle of the portal: remarks, registration, the password
reminder (per client and per target address), failed logins per client address, the
personal feed. Per-client limits are keyed by `client(request)`, the address from
`ebok.core.audit.client_ip` (X-Forwarded-For believed only from EBOK_TRUSTED_PROXIES).

    verdict = ratelimit.hit("remarks", ratelimit.client(request), limit=5, window=3600)

`peek` reads a count without adding to it, for limits that count only what succeeded.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the current window ends


def client(request) -> str:
    """The key of a per-client limit: the client's address as the audit log records it."""
    from ebok.core.audit import client_ip

    return client_ip(request) or "unknown"


def hashed(value: str) -> str:
    """The key of a per-target limit (an e-mail address, a login): never stored in clear."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _slot(scope: str, key: str, window: int, now: int) -> tuple[str, int]:
    slot = now // window
    return f"ebok:rl:{scope}:{key}:{slot}", slot


def peek(scope: str, key: str, *, limit: int, window: int) -> Verdict:
    """The current count of `key` in this window, without counting a request."""
    now = int(time.time())
    cache_key, slot = _slot(scope, key, window, now)
    count = int(cache.get(cache_key) or 0)
    return Verdict(allowed=count < limit, count=count, retry_after=(slot + 1) * window - now)


def hit(scope: str, key: str, *, limit: int, window: int) -> Verdict:
    """Count one request for `key` in the current `window`-second window.

    The window number is part of the cache key, so a window ends on its own even if a
    cache entry outlives its timeout; `add` then `incr` is atomic in Redis and memcached.
    """
    now = int(time.time())
    cache_key, slot = _slot(scope, key, window, now)
    if cache.add(cache_key, 1, window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, window + 1)
            count = 1
    return Verdict(allowed=count <= limit, count=count, retry_after=(slot + 1) * window - now)
