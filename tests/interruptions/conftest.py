from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from ebok.interruptions import matching, services
from tests import factories


@pytest.fixture(autouse=True)
def _clear_cache():
    """The banner cache is keyed by customer id: never let one test's entries meet another's."""
    cache.clear()
    yield
    cache.clear()


def data(addresses="Gdańska 10-20 parzyste, Bydgoszcz", codes="", kind="planned", **kw):
    now = timezone.now()
    values = {
        "kind": kind,
        "affects": "hot_water",
        "starts_at": now - timedelta(hours=1),
        "expected_end_at": now + timedelta(hours=5),
        "description": "Wymiana zaworów w komorze ciepłowniczej.",
        "site_codes": matching.parse_site_codes(codes),
        "ranges": matching.parse_address_lines(addresses),
    }
    values.update(kw)
    return services.InterruptionData(**values)


@pytest.fixture
def street(db):
    """Customer A at Gdańska 12 (in the range), customer B at Gdańska 14 and 15 (one in,
    one odd), customer C at Gdańska 13 (odd: outside)."""
    a = factories.make_customer(name="Wspólnota Gdańska 12")
    b = factories.make_customer(name="Spółdzielnia Gdańska 14")
    c = factories.make_customer(name="Wspólnota Gdańska 13")
    return {
        "a": a,
        "b": b,
        "c": c,
        "site_a": factories.make_site(a, street="ul. Gdańska 12"),
        "site_b": factories.make_site(b, street="ul. Gdańska 14"),
        "site_b_odd": factories.make_site(b, street="ul. Gdańska 15"),
        "site_c": factories.make_site(c, street="ul. Gdańska 13"),
    }


def count_queries(get):
    """How many SQL queries `get()` runs (Django resets its query log at each request, so
    the log's length is not usable around a test-client request)."""
    from django.db import connection

    calls = []

    def wrapper(execute, sql, params, many, context):
        calls.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        get()
    return len(calls)
