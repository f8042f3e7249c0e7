"""Operators find a customer with one query box: payer code, name, NIP, meter, invoice."""

import pytest

from ebok.core.models import AuditLogEntry
from tests import factories

URL = "/obsluga/kontrahenci/"


@pytest.fixture
def gdanska(db):
    customer = factories.make_customer(
        name="Wspólnota Mieszkaniowa ul. Gdańska 12", payer_code="400123", nip="7740001454"
    )
    factories.make_meter(customer, serial_number="KAM-65210077")
    factories.make_invoice(customer, number="FV/2026/10/000777")
    return customer


@pytest.fixture
def bystrzycka(db):
    return factories.make_customer(
        name="Spółdzielnia Mieszkaniowa Bystrzycka", payer_code="400999", nip="5260250995"
    )


def found(client, query):
    return client.get(URL, {"q": query}).context["page"].object_list


@pytest.mark.parametrize(
    "query",
    [
        "400123",  # payer code
        "gdańska",  # part of the name, other case
        "MIESZKANIOWA UL. GDA",  # ASCII part, upper case
        "7740001454",  # NIP
        "774-000-14-54",  # NIP with dashes
        "774 000 14 54",  # NIP with spaces
        "kam-65210077",  # meter serial number, any case
        "FV/2026/10/000777",  # invoice number
    ],
)
def test_it_finds_the_customer_by_any_key(operator_client, gdanska, bystrzycka, query):
    assert list(found(operator_client, query)) == [gdanska]


@pytest.mark.parametrize("query", ["ŁÓDZKA", "łódzka", "Łódzka", "ul. łódzka"])
def test_polish_letters_match_in_any_usual_case(operator_client, db, query):
    lodzka = factories.make_customer(name="Wspólnota Mieszkaniowa ul. Łódzka 5")
    assert list(found(operator_client, query)) == [lodzka]


def test_results_link_to_the_customer_and_show_the_nip_formatted(operator_client, gdanska):
    html = operator_client.get(URL, {"q": "gdańska"}).content.decode()
    assert f'href="/obsluga/kontrahenci/{gdanska.pk}/"' in html
    assert "774-000-14-54" in html
    assert "Znaleziono 1 kontrahenta." in html


def test_it_says_when_nothing_matches(operator_client, gdanska):
    html = operator_client.get(URL, {"q": "nie ma takiego"}).content.decode()
    assert "Nie znaleziono kontrahenta" in html
    assert 'value="nie ma takiego"' in html  # the query stays in the box


def test_without_a_query_it_lists_everybody_by_name(operator_client, gdanska, bystrzycka):
    assert list(found(operator_client, "")) == [bystrzycka, gdanska]


def test_a_customer_with_several_matching_meters_appears_once(operator_client, gdanska):
    factories.make_meter(gdanska, serial_number="X1")
    factories.make_meter(gdanska, serial_number="X1")
    assert list(found(operator_client, "x1")) == [gdanska]


def test_results_are_paged(operator_client, db):
    for i in range(30):
        factories.make_customer(name=f"Wspólnota Pozioma {i:02d}")
    response = operator_client.get(URL, {"q": "pozioma"})
    assert len(response.context["page"].object_list) == 25
    html = response.content.decode()
    assert "Strona 1 z 2" in html
    assert "?q=pozioma&amp;strona=2" in html
    second = operator_client.get(URL, {"q": "pozioma", "strona": 2})
    assert len(second.context["page"].object_list) == 5


def test_a_nonsense_page_number_shows_a_page_instead_of_an_error(operator_client, gdanska):
    assert operator_client.get(URL, {"q": "gdańska", "strona": "abc"}).status_code == 200


def test_searching_is_audit_logged(operator_client, operator, gdanska):
    operator_client.get(URL, {"q": "gdańska"})
    entry = AuditLogEntry.objects.get(action="backoffice.customer.searched")
    assert entry.user == operator
    assert entry.data == {"q": "gdańska"}


@pytest.mark.parametrize("size", [3, 30])
def test_the_result_list_takes_a_constant_number_of_queries(
    operator_client, django_assert_num_queries, size
):
    for i in range(size):
        customer = factories.make_customer(name=f"Wspólnota Stała {i:02d}")
        factories.make_meter(customer)
    # The same fixed number (session, user, permissions, count, page, audit entry...)
    # whether 3 or 30 customers match. The first page of a session also caches the
    # company settings and stores the session's timestamps: count a later one.
    operator_client.get(URL, {"q": "stała"})
    with django_assert_num_queries(6):
        response = operator_client.get(URL, {"q": "stała"})
    assert response.status_code == 200
