"""Fixed-window rate limits kept in the shared cache (Redis in a cluster), so every
process and node counts the same requests."""

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the current window ends


def hit(scope: str, key: str, *, limit: int, window: int) -> Verdict:
    """Count one request for `key` in the current `window`-second window.

    The window number is part of the cache key, so a window ends on its own even if a
    cache entry outlives its timeout; `add` then `incr` is atomic in Redis and memcached.
    """
    now = int(time.time())
    slot = now // window
    cache_key = f"ebok:rl:{scope}:{key}:{slot}"
    if cache.add(cache_key, 1, window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, window + 1)
            count = 1
    return Verdict(allowed=count <= limit, count=count, retry_after=(slot + 1) * window - now)
