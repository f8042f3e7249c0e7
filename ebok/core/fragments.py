"""Rendered fragments cached under keys that make them safe to share.

A fragment's key always holds the customer it shows and that customer's billing stamp
(`AccountSummary.stamp`, new at every billing change of the customer), plus the language
and whatever else selects the fragment (filters, page, year). So a cached fragment is
served only to a request for the same customer, and never after their data changed.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Bump when a fragment's template changes in a way old cached copies must not survive.
VERSION = 2  # 2: page bodies in Jinja2, one pagination partial (December 2026)
TIMEOUT = 24 * 60 * 60


def fragment_key(name: str, customer_id: int, stamp: str, *parts) -> str:
    selector = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return f"fragment:{VERSION}:{name}:{customer_id}:{stamp}:{get_language()}:{selector}"


def cached_fragment(
    name: str, customer_id: int, stamp: str, parts: tuple, render: Callable[[], str]
) -> SafeString:
    """The fragment from the cache, or `render()` (a template's output, already escaped)
    stored there."""
    key = fragment_key(name, customer_id, stamp, *parts)
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, TIMEOUT)
    # The cached text is the output of a Django template (autoescaped when rendered).
    return mark_safe(html)  # noqa: S308
