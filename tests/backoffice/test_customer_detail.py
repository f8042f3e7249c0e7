"""The customer view shows an operator everything billing holds about a customer."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ebok.core.models import AuditLogEntry
from ebok.customers.models import Customer
from tests import factories


def url(customer):
    return f"/obsluga/kontrahenci/{customer.pk}/"


@pytest.fixture
def full_customer(db):
    customer = factories.make_customer(
        name="Jan Kowalski",
        kind="person",
        nip="",
        pesel="44051401458",
        regon="",
        correspondence_name="Jan Kowalski c/o Zarządca",
        correspondence_street="ul. Pocztowa 3",
        correspondence_postal_code="85-950",
        correspondence_city="Bydgoszcz",
        phone="52 123 45 67",
    )
    site = factories.make_site(customer, code="W-0042", street="ul. Ciepła 42")
    contract = factories.make_contract(customer, site=site, number="UM/00042/2020")
    meter = factories.make_meter(customer, site=site, contract=contract, serial_number="65210042")
    factories.make_reading(meter, read_on=date(2026, 9, 30), value=Decimal("1100.000"))
    factories.make_reading(meter, read_on=date(2026, 10, 31), value=Decimal("1234.500"))
    factories.make_user(customers=[customer], username="kowalski", email="jan@example.com")
    return customer


def test_it_shows_the_customers_data_with_the_pesel_masked(operator_client, full_customer):
    html = operator_client.get(url(full_customer)).content.decode()
    assert "<h1>Jan Kowalski</h1>" in html
    assert full_customer.payer_code in html
    assert "osoba prywatna" in html
    assert "*******1458" in html
    assert "44051401458" not in html
    assert "ul. Pocztowa 3" in html and "85-950" in html
    assert "52 123 45 67" in html


def test_it_shows_users_sites_contracts_and_meters_with_the_latest_reading(
    operator_client, full_customer
):
    html = operator_client.get(url(full_customer)).content.decode()
    assert "kowalski" in html and "jan@example.com" in html
    assert "W-0042" in html and "ul. Ciepła 42" in html
    assert "UM/00042/2020" in html
    assert "65210042" in html
    assert "31-10-2026" in html and "1234,500 GJ" in html
    assert "30-09-2026" not in html  # only the latest reading on the customer page


def test_each_invoice_says_whether_it_is_paid_unpaid_overdue_or_in_debt_collection(
    operator_client, customer
):
    today = timezone.localdate()
    future, past = today + timedelta(days=10), today - timedelta(days=10)
    paid = factories.make_invoice(customer, number="FV/P", issue_date=past, due_date=past)
    paid.paid_amount = paid.gross_amount
    paid.save()
    factories.make_invoice(customer, number="FV/U", issue_date=today, due_date=future)
    factories.make_invoice(customer, number="FV/O", issue_date=past, due_date=past)
    factories.make_invoice(
        customer, number="FV/W", issue_date=past, due_date=past, in_debt_collection=True
    )

    response = operator_client.get(url(customer))

    statuses = {inv.number: str(inv.status_label) for inv in response.context["invoices"]}
    assert statuses == {
        "FV/P": "zapłacona",
        "FV/U": "niezapłacona",
        "FV/O": "po terminie",
        "FV/W": "w windykacji",
    }
    html = response.content.decode()
    for label in ["zapłacona", "niezapłacona", "po terminie", "w windykacji"]:
        assert label in html


def test_the_balance_sums_what_is_due_overdue_and_in_debt_collection(operator_client, customer):
    today = timezone.localdate()
    past, future = today - timedelta(days=5), today + timedelta(days=5)
    # 10 GJ x 80 zł + 23% VAT = 984,00 zł each
    factories.make_invoice(customer, issue_date=past, due_date=future)
    factories.make_invoice(customer, issue_date=past, due_date=past)
    factories.make_invoice(customer, issue_date=past, due_date=past, in_debt_collection=True)
    factories.make_payment(customer, amount=Decimal("500.00"))

    balance = operator_client.get(url(customer)).context["balance"]

    assert balance.outstanding == Decimal("2952.00")
    assert balance.overdue == Decimal("1968.00")
    assert balance.debt_collection == Decimal("984.00")
    assert balance.payments_total == Decimal("500.00")


def test_it_lists_the_newest_invoices_and_offers_to_show_all(operator_client, customer):
    for i in range(15):
        factories.make_invoice(
            customer,
            number=f"FV/2026/{i:02d}",
            issue_date=date(2026, 1, 1) + timedelta(days=i),
            due_date=date(2026, 3, 1),
        )

    response = operator_client.get(url(customer))
    assert len(response.context["invoices"]) == 12
    html = response.content.decode()
    assert "FV/2026/14" in html and "FV/2026/02" not in html
    assert "Pokaż wszystkie faktury" in html

    everything = operator_client.get(url(customer), {"faktury": "wszystkie"})
    assert len(everything.context["invoices"]) == 15
    assert "Pokaż wszystkie faktury" not in everything.content.decode()


def test_show_all_has_no_number_and_lists_every_invoice_with_the_cancelled_ones(
    operator_client, customer
):
    # The stored summary counts 12 (it leaves out the cancelled one) while the list has
    # 13: no number is better than a wrong one (decision 102).
    for i in range(13):
        factories.make_invoice(
            customer,
            number=f"FV/2026/{i:02d}",
            issue_date=date(2026, 1, 1) + timedelta(days=i),
            cancelled_at=timezone.now() if i == 12 else None,
        )

    html = operator_client.get(url(customer)).content.decode()
    assert "Pokaż wszystkie faktury</a>" in html
    assert "Pokaż wszystkie faktury (" not in html

    everything = operator_client.get(url(customer), {"faktury": "wszystkie"})
    assert len(everything.context["invoices"]) == 13  # the cancelled one too, marked
    assert "anulowana" in everything.content.decode()


def test_show_all_payments_has_no_number(operator_client, customer):
    for i in range(13):
        factories.make_payment(
            customer,
            paid_on=date(2026, 1, 1) + timedelta(days=i),
            cancelled_at=timezone.now() if i == 12 else None,
        )

    html = operator_client.get(url(customer)).content.decode()
    assert "Pokaż wszystkie wpłaty</a>" in html
    assert "Pokaż wszystkie wpłaty (" not in html

    everything = operator_client.get(url(customer), {"wplaty": "wszystkie"})
    assert len(everything.context["payments"]) == 13


def test_it_lists_payments(operator_client, customer):
    invoice = factories.make_invoice(customer, number="FV/2026/10/00099")
    factories.make_payment(customer, invoice=invoice, amount=Decimal("984.00"), title="Przelew")
    html = operator_client.get(url(customer)).content.decode()
    assert "984,00" in html and "Przelew" in html and "FV/2026/10/00099" in html


def test_viewing_a_customer_is_audit_logged(operator_client, operator, customer):
    operator_client.get(url(customer))
    entry = AuditLogEntry.objects.get(action="backoffice.customer.viewed")
    assert entry.user == operator
    assert entry.object_id == str(customer.pk)
    assert entry.object_type == "customers.customer"


def test_an_unknown_customer_is_404(operator_client, db):
    assert operator_client.get("/obsluga/kontrahenci/999999/").status_code == 404


def _customer_with(size):
    customer = factories.make_customer()
    factories.make_user(customers=[customer])
    for _ in range(size):
        site = factories.make_site(customer)
        contract = factories.make_contract(customer, site=site)
        meter = factories.make_meter(customer, site=site, contract=contract)
        factories.make_reading(meter)
        invoice = factories.make_invoice(customer, contract=contract)
        factories.make_payment(customer, invoice=invoice)
    return customer


@pytest.mark.parametrize("size", [1, 8])
def test_the_customer_page_takes_a_constant_number_of_queries(
    operator_client, django_assert_num_queries, size
):
    customer = _customer_with(size)
    # The first page of a session caches the company settings and stores the session's
    # timestamps: count later ones.
    operator_client.get("/obsluga/kontrahenci/")
    # The first view reads the sites, contracts, meters, invoices and payments (the first
    # twelve of each, one query each) and caches their sections.
    with django_assert_num_queries(10):
        assert operator_client.get(url(customer)).status_code == 200
    # Later views: the customer, the stored account summary and the users with access in
    # one statement (no count of invoices or payments), the sections from the cache.
    with django_assert_num_queries(5):
        response = operator_client.get(url(customer))
    assert response.status_code == 200


def test_the_cached_sections_are_read_again_after_an_import_and_on_the_next_day(
    operator_client, customer, monkeypatch
):
    from ebok.billing.summary import refresh_account_summaries, touch_account_summaries

    site = factories.make_site(customer, code="W-0001")
    assert "W-0001" in operator_client.get(url(customer)).content.decode()

    site.code = "W-0002"
    site.save()
    touch_account_summaries([customer.pk])  # what an import of sites does
    html = operator_client.get(url(customer)).content.decode()
    assert "W-0002" in html and "W-0001" not in html

    factories.make_invoice(customer, number="FV/NEW", due_date=timezone.localdate())
    refresh_account_summaries([customer.pk])  # what an import of invoices does
    html = operator_client.get(url(customer)).content.decode()
    assert "FV/NEW" in html and "niezapłacona" in html

    # Tomorrow the same invoice is overdue, with no import in between.
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    html = operator_client.get(url(customer)).content.decode()
    assert "po terminie" in html


def test_the_cached_sections_are_never_another_customers(operator_client, customer):
    other = factories.make_customer(name="Inny Kontrahent")
    factories.make_site(customer, code="W-MINE")
    factories.make_site(other, code="W-OTHER")
    assert "W-MINE" in operator_client.get(url(customer)).content.decode()
    html = operator_client.get(url(other)).content.decode()
    assert "W-OTHER" in html and "W-MINE" not in html


def test_the_customers_data_shows_at_once_when_it_changes(operator_client, customer):
    # An import of customers gives no new billing stamp: the cached heading and data are
    # keyed on the values they show. (The first view stores the account summary, the
    # second caches the fragments.)
    for _ in range(2):
        html = operator_client.get(url(customer)).content.decode()
    assert f"<h1>{customer.name}</h1>" in html
    Customer.objects.filter(pk=customer.pk).update(name="Nowa <Nazwa>", phone="52 000 00 00")
    html = operator_client.get(url(customer)).content.decode()
    assert "<h1>Nowa &lt;Nazwa&gt;</h1>" in html and "52 000 00 00" in html


def test_the_users_with_access_are_read_on_every_view(operator_client, customer):
    user = factories.make_user(customers=[customer], username="pierwszy")
    for _ in range(2):
        html = operator_client.get(url(customer)).content.decode()
    assert "pierwszy" in html
    user.is_active = False
    user.last_login = datetime(2026, 11, 30, 11, 45, tzinfo=UTC)
    user.save()
    factories.make_user(
        customers=[customer], username="drugi", first_name="Anna", last_name="Nowak"
    )
    html = operator_client.get(url(customer)).content.decode()
    assert "nieaktywne" in html and "30-11-2026 12:45" in html
    assert "drugi" in html and "Anna Nowak" in html
    assert html.index("drugi") < html.index("pierwszy")  # by login


# --- readings of a meter ------------------------------------------------------------


def test_the_meter_page_lists_its_readings_newest_first_in_pages(operator_client, customer):
    meter = factories.make_meter(customer, serial_number="65219999")
    for i in range(30):
        factories.make_reading(meter, read_on=date(2024, 1, 1) + timedelta(days=30 * i))

    response = operator_client.get(f"/obsluga/liczniki/{meter.pk}/")

    html = response.content.decode()
    assert "Licznik 65219999" in html
    assert customer.name in html
    readings = response.context["page"].object_list
    assert len(readings) == 25
    assert readings[0].read_on > readings[1].read_on
    assert "Strona 1 z 2" in html
    second = operator_client.get(f"/obsluga/liczniki/{meter.pk}/", {"strona": 2})
    assert len(second.context["page"].object_list) == 5


def test_viewing_a_meter_is_logged_as_viewing_its_customer(operator_client, customer):
    meter = factories.make_meter(customer, serial_number="65219998")
    operator_client.get(f"/obsluga/liczniki/{meter.pk}/")
    entry = AuditLogEntry.objects.get(action="backoffice.customer.viewed")
    assert entry.object_id == str(customer.pk)
    assert entry.data == {"meter": "65219998"}


@pytest.mark.parametrize("size", [2, 40])
def test_the_meter_page_takes_a_constant_number_of_queries(
    operator_client, customer, django_assert_num_queries, size
):
    meter = factories.make_meter(customer)
    for i in range(size):
        factories.make_reading(meter, read_on=date(2020, 1, 1) + timedelta(days=i))
    # The first page of a session also stores the company settings in the cache and
    # the session's timestamps: count a later page, as operators see most of them.
    operator_client.get(f"/obsluga/liczniki/{meter.pk}/")
    with django_assert_num_queries(7):
        response = operator_client.get(f"/obsluga/liczniki/{meter.pk}/")
    assert response.status_code == 200


def test_a_cooperatives_sites_contracts_and_meters_show_the_first_twelve_unless_asked(
    operator_client, customer
):
    for i in range(13):
        site = factories.make_site(customer, code=f"W-{i:03d}")
        contract = factories.make_contract(customer, site=site)
        factories.make_meter(customer, site=site, contract=contract)

    html = operator_client.get(url(customer)).content.decode()
    assert "W-011" in html and "W-012" not in html.split("contracts-heading")[0]
    for label, param in (
        ("Pokaż wszystkie obiekty", "obiekty"),
        ("Pokaż wszystkie umowy", "umowy"),
        ("Pokaż wszystkie liczniki", "liczniki"),
    ):
        assert label in html
        assert f"?{param}=wszystkie" in html

    everything = operator_client.get(url(customer), {"obiekty": "wszystkie"}).content.decode()
    assert "W-012" in everything.split("contracts-heading")[0]
    assert "Pokaż wszystkie obiekty" not in everything
