"""Cached fragments (the balance statement's table, the meter chart) can never show one
customer's data to another, nor outlive the data they show."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from ebok.core.fragments import fragment_key
from ebok.integration.importer import import_records
from tests import factories
from tests.integration import records

TODAY = timezone.localdate


def _statement(client) -> str:
    response = client.get("/faktury/saldo/")
    assert response.status_code == 200
    return response.content.decode()


def _invoice(customer, number, gross="984.00"):
    day = TODAY() - timedelta(days=20)
    return factories.make_invoice(
        customer, number=number, issue_date=day, sale_date=day, due_date=day + timedelta(days=14)
    )


def test_two_customers_never_see_each_others_cached_statement(customer, other_customer, db):
    _invoice(customer, "FV/MINE/1")
    _invoice(other_customer, "FV/THEIRS/1")
    mine, theirs = Client(), Client()
    mine.force_login(factories.make_user(customers=[customer]))
    theirs.force_login(factories.make_user(customers=[other_customer]))

    first = _statement(mine)
    again = _statement(mine)  # from the cache
    other = _statement(theirs)

    assert "FV/MINE/1" in first and "FV/MINE/1" in again
    assert "FV/THEIRS/1" not in first
    assert "FV/THEIRS/1" in other
    assert "FV/MINE/1" not in other


def test_a_property_manager_switching_customers_gets_the_other_customers_statement(
    customer, other_customer, db
):
    _invoice(customer, "FV/FIRST/1")
    _invoice(other_customer, "FV/SECOND/1")
    manager = Client()
    manager.force_login(factories.make_user(customers=[customer, other_customer]))

    before = _statement(manager)
    chosen = "FV/FIRST/1" if "FV/FIRST/1" in before else "FV/SECOND/1"
    switch_to = other_customer if chosen == "FV/FIRST/1" else customer
    manager.post("/kontrahent/wybierz/", {"customer": switch_to.pk, "next": "/faktury/saldo/"})
    after = _statement(manager)

    assert chosen not in after
    assert ({"FV/FIRST/1", "FV/SECOND/1"} - {chosen}).pop() in after


def test_an_imported_invoice_appears_at_once_although_the_statement_was_cached(db):
    import_records("customers", [records.customer("C1")])
    issued = (TODAY() - timedelta(days=10)).isoformat()
    due = (TODAY() + timedelta(days=4)).isoformat()
    dates = {"issue_date": issued, "sale_date": issued, "due_date": due}
    import_records("invoices", [records.invoice("F1", number="FV/OLD/1", **dates)])
    from ebok.customers.models import Customer

    client = Client()
    client.force_login(factories.make_user(customers=[Customer.objects.get(external_id="C1")]))
    assert "FV/OLD/1" in _statement(client)
    assert "FV/NEW/2" not in _statement(client)

    import_records("invoices", [records.invoice("F2", number="FV/NEW/2", **dates)])

    html = _statement(client)
    assert "FV/NEW/2" in html
    # The closing balance of both invoices (2 × 984,00).
    assert "1 968,00" in html.replace("\xa0", " ").replace("\u202f", " ")


def test_an_imported_reading_changes_the_cached_chart(db):
    import_records("customers", [records.customer("C1")])
    import_records("sites", [records.site("S1")])
    import_records("meters", [records.meter("M1")])
    import_records(
        "readings",
        [records.reading("R1", read_on="2026-01-31", value="1000.000", consumption="40.000")],
    )
    from ebok.contracts.models import Meter
    from ebok.customers.models import Customer

    client = Client()
    client.force_login(factories.make_user(customers=[Customer.objects.get(external_id="C1")]))
    url = f"/liczniki/{Meter.objects.get(external_id='M1').pk}/"
    assert "40" in client.get(url).content.decode()
    assert "77,5" not in client.get(url).content.decode()

    import_records(
        "readings",
        [records.reading("R2", read_on="2026-02-28", value="1077.500", consumption="77.500")],
    )

    html = client.get(url).content.decode()
    assert "77,5" in html or "77.5" in html


def test_a_cached_chart_is_not_shown_for_another_customers_meter_with_the_same_year(
    customer, other_customer, db
):
    mine = factories.make_meter(customer)
    theirs = factories.make_meter(other_customer)
    factories.make_reading(mine, read_on=date(2026, 1, 31), consumption=Decimal("11.000"))
    factories.make_reading(theirs, read_on=date(2026, 1, 31), consumption=Decimal("99.000"))
    client = Client()
    client.force_login(factories.make_user(customers=[customer]))

    assert "11" in client.get(f"/liczniki/{mine.pk}/").content.decode()
    assert client.get(f"/liczniki/{theirs.pk}/").status_code == 404


def test_fragment_keys_hold_the_customer_the_stamp_and_the_language():
    base = fragment_key("statement", 1, "aaaa", "2026-11-01")
    assert base != fragment_key("statement", 2, "aaaa", "2026-11-01")
    assert base != fragment_key("statement", 1, "bbbb", "2026-11-01")
    assert base != fragment_key("statement", 1, "aaaa", "2026-11-02")
    assert base != fragment_key("meter-chart", 1, "aaaa", "2026-11-01")
    assert ":1:aaaa:" in base


def test_a_repeated_statement_page_is_served_from_the_cache(customer, customer_client):
    for i in range(3):
        _invoice(customer, f"FV/C/{i}")
    cache.clear()
    _statement(customer_client)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cached:
        _statement(customer_client)
    tables = " ".join(q["sql"] for q in cached.captured_queries)
    assert "billing_invoice" not in tables and "billing_payment" not in tables


def test_the_start_pages_latest_invoices_never_reach_another_customer(customer, other_customer, db):
    _invoice(customer, "FV/MINE/9")
    _invoice(other_customer, "FV/THEIRS/9")
    mine, theirs = Client(), Client()
    mine.force_login(factories.make_user(customers=[customer]))
    theirs.force_login(factories.make_user(customers=[other_customer]))

    first, again = mine.get("/").content.decode(), mine.get("/").content.decode()
    other = theirs.get("/").content.decode()

    assert "FV/MINE/9" in first and "FV/MINE/9" in again and "FV/THEIRS/9" not in first
    assert "FV/THEIRS/9" in other and "FV/MINE/9" not in other


def test_an_import_shows_on_the_start_page_although_it_was_cached(db):
    import_records("customers", [records.customer("C1")])
    import_records("sites", [records.site("S1")])
    import_records("meters", [records.meter("M1")])
    issued = (TODAY() - timedelta(days=10)).isoformat()
    dates = {"issue_date": issued, "sale_date": issued, "due_date": TODAY().isoformat()}
    import_records("invoices", [records.invoice("F1", number="FV/OLD/1", **dates)])
    from ebok.customers.models import Customer

    client = Client()
    client.force_login(factories.make_user(customers=[Customer.objects.get(external_id="C1")]))
    before = client.get("/").content.decode()
    assert "FV/OLD/1" in before and "FV/NEW/2" not in before and "77,5" not in before

    import_records("invoices", [records.invoice("F2", number="FV/NEW/2", **dates)])
    read_on = (TODAY() - timedelta(days=1)).isoformat()
    import_records(
        "readings",
        [records.reading("R1", read_on=read_on, value="1077.500", consumption="77.500")],
    )

    after = client.get("/").content.decode()
    assert "FV/NEW/2" in after
    assert "77,5" in after


def test_cached_invoice_lists_never_reach_another_customer_nor_outlive_an_import(
    customer, other_customer, db
):
    """The unpaid list and the history (with and without a filter) are cached fragments."""
    _invoice(customer, "FV/MINE/7")
    _invoice(other_customer, "FV/THEIRS/7")
    manager = Client()
    manager.force_login(factories.make_user(customers=[customer, other_customer]))
    pages = ("/faktury/", "/faktury/historia/", "/faktury/historia/?status=unpaid")

    def seen():
        return {path: manager.get(path).content.decode() for path in pages}

    manager.post("/kontrahent/wybierz/", {"customer": customer.pk, "next": "/"})
    first, again = seen(), seen()
    manager.post("/kontrahent/wybierz/", {"customer": other_customer.pk, "next": "/"})
    other = seen()
    for path in pages:
        assert "FV/MINE/7" in first[path] and "FV/MINE/7" in again[path], path
        assert "FV/THEIRS/7" not in first[path], path
        assert "FV/THEIRS/7" in other[path] and "FV/MINE/7" not in other[path], path


def test_an_imported_invoice_appears_in_the_cached_lists_at_once(db):
    import_records("customers", [records.customer("C1")])
    issued = (TODAY() - timedelta(days=10)).isoformat()
    dates = {"issue_date": issued, "sale_date": issued, "due_date": TODAY().isoformat()}
    import_records("invoices", [records.invoice("F1", number="FV/OLD/1", **dates)])
    from ebok.customers.models import Customer

    client = Client()
    client.force_login(factories.make_user(customers=[Customer.objects.get(external_id="C1")]))
    for path in ("/faktury/", "/faktury/historia/"):
        html = client.get(path).content.decode()
        assert "FV/OLD/1" in html and "FV/NEW/2" not in html

    import_records("invoices", [records.invoice("F2", number="FV/NEW/2", **dates)])

    for path in ("/faktury/", "/faktury/historia/"):
        assert "FV/NEW/2" in client.get(path).content.decode(), path


# --- the meter's readings table and the contracts page (cached fragments) ------------------


def _contract(ext="K1", number="UC/0001/2020", version=1, **kw):
    return {
        "external_id": ext,
        "version": version,
        "customer": "C1",
        "site": "S1",
        "number": number,
        "start_date": "2020-01-01",
        "tariff_group": "A1",
        "ordered_capacity_mw": "0.5000",
        **kw,
    }


def _imported_customer_client():
    from ebok.customers.models import Customer

    client = Client()
    client.force_login(factories.make_user(customers=[Customer.objects.get(external_id="C1")]))
    return client


def test_cached_readings_tables_and_contract_pages_never_reach_another_customer(
    customer, other_customer, db
):
    mine = factories.make_meter(customer, serial_number="SN-MINE")
    theirs = factories.make_meter(other_customer, serial_number="SN-THEIRS")
    factories.make_contract(customer, site=mine.site, number="UM/MINE/1")
    factories.make_contract(other_customer, site=theirs.site, number="UM/THEIRS/1")
    factories.make_reading(mine, read_on=date(2026, 10, 31), value=Decimal("111.111"))
    factories.make_reading(theirs, read_on=date(2026, 10, 31), value=Decimal("999.999"))
    me, they = Client(), Client()
    me.force_login(factories.make_user(customers=[customer]))
    they.force_login(factories.make_user(customers=[other_customer]))

    for _ in range(2):  # the second time from the cache
        meter_page = me.get(f"/liczniki/{mine.pk}/").content.decode()
        contracts_page = me.get("/umowy/").content.decode()
        customer_page = me.get("/kontrahent/").content.decode()
        assert "111,111" in meter_page and "999,999" not in meter_page
        assert "UM/MINE/1" in customer_page and "UM/THEIRS/1" not in customer_page
        assert "UM/MINE/1" in contracts_page and "SN-MINE" in contracts_page
        assert "UM/THEIRS/1" not in contracts_page and "SN-THEIRS" not in contracts_page
    assert me.get(f"/liczniki/{theirs.pk}/").status_code == 404
    # The same page and filter of the other customer: their own data, not the cached one.
    assert "999,999" in they.get(f"/liczniki/{theirs.pk}/").content.decode()
    theirs_contracts = they.get("/umowy/").content.decode()
    assert "UM/THEIRS/1" in theirs_contracts and "UM/MINE/1" not in theirs_contracts
    theirs_customer_page = they.get("/kontrahent/").content.decode()
    assert "UM/THEIRS/1" in theirs_customer_page and "UM/MINE/1" not in theirs_customer_page


def test_a_property_manager_switching_customers_gets_the_other_customers_contracts(
    customer, other_customer, db
):
    factories.make_contract(customer, number="UM/FIRST/1")
    factories.make_contract(other_customer, number="UM/SECOND/1")
    manager = Client()
    manager.force_login(factories.make_user(customers=[customer, other_customer]))

    before = manager.get("/umowy/").content.decode()
    chosen = "UM/FIRST/1" if "UM/FIRST/1" in before else "UM/SECOND/1"
    switch_to = other_customer if chosen == "UM/FIRST/1" else customer
    manager.post("/kontrahent/wybierz/", {"customer": switch_to.pk, "next": "/umowy/"})
    after = manager.get("/umowy/").content.decode()

    assert chosen not in after
    assert ({"UM/FIRST/1", "UM/SECOND/1"} - {chosen}).pop() in after


def test_imported_readings_and_meters_appear_at_once_in_a_cached_readings_table(db):
    import_records("customers", [records.customer("C1")])
    import_records("sites", [records.site("S1")])
    import_records("meters", [records.meter("M1", unit="GJ")])
    import_records("readings", [records.reading("R1", read_on="2026-01-31", value="1000.000")])
    from ebok.contracts.models import Meter

    client = _imported_customer_client()
    url = f"/liczniki/{Meter.objects.get(external_id='M1').pk}/?od=01-01-2026"
    assert "1000 GJ" in client.get(url).content.decode()
    assert "1077,5" not in client.get(url).content.decode()  # cached

    import_records("readings", [records.reading("R2", read_on="2026-02-28", value="1077.500")])
    assert "1077,500 GJ" in client.get(url).content.decode()

    import_records("meters", [records.meter("M1", version=2, unit="MWh")])
    html = client.get(url).content.decode()
    assert "1077,500 MWh" in html and "1077,500 GJ" not in html


def test_imported_contracts_sites_and_meters_appear_at_once_on_a_cached_contracts_page(db):
    import_records("customers", [records.customer("C1")])
    import_records("sites", [records.site("S1", street="ul. Stara 1")])
    import_records("contracts", [_contract("K1", number="UC/OLD/1")])
    client = _imported_customer_client()
    assert "UC/OLD/1" in client.get("/umowy/").content.decode()
    assert "UC/NEW/2" not in client.get("/umowy/").content.decode()  # cached

    assert "UC/OLD/1" in client.get("/kontrahent/").content.decode()
    assert "UC/NEW/2" not in client.get("/kontrahent/").content.decode()  # cached

    import_records("contracts", [_contract("K2", number="UC/NEW/2")])
    assert "UC/NEW/2" in client.get("/umowy/").content.decode()
    assert "UC/NEW/2" in client.get("/kontrahent/").content.decode()

    import_records("sites", [records.site("S1", version=2, street="ul. Nowa 2")])
    html = client.get("/umowy/").content.decode()
    assert "ul. Nowa 2" in html and "ul. Stara 1" not in html
    html = client.get("/kontrahent/").content.decode()
    assert "ul. Nowa 2" in html and "ul. Stara 1" not in html

    import_records("meters", [records.meter("M1", serial_number="SN-NEW")])
    assert "SN-NEW" in client.get("/umowy/").content.decode()

    import_records("readings", [records.reading("R1", read_on="2026-03-31", value="7.000")])
    assert "31-03-2026: 7 " in client.get("/umowy/").content.decode()


def test_each_page_and_filter_of_the_readings_table_is_its_own_fragment(customer, db):
    meter = factories.make_meter(customer)
    for year in (2023, 2024, 2025):  # 36 readings: two pages of 24
        for month in range(1, 13):
            factories.make_reading(meter, read_on=date(year, month, 28), value=Decimal(month))
    client = Client()
    client.force_login(factories.make_user(customers=[customer]))
    url = f"/liczniki/{meter.pk}/"

    client.get(url)
    second = client.get(url + "?strona=2").content.decode()
    filtered = client.get(url + "?od=01-01-2025").content.decode()

    assert "28-01-2023" in second and "28-12-2025" not in second
    assert "28-12-2025" in filtered and "28-12-2024" not in filtered
    assert "strona=2" not in filtered  # one page only


# --- the heat insight overview (its forecast and sites table are a cached fragment) --------


def _client_for(*customers) -> Client:
    client = Client()
    client.force_login(factories.make_user(customers=list(customers)))
    return client


def _insight(client, query="") -> str:
    response = client.get("/analiza/" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_cached_insight_overview_never_reaches_another_customer(customer, other_customer, db):
    factories.make_site(customer, name="Budynek MÓJ")
    factories.make_site(other_customer, name="Budynek CUDZY")
    me, they = _client_for(customer), _client_for(other_customer)

    for _ in range(2):  # the second time from the cache
        mine = _insight(me)
        assert "Budynek MÓJ" in mine and "Budynek CUDZY" not in mine
    theirs = _insight(they)
    assert "Budynek CUDZY" in theirs and "Budynek MÓJ" not in theirs


def test_a_property_manager_switching_customers_gets_the_other_customers_insight(
    customer, other_customer, db
):
    factories.make_site(customer, name="Budynek PIERWSZY")
    factories.make_site(other_customer, name="Budynek DRUGI")
    manager = _client_for(customer, other_customer)

    before = _insight(manager)
    chosen = "Budynek PIERWSZY" if "Budynek PIERWSZY" in before else "Budynek DRUGI"
    switch_to = other_customer if chosen == "Budynek PIERWSZY" else customer
    manager.post("/kontrahent/wybierz/", {"customer": switch_to.pk, "next": "/analiza/"})
    after = _insight(manager)

    assert chosen not in after
    assert ({"Budynek PIERWSZY", "Budynek DRUGI"} - {chosen}).pop() in after


def test_an_imported_site_appears_at_once_in_the_cached_insight_overview(db):
    import_records("customers", [records.customer("C1")])
    import_records("sites", [records.site("S1", name="Budynek STARY")])
    client = _imported_customer_client()
    assert "Budynek STARY" in _insight(client)
    assert "Budynek NOWY" not in _insight(client)  # cached

    import_records("sites", [records.site("S2", name="Budynek NOWY")])
    assert "Budynek NOWY" in _insight(client)

    import_records("sites", [records.site("S1", version=2, name="Budynek ZMIENIONY")])
    html = _insight(client)
    assert "Budynek ZMIENIONY" in html and "Budynek STARY" not in html


def test_the_insight_alerts_and_threshold_are_read_at_every_visit(customer, db):
    from ebok.insight.models import CustomerInsightSettings, InsightAlert

    factories.make_site(customer, name="Budynek A")
    user = factories.make_user(customers=[customer])
    client = Client()
    client.force_login(user)
    assert "więcej niż 20 %" in _insight(client)
    assert "Brak powiadomień." in _insight(client)

    CustomerInsightSettings.objects.create(customer=customer, alert_threshold_percent=35)
    InsightAlert.objects.create(
        user=user,
        customer=customer,
        kind="legalisation",
        period="2026-11",
        subject="SN-1",
        data={"serial": "SN-1", "until": "31-12-2026", "site": "Budynek <A>"},
    )
    html = _insight(client)
    assert "więcej niż 35 %" in html and "Brak powiadomień." not in html
    assert "Legalizacja licznika nr SN-1 (Budynek &lt;A&gt;) kończy się 31-12-2026." in html
    # Another user acting for the same customer has alerts of their own.
    assert "SN-1" not in _insight(_client_for(customer))


def test_each_page_of_the_insight_sites_table_is_its_own_fragment(customer, db):
    for i in range(1, 27):  # 26 sites: two pages of 25
        factories.make_site(customer, code=f"W-{i:02d}", name=f"Obiekt nr {i:02d}")
    client = _client_for(customer)

    first, second = _insight(client), _insight(client, "?strona=2")
    assert "Obiekt nr 01" in first and "Obiekt nr 26" not in first
    assert "Obiekt nr 26" in second and "Obiekt nr 01" not in second
    # Other spellings of a page: the same page as core.paging.page_of gives.
    assert "Obiekt nr 26" in _insight(client, "?strona=02")
    assert "Obiekt nr 26" in _insight(client, "?strona=0")  # below 1: the last page
    assert "Obiekt nr 01" in _insight(client, "?strona=abc")  # not a number: the first
    assert "Obiekt nr 26" in _insight(client, "?strona=99999999")  # past the end: the last


# --- the meter page (everything below its title is one cached fragment) -------------------


def test_a_cached_meter_page_is_a_404_once_the_meter_is_cancelled_or_moved(
    customer, other_customer, db
):
    from ebok.contracts.models import Meter

    cancelled = factories.make_meter(customer, serial_number="SN-CANCELLED")
    moved = factories.make_meter(customer, serial_number="SN-MOVED")
    me, they = _client_for(customer), _client_for(other_customer)
    for meter in (cancelled, moved):
        for _ in range(2):  # the second time from the cache
            assert me.get(f"/liczniki/{meter.pk}/").status_code == 200
    # Bulk updates: no signal renews the stamp, the page stays cached under it.
    Meter.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    Meter.objects.filter(pk=moved.pk).update(customer=other_customer)

    assert me.get(f"/liczniki/{cancelled.pk}/").status_code == 404
    assert me.get(f"/liczniki/{moved.pk}/").status_code == 404
    assert they.get(f"/liczniki/{cancelled.pk}/").status_code == 404
    assert "SN-MOVED" in they.get(f"/liczniki/{moved.pk}/").content.decode()


def test_a_cached_meter_page_is_rendered_anew_after_an_import_and_on_a_new_day(
    customer, db, monkeypatch
):
    from ebok.integration.importer import mark_synced
    from ebok.portal.views import meters

    today = TODAY()
    meter = factories.make_meter(customer, legalisation_valid_until=today + timedelta(days=1))
    calls = []

    def counted_site_insight(*args):
        calls.append(args)
        return None

    monkeypatch.setattr(meters, "site_insight", counted_site_insight)
    client = _client_for(customer)
    url = f"/liczniki/{meter.pk}/"

    assert "legalizacja wygasła" not in client.get(url).content.decode()
    client.get(url)
    assert len(calls) == 1  # the second time from the cache
    mark_synced()  # any import: the forecast may have changed
    client.get(url)
    assert len(calls) == 2

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + timedelta(days=2))
    assert "legalizacja wygasła" in client.get(url).content.decode()


# --- one site's heat insight (the page below the layout is a cached fragment) ------------


def _site_page(client, site, query=""):
    return client.get(f"/analiza/obiekty/{site.pk}/{query}")


def test_a_cached_site_insight_never_reaches_another_customer_nor_a_cancelled_site(
    customer, other_customer, db
):
    from django.utils import timezone

    from ebok.contracts.models import Site

    mine = factories.make_site(customer, name="Budynek MÓJ")
    theirs = factories.make_site(other_customer, name="Budynek CUDZY")
    me, they = _client_for(customer), _client_for(other_customer)

    for _ in range(2):  # the second time from the cache
        response = _site_page(me, mine)
        assert response.status_code == 200
        assert "Budynek MÓJ" in response.content.decode()
        assert "Budynek CUDZY" not in response.content.decode()
    assert _site_page(me, theirs).status_code == 404
    assert _site_page(they, mine).status_code == 404
    assert "Budynek CUDZY" in _site_page(they, theirs).content.decode()
    # A meter that is not the site's is a 404, cached page or not.
    assert _site_page(me, mine, "?licznik=999999").status_code == 404
    # Cancelled by a bulk update that renews no stamp: a 404 at once.
    Site.objects.filter(pk=mine.pk).update(cancelled_at=timezone.now())
    assert _site_page(me, mine).status_code == 404


def test_an_imported_change_of_a_site_shows_at_once_on_its_cached_insight(db):
    from ebok.contracts.models import Site

    import_records("customers", [records.customer("C1")])
    import_records("sites", [records.site("S1", name="Budynek STARY")])
    client = _imported_customer_client()
    site = Site.objects.get(external_id="S1")
    assert "Budynek STARY" in _site_page(client, site).content.decode()
    assert "Budynek STARY" in _site_page(client, site).content.decode()  # cached

    import_records("sites", [records.site("S1", version=2, name="Budynek ZMIENIONY")])
    html = _site_page(client, site).content.decode()
    assert "Budynek ZMIENIONY" in html and "Budynek STARY" not in html
