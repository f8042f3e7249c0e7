"""Every page takes as many queries for the large customer (a cooperative with 300
buildings, 600 meters and ten years of monthly history) as for the demo customer (one
building, two years): the number of queries does not grow with the customer's history.

The data is the demo generator's (`seed_demo --large-customer`), built once for the
module inside a transaction that is rolled back at its end.
"""

import re
from datetime import date

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ebok.accounts.models import User
from ebok.billing.models import Invoice
from ebok.billing.summary import rebuild_account_summaries
from ebok.contracts.models import Meter, Reading
from ebok.demo.generator import LARGE_CUSTOMER_MONTHS, LARGE_CUSTOMER_SITES, DemoDataGenerator
from ebok.demo.users import create_demo_users, create_large_customer_user

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            result = DemoDataGenerator(
                seed=2026, customers=7, months=24, today=TODAY, threaded=False, large_customer=True
            ).generate()
            create_demo_users(result.demo_customer_id, result.managed_customer_ids)
            create_large_customer_user(result.large_customer_id)
            rebuild_account_summaries()
            yield {"demo": result.demo_customer_id, "spoldzielnia": result.large_customer_id}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _roomy_cache(settings):
    # The tests' local-memory cache keeps 300 entries by default; the large customer's
    # 300 buildings alone fill it (the heat insight caches each), and culling would
    # measure evictions instead of the pages. Production caches hold far more.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "query-counts",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }


@pytest.fixture(autouse=True)
def _no_session_touch(monkeypatch):
    # The session records the last activity at most every 30 s; a slow run would count
    # that write on whichever page it falls.
    monkeypatch.setattr("ebok.accounts.middleware.TOUCH_EVERY", 10**9)


def _client(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _queries(client, url) -> int:
    client.get(url)  # warm-up: session bookkeeping, cached fragments filled
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _first(model, **lookup) -> int:
    return model.objects.filter(**lookup).order_by("pk").values_list("pk", flat=True)[0]


def _pages(customer_id) -> list[str]:
    meter = _first(Meter, customer_id=customer_id)
    return [
        "/",
        "/kontrahent/",
        "/faktury/",
        "/faktury/historia/",
        "/faktury/saldo/",
        "/faktury/saldo/?strona=2",
        f"/faktury/{_first(Invoice, customer_id=customer_id)}/",
        "/umowy/",
        f"/liczniki/{meter}/",
        f"/odczyty/{_first(Reading, meter_id=meter)}/",
        "/pisma/",
        "/wnioski/",
    ]


def test_the_large_customer_is_as_large_as_the_issue_says(dataset, db):
    large = dataset["spoldzielnia"]
    assert Meter.objects.filter(customer_id=large).count() == 2 * LARGE_CUSTOMER_SITES == 600
    meter = Meter.objects.filter(customer_id=large).first()
    # An opening reading and one a month for ten years.
    assert Reading.objects.filter(meter=meter).count() == LARGE_CUSTOMER_MONTHS + 1
    assert Invoice.objects.filter(customer_id=large).count() >= 300 * 119


def test_every_page_takes_the_same_number_of_queries_for_the_large_customer(dataset, db):
    demo, large = _client("demo"), _client("spoldzielnia")
    counts = {}
    for small_url, large_url in zip(
        _pages(dataset["demo"]), _pages(dataset["spoldzielnia"]), strict=True
    ):
        counts[small_url] = (_queries(demo, small_url), _queries(large, large_url))
    different = {url: pair for url, pair in counts.items() if pair[0] != pair[1]}
    assert different == {}
    assert max(small for small, _large in counts.values()) <= 12


def test_the_cached_statement_page_does_not_read_billing_tables(dataset, db):
    client = _client("spoldzielnia")
    client.get("/faktury/saldo/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/faktury/saldo/")
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "billing_invoice" not in sql and "billing_payment" not in sql


def test_the_back_office_customer_page_takes_the_same_queries_for_the_large_customer(dataset, db):
    # The operator's view of a customer: the first view (the billing sections read and
    # cached) and the later ones take as many queries for the cooperative as for the demo
    # customer.
    client = _client("operator")
    client.get("/obsluga/kontrahenci/")  # session bookkeeping, company settings cached
    counts = {}
    for name in ("demo", "spoldzielnia"):
        url = f"/obsluga/kontrahenci/{dataset[name]}/"
        with CaptureQueriesContext(connection) as first:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as later:
            assert client.get(url).status_code == 200
        counts[name] = (len(first.captured_queries), len(later.captured_queries))
    assert counts["demo"] == counts["spoldzielnia"]
    # Later views: the customer, their summary and users in one statement, the audit
    # entry, the user and their permissions; the sections come from the cache.
    assert counts["spoldzielnia"][1] <= 5


def _plans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return [row[0] for row in cursor.fetchall()]


# Company-wide tables whose size does not grow with the number of customers: the weather
# series (a row a day) and the tariff groups' statistics.
SMALL_TABLES = {"insight_dailytemperature", "insight_groupstatistic"}


def _full_scans(sql: str, plan: list[str]) -> list[str]:
    """The plan's lines that read a whole table of the database (a derived table, e.g. a
    subquery of three rows, is not one; an alias is resolved to its table)."""
    tables = set(connection.introspection.table_names())
    aliases = {
        alias: table
        for table, alias in re.findall(r'"(\w+)"\s+(?:AS\s+)?(?!ON\b|WHERE\b)(\w+)', sql)
        if table in tables
    }
    scans = []
    for line in plan:
        # SQLite: "SCAN table [USING INDEX …]"; PostgreSQL (seq scans off): "Seq Scan on table".
        match = re.search(r"\bSCAN (\w+)|Seq Scan on (\w+)", line)
        if not match:
            continue
        name = match.group(1) or match.group(2)
        table = aliases.get(name, name if name in tables else None)
        if table is not None and table not in SMALL_TABLES:
            scans.append(line.strip())
    return scans


def test_no_page_reads_a_whole_table_of_customer_data(dataset, db):
    """Every statement of every page (first view and cached) finds its rows through an
    index: a statement that tests every customer or invoice costs nothing on this
    dataset and many milliseconds at 100,000 customers (make bench)."""
    clients = {name: _client(name) for name in ("demo", "spoldzielnia", "zarzadca", "operator")}
    urls = [("demo", url) for url in _pages(dataset["demo"])]
    urls += [("spoldzielnia", url) for url in _pages(dataset["spoldzielnia"])]
    urls += [("zarzadca", "/"), ("spoldzielnia", "/analiza/"), ("demo", "/analiza/")]
    # (The back office's letters inbox counts every incoming letter of the company for its
    # pages: a count that grows with the letters, not with a customer's history.)
    urls += [("operator", f"/obsluga/kontrahenci/{dataset['spoldzielnia']}/")]
    found = {}
    for name, url in urls:
        for _view in ("first", "cached"):
            with CaptureQueriesContext(connection) as ctx:
                assert clients[name].get(url).status_code == 200, url
            for query in ctx.captured_queries:
                if query["sql"].lstrip().upper().startswith("SELECT"):
                    scans = _full_scans(query["sql"], _plans(query["sql"]))
                    if scans:
                        found[query["sql"][:200]] = (url, scans)
    assert found == {}
