import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Rate-limit counters live in the shared cache, which outlives a test's transaction
    when it is not the database: every attack here starts from zero."""
    cache.clear()
    yield
    cache.clear()
